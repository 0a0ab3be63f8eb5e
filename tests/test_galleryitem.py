"""Tests for sphinxext/tutorial/galleryitem.py: one small test root per behaviour.

Each root holds a tiny sphinx-gallery gallery (pure Python examples), which
sphinx-gallery generates into the temporary copy of the root.
"""

import pytest
from bs4 import BeautifulSoup


def page(app, name):
    html = (app.outdir / f"{name}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "lxml")


def shape(card):
    """A card's markup: tag names, classes and attribute names, in order.

    The link text's ``span`` class is left out: sphinx-gallery links with
    ``:doc:`` (``span.doc``), galleryitem with ``:ref:`` (``span.std-ref``);
    sg_gallery.css hides that span either way.
    """
    return [
        (
            tag.name,
            [] if tag.name == "span" else tag.get("class", []),
            sorted(tag.attrs),
        )
        for tag in [card, *card.find_all(True)]
    ]


@pytest.mark.sphinx("html", testroot="galleryitem")
def test_cards_match_sphinx_gallery_cards(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    index = page(app, "index")

    # Two consecutive directives, one grid.
    grids = index.select("div.sphx-glr-thumbnails")
    assert len(grids) == 1
    cards = grids[0].select(":scope > div.sphx-glr-thumbcontainer")
    assert [card["tooltip"] for card in cards] == [
        "Plot a line through three points.",
        "Draw a bar chart of three counts.",  # ``counts`` cleaned as sphinx-gallery does
    ]
    assert [
        card.select_one("div.sphx-glr-thumbnail-title").get_text() for card in cards
    ] == [
        "A straight line",
        "Three bars",
    ]

    for card, stem in zip(cards, ["plot_line", "plot_bars"], strict=True):
        # The example's own thumbnail, copied into the output.
        src = card.select_one(":scope > img")["src"]
        assert src == f"_images/sphx_glr_{stem}_thumb.png"
        thumb = (
            app.srcdir
            / "beginner/examples_demo/images/thumb"
            / f"sphx_glr_{stem}_thumb.png"
        )
        assert (app.outdir / src).read_bytes() == thumb.read_bytes()

        # The link lands on the example's page, at its label.
        href = card.select_one(":scope > p > a.reference.internal")["href"]
        path, _, fragment = href.partition("#")
        assert path == f"beginner/examples_demo/{stem}.html"
        target = page(app, path.removesuffix(".html"))
        assert (
            fragment
            == "sphx-glr-beginner-examples-demo-" + stem.replace("_", "-") + "-py"
        )
        assert target.find(id=fragment) is not None

    # The same markup as the cards sphinx-gallery draws on the gallery index.
    theirs = page(app, "beginner/examples_demo/index").select(
        "div.sphx-glr-thumbcontainer"
    )
    assert len(theirs) == 2
    assert [shape(card) for card in cards] == [shape(card) for card in theirs]

    # sphinx-gallery's stylesheet, which lays out the grid, is on the page.
    stylesheets = [
        link["href"].partition("?")[0]
        for link in index.select('link[rel="stylesheet"]')
    ]
    assert "_static/sg_gallery.css" in stylesheets
    assert (app.outdir / "_static/sg_gallery.css").is_file()


@pytest.mark.sphinx("html", testroot="galleryitem-options")
def test_figure_and_intro_options(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    cards = page(app, "index").select(
        "div.sphx-glr-thumbnails > div.sphx-glr-thumbcontainer"
    )
    assert len(cards) == 2
    with_figure, with_intro = cards

    # :figure: replaces the thumbnail; the intro stays the example's own.
    src = with_figure.select_one("img")["src"]
    assert src == "_images/card.svg"
    assert (app.outdir / src).is_file()
    assert with_figure["tooltip"] == "Its own intro."

    # :intro: replaces the tooltip; the thumbnail stays the example's own.
    assert with_intro["tooltip"] == "A tooltip of our own."
    assert with_intro.select_one("img")["src"] == "_images/sphx_glr_example_thumb.png"

    for card in cards:
        assert (
            card.select_one("div.sphx-glr-thumbnail-title").get_text() == "An example"
        )
        href = card.select_one("a.reference.internal")["href"]
        assert (
            href
            == "beginner/examples_demo/example.html#sphx-glr-beginner-examples-demo-example-py"
        )


@pytest.mark.sphinx("html", testroot="galleryitem-missing")
def test_bad_targets_warn_at_the_directive(app, warnings_of):
    app.build()
    at = f"{app.srcdir / 'index.rst'}"
    assert warnings_of(app) == [
        (
            f"{at}:9: WARNING: example not found:"
            " beginner_source/examples_demo/nowhere.py"
            " (for /beginner/examples_demo/nowhere.py) [galleryitem.missing]"
        ),
        (
            f"{at}:11: WARNING: /elsewhere/example.py is not in any of"
            " sphinx_gallery_conf's gallery_dirs [galleryitem.not_in_gallery]"
        ),
        (
            f"{at}:13: WARNING: figure not found: images/nowhere.png"
            " (for /beginner/examples_demo/example.py) [galleryitem.figure]"
        ),
        (
            f"{at}:16: WARNING: thumbnail not found:"
            " beginner/examples_demo/images/thumb/sphx_glr_ignored_thumb.png"
            " (for /beginner/examples_demo/ignored.py) [galleryitem.thumbnail]"
        ),
        (
            f"{at}:18: WARNING: no title in example"
            " beginner_source/examples_demo/ignored_untitled.py"
            " (sphinx-gallery reads it from the module docstring) [galleryitem.title]"
        ),
    ]
    # No card, no empty grid, no empty paragraph.
    body = page(app, "index").select_one("div.body")
    assert body.select("div.sphx-glr-thumbnails, div.sphx-glr-thumbcontainer, p") == []


@pytest.mark.sphinx("html", testroot="galleryitem-translated")
def test_translated_title_keeps_the_link(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    (card,) = page(app, "index").select(
        "div.sphx-glr-thumbnails > div.sphx-glr-thumbcontainer"
    )
    title = card.select_one(":scope > div.sphx-glr-thumbnail-title")
    assert title.get_text() == "Un exemple"  # from locales/fr/.../index.po
    link = card.select_one(":scope > p > a.reference.internal")
    assert link["href"] == (
        "beginner/examples_demo/example.html#sphx-glr-beginner-examples-demo-example-py"
    )
