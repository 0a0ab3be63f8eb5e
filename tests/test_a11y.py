"""Tests for sphinxext/reader/a11y.py: a mixin over the active HTML translator."""

import pytest
from helpers import soup


def checked(app):
    """The index page's toctree captions and <pre> blocks, and the other page's."""
    pages = [soup(app.outdir / name) for name in ("index.html", "other.html")]
    captions = [c for html in pages for c in html.select("p.caption")]
    pres = [pre for html in pages for pre in html.select("pre")]
    return captions, pres


@pytest.mark.sphinx("html", testroot="a11y")
def test_captions_get_a_level_and_code_takes_focus(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    captions, pres = checked(app)
    # The in-page toctree on index; the sidebar is not in the basic theme.
    assert [(c["role"], c["aria-level"], c.get_text()) for c in captions] == [("heading", "2", "Chapters")]
    assert [pre["tabindex"] for pre in pres] == ["0"]


@pytest.mark.sphinx("html", testroot="a11y-translator")
def test_the_active_translator_is_extended_not_replaced(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    assert [cls.__name__ for cls in app.builder.get_translator_class().__mro__[:3]] == [
        "AccessibleMarkingTranslator",
        "AccessibleTranslatorMixin",
        "MarkingTranslator",
    ]
    captions, pres = checked(app)
    assert [(c["aria-level"], c.get_text()) for c in captions] == [("2", "Chapters")]
    assert [pre["tabindex"] for pre in pres] == ["0"]
    # The other translator's own work is still there.
    paragraphs = soup(app.outdir / "other.html").select("div.body p")
    assert [p.get("data-marked") for p in paragraphs] == ["yes"]


@pytest.mark.sphinx("html", testroot="a11y-markup")
def test_changed_markup_is_a_located_warning(app, warnings_of):
    app.build()
    srcdir = app.srcdir
    assert warnings_of(app) == [
        f"{srcdir / 'index.rst'}:4: WARNING: a11y: the toctree caption 'Chapters' has no "
        "role=\"heading\" start tag to give aria-level; the theme's or Sphinx's markup changed "
        "[a11y.theme_markup]",
        f"{srcdir / 'index.rst'}: WARNING: a11y: cannot make <pre class=\"plain\"> focusable "
        "(tabindex); the theme's or Sphinx's markup changed [a11y.theme_markup]",
    ]


@pytest.mark.sphinx("html", testroot="a11y")
def test_every_page_loads_the_phone_menus_script(app, warnings_of):
    """static/menu.js (aria-expanded, focus, Escape) is copied and linked on each page."""
    app.build()
    assert warnings_of(app) == []
    from sphinxext.reader.a11y import MENU_SCRIPT

    assert (app.outdir / "_static" / "menu.js").read_bytes() == MENU_SCRIPT.read_bytes()
    for name in ("index.html", "other.html"):
        sources = [s["src"].split("?")[0] for s in soup(app.outdir / name).select("script[src]")]
        assert "_static/menu.js" in sources, name
