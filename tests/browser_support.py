"""Helpers for the real-browser tests: Chromium, a local server, page checks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# Chromium, its flags and the loopback server live in tools/ (on pytest's
# pythonpath, pyproject.toml), for make lighthouse too.
# A moved page's old address only leads on (tests/test_site.py checks each):
# it is no page of the site for the checks that read every page.
from check_site import is_redirect  # noqa: F401 - re-exported for the tests
from localbrowser import (  # noqa: F401 - re-exported for the tests
    CHROMIUM_ARGS,
    CHROMIUM_PACKAGES,
    LOCALHOST,
    MissingTool,
    QuietHandler,
    find_chromium,
    find_java,
    serve,
)


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
    """Every page under ``root``, as a URL path relative to it (redirects left out)."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.html")
        if "_screenshots" not in p.relative_to(root).parts and not is_redirect(p)
    )
