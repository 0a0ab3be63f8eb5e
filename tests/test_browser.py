"""The built site (English and Simplified Chinese) in a real browser.

Chromium (Debian's ``chromium`` package) is driven by Playwright against the
site served from 127.0.0.1.  Every page of both languages is opened once (the
``visits`` fixture) and checked for console errors, failed or external
requests, broken images, broken internal links and anchors, its language and
language switcher, and axe-core accessibility violations; then a reader's
flows are walked: search (English and Chinese), gallery cards, downloads,
copy buttons and the language switcher.  Screenshots for review are written
to ``_screenshots/`` in the built site.

Select these tests with ``pytest tests/test_browser.py``.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlencode, urljoin, urlsplit

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    LOCALHOST,
    find_chromium,
    html_pages,
    serve,
    watch,
)
from bs4 import BeautifulSoup
from helpers import search_index, soup
from test_site import EXAMPLE_PAGES, EXAMPLES, TAUGHT_PAGES

from sphinxext.downloads._run_yourself import strip_build_lines

ZH = "zh_CN/"
NARRATIVE = "beginner/pytorch_with_examples.html"
EXAMPLE = "beginner/examples_tensor/two_layer_net_numpy.html"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
#: Longest wait for a page's own work (search results), in milliseconds.
WAIT_MS = 15_000


# -- Browser, server and one visit of every page --------------------------------


@pytest.fixture(scope="session")
def chromium():
    try:
        return find_chromium()
    except (RuntimeError, OSError) as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def base_url(site):
    with serve(site.out) as url:
        yield url


@pytest.fixture(scope="session")
def context(chromium, playwright_session, tmp_path_factory):
    """One browser context, with a fresh profile, for the whole session."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright_session.chromium.launch_persistent_context(
        profile,
        executable_path=chromium,
        args=CHROMIUM_ARGS,
        viewport={"width": VIEWPORTS["desktop"][0], "height": VIEWPORTS["desktop"][1]},
    )
    yield context
    context.close()


@dataclass
class Tab:
    """The one page every test reuses, with what it did since ``goto``."""

    page: object
    traffic: object
    base: str

    def url(self, rel: str) -> str:
        return urljoin(self.base, rel)

    def goto(self, rel: str):
        self.traffic.clear()
        response = self.page.goto(self.url(rel), wait_until="load")
        assert response is not None and response.ok, f"{rel}: {response}"
        self.traffic.settle(self.page)
        return response

    def rel(self, url: str | None = None) -> str:
        """The path of ``url`` (default: the current URL) under the site root."""
        parts = urlsplit(url or self.page.url)
        assert parts.hostname == LOCALHOST, url
        return unquote(parts.path).lstrip("/")


@pytest.fixture(scope="session")
def tab(context, base_url):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(WAIT_MS)
    traffic = watch(context, page)
    yield Tab(page, traffic, base_url)


@pytest.fixture(scope="session")
def axe_script():
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


@dataclass
class Visit:
    """What one page showed in the browser."""

    problems: list[str]
    broken_images: list[str]
    links: list[str]
    anchors: set[str]
    lang: str
    switchers: list[str]
    violations: list[dict] = field(default_factory=list)


PAGE_FACTS = """async () => {
  const images = Array.from(document.images);
  // Body images load lazily (html_hygiene); every one must load all the same.
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.complete ? null :
    new Promise((done) => { img.onload = img.onerror = done; })));
  return {
    broken: images.filter((img) => img.naturalWidth === 0)
                  .map((img) => img.getAttribute("src")),
    links: Array.from(document.querySelectorAll("a[href]"), (a) => a.href),
    anchors: [
      ...Array.from(document.querySelectorAll("[id]"), (e) => e.id),
      ...Array.from(document.querySelectorAll("a[name]"), (a) => a.name),
    ],
    lang: document.documentElement.getAttribute("lang") || "",
    switchers: Array.from(
      document.querySelectorAll("nav.language-switcher a.other-language"),
      (a) => a.href),
  };
}"""


def run_axe(page, axe_script) -> list[dict]:
    """axe-core's violations on ``page``, of every impact: all rules run."""
    page.evaluate(axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [f"{n['target']}: {n['failureSummary'].splitlines()[1].strip()}" for n in v["nodes"][:5]],
        }
        for v in results["violations"]
    ]


#: Every page of one language (inventory: a dropped page breaks the tests).
SITE_PAGES = sorted(
    ["index.html", "genindex.html", "search.html", "timings.html", "404.html", NARRATIVE]
    + [f"beginner/{group}/index.html" for group in EXAMPLES]
    + [f"{page}.html" for page in EXAMPLE_PAGES]
)


@pytest.fixture(scope="session")
def pages(site):
    found = html_pages(site.out)
    # A missing language or page would make every check below vacuous.
    assert found == sorted(SITE_PAGES + [ZH + page for page in SITE_PAGES])
    return found


@pytest.fixture(scope="session")
def visits(tab, pages, axe_script) -> dict[str, Visit]:
    """Every page of both languages, opened once, in one browser context."""
    result = {}
    for rel in pages:
        tab.goto(rel)
        facts = tab.page.evaluate(PAGE_FACTS)
        violations = run_axe(tab.page, axe_script)
        tab.traffic.settle(tab.page)
        result[rel] = Visit(
            problems=tab.traffic.problems(),
            broken_images=facts["broken"],
            links=facts["links"],
            anchors=set(facts["anchors"]),
            lang=facts["lang"],
            switchers=facts["switchers"],
            violations=violations,
        )
    return result


def report(failures: dict[str, list]) -> str:
    return "\n".join(f"{page}:\n" + "\n".join(f"    {item}" for item in items) for page, items in failures.items())


# -- Every page -----------------------------------------------------------------


def test_every_page_of_both_languages_is_visited(visits):
    assert sorted(visits) == sorted(SITE_PAGES + [ZH + page for page in SITE_PAGES])


def test_pages_load_without_errors_or_external_requests(visits):
    failures = {rel: v.problems for rel, v in visits.items() if v.problems}
    assert not failures, report(failures)


def test_images_load(visits):
    failures = {rel: v.broken_images for rel, v in visits.items() if v.broken_images}
    assert not failures, report(failures)
    assert any(visits[NARRATIVE].links), "no links seen: the facts script is broken"


def _anchors_of(site, visits, target: str) -> set[str]:
    if target in visits:
        return visits[target].anchors
    soup = BeautifulSoup((site.out / target).read_text(encoding="utf-8"), "lxml")
    return {t["id"] for t in soup.select("[id]")} | {t["name"] for t in soup.select("a[name]")}


def test_internal_links_and_anchors_resolve(site, visits, tab):
    failures = {}
    checked = 0
    for rel, visit in visits.items():
        bad = []
        for href in visit.links:
            parts = urlsplit(href)
            if parts.scheme not in {"http", "https"} or parts.hostname != LOCALHOST:
                continue
            target = tab.rel(href)
            if target == "" or target.endswith("/"):
                target += "index.html"
            checked += 1
            if not (site.out / target).is_file():
                bad.append(f"{href}: no file {target}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.endswith(".html") and fragment not in _anchors_of(site, visits, target):
                bad.append(f"{href}: no id or name {fragment!r} in {target}")
        if bad:
            failures[rel] = bad
    assert not failures, report(failures)
    assert checked > 10 * len(visits), "suspiciously few internal links"


def test_html_lang(visits):
    langs = {rel: v.lang for rel, v in visits.items()}
    wrong = {
        rel: [f"<html lang={lang!r}>"]
        for rel, lang in langs.items()
        if (lang.lower() != "zh-cn" if rel.startswith(ZH) else lang != "en")
    }
    assert not wrong, report(wrong)


def test_language_switcher_links_to_the_same_page(visits, tab):
    failures = {}
    for rel, visit in visits.items():
        other = rel.removeprefix(ZH) if rel.startswith(ZH) else ZH + rel
        targets = [tab.rel(href) for href in visit.switchers]
        if targets != [other]:
            failures[rel] = [f"switcher links to {targets}, expected [{other!r}]"]
    assert not failures, report(failures)


def test_accessibility_axe(visits):
    """No axe-core violation, whatever its impact, on any page (light scheme;
    test_readers.py checks the page types in the dark one)."""
    failures = {
        rel: [f"{v['id']} ({v['impact']}): {v['help']}; " + " | ".join(v["nodes"]) for v in visit.violations]
        for rel, visit in visits.items()
        if visit.violations
    }
    assert not failures, report(failures)


# -- Reader flows -----------------------------------------------------------------


def search(tab, rel: str, query: str) -> list[str]:
    """Open ``rel`` with ``?q=query``; the pages listed once the search ends."""
    tab.goto(f"{rel}?{urlencode({'q': query})}")
    page = tab.page
    try:
        page.wait_for_function(
            "() => (document.querySelector('#search-results p.search-summary')?.textContent || '').trim() !== ''",
            timeout=WAIT_MS,
        )
    except Exception as exc:  # playwright's TimeoutError
        pytest.fail(f"search for {query!r} on {rel} never finished: {exc}\n" + "\n".join(tab.traffic.problems()))
    tab.traffic.settle(page)
    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    return [tab.rel(href) for href in hrefs]


SEARCHES = {
    "en-autograd": ("search.html", "autograd"),
    "zh-tensor": (ZH + "search.html", "张量"),
    "zh-gradient": (ZH + "search.html", "梯度"),
}


@pytest.mark.parametrize(("rel", "query"), SEARCHES.values(), ids=SEARCHES.keys())
def test_search_lists_the_narrative_page(tab, rel, query):
    results = search(tab, rel, query)
    prefix = ZH if rel.startswith(ZH) else ""
    assert prefix + NARRATIVE in results, (query, results)
    assert all(r.startswith(prefix) for r in results), results
    assert tab.traffic.problems() == []


@pytest.mark.parametrize(("rel", "query"), [SEARCHES["en-autograd"], SEARCHES["zh-tensor"]], ids=["en", "zh"])
def test_search_results_are_accessible(tab, axe_script, rel, query):
    """The results page, once filled in, passes axe like every other page."""
    assert search(tab, rel, query)
    failures = {f"{rel}?q={query}": run_axe(tab.page, axe_script)}
    assert failures == {f"{rel}?q={query}": []}


def test_search_for_nonsense_finds_nothing(tab):
    # The check above must not pass merely because every page is listed.
    assert search(tab, ZH + "search.html", "鳄梨酱") == []
    assert search(tab, "search.html", "xylophonequartz") == []


def test_gallery_cards_lead_to_their_examples(tab):
    tab.goto(NARRATIVE)
    cards = tab.page.locator("div.sphx-glr-thumbcontainer")
    count = cards.count()
    assert count == len(EXAMPLE_PAGES), count  # one card per example of the tutorial
    landed_on = []
    for i in range(count):
        tab.goto(NARRATIVE)
        card = cards.nth(i)
        title = card.locator(".sphx-glr-thumbnail-title").inner_text().strip()
        expected = tab.rel(card.locator("a").first.evaluate("a => a.href"))
        with tab.page.expect_navigation():
            card.click()
        landed = tab.rel()
        assert landed == expected and landed.startswith("beginner/examples_"), (title, landed)
        assert tab.page.locator("h1").first.inner_text().strip().startswith(title)
        landed_on.append(landed)
    assert landed_on == [f"{page}.html" for page in TAUGHT_PAGES]


def example_sources(site):
    sources = sorted((site.src / "beginner_source").glob("examples_*/*.py"))
    assert sorted(f"beginner/{s.parent.name}/{s.stem}" for s in sources) == sorted(EXAMPLE_PAGES)
    return sources


def test_example_downloads_return_the_example(site, tab):
    for source in example_sources(site):
        rel = f"beginner/{source.parent.name}/{source.stem}.html"
        tab.goto(rel)
        links = {}
        for kind in ("python", "jupyter", "zip"):
            link = tab.page.locator(f"div.sphx-glr-download-{kind} a")
            assert link.count() == 1, (rel, kind)
            links[kind] = link.evaluate("a => a.href")
        py = tab.page.request.get(links["python"])
        assert py.ok, links["python"]
        # The example without the build's own lines (run_yourself, issue 28).
        script = strip_build_lines(source.read_text(encoding="utf-8"))
        assert py.body().decode("utf-8") == script, f"{rel}: .py differs from {source}"
        assert links["python"].endswith(f"/{source.name}")

        nb = tab.page.request.get(links["jupyter"])
        assert nb.ok, links["jupyter"]
        notebook = json.loads(nb.body())
        assert notebook["nbformat"] == 4, rel
        assert notebook["cells"], rel
        assert {c["cell_type"] for c in notebook["cells"]} >= {"code", "markdown"}
        # The notebook is this example: after its install cell, its code cells are the script's code.
        code_cells = ["".join(c["source"]).strip() for c in notebook["cells"] if c["cell_type"] == "code"]
        assert len(code_cells) >= 3, rel
        assert "importlib.metadata" in code_cells[0], rel
        assert all(cell in script for cell in code_cells[1:]), rel

        archive = tab.page.request.get(links["zip"])
        assert archive.ok, links["zip"]
        with zipfile.ZipFile(io.BytesIO(archive.body())) as zf:
            assert zf.read(source.name).decode("utf-8") == script
            assert f"{source.stem}.ipynb" in zf.namelist()
        assert tab.traffic.problems() == []


COPY_EXPECTED = """(block) => {
  const pre = block.querySelector("pre").cloneNode(true);
  pre.querySelectorAll(".linenos, .gp, .go").forEach((e) => e.remove());
  return pre.textContent;
}"""


def test_copy_buttons_copy_the_code(site, tab):
    tab.goto(NARRATIVE)
    page = tab.page
    # The scripts' code (the diffs in closed toggles are hidden until opened).
    blocks = page.locator("div.highlight-python > div.highlight")
    count = blocks.count()
    # As many as the built page has: one per example, and none lost (the
    # diffs in closed toggles are hidden until opened, and not counted).
    scripts = soup(site.out / NARRATIVE).select("div.highlight-python > div.highlight")
    assert count == len(scripts) == len(EXAMPLE_PAGES), count
    assert page.locator("div.highlight-python button.copybtn").count() == count
    for i in range(count):
        block = blocks.nth(i)
        button = block.locator("button.copybtn")
        assert button.count() == 1, f"code block {i} has no copy button"
        page.evaluate("navigator.clipboard.writeText('')")
        block.hover()
        button.click()
        page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
        copied = page.evaluate("navigator.clipboard.readText()")
        expected = block.evaluate(COPY_EXPECTED)
        assert copied.rstrip("\n") == expected.rstrip("\n"), f"code block {i}"
        assert ">>> " not in copied, f"code block {i}"


def test_copied_code_leaves_prompts_and_output_out(tab):
    """copybutton_exclude at work on a ``>>>`` session (the tutorial has none).

    A block's code is replaced, on the live page, by a console session as
    Pygments renders it; its own copy button must copy only the code.
    """
    tab.goto(NARRATIVE)
    page = tab.page
    block = page.locator("div.highlight").first
    block.locator("pre").evaluate("""(pre) => { pre.innerHTML =
        '<span class="gp">&gt;&gt;&gt; </span>x = 1 + 1\\n' +
        '<span class="gp">&gt;&gt;&gt; </span>print(x)\\n' +
        '<span class="go">2</span>\\n'; }""")
    assert block.locator("pre").inner_text().startswith(">>> x = 1 + 1")
    page.evaluate("navigator.clipboard.writeText('')")
    block.hover()
    block.locator("button.copybtn").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.rstrip("\n") == "x = 1 + 1\nprint(x)"


@pytest.mark.parametrize("rel", ["index.html", NARRATIVE, EXAMPLE, "beginner/examples_nn/index.html"])
def test_language_switcher_round_trip(tab, rel):
    tab.goto(rel)
    start = tab.page.url
    switcher = tab.page.locator("nav.language-switcher a.other-language")
    assert switcher.count() == 1, f"{rel}: {switcher.all_inner_texts()}"
    with tab.page.expect_navigation():
        switcher.click()
    assert tab.rel() == ZH + rel
    assert tab.page.locator("html").get_attribute("lang").lower() == "zh-cn"
    assert switcher.count() == 1, f"{ZH + rel}: {switcher.all_inner_texts()}"
    with tab.page.expect_navigation():
        switcher.click()
    assert tab.page.url == start
    assert tab.page.locator("html").get_attribute("lang") == "en"


# -- Screenshots for review -------------------------------------------------------


def test_screenshots(site, tab):
    """Full-page screenshots of two pages, both languages, desktop and phone.

    At phone width nothing may stick out sideways.
    """
    folder = site.out / "_screenshots"
    folder.mkdir(exist_ok=True)
    page = tab.page
    written = []
    overflow = {}
    try:
        for name, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            for rel in (NARRATIVE, EXAMPLE, ZH + NARRATIVE, ZH + EXAMPLE):
                tab.goto(rel)
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    overflow[f"{rel} at {width}px"] = [f"scrollWidth {scroll_width}"]
                page.mouse.move(width - 1, height - 1)  # hover nothing
                lang = "zh_CN" if rel.startswith(ZH) else "en"
                stem = Path(rel).stem
                path = folder / f"{lang}-{stem}-{name}.png"
                page.screenshot(path=path, full_page=True)
                written.append(path)
    finally:
        width, height = VIEWPORTS["desktop"]
        page.set_viewport_size({"width": width, "height": height})
    assert len(written) == 8
    for path in written:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        expected_width = VIEWPORTS["phone" if "phone" in path.name else "desktop"][0]
        assert width == expected_width and height > 900, (path, width, height)
    assert not overflow, report(overflow)


# -- Chinese search index (no browser) --------------------------------------------


@pytest.mark.parametrize("word", ["张量", "梯度"])
def test_chinese_words_are_in_the_search_index(site, word):
    index = search_index(site.out / ZH / "searchindex.js")
    narrative = index["docnames"].index(NARRATIVE.removesuffix(".html"))
    docs = set()
    for section in ("terms", "titleterms"):
        found = index[section].get(word, [])
        docs |= {found} if isinstance(found, int) else set(found)
    assert narrative in docs, (word, docs)


def test_chinese_stemmer_is_defined(site):
    language_data = (site.out / ZH / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "ChineseStemmer" not in language_data
    assert "var EnglishStemmer" in language_data
    assert "\nwindow.Stemmer = EnglishStemmer;\n" in language_data
