"""The reader's side of the built site (issue 14), checked with the field's tools.

* The Nu HTML Checker (npm ``vnu-jar``, run with Debian's java): 0 errors on
  every page of both languages, and 0 in our own stylesheets.
* Lighthouse is not run here (it takes minutes): ``make lighthouse`` and the
  weekly ``lighthouse.yml`` workflow fail unless accessibility, best
  practices and SEO are 100 on every page type, mobile and desktop; this
  file checks the script's table and judgement.
* axe-core in Chromium, in the dark scheme: no violation of any impact on
  any page type (test_browser.py checks every page in the light scheme).
* Computed styles: heading links not underlined, no italic Chinese text, a
  dark page under ``prefers-color-scheme: dark``; and on a 360 px phone, no
  page wider than the screen, full-size language, download and previous/next
  buttons.
* The HTML itself: image sizes, the favicon, a meta description.

The npm tools come from ``package.json`` (``npm ci``); a missing one fails
the test naming the command that installs it.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import lighthouse
import pytest
from browser_support import CHROMIUM_ARGS, MissingTool, find_chromium, find_java, is_redirect, serve
from bs4 import BeautifulSoup

from sphinxext.reader.html_hygiene import image_size

ROOT = Path(__file__).resolve().parent.parent

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGS = {"en": "", "zh_CN": "zh_CN/"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
SCHEMES = ["light", "dark"]
PHONE = {"width": 360, "height": 740}


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} is missing ({path}): run `npm ci` in {ROOT}")
    return path


@pytest.fixture(scope="module")
def out(site) -> Path:
    return Path(site.out)


def page_paths(out: Path) -> list[str]:
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*.html")
        if not p.relative_to(out).parts[0].startswith("_")
        and "_static" not in p.relative_to(out).parts
        and not is_redirect(p)
    )


def soup_of(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "lxml")


# -- The HTML -----------------------------------------------------------------


def test_every_image_has_the_size_of_its_file(out):
    checked = 0
    for rel in page_paths(out):
        for img in soup_of(out, rel).select("img"):
            path = (out / rel).parent / img["src"].split("?")[0]
            assert path.is_file(), f"{rel}: {img['src']}"
            width, height = image_size(path)
            assert (img.get("width"), img.get("height")) == (str(width), str(height)), (
                f"{rel}: {img['src']}"
            )
            checked += 1
    # Every example page has its figure, every gallery card its thumbnail.
    assert checked > 50


def test_every_figure_has_a_sharp_copy_for_high_density_screens(out):
    """sphinx-gallery's image_srcset: each figure's "2x" copy has twice its pixels."""
    figures = 0
    for rel in page_paths(out):
        for img in soup_of(out, rel).select("img.sphx-glr-single-img, img.sphx-glr-multi-img"):
            candidates = [c.split() for c in img["srcset"].split(",")]
            assert [c[1:] for c in candidates] == [[], ["2.00x"]], f"{rel}: {img['srcset']}"
            one, two = ((out / rel).parent / c[0] for c in candidates)
            assert one == (out / rel).parent / img["src"]
            width, height = image_size(one)
            assert image_size(two) == (2 * width, 2 * height), f"{rel}: {two.name}"
            figures += 1
    # Each of the twelve examples draws one figure, on its page in both languages.
    assert figures == 24


def test_favicon_and_meta_description_on_every_page(out):
    for rel in page_paths(out):
        soup = soup_of(out, rel)
        icon = soup.select("link[rel~=icon]")
        assert len(icon) == 1, rel
        href = icon[0]["href"]
        # The 404 page links from the site's root (html_baseurl's path, "/"
        # here), since it is served at any depth.
        target = out / href.lstrip("/") if href.startswith("/") else (out / rel).parent / href
        assert target.resolve().is_file(), rel
        description = soup.select('meta[name="description"]')
        assert len(description) == 1, rel
        assert len(description[0]["content"].strip()) >= 20, rel


def test_chinese_pages_have_chinese_descriptions(out):
    for rel in ["zh_CN/index.html", "zh_CN/search.html", "zh_CN/beginner/pytorch_with_examples.html"]:
        content = soup_of(out, rel).select_one('meta[name="description"]')["content"]
        assert CJK.search(content), f"{rel}: {content!r}"


def test_gallery_cards_carry_their_tooltip_as_data(out):
    from test_site import EXAMPLES

    cards = soup_of(out, "beginner/examples_nn/index.html").select(".sphx-glr-thumbcontainer")
    assert len(cards) == len(EXAMPLES["examples_nn"])
    for card in cards:
        assert "tooltip" not in card.attrs
        assert card["data-tooltip"].strip()


def test_dark_code_style_is_linked_for_the_dark_scheme(out):
    for rel in ("index.html", "zh_CN/beginner/pytorch_with_examples.html"):
        link = soup_of(out, rel).select_one("link#pygments_dark_css")
        assert link["media"] == "(prefers-color-scheme: dark)", rel
        assert ((out / rel).parent / link["href"].split("?")[0]).is_file(), rel


# -- The Nu HTML Checker ----------------------------------------------------------


def _vnu(*args) -> list[dict]:
    try:
        java = find_java()
    except MissingTool as exc:
        pytest.fail(str(exc))
    jar = _need(VNU_JAR, "the Nu HTML Checker (npm vnu-jar)")
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stderr)["messages"]


def test_vnu_finds_no_error_on_any_page(out):
    pages = [str(out / rel) for rel in page_paths(out)]
    assert len(pages) >= 40
    messages = _vnu("--errors-only", *pages)
    errors = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []


def test_vnu_finds_no_error_in_our_stylesheets(out):
    sheets = [out / "_static" / "site.css", out / "_static" / "pygments_dark.css"]
    messages = _vnu("--css", "--errors-only", *map(str, sheets))
    assert [f"{m['url']}: {m['message']}" for m in messages] == []


# -- The browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(playwright_session):
    try:
        chromium = find_chromium()
    except (RuntimeError, OSError) as exc:
        pytest.fail(str(exc))
    browser = playwright_session.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def base(out):
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def open_page(browser, url, scheme="light", viewport=None):
    context = browser.new_context(
        color_scheme=scheme, viewport=viewport or {"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url, wait_until="load")
    assert response.ok, url
    page.evaluate("document.fonts.ready.then(() => true)")
    return context, page, errors


def page_types(out) -> list[str]:
    return [path for _lang, _kind, path in lighthouse.pages(out)]


def test_axe_finds_no_violation_in_the_dark_scheme(out, browser, base, axe):
    """Every page type, dark. The light scheme's violations, of every impact,
    are checked on every page (test_browser.py's visits)."""
    failures = {}
    for rel in page_types(out):
        context, page, errors = open_page(browser, base + rel, "dark")
        page.evaluate(axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
        ]
        if found or errors:
            failures[rel] = found + errors
        context.close()
    assert failures == {}


def _luminance(css_colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


BACKGROUNDS = """() => ['.wy-nav-content', '.highlight pre', '.sphx-glr-thumbcontainer']
  .map(s => document.querySelector(s)).filter(Boolean)
  .map(e => { let n = e, c;
    while (n && ((c = getComputedStyle(n).backgroundColor) === 'rgba(0, 0, 0, 0)')) n = n.parentElement;
    return [e.className, c, getComputedStyle(e).color]; })"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_page_code_and_cards_follow_the_colour_scheme(out, browser, base, scheme):
    context, page, _ = open_page(browser, base + "beginner/pytorch_with_examples.html", scheme)
    found = page.evaluate(BACKGROUNDS)
    context.close()
    assert len(found) == 3
    for name, background, colour in found:
        if scheme == "dark":
            assert _luminance(background) < 0.05 < _luminance(colour), (name, background)
        elif "highlight" not in name:
            assert _luminance(background) > 0.8 > _luminance(colour), (name, background)


def _contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_sidebar_expand_buttons_stand_out_in_either_scheme(out, browser, base, scheme):
    """WCAG 1.4.11: a control's colour at 3:1 at least against what is behind it."""
    context, page, _ = open_page(browser, base + "beginner/examples_nn/two_layer_net_module.html", scheme)
    found = page.evaluate(
        """() => [...document.querySelectorAll('.wy-menu-vertical button.toctree-expand')]
        .filter(e => e.offsetParent).map(e => { let n = e, c;
          while (n && ((c = getComputedStyle(n).backgroundColor) === 'rgba(0, 0, 0, 0)')) n = n.parentElement;
          return [e.parentElement.textContent.trim(), getComputedStyle(e).color, c]; })"""
    )
    context.close()
    assert len(found) >= 3  # the page's branch of the tree is open
    low = {text: round(_contrast(colour, back), 2) for text, colour, back in found
           if _contrast(colour, back) < 3}
    assert low == {}


def test_heading_links_are_not_underlined(out, browser, base):
    context, page, _ = open_page(browser, base + "beginner/pytorch_with_examples.html")
    links = page.evaluate(
        """() => [...document.querySelectorAll('.rst-content :is(h1,h2,h3,h4,h5,h6) a')]
        .map(a => [a.textContent, getComputedStyle(a).textDecorationLine])"""
    )
    context.close()
    assert links, "the narrative page has links in its headings"
    assert {decoration for _text, decoration in links} == {"none"}


def test_no_chinese_text_is_set_in_italic(out, browser, base):
    slanted = {}
    for rel in [p for p in page_types(out) if p.startswith("zh_CN/")]:
        context, page, _ = open_page(browser, base + rel)
        found = page.evaluate(
            """(pattern) => { const cjk = new RegExp(pattern);
            return [...document.body.querySelectorAll('*')].filter(e =>
              [...e.childNodes].some(n => n.nodeType === 3 && cjk.test(n.textContent))
              && getComputedStyle(e).fontStyle !== 'normal').map(e => e.textContent.slice(0, 40)); }""",
            CJK.pattern,
        )
        context.close()
        if found:
            slanted[rel] = found
    assert slanted == {}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", LANGS)
def test_a_360_px_phone_reads_every_page_type(out, browser, base, lang, scheme):
    problems = {}
    for rel in [path for code, _kind, path in lighthouse.pages(out) if code == lang]:
        context, page, _ = open_page(browser, base + rel, scheme, PHONE)
        found = page.evaluate(
            """() => { const out = [];
            const width = document.documentElement.scrollWidth;
            if (width > innerWidth) out.push('page is ' + width + ' px wide');
            for (const e of document.querySelectorAll(
                '.language-switcher a, .language-switcher .current-language, '
                + 'div.sphx-glr-download a, .rst-footer-buttons a.btn')) {
              const r = e.getBoundingClientRect();
              if (r.width < 44 || r.height < 44) out.push(e.textContent.trim() + ': ' + r.width + 'x' + r.height);
            }
            return out; }"""
        )
        context.close()
        if found:
            problems[rel] = found
    assert problems == {}


def test_pages_fetch_no_web_font_but_the_cut_down_icons(out, browser, base):
    """No Lato, no Roboto Slab, and icon_font's cut-down icons instead of FontAwesome."""
    fetched = {}
    for rel in page_types(out):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        fonts = []
        page.on("request", lambda r, fonts=fonts: r.resource_type == "font" and fonts.append(r.url))
        page.goto(base + rel, wait_until="networkidle")
        faces = page.evaluate(
            "[...document.fonts].filter(f => f.status !== 'unloaded').map(f => f.family + ' ' + f.status)"
        )
        context.close()
        fetched[rel] = ([url.removeprefix(base).split("?")[0] for url in fonts], faces)
    assert fetched == {
        rel: ([LANGS[lang] + "_static/fonts/icons.woff"], ["FontAwesome loaded"])
        for lang, _kind, rel in lighthouse.pages(out)
    }


def test_a_phone_gets_the_phone_sized_chart(out, browser, base):
    """At 360 px the chart is its phone rendering, its text at least 9 CSS px.

    loss_curves draws that rendering's legend at matplotlib's "small" size
    (8.33 pt) at 150 dpi: 17.4 px of the image.
    """
    context, page, _ = open_page(browser, base + "beginner/pytorch_with_examples.html", viewport=PHONE)
    chart = page.locator(".loss-comparison img")
    chart.scroll_into_view_if_needed()  # it loads lazily (html_hygiene)
    src, natural, shown = chart.evaluate(
        """async e => { await (e.complete ? null : new Promise(done => { e.onload = done; }));
        return [e.currentSrc, e.naturalWidth, e.getBoundingClientRect().width]; }"""
    )
    context.close()
    assert src.endswith("/_images/loss_comparison.phone.png")
    assert 17.4 * shown / natural >= 9, (natural, shown)


# -- Lighthouse ---------------------------------------------------------------------


def test_make_lighthouse_prints_the_table_and_judges_goal_1():
    presets, cats = ["mobile", "desktop"], lighthouse.CATEGORIES
    scores = {
        ("en", "index", "mobile"): dict(zip(cats, [95, 100, 100, 100], strict=True)),
        ("en", "index", "desktop"): dict(zip(cats, [100, 100, 100, 100], strict=True)),
        ("zh_CN", "404", "mobile"): dict(zip(cats, [94, 100, 100, 100], strict=True)),
        ("zh_CN", "404", "desktop"): dict(zip(cats, [100, 99, 100, 100], strict=True)),
    }
    assert lighthouse.table(scores, presets, cats) == [
        "| page | mobile: performance / accessibility / best practices / SEO"
        " | desktop: performance / accessibility / best practices / SEO |",
        "| --- | --- | --- |",
        "| en index | 95 / 100 / 100 / 100 | 100 / 100 / 100 / 100 |",
        "| zh_CN 404 | 94 / 100 / 100 / 100 | 100 / 99 / 100 / 100 |",
    ]
    assert lighthouse.goal(scores, presets, cats) == (
        "goal 1: missed: zh_CN 404 mobile performance 94 (< 95);"
        " zh_CN 404 desktop accessibility 99 (< 100)"
    )
    del scores["zh_CN", "404", "mobile"], scores["zh_CN", "404", "desktop"]
    assert lighthouse.goal(scores, presets, cats) == (
        "goal 1: met on all 1 pages: mobile performance >= 95, every other score 100"
    )
    assert lighthouse.goal(scores, ["mobile"], cats).startswith("goal 1: not judged")


def test_make_lighthouse_fails_naming_the_audits_below_100(tmp_path):
    """Performance may vary with the load; any other score below 100 fails the run."""
    cats = lighthouse.CATEGORIES
    scores = {
        ("en", "index", "mobile"): dict(zip(cats, [80, 100, 100, 100], strict=True)),
        ("zh_CN", "search", "desktop"): dict(zip(cats, [100, 92, 100, 100], strict=True)),
    }
    report = {
        "categories": {"accessibility": {"score": 0.92, "auditRefs": [
            {"id": "color-contrast", "weight": 7}, {"id": "image-alt", "weight": 10},
            {"id": "tabindex", "weight": 0},
        ]}},
        "audits": {"color-contrast": {"score": 0}, "image-alt": {"score": 1}, "tabindex": {"score": 0}},
    }
    name = lighthouse.report_name("zh_CN", "search", "desktop")
    lighthouse.report_path(tmp_path / name).write_text(json.dumps(report), encoding="utf-8")
    assert lighthouse.below_100(scores, tmp_path) == [
        "zh_CN search desktop: accessibility 92 (color-contrast)"
    ]
    del scores["zh_CN", "search", "desktop"]
    assert lighthouse.below_100(scores, tmp_path) == []
