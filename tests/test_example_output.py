"""Tests for sphinxext/tutorial/example_output.py, and includenodoc's link to an example's page."""

import pytest
from bs4 import BeautifulSoup
from helpers import captured_output


def page(app, name="index"):
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "lxml")


def shown_outputs(html):
    """``(caption, text)`` of every example-output block on a page."""
    return [
        (wrapper.select_one(".code-block-caption .caption-text").get_text(" ", strip=True),
         wrapper.select_one("pre").get_text())
        for wrapper in html.select("div.example-output-wrapper")
    ]


@pytest.mark.sphinx("html", testroot="example-output")
def test_shows_the_selected_lines_of_the_captured_output(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    caption = "Printed by Counting when this site was built (selected lines)"
    assert shown_outputs(page(app)) == [
        (caption, "step   1  loss 1000\nstep 100  loss 10\nstep 200  loss 5\nfinal loss 5\n"),
        (caption, "Running on cpu\n  indented: kept as printed\n"),
    ]
    # Every shown line is a line of the example page's own output blocks.
    printed = captured_output(page(app, "examples/counting")).splitlines()
    for _caption, text in shown_outputs(page(app)):
        assert set(text.splitlines()) <= set(printed)
    links = [a["href"] for a in page(app).select("div.example-output-wrapper .caption-text a")]
    assert links == ["examples/counting.html"] * 2
    # The generated page is a dependency: a new run re-reads the narrative.
    assert app.srcdir / "examples" / "counting.rst" in app.env.dependencies["index"]


@pytest.mark.sphinx("html", testroot="example-output")
def test_includenodoc_links_the_example_page(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    links = page(app).select("p.example-page-link")
    assert [p.get_text(" ", strip=True) for p in links] == ["Full example: Counting"]
    assert links[0].select_one("a")["href"] == "examples/counting.html"


@pytest.mark.sphinx("html", testroot="example-output", confoverrides={"language": "zh_CN"})
def test_a_translated_build_shows_the_same_lines(app, warnings_of):
    # Sphinx's own zh_CN catalog has neither message, and the root has no
    # locales: the English texts stay, the output lines are the same.
    app.build()
    assert warnings_of(app) == []
    assert [text for _c, text in shown_outputs(page(app))][0].startswith("step   1")


# As `make html-noplot` builds: -D plot_gallery=0.
@pytest.mark.sphinx("html", testroot="example-output", srcdir="example-output-noplot",
                    confoverrides={"plot_gallery": "0"})
def test_a_build_that_runs_nothing_shows_nothing(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    assert shown_outputs(page(app)) == []


@pytest.mark.sphinx("html", testroot="example-output-warnings")
def test_each_bad_use_is_a_located_warning(app, warnings_of):
    app.build()
    source = app.srcdir / "index.rst"
    assert warnings_of(app) == [
        f"{source}:8: WARNING: :lines: 'accuracy' matches none of the 2 lines"
        " that counting.py printed [example_output.no_match]",
        f"{source}:11: WARNING: :lines: '(unclosed' is not a regular expression:"
        " missing ), unterminated subpattern at position 0 [example_output.pattern]",
        f"{source}:14: WARNING: /elsewhere/counting.py is in no sphinx-gallery gallery_dirs"
        " [example_output.not_an_example]",
        f"{source}:17: WARNING: no page was generated for /examples/nothing.py"
        " [example_output.missing]",
    ]
    assert shown_outputs(page(app)) == []
