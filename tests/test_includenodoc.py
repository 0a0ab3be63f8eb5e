"""Tests for sphinxext/tutorial/includenodoc.py: one small test root per behaviour."""

import os
import time

import pytest
from bs4 import BeautifulSoup


def code_blocks(app, page="index"):
    """The text of every Python code block on a built page."""
    html = (app.outdir / f"{page}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    return [pre.get_text() for pre in soup.select("div.highlight-python pre")]


def listing(text):
    """A code block's expected text: ``text`` without its first newline.

    The last newline stays: Pygments ends every block with one.
    """
    return text.removeprefix("\n")


@pytest.mark.sphinx("html", testroot="includenodoc")
def test_shows_code_without_module_docstring(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    expected = listing("""
import sys

# Greet the world when nobody is named.
name = sys.argv[1] if len(sys.argv) > 1 else "world"
print(f"Hello, {name}!")
""")
    # A path relative to the page, and one from the source root ("/...").
    assert code_blocks(app) == [expected]
    assert code_blocks(app, "sub/page") == [expected]
    dependency = app.srcdir / "scripts" / "hello.py"
    assert dependency in app.env.dependencies["index"]
    assert dependency in app.env.dependencies["sub/page"]


@pytest.mark.sphinx("html", testroot="includenodoc-nodocstring")
def test_script_without_docstring_is_shown_whole(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    script = (app.srcdir / "nodoc.py").read_text(encoding="utf-8")
    assert code_blocks(app) == [script]


@pytest.mark.sphinx("html", testroot="includenodoc-inner-docstrings")
def test_function_and_class_docstrings_stay(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    script = (app.srcdir / "greeter.py").read_text(encoding="utf-8")
    # Everything after the module docstring and the blank line under it,
    # byte for byte: docstrings, indentation, and the blank lines in a string.
    after_docstring = script.split('"""\n\n', 1)[1]
    assert code_blocks(app) == [after_docstring]
    assert '        """\n        Return the greeting.\n' in after_docstring


@pytest.mark.sphinx("html", testroot="includenodoc-encoding")
def test_shebang_and_encoding_line_before_docstring(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    assert code_blocks(app) == [
        listing("""
from __future__ import annotations

GREETING = "Bonjour, cafe !"
print(GREETING)
""")
    ]


@pytest.mark.sphinx("html", testroot="includenodoc-cells")
def test_text_cells_and_config_comments_go(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    assert code_blocks(app) == [
        listing("""
data = [1, 2, 3]
# A code comment stays.
total = sum(data)


print(total)  # so does an inline comment


def report(values):
    # Indented comments stay too.
    # %% is not a cell marker when indented.
    return len(values)


print(report(data))
""")
    ]


@pytest.mark.sphinx("html", testroot="includenodoc-missing")
def test_missing_file_warns_at_the_directive(app, warnings_of):
    app.build()
    assert warnings_of(app) == [
        (
            f"{app.srcdir / 'index.rst'}:6: WARNING: file not found: scripts/missing.py"
            " [includenodoc.missing]"
        ),
    ]
    soup = BeautifulSoup((app.outdir / "index.html").read_text("utf-8"), "lxml")
    assert soup.select("div.highlight") == []
    assert [p.get_text() for p in soup.select("div.body p")] == [
        "Some text before.",
        "Some text after.",
    ]


@pytest.mark.sphinx("html", testroot="includenodoc-syntax")
def test_syntax_error_warns_at_the_directive(app, warnings_of):
    (app.srcdir / "broken.py").write_text(
        '"""A broken script."""\n\ndef broken(:\n    pass\n', encoding="utf-8"
    )
    app.build()
    assert warnings_of(app) == [
        (
            f"{app.srcdir / 'index.rst'}:6: WARNING: cannot parse broken.py:"
            " invalid syntax (line 3) [includenodoc.syntax]"
        ),
    ]
    assert code_blocks(app) == []


@pytest.mark.sphinx("html", testroot="includenodoc-rebuild")
def test_editing_the_script_rebuilds_the_page(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    assert code_blocks(app) == ['print("old")\n']

    script = app.srcdir / "script.py"
    script.write_text('"""After the edit."""\n\nprint("new")\n', encoding="utf-8")
    # Make sure the new modification time is later than the first read,
    # whatever the file system's timestamp resolution.
    later = time.time() + 2
    os.utime(script, (later, later))
    app.build()
    assert warnings_of(app) == []
    assert code_blocks(app) == ['print("new")\n']


@pytest.mark.sphinx("html", testroot="includenodoc-gallery")
def test_gallery_path_reads_the_example_source(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    assert not (app.srcdir / "beginner").exists()  # no generated copy to read
    assert code_blocks(app) == ['print("foo")\n']
    source = app.srcdir / "beginner_source" / "examples_x" / "foo.py"
    assert source in app.env.dependencies["index"]


@pytest.mark.sphinx("html", testroot="includenodoc-ignore")
def test_sphinx_gallery_ignore_blocks_go(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    # As on sphinx-gallery's example pages: the markers and every line
    # between them are left out, at any indentation.
    assert code_blocks(app) == [
        listing("""
import sys

print("shown")


def main():
    return 0
""")
    ]


@pytest.mark.sphinx("html", testroot="includenodoc-ignore-unmatched")
def test_unmatched_ignore_block_warns_at_the_directive(app, warnings_of):
    app.build()
    assert warnings_of(app) == [
        (
            f"{app.srcdir / 'index.rst'}:4: WARNING: cannot parse script.py:"
            " sphinx_gallery_start_ignore without an end (line 4) [includenodoc.syntax]"
        ),
    ]
    assert code_blocks(app) == []
