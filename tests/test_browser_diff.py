"""The "What changed" diffs in a real browser (sphinxext/example_diff.py).

On the narrative page, a toggle opens and closes without JavaScript and
switches between the full code and the changes; on a phone-sized window a
diff scrolls inside its box, never the page; axe-core finds no serious
accessibility problem in an opened diff (contrast of the coloured lines).
"""

from __future__ import annotations

import json

import pytest
from browser_support import CHROMIUM_ARGS, find_chromium, serve, watch

NARRATIVE = "beginner/pytorch_with_examples.html"
AUTOGRAD = "beginner/examples_autograd/two_layer_net_autograd.html"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser_page(site, tmp_path_factory):
    """Pages in Chromium, ``{"no-js": page, "js": page}``, and the site's base URL.

    Each page has a context of its own with a fresh profile; both are the
    size of a small phone.
    """
    from playwright.sync_api import sync_playwright

    try:
        chromium = find_chromium()
    except (RuntimeError, OSError) as exc:
        pytest.fail(str(exc))
    with serve(site.out) as base, sync_playwright() as playwright:
        contexts, pages = [], {}
        for name, scripts in (("no-js", False), ("js", True)):
            context = playwright.chromium.launch_persistent_context(
                tmp_path_factory.mktemp(f"chromium-diff-{name}"),
                executable_path=chromium,
                args=CHROMIUM_ARGS,
                java_script_enabled=scripts,
                viewport=PHONE,
            )
            page = context.pages[0] if context.pages else context.new_page()
            pages[name] = (page, watch(context, page))
            contexts.append(context)
        yield pages, base
        for context in contexts:
            context.close()


def visible(locator) -> bool:
    """Whether the element is rendered (not inside a closed ``<details>``)."""
    return locator.evaluate("e => e.checkVisibility()")


def test_toggle_opens_and_closes_without_javascript(browser_page):
    pages, base = browser_page
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


def test_diff_scrolls_inside_its_box_on_a_phone(browser_page, site):
    pages, base = browser_page
    page, _traffic = pages["no-js"]
    page.goto(base + AUTOGRAD, wait_until="load")
    box = page.locator("div.example-diff div.highlight-diff pre").first
    sizes = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    # The device line is longer than a phone is wide: the box scrolls...
    assert sizes[0] > sizes[1]
    # ...and the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    page.screenshot(path=site.out / "diff-phone.png", full_page=False)


def test_opened_diff_has_no_serious_accessibility_problem(browser_page):
    from axe_playwright_python.base import AXE_SCRIPT

    pages, base = browser_page
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
