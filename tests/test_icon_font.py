"""Tests for sphinxext/reader/icon_font.py: the theme's icon font cut down to the site's icons."""

import hashlib
import io
import re
import shutil

import pytest
from fontTools.ttLib import TTFont
from helpers import soup

#: Code points read from sphinx-rtd-theme 3.1's css/theme.css (FontAwesome 4.7).
#: Rules the theme applies by structure: download (f019), times-circle (f057),
#: check-circle (f058), exclamation-circle (f06a), external-link (f08e),
#: caret-down (f0d7), minus-square-o (f147), plus-square-o (f196).
STRUCTURAL = {0xF019, 0xF057, 0xF058, 0xF06A, 0xF08E, 0xF0D7, 0xF147, 0xF196}
#: Classes in the theme's templates: arrow-circle-left/right (f0a8, f0a9),
#: bars (f0c9), bitbucket (f171), github (f09b), gitlab (f296), home (f015).
THEME_TEMPLATES = {0xF0A8, 0xF0A9, 0xF0C9, 0xF171, 0xF09B, 0xF296, 0xF015}
ROCKET, LINK, BOLT = 0xF135, 0xF0C1, 0xF0E7


def page(app, name):
    return soup(app.outdir / f"{name}.html")


@pytest.mark.sphinx("html", testroot="icon-font")
def test_the_font_holds_the_icons_the_site_can_show_and_replaces_the_theme_s(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    font_file = app.outdir / "_static" / "fonts" / "icons.woff"
    data = font_file.read_bytes()
    font = TTFont(io.BytesIO(data))
    assert font.flavor == "woff"
    # The theme's structural icons, its templates' classes, our template's
    # rocket, and the permalink icon the theme sets; nothing else.
    assert set(font.getBestCmap()) == STRUCTURAL | THEME_TEMPLATES | {ROCKET, LINK}
    # Each kept icon keeps its outline.
    glyphs = font.getGlyphSet()
    assert all(glyphs[font.getBestCmap()[p]].width > 0 for p in (ROCKET, LINK, 0xF0C9))
    # The full font is 165 KB as TrueType (77 KB as woff2).
    assert len(data) < 8_000, len(data)
    version = hashlib.sha256(data).hexdigest()[:8]

    for name, prefix in (("index", ""), ("other", "")):
        head = page(app, name).head
        style = head.find("style", string=re.compile("@font-face"))
        assert style is not None
        # After every stylesheet: the later face of the family wins.
        order = head.find_all(["link", "style"])
        sheets = [order.index(link) for link in head.select('link[rel="stylesheet"]')]
        assert sheets and max(sheets) < order.index(style)
        assert style.string == (
            '@font-face{font-family:"FontAwesome";font-style:normal;font-weight:400;'
            f'font-display:block;src:url("{prefix}_static/fonts/icons.woff?v={version}") format("woff")}}'
        )
    # The theme's permalink icon is written as text, and is in the font.
    assert page(app, "other").select_one("a.headerlink").get_text() == chr(LINK)


@pytest.mark.sphinx("html", testroot="icon-font-missing")
def test_an_icon_missing_from_the_font_is_a_warning_naming_the_page(app, warnings_of):
    app.build()
    source = app.srcdir / "index.rst"
    assert warnings_of(app) == [
        f"{source}: WARNING: character (U+{BOLT:04X}) is not in the cut-down icon font:"
        " name it in a template under templates_path [icon_font]",
        f"{source}: WARNING: icon class 'fa-rocket' (U+{ROCKET:04X}) is not in the"
        " cut-down icon font: name it in a template under templates_path [icon_font]",
    ]



def _linked_versions(out):
    pages = ("index", "other", "search", "genindex")
    return {name: re.search(r"icons\.woff\?v=(\w+)", str(soup(out / f"{name}.html").head)).group(1)
            for name in pages}


def test_every_page_links_the_new_font_when_its_icons_change(tmp_path, rootdir):
    """Deleting a template does not make Sphinx rewrite the pages; the font changes all the same.

    Two sphinx-build processes on one source folder, as two ``make html``.
    """
    from sitebuild import sphinx_build

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-icon-font", src)
    out = src / "_build" / "html"
    def build():
        result = sphinx_build(src, out)
        assert result.returncode == 0, result.stderr
        return (out / "_static/fonts/icons.woff").read_bytes()

    data = build()
    before = _linked_versions(out)
    assert set(before.values()) == {hashlib.sha256(data).hexdigest()[:8]}

    (src / "_templates" / "rocket.html").unlink()
    data = build()
    assert ROCKET not in TTFont(io.BytesIO(data)).getBestCmap()
    version = hashlib.sha256(data).hexdigest()[:8]
    assert version not in before.values()
    assert _linked_versions(out) == dict.fromkeys(before, version)
