"""Chromium and a loopback server: what make lighthouse and the browser tests share.

``tools/lighthouse.py`` and ``tests/browser_support.py`` import it, so that
Lighthouse sees the site as the tests do: the same Chromium flags (nothing
leaves the machine) and the same server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading

#: The Debian packages: the browser, and fonts so Chinese pages show glyphs.
CHROMIUM_PACKAGES = ["chromium", "fonts-noto-cjk"]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LOCALHOST = "127.0.0.1"

#: Where a browser is, in the order looked at after ``CHROME_PATH``: names on
#: PATH (Debian and Ubuntu, Fedora, Arch, Google's packages), then macOS's
#: application bundles.
CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
MACOS_BROWSERS = [
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
]

#: What to run to get each tool, by platform (for the error messages).
INSTALL_HINTS = {
    "browser": [
        "Debian/Ubuntu: sudo apt-get install chromium fonts-noto-cjk",
        "Fedora: sudo dnf install chromium",
        "macOS: brew install --cask chromium (or install Google Chrome)",
        "anywhere: .venv/bin/python -m playwright install chromium (Playwright's own browser)",
        "or set CHROME_PATH to a Chromium or Chrome binary",
    ],
    "java": [
        "Debian/Ubuntu: sudo apt-get install default-jre-headless",
        "Fedora: sudo dnf install java-21-openjdk-headless",
        "macOS: brew install openjdk",
        "or set JAVA_HOME to a Java runtime",
    ],
}


class MissingTool(RuntimeError):
    """A program the browser tests or make lighthouse need is not on this machine."""


def _missing(what: str, needed_by: str) -> MissingTool:
    hints = "\n".join(f"  - {hint}" for hint in INSTALL_HINTS[what])
    return MissingTool(f"{needed_by} need {what}, and none was found. Install one:\n{hints}")


def _playwright_chromium() -> str | None:
    """The Chromium that ``playwright install chromium`` put in Playwright's cache, if any."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver, no browser: not found
        return None
    return path if path and os.path.isfile(path) else None


def find_chromium() -> str:
    """The path of a Chromium or Chrome binary.

    ``CHROME_PATH`` first (Lighthouse's variable), then the usual names on
    PATH, macOS's applications, and Playwright's own browser. Raises
    MissingTool, naming what to install on each platform, when there is
    none: neither the tests nor make lighthouse install anything themselves.
    """
    candidates = [os.environ.get("CHROME_PATH", "")]
    candidates += [shutil.which(name) or "" for name in CHROMIUM_NAMES]
    candidates += MACOS_BROWSERS
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    found = _playwright_chromium()
    if found:
        return found
    raise _missing("browser", "The browser tests (tests/test_browser*.py, test_readers.py, "
                   "test_search_recall.py) and make lighthouse")


def find_java() -> str:
    """The path of ``java``: ``JAVA_HOME``'s, PATH's, or macOS's ``/usr/libexec/java_home``'s."""
    home = os.environ.get("JAVA_HOME")
    candidates = [os.path.join(home, "bin", "java")] if home else []
    candidates.append(shutil.which("java") or "")
    if os.path.exists("/usr/libexec/java_home"):
        macos = subprocess.run(["/usr/libexec/java_home"], capture_output=True, text=True, check=False)
        if macos.returncode == 0:
            candidates.append(os.path.join(macos.stdout.strip(), "bin", "java"))
    # macOS's /usr/bin/java is a stub that only offers to install Java: run it.
    for path in candidates:
        if path and os.path.isfile(path) and subprocess.run(
            [path, "-version"], capture_output=True, check=False
        ).returncode == 0:
            return path
    raise _missing("java", "The Nu HTML Checker (vnu, in tests/test_readers.py)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def serve(directory, handler_class=None):
    """Serve ``directory`` on 127.0.0.1 (an ephemeral port); yield the base URL.

    ``handler_class``, a subclass of QuietHandler, changes how files are
    sent (tools/lighthouse.py gzips them as static hosts do).
    """
    handler = functools.partial(handler_class or QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((LOCALHOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCALHOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
