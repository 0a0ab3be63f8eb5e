"""Tests for sphinxext/reader/redirects.py: a moved page's old address leads to the new one."""

import pytest
from bs4 import BeautifulSoup


def old_page(app):
    return BeautifulSoup((app.outdir / "old" / "page.html").read_text(encoding="utf-8"), "lxml")


@pytest.mark.sphinx("html", testroot="redirects")
def test_old_address_refreshes_to_the_new_page(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    html = old_page(app)
    assert html.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=../new/page.html"
    assert html.select_one('link[rel="canonical"]')["href"] == "https://example.org/site/new/page.html"
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    link = html.select_one("main p a")
    assert (link["href"], link.get_text()) == ("../new/page.html", "The moved page")
    assert html.select_one("main p").get_text() == "This page has moved to The moved page."
    assert html.html["lang"] == "en"
    # The link resolves to a page the build wrote.
    assert (app.outdir / "old" / link["href"]).resolve() == (app.outdir / "new" / "page.html").resolve()


@pytest.mark.sphinx("html", testroot="redirects")
def test_a_build_with_nothing_to_do_leaves_the_page_alone(app, warnings_of):
    app.build()
    path = app.outdir / "old" / "page.html"
    before = path.stat().st_mtime_ns
    app.build()
    assert warnings_of(app) == []
    assert path.stat().st_mtime_ns == before


@pytest.mark.sphinx("html", testroot="redirects", srcdir="redirects-bad", confoverrides={
    "redirect_pages": {"new/page": "index", "old/page": "gone/page"}})
def test_bad_entries_are_located_warnings(app, warnings_of):
    app.build()
    conf = app.confdir / "conf.py"
    # At the line of conf.py whose key names the old page (old/page, line 5);
    # new/page is a key only in confoverrides: the file's first line.
    assert warnings_of(app) == [
        f"{conf}:1: WARNING: new/page is still a page of the project: no redirect written"
        " [redirects.shadowed]",
        f"{conf}:5: WARNING: redirect target gone/page (for old/page) is not a page of the project"
        " [redirects.missing]",
    ]
    assert not (app.outdir / "old").exists()


@pytest.mark.sphinx("html", testroot="redirects-gallery")
def test_an_old_address_in_a_gallery_folder_survives_the_next_build(app, warnings_of):
    app.build()
    path = app.outdir / "examples" / "old_counting.html"
    before = path.stat().st_mtime_ns
    app.build()
    assert warnings_of(app) == []
    # example_runner removes gallery pages that no document makes, but not this one.
    assert "removed from the output" not in app.status.getvalue()
    assert path.stat().st_mtime_ns == before
