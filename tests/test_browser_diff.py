"""The "What changed" diffs in a real browser (sphinxext/tutorial/example_diff.py).

On the narrative page, a toggle opens and closes without JavaScript and
switches between the full code and the changes; on a phone-sized window a
diff scrolls inside its box, never the page; axe-core finds no serious
accessibility problem in an opened diff (contrast of the coloured lines).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from browser_support import CHROMIUM_ARGS, find_chromium, serve, watch

NARRATIVE = "beginner/pytorch_with_examples.html"
AUTOGRAD = "beginner/examples_autograd/two_layer_net_autograd.html"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser(site, tmp_path_factory):
    """Run a check in Chromium: ``browser(check)`` calls ``check(pages, base)``.

    ``pages`` is ``{"no-js": (page, traffic), "js": (page, traffic)}``: each
    page has a context of its own, with a fresh profile, the size of a small
    phone.  Playwright's sync API allows one instance per thread, and
    tests/test_browser.py holds one for the whole session, so this one lives
    in a thread of its own and every check runs there.
    """
    from playwright.sync_api import sync_playwright

    try:
        chromium = find_chromium()
    except (RuntimeError, OSError) as exc:
        pytest.fail(str(exc))
    profiles = {name: tmp_path_factory.mktemp(f"chromium-diff-{name}") for name in ("no-js", "js")}

    def start():
        playwright = sync_playwright().start()
        contexts, pages = [], {}
        for name, scripts in (("no-js", False), ("js", True)):
            context = playwright.chromium.launch_persistent_context(
                profiles[name],
                executable_path=chromium,
                args=CHROMIUM_ARGS,
                java_script_enabled=scripts,
                viewport=PHONE,
            )
            page = context.pages[0] if context.pages else context.new_page()
            pages[name] = (page, watch(context, page))
            contexts.append(context)
        return playwright, contexts, pages

    def stop():
        for context in contexts:
            context.close()
        playwright.stop()

    with serve(site.out) as base, ThreadPoolExecutor(max_workers=1) as thread:
        playwright, contexts, pages = thread.submit(start).result()
        try:
            yield lambda check: thread.submit(check, pages, base).result()
        finally:
            thread.submit(stop).result()


def visible(locator) -> bool:
    """Whether the element is rendered (not inside a closed ``<details>``)."""
    return locator.evaluate("e => e.checkVisibility()")


def test_toggle_opens_and_closes_without_javascript(browser):
    browser(check_toggle)


def check_toggle(pages, base):
    page, traffic = pages["no-js"]
    traffic.clear()
    page.goto(base + NARRATIVE, wait_until="load")
    toggles = page.locator("details.example-diff-toggle")
    assert toggles.count() == 9
    toggle = toggles.nth(0)
    summary = toggle.locator("> summary")
    diff = toggle.locator("div.example-diff div.highlight-diff").first
    full_code = page.locator("details.example-diff-toggle + div.highlight-python").first

    # Closed: the full code, not the changes.
    assert toggle.get_attribute("open") is None
    assert visible(full_code) and not visible(diff)

    summary.click()
    assert toggle.get_attribute("open") == ""
    assert visible(diff) and not visible(full_code)
    assert diff.locator("pre").inner_text().splitlines()[:2] == [
        "--- two_layer_net_numpy.py",
        "+++ two_layer_net_tensor.py",
    ]

    summary.click()
    assert toggle.get_attribute("open") is None
    assert visible(full_code) and not visible(diff)
    traffic.settle(page)
    assert traffic.problems() == []


def test_diff_scrolls_inside_its_box_on_a_phone(browser, site):
    browser(lambda pages, base: check_phone(pages, base, site.out / "diff-phone.png"))


def check_phone(pages, base, screenshot):
    page, _traffic = pages["no-js"]
    page.goto(base + AUTOGRAD, wait_until="load")
    box = page.locator("div.example-diff div.highlight-diff pre").first
    sizes = box.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).whiteSpace]")
    # The device line is longer than a phone is wide: the box wraps it
    # (issue 24: the change was at the cut-off end) or scrolls...
    assert sizes[2] == "pre-wrap" or sizes[0] > sizes[1]
    # ...and the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    page.screenshot(path=screenshot, full_page=False)


def test_opened_diff_has_no_serious_accessibility_problem(browser):
    browser(check_axe)


def check_axe(pages, base):
    from axe_playwright_python.base import AXE_SCRIPT

    page, _traffic = pages["js"]
    page.goto(base + AUTOGRAD, wait_until="load")
    page.locator("details.example-diff-full > summary").click()
    page.add_script_tag(content=AXE_SCRIPT)
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run('div.example-diff'))"
    )
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in json.loads(result)["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert violations == []
