"""What a reader meets on a phone, by keyboard and in the dark (issue 24), in Chromium.

Each test would have caught one of the problems a review of the site found
with a 360 px phone, a 1280 px desktop, a keyboard and the dark scheme:

* no page of either language scrolls sideways at 360 px, search results
  included (an unbreakable path in an excerpt made the page 432 px wide);
* every table's last column is on screen at 1280 px and 360 px (the About
  page's run times were not);
* the skip link is the first Tab stop and leads into the page's content;
* the phone menu opens and closes by keyboard, and no Tab stop lies
  off-screen (the closed menu's links did);
* every Tab stop shows a focus ring at 3:1 against what is behind it;
* output takes the phone's width ("Out:" took a column of its own), and a
  diff's changed text is on screen or scrolls inside its own block;
* the phone chart's legend lies within the image, in both languages;
* in the dark scheme, the "What changed" sentences are not link-coloured,
  table heads draw no bright border and figures are not white rectangles;
* download buttons share one width and card titles one alignment.

Search excerpts show the sentence that holds the term (``_static/
search_excerpts.js``), never sphinx-gallery's note or a diff.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from urllib.parse import urlencode

import lighthouse
import pytest
from browser_support import html_pages, serve
from filelock import FileLock
from helpers import soup

# Chromium, launched once for the module, and the colour arithmetic.
from test_readers import _contrast, _luminance, browser  # noqa: F401 - browser is a fixture

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
NARRATIVE = "beginner/pytorch_with_examples.html"
SPEED = "beginner/examples_beyond/two_layer_net_speed.html"
SEARCHES = [("search.html", "optimizer"), ("zh_CN/search.html", "优化器"), ("search.html", "requires_grad")]
#: Enough Tab presses to pass every stop of the longest page type.
MAX_TABS = 400


@pytest.fixture(scope="module")
def base(site):
    with serve(site.out) as url:
        yield url


@pytest.fixture(scope="module")
def page_types(site) -> list[str]:
    found = [path for _lang, _kind, path in lighthouse.pages(site.out)]
    assert len(found) == 2 * len(lighthouse.PAGE_TYPES)
    return found


class Opener:
    """Opens pages in fresh contexts and closes them all at the end."""

    def __init__(self, chromium, base):
        self.browser, self.base, self.contexts = chromium, base, []

    def __call__(self, rel, viewport=DESKTOP, scheme="light"):
        context = self.browser.new_context(viewport=viewport, color_scheme=scheme)
        self.contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        response = page.goto(self.base + rel, wait_until="load")
        assert response.ok, rel
        # Deferred scripts have run by "load"; the theme binds its handlers
        # when jQuery is ready, which may come a little later.
        page.wait_for_function("() => !window.jQuery || !window.jQuery.fn || window.jQuery.isReady === true")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.errors = errors
        return page

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def open_page(browser, base):  # noqa: F811 - the fixture imported above
    opener = Opener(browser, base)
    yield opener
    opener.close()


def wait_for_results(page):
    """Until the search has finished and every result has its excerpt."""
    page.wait_for_function(
        """() => {
          const status = document.querySelector('#search-results p.search-summary');
          const items = [...document.querySelectorAll('#search-results ul.search li')];
          return status && status.textContent.trim() !== '' && items.length > 0
            && items.every((li) => li.querySelector('p.context'));
        }""",
        timeout=15_000,
    )


# -- Phones: nothing wider than the screen -----------------------------------------


def test_no_page_scrolls_sideways_on_a_phone(site, open_page):
    wide = {}
    pages = html_pages(site.out)
    searches = [f"{rel}?{urlencode({'q': q})}" for rel, q in SEARCHES]
    assert len(pages) >= 40
    for rel in pages + searches:
        page = open_page(rel, PHONE)
        if "?q=" in rel:
            wait_for_results(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[rel] = width
        page.context.close()
    assert wide == {}


LAST_COLUMNS = """() => {
  // The right edge of what is shown of an element: the viewport's, or a
  // scrolling ancestor's.
  const shownRight = (e) => {
    let right = innerWidth;
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible')
        right = Math.min(right, a.getBoundingClientRect().right);
    }
    return right;
  };
  const hidden = [];
  let cells = 0;
  for (const table of document.querySelectorAll('[role=main] table')) {
    for (const row of table.rows) {
      const cell = row.cells[row.cells.length - 1];
      const box = cell.getBoundingClientRect();
      cells += 1;
      if (box.width < 1 || box.right > shownRight(cell) + 1)
        hidden.push(cell.textContent.trim().slice(0, 30) + ' ends at ' + Math.round(box.right)
                    + ', shown to ' + Math.round(shownRight(cell)));
    }
  }
  return {cells, hidden};
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_tables_last_column_is_on_screen(site, open_page, viewport):
    with_tables = [
        rel for rel in html_pages(site.out) if soup(site.out / rel).select("[role=main] table")
    ]
    assert "timings.html" in with_tables and "zh_CN/timings.html" in with_tables
    hidden, cells = {}, 0
    for rel in with_tables:
        page = open_page(rel, VIEWPORTS[viewport])
        found = page.evaluate(LAST_COLUMNS)
        cells += found["cells"]
        if found["hidden"]:
            hidden[rel] = found["hidden"]
        page.context.close()
    assert cells >= 2 * 14  # the run-time table: a head, twelve examples and a total
    assert hidden == {}


# -- Keyboard -----------------------------------------------------------------------

ACTIVE = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
  return {tag: e.tagName, cls: e.className, text: (e.textContent || e.value || '').trim().slice(0, 40),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
          inMain: !!document.getElementById('main-content')?.contains(e),
          // In the content, or after it (a page whose content has no link
          // goes on to the footer's).
          fromMain: !!(document.getElementById('main-content')?.compareDocumentPosition(e)
                       & (Node.DOCUMENT_POSITION_CONTAINED_BY | Node.DOCUMENT_POSITION_FOLLOWING)),
          inMenu: !!document.querySelector('nav.wy-nav-side')?.contains(e)}; }"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_skip_link_is_the_first_tab_stop(open_page, page_types, viewport):
    failures = {}
    # The 404 page, served at any address, has none: "#main-content" there
    # would name the missing page.
    for rel in [p for p in page_types if not p.endswith("404.html")]:
        page = open_page(rel, VIEWPORTS[viewport])
        page.keyboard.press("Tab")
        first = page.evaluate(ACTIVE)
        problems = []
        if first["cls"] != "skip-link":
            problems.append(f"first Tab stop: {first}")
        elif not (first["top"] >= 0 and first["bottom"] <= VIEWPORTS[viewport]["height"] and first["width"] > 0):
            problems.append(f"skip link not shown on focus: {first}")
        else:
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            after = page.evaluate(ACTIVE)
            if not page.url.endswith("#main-content") or not after["fromMain"]:
                problems.append(f"after the skip link, Tab reached {after} ({page.url})")
        if problems:
            failures[rel] = problems
        page.context.close()
    assert failures == {}, failures


@pytest.mark.parametrize("lang", ["", "zh_CN/"])
def test_the_phone_menu_opens_and_closes_by_keyboard(open_page, lang):
    page = open_page(lang + NARRATIVE, PHONE)
    expanded = "() => document.querySelector('button.menu-button').getAttribute('aria-expanded')"
    is_open = "() => document.querySelector('nav.wy-nav-side').classList.contains('shift')"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    button = page.evaluate(ACTIVE)
    assert (button["tag"], button["cls"]) == ("BUTTON", "menu-button")
    assert page.evaluate(expanded) == "false" and not page.evaluate(is_open)

    page.keyboard.press("Enter")
    page.wait_for_function(is_open)
    page.wait_for_function(f"() => ({expanded})() === 'true'")
    inside = page.evaluate(ACTIVE)
    assert inside["inMenu"], inside
    assert inside["left"] >= 0 and inside["right"] <= PHONE["width"], inside
    # Tab goes on through the open menu's links, all on screen.
    for _ in range(5):
        page.keyboard.press("Tab")
        stop = page.evaluate(ACTIVE)
        assert stop["inMenu"] and stop["right"] > 0 and stop["left"] < PHONE["width"], stop

    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !({is_open})()")
    assert page.evaluate(expanded) == "false"
    assert page.evaluate(ACTIVE)["cls"] == "menu-button"
    # Space opens it too (a <button>).
    page.keyboard.press(" ")
    page.wait_for_function(is_open)
    assert page.errors == []


TAB_STOP = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  // The colour behind the ring: the element's own for a ring inside it,
  // else its parent's; the first opaque background up the tree.
  let n = parseFloat(style.outlineOffset) < 0 ? e : e.parentElement, behind = 'rgb(255, 255, 255)';
  for (; n; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor;
    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { behind = c; break; }
  }
  const path = [];
  for (let a = e; a && a !== document.body && path.length < 3; a = a.parentElement)
    path.unshift(a.tagName.toLowerCase() + (a.className && typeof a.className === 'string'
      ? '.' + a.className.trim().split(/\\s+/).join('.') : ''));
  return {
    id: path.join(' > ') + ' "' + (e.textContent || e.value || '').trim().slice(0, 30) + '"',
    left: r.left, right: r.right, width: r.width, height: r.height,
    visible: e.checkVisibility({visibilityProperty: true}),
    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    ring: style.outlineColor, behind,
    // Marks the element, to tell when Tab has come round to it again.
    key: e.dataset.tabStop = e.dataset.tabStop || String(Math.random()),
  };
}"""


def tab_stops(page) -> list[dict]:
    """Every Tab stop of the page, in order, as TAB_STOP describes it."""
    stops, seen = [], set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(TAB_STOP)
        if stop is None or stop["key"] in seen:  # Tab came round to the first stop again
            break
        seen.add(stop["key"])
        stops.append(stop)
    else:
        pytest.fail(f"{page.url}: more than {MAX_TABS} Tab stops")
    return stops


@pytest.fixture
def walk(open_page, run_folder):
    """``walk(rel, viewport, scheme)``: the page's Tab stops, walked once per run.

    The off-screen test and the light focus-ring test read the same walk;
    under pytest-xdist the worker that needs it first walks it (a file lock).
    """
    folder = run_folder / "tab-walks"
    folder.mkdir(exist_ok=True)

    def walked(rel: str, viewport: str, scheme: str = "light") -> list[dict]:
        record = folder / f"{viewport}-{scheme}-{rel.replace('/', '_')}.json"
        with FileLock(f"{record}.lock"):
            if not record.exists():
                page = open_page(rel, VIEWPORTS[viewport], scheme)
                stops = tab_stops(page)
                page.context.close()
                record.write_text(json.dumps(stops), encoding="utf-8")
        return json.loads(record.read_text(encoding="utf-8"))

    return walked


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_tab_stop_lies_off_screen(walk, page_types, viewport):
    width = VIEWPORTS[viewport]["width"]
    off, counted = {}, 0
    for rel in page_types:
        stops = walk(rel, viewport)
        counted += len(stops)
        found = [
            f"{s['id']} at {round(s['left'])}..{round(s['right'])}"
            for s in stops
            if not s["visible"] or s["width"] < 1 or s["height"] < 1 or s["right"] <= 0 or s["left"] >= width
        ]
        if found:
            off[rel] = found
    assert counted > 100
    assert off == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_tab_stop_shows_a_focus_ring(walk, page_types, viewport, scheme):
    """A 2 px outline at least, at 3:1 against what is behind it (WCAG 1.4.11)."""
    faint, counted = {}, 0
    for rel in page_types:
        stops = walk(rel, viewport, scheme)
        counted += len(stops)
        found = [
            f"{s['id']}: {s['outline']} {s['outlineWidth']}px {s['ring']} on {s['behind']}"
            for s in stops
            if s["outline"] == "none" or s["outlineWidth"] < 2 or _contrast(s["ring"], s["behind"]) < 3
        ]
        if found:
            faint[rel] = found
    assert counted > 100
    assert faint == {}


# -- Phones: output, diffs and the chart ---------------------------------------------


@pytest.mark.parametrize("lang", ["", "zh_CN/"])
def test_output_takes_the_phones_width(open_page, lang):
    page = open_page(lang + SPEED, PHONE)
    widths = page.evaluate(
        """() => { const main = document.querySelector('[itemprop=articleBody]').getBoundingClientRect().width;
        return [...document.querySelectorAll('.sphx-glr-script-out pre')]
          .map((pre) => pre.getBoundingClientRect().width / main); }"""
    )
    assert len(widths) >= 3
    # "Out:" sits above the output, which has the content's width.
    assert min(widths) > 0.9, widths


DIFF_CHANGES = """() => {
  const out = [];
  let changes = 0;
  for (const pre of document.querySelectorAll('div.example-diff div.highlight-diff pre')) {
    if (!pre.checkVisibility()) continue;
    const scrolls = pre.scrollWidth > pre.clientWidth && ['auto', 'scroll'].includes(getComputedStyle(pre).overflowX);
    for (const change of pre.querySelectorAll('.gi, .gd')) {
      changes += 1;
      for (const r of change.getClientRects()) {
        if ((r.left < -1 || r.right > innerWidth + 1) && !scrolls)
          out.push(change.textContent.trim().slice(0, 50) + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
      }
    }
  }
  return {changes, out, pageWidth: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("lang", ["", "zh_CN/"])
def test_a_diffs_changed_text_is_on_a_phones_screen(site, open_page, lang):
    pages = [
        rel.removeprefix(lang) for rel in html_pages(site.out)
        if rel.startswith(f"{lang}beginner/examples_") and soup(site.out / rel).select("div.example-diff")
    ]
    assert len(pages) >= 9
    failures, changes = {}, 0
    for rel in pages:
        page = open_page(lang + rel, PHONE)
        found = page.evaluate(DIFF_CHANGES)
        changes += found["changes"]
        if found["out"] or found["pageWidth"] > PHONE["width"]:
            failures[rel] = found
        page.context.close()
    assert changes > 50
    assert failures == {}, failures


@pytest.mark.parametrize("lang", ["", "zh_CN/"])
def test_the_phone_charts_legend_lies_within_the_image(site, open_page, lang):
    """Nothing is drawn in the image's outermost columns: a legend wider than
    the image is cut there (the Chinese one was, on both sides)."""
    from PIL import Image

    page = open_page(lang + NARRATIVE, PHONE)
    chart = page.locator(".loss-comparison img")
    chart.scroll_into_view_if_needed()
    src = chart.evaluate(
        "async e => { await (e.complete ? null : new Promise(done => { e.onload = done; })); return e.currentSrc; }"
    )
    assert src.endswith(".phone.png"), src
    path = site.out / lang / "_images" / src.rsplit("/", 1)[1]
    image = Image.open(io.BytesIO(path.read_bytes())).convert("L")
    width, height = image.size
    edges = [image.getpixel((x, y)) for x in (0, 1, width - 2, width - 1) for y in range(height)]
    assert min(edges) >= 240, f"{path.name}: ink at its left or right edge"


# -- The dark scheme ------------------------------------------------------------------


def test_dark_what_changed_box_reads_as_text(open_page):
    page = open_page("beginner/examples_autograd/two_layer_net_autograd.html", DESKTOP, "dark")
    colours = page.evaluate(
        """() => { const box = document.querySelector('div.example-diff');
        const link = box.querySelector('a') || document.querySelector('.rst-content p a');
        return {text: getComputedStyle(box.querySelector('p')).color, link: getComputedStyle(link).color,
                body: getComputedStyle(document.querySelector('.wy-nav-content')).color}; }"""
    )
    assert colours["text"] != colours["link"], colours
    assert colours["text"] == colours["body"], colours


def test_dark_table_heads_draw_no_bright_border(open_page):
    page = open_page("timings.html", DESKTOP, "dark")
    borders = page.evaluate(
        """() => [...document.querySelectorAll('[role=main] table th')].flatMap((th) => {
          const s = getComputedStyle(th);
          return [s.borderTopColor, s.borderRightColor, s.borderBottomColor, s.borderLeftColor]; })"""
    )
    assert borders
    bright = [colour for colour in borders if _luminance(colour) > 0.2]
    assert bright == []


def test_dark_figures_are_not_white_rectangles(open_page):
    """Figures are shown inverted (hues turned back): their white comes out dark."""
    page = open_page(NARRATIVE, DESKTOP, "dark")
    filters = page.evaluate(
        """() => [...document.querySelectorAll('.loss-comparison img, .sphx-glr-thumbcontainer img')]
          .map((img) => getComputedStyle(img).filter)"""
    )
    assert len(filters) >= 13
    for found in filters:
        amount = re.match(r"invert\(([\d.]+)\)", found)
        assert amount and float(amount.group(1)) >= 0.8 and "hue-rotate(180deg)" in found, found


# -- Cosmetics --------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_download_buttons_share_one_width_and_no_gradient(open_page, scheme):
    page = open_page(SPEED, DESKTOP, scheme)
    buttons = page.evaluate(
        """() => [...document.querySelectorAll('div.sphx-glr-download a')].map((a) => {
          const s = getComputedStyle(a);
          return [Math.round(a.getBoundingClientRect().width), s.backgroundImage, s.backgroundColor]; })"""
    )
    assert len(buttons) == 3
    assert len({width for width, _, _ in buttons}) == 1, buttons
    assert {image for _, image, _ in buttons} == {"none"}, buttons
    # Neutral: no channel far from the others (sphinx-gallery's were yellow, then olive).
    for _, _, colour in buttons:
        r, g, b = (int(v) for v in re.findall(r"\d+", colour)[:3])
        assert max(r, g, b) - min(r, g, b) < 24, colour


def test_card_titles_are_centred_whatever_their_length(open_page):
    page = open_page(NARRATIVE, DESKTOP)
    aligned = page.evaluate(
        """() => [...document.querySelectorAll('.sphx-glr-thumbnail-title')]
          .map((t) => [t.getBoundingClientRect().height, getComputedStyle(t).textAlign])"""
    )
    assert len(aligned) >= 12
    assert {align for _, align in aligned} == {"center"}
    # Some wrap onto two lines, some do not: both kinds are checked.
    assert len({round(height) for height, _ in aligned}) > 1


# -- Search excerpts -------------------------------------------------------------------


@pytest.mark.parametrize(("rel", "query"), SEARCHES[:2], ids=["en", "zh"])
def test_search_excerpts_are_the_sentence_that_holds_the_term(open_page, rel, query):
    page = open_page(f"{rel}?{urlencode({'q': query})}", PHONE)
    wait_for_results(page)
    excerpts = page.eval_on_selector_all(
        "#search-results ul.search li p.context", "ps => ps.map((p) => p.textContent)"
    )
    assert len(excerpts) >= 5
    for text in excerpts:
        assert not text.startswith(("Note", "注意", "Go to the end")), text
        assert not re.search(r"^[-+@]{1,3} ", text), text
    # Most hold the word as the reader typed it (a few hold only its stem).
    assert sum(query in text.lower() for text in excerpts) >= len(excerpts) - 2, excerpts


# -- Structure: one map ------------------------------------------------------------------


def test_the_sidebar_lists_every_example_once(site):
    """The narrative's groups are the sidebar's only map of the examples."""
    from collections import Counter

    from test_site import EXAMPLE_PAGES

    twice = {}
    for rel in html_pages(site.out):
        here = posixpath.dirname(rel)
        listed = Counter(
            posixpath.normpath(posixpath.join(here, a["href"])) if a["href"] != "#" else rel
            for a in soup(site.out / rel).select(".wy-menu-vertical a[href]")
            if "#" not in a["href"] or a["href"] == "#"
        )
        repeated = {page: n for page, n in listed.items() if n > 1}
        if repeated:
            twice[rel] = repeated
        if rel.endswith(NARRATIVE):
            prefix = rel.removesuffix(NARRATIVE)
            assert {prefix + f"{p}.html" for p in EXAMPLE_PAGES} <= set(listed), rel
        captions = [c.get_text() for c in soup(site.out / rel).select(".wy-menu-vertical p.caption")]
        # The tutorial, and this site (the 404 page's sidebar, written by
        # sphinx-notfound-page, lists no example, so none twice).
        assert len(captions) == 2 or rel.endswith("404.html"), (rel, captions)
    assert twice == {}


# -- Moved pages: the old addresses still lead somewhere --------------------------------


@pytest.mark.parametrize("lang", ["", "zh_CN/"])
def test_an_old_address_lands_on_the_moved_page(site, browser, base, lang):  # noqa: F811
    """The examples that moved to "Beyond the original" keep their old URLs (sphinxext/reader/redirects.py)."""
    from test_site import MOVED_PAGES

    context = browser.new_context(viewport=DESKTOP)
    try:
        for old, new in sorted(MOVED_PAGES.items()):
            page = context.new_page()
            page.goto(f"{base}{lang}{old}.html")
            page.wait_for_url(f"{base}{lang}{new}.html", timeout=10_000)
            page.wait_for_load_state("load")
            assert page.locator("div.sphx-glr-script-out").count() > 0, new
            page.close()
    finally:
        context.close()
