"""Tests for sphinxext/reader/html_hygiene.py: one small test root per behaviour."""

import pytest
from bs4 import BeautifulSoup


def page(app, name):
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "lxml")


@pytest.mark.sphinx("html", testroot="html-hygiene")
def test_cards_images_landmarks_descriptions_and_dark_code(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    index = page(app, "index")

    # The card's tooltip moved to a valid attribute.
    card = index.select_one("div.sphx-glr-thumbcontainer")
    assert card.attrs == {"class": ["sphx-glr-thumbcontainer"], "data-tooltip": "What the card shows"}

    # The image has its file's size, and a phone rendering on narrow screens.
    picture = index.select_one("picture")
    img = picture.select_one("img")
    assert (img["src"], img["width"], img["height"]) == ("_images/chart.png", "40", "20")
    assert img["loading"] == "lazy"
    source = picture.select_one("source")
    assert (source["media"], source["srcset"], source["width"], source["height"]) == (
        "(max-width: 600px)",
        "_images/chart.phone.png",
        "20",
        "30",
    )
    assert (app.outdir / "_images" / "chart.phone.png").is_file()

    # The theme's landmarks.
    assert index.select_one("nav.wy-nav-side")["aria-label"] == "Navigation"
    assert index.select_one("footer")["role"] == "contentinfo"
    assert index.select('div[role="contentinfo"]') == []

    # A page without a description of its own gets the site's.
    for name in ("index", "search", "genindex"):
        described = page(app, name).select('meta[name="description"]')
        assert [m["content"] for m in described] == ["A tiny site that checks html_hygiene."]

    # Dark code colours, for the dark scheme only.
    link = index.select_one("link#pygments_dark_css")
    assert link["media"] == "(prefers-color-scheme: dark)"
    dark = (app.outdir / "_static" / "pygments_dark.css").read_text(encoding="utf-8")
    # github-dark's background and text colours, as Pygments writes them.
    assert ".highlight { background: #0d1117; color: #E6EDF3 }" in dark.splitlines()


@pytest.mark.sphinx("html", testroot="html-hygiene-missing")
def test_an_image_without_a_readable_file_is_a_warning(app, warnings_of):
    app.build()
    assert warnings_of(app) == [
        f"{app.srcdir / 'index.rst'}: WARNING: cannot read the size of image 'nothing.png'"
        " [html_hygiene.image]"
    ]


@pytest.mark.sphinx("html", testroot="html-hygiene", confoverrides={"templates_path": []})
def test_the_search_page_is_given_the_excerpts_script(app, warnings_of):
    """static/search_excerpts.js is copied; the search page's context names it
    (the site's _templates/search.html loads it after Sphinx's search)."""
    from sphinxext.reader.html_hygiene import SEARCH_SCRIPT

    named = {}
    app.connect("html-page-context", lambda app, name, t, context, d: named.update(
        {name: context.get("search_excerpts")}), priority=950)
    app.build(force_all=True)
    assert warnings_of(app) == []
    assert (app.outdir / "_static" / SEARCH_SCRIPT.name).read_bytes() == SEARCH_SCRIPT.read_bytes()
    assert named["search"] == SEARCH_SCRIPT.name
    assert named["index"] is None
