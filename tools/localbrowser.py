"""Chromium and a loopback server: what make lighthouse and the browser tests share.

``tools/lighthouse.py`` and ``tests/browser_support.py`` import it, so that
Lighthouse sees the site as the tests do: the same Chromium flags (nothing
leaves the machine) and the same server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
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


def find_chromium() -> str:
    """The path of the ``chromium`` binary.

    Raises RuntimeError, naming the Debian packages to install, when it is
    missing: neither the tests nor make lighthouse install anything themselves.
    """
    path = shutil.which("chromium")
    if path:
        return path
    msg = (
        "The browser tests and make lighthouse need Chromium, and it is not on PATH: install the Debian "
        f"packages {' and '.join(CHROMIUM_PACKAGES)} (the fonts for the Chinese pages), "
        f"e.g. `apt-get install -y {' '.join(CHROMIUM_PACKAGES)}` as root, as .ci/run does"
    )
    raise RuntimeError(msg)


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
