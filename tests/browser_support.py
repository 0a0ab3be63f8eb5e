"""Helpers for the real-browser tests: Chromium, a local server, page checks."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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
    missing: the tests never install anything themselves.
    """
    path = shutil.which("chromium")
    if path:
        return path
    msg = (
        "The browser tests need Chromium, and it is not on PATH: install the Debian "
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


def is_local(url: str) -> bool:
    """Whether loading ``url`` stays on this machine's 127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname == LOCALHOST


@dataclass
class Traffic:
    """What the browser did on a page since the last ``clear()``."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    pending: set = field(default_factory=set)

    def clear(self):
        for value in vars(self).values():
            value.clear()

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught exception: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed]
            + [f"request leaving {LOCALHOST}: {m}" for m in self.external]
        )

    def settle(self, page, timeout=10.0):
        """Wait until no request of ``page`` is in flight (fonts included).

        Leaving a page while its web fonts still load would abort them, and
        that would read as a failed request.
        """
        page.evaluate("document.fonts.ready.then(() => true)")
        deadline = time.monotonic() + timeout
        while self.pending and time.monotonic() < deadline:
            page.wait_for_timeout(25)
        if self.pending:
            self.failed.extend(f"{url}: still loading" for url in self.pending)


def watch(context, page) -> Traffic:
    """Record console errors, failed and non-local requests of ``page``.

    A request that would leave 127.0.0.1 is recorded and aborted (for the
    whole ``context``) so that nothing waits on the network.
    """
    traffic = Traffic()

    def route(route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            traffic.external.append(url)
            route.abort()

    def on_console(msg):
        if msg.type == "error":
            traffic.console_errors.append(f"{msg.text} ({msg.location.get('url')})")

    def on_request(request):
        traffic.requests.append(request.url)
        traffic.pending.add(request)

    def on_failed(request):
        traffic.pending.discard(request)
        # An external request was aborted by route(): reported as such.
        if is_local(request.url):
            traffic.failed.append(f"{request.url}: {request.failure}")

    def on_response(response):
        if response.status >= 400:
            traffic.failed.append(f"{response.url}: HTTP {response.status}")

    context.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: traffic.page_errors.append(str(exc)))
    page.on("request", on_request)
    page.on("requestfinished", lambda request: traffic.pending.discard(request))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    return traffic


def html_pages(root: Path) -> list[str]:
    """Every .html file under ``root``, as a URL path relative to it."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.html") if "_screenshots" not in p.relative_to(root).parts
    )
