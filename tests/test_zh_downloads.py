"""Chinese downloads: translated .py, .ipynb and zips, Chinese cards and chart."""

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from helpers import downloaded, executed_notebook_output, soup
from sphinx_gallery.notebook import jupyter_notebook
from sphinx_gallery.py_source_parser import split_code_and_text_blocks
from test_site import (
    BUILD_FILTERED_WARNINGS,
    EXAMPLE_PAGES,
    EXAMPLES,
    LOSS_PAGES,
    TAUGHT_PAGES,
    example_ids,
    last_line,
)

from sphinxext.downloads._run_yourself import strip_build_lines
from sphinxext.translation._translate_text import notebook_blocks

CJK = re.compile(r"[\u4e00-\u9fff]")
#: reST that sphinx-gallery turns into Markdown: an escaped space, a role, a
#: link reference (not ``__init__``), a directive.
REST_LEFT_OVER = re.compile(r"\\ |:(math|ref|doc):`|`__?(?!\w)|^\.\. ", re.MULTILINE)
ROOT_PO = "locales/zh_CN/LC_MESSAGES/beginner/examples_demo/example.po"
ROOT_SOURCE = "beginner_source/examples_demo/example.py"


# -- A test root with a one-message catalog -------------------------------------


@pytest.mark.sphinx("html", testroot="zh-downloads")
def test_one_message_catalog(app, warnings_of):
    app.build()
    # The catalog translates the text cell only: the title and the intro are
    # reported, naming the source file and line, the catalog and the message.
    assert warnings_of(app) == [
        f"{ROOT_SOURCE}:2: WARNING: untranslated message in {ROOT_PO}: 'A demo'"
        " [zh_downloads.untranslated]",
        f"{ROOT_SOURCE}:5: WARNING: untranslated message in {ROOT_PO}:"
        " 'One intro paragraph.' [zh_downloads.untranslated]",
    ]
    src, out = Path(app.srcdir), Path(app.outdir)
    twin = src / "_generated" / "zh_CN" / "beginner" / "examples_demo"

    # The translated cell reaches the notebook as Markdown, without reST's
    # escaped spaces; the code cell is the English one.
    notebook = nbformat.read(twin / "example.ipynb", as_version=4)
    assert [cell.cell_type for cell in notebook.cells] == ["markdown", "markdown", "code"]
    assert notebook.cells[0].source == "\n# A demo\n\nOne intro paragraph.\n"
    assert notebook.cells[1].source == (
        "把``one``和``two``相加：*和*是$3$，[Python](https://www.python.org)也这样说。\n\n"
    )
    assert notebook.cells[2].source == (
        "one, two = 1, 2  # a comment stays as it is\nprint(one + two)"
    )

    # The script keeps the reST (escapes included) and the code byte for byte.
    script = (twin / "example.py").read_text(encoding="utf-8")
    english = (src / ROOT_SOURCE).read_text(encoding="utf-8")
    assert script == english.replace(
        "# Add ``one`` and ``two``: the *sum* is :math:`3`, as\n"
        "# `Python <https://www.python.org>`_ says.",
        "# 把\\ ``one``\\ 和\\ ``two``\\ 相加：\\ *和*\\ 是\\ :math:`3`\\ ，"
        "\\ `Python <https://www.python.org>`_\\ 也这样说。",
    )

    # The page says the same sentence, and its downloads are the translated files.
    page = soup(out / "beginner" / "examples_demo" / "example.html")
    (cell,) = [p for p in page.select("section p") if p.select_one("span.math")]
    assert cell.get_text() == "把one和two相加：和是\\(3\\)，Python也这样说。"
    assert [a["href"] for a in cell.select("a")] == ["https://www.python.org"]
    links = {a["href"].rsplit("/", 1)[1]: a["href"] for a in page.select(
        "div.sphx-glr-download a.download")}
    assert sorted(links) == ["example.ipynb", "example.py", "example.zip"]
    folder = out / "beginner" / "examples_demo"
    assert (folder / links["example.py"]).read_text(encoding="utf-8") == script
    assert (folder / links["example.ipynb"]).read_bytes() == (
        twin / "example.ipynb"
    ).read_bytes()
    with zipfile.ZipFile(folder / links["example.zip"]) as archive:
        assert sorted(archive.namelist()) == ["example.ipynb", "example.py"]
        assert archive.read("example.py").decode() == script


@pytest.mark.sphinx(
    "html", testroot="zh-downloads", srcdir="zh-downloads-en", confoverrides={"language": "en"}
)
def test_english_build_writes_nothing_translated(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    assert not (Path(app.srcdir) / "_generated").exists()
    # The notebook pipeline, given the English script, makes sphinx-gallery's
    # English notebook: the Chinese one is made exactly the same way.
    folder = Path(app.srcdir) / "beginner" / "examples_demo"
    _, blocks = split_code_and_text_blocks(folder / "example.py")
    gallery_conf = app.config.sphinx_gallery_conf
    made = jupyter_notebook(notebook_blocks(blocks, gallery_conf), gallery_conf, folder)
    assert made == json.loads((folder / "example.ipynb").read_text(encoding="utf-8"))
    out = Path(app.outdir) / "beginner" / "examples_demo"
    links = soup(out / "example.html").select("div.sphx-glr-download a.download")
    assert len(links) == 3
    for link in links:
        name = link["href"].rsplit("/", 1)[1]
        assert (out / link["href"]).read_bytes() == (folder / name).read_bytes()


@pytest.mark.sphinx(
    "html", testroot="zh-downloads", srcdir="zh-downloads-nocatalog",
    confoverrides={"locale_dirs": ["nowhere"]},
)
def test_example_without_catalog_is_reported(app, warnings_of):
    app.build()
    assert warnings_of(app) == [
        f"{ROOT_SOURCE}:1: WARNING: no zh_CN catalog for beginner/examples_demo/example:"
        " its downloads cannot be translated [zh_downloads.no_catalog]"
    ]
    assert not (Path(app.srcdir) / "_generated" / "zh_CN").exists()


@pytest.mark.sphinx("html", testroot="zh-downloads-unparsed")
def test_text_that_cannot_be_read_is_reported(app, warnings_of):
    app.build()
    warnings = warnings_of(app)
    # Ours names the example, sphinx's own (for the page) follows.
    assert warnings[0] == (
        f"{ROOT_SOURCE}:9: WARNING: unknown directive \"no-such-directive\": its text"
        f" cannot be translated (in {ROOT_PO}) [zh_downloads.unparsed]"
    )
    assert [w for w in warnings if "zh_downloads" in w] == warnings[:1]
    assert 'Unknown directive type "no-such-directive"' in warnings[1]


# -- The full site -----------------------------------------------------------------


def _pair(site, page, suffix):
    """The English and the Chinese download of ``page`` with ``suffix``."""
    return downloaded(site, page, suffix), downloaded(site, f"zh_CN/{page}", suffix)


def test_chinese_build_is_clean(site):
    assert site.zh_result.returncode == 0, site.zh_result.stderr
    assert "zh_downloads" not in site.zh_result.stderr


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_notebook_is_translated_cell_by_cell(site, page):
    english, chinese = (nbformat.read(path, as_version=4) for path in _pair(site, page, ".ipynb"))
    assert len(chinese.cells) == len(english.cells)
    # The install cell (run_yourself) is the same code, with Chinese comments
    # and messages.
    def code(cell):
        return [line for line in cell.source.splitlines()
                if not line.lstrip().startswith(("#", "print("))]

    assert code(chinese.cells[0]) == code(english.cells[0])
    assert CJK.search(chinese.cells[0].source)
    for en, zh in zip(english.cells[1:], chinese.cells[1:], strict=True):
        assert zh.cell_type == en.cell_type
        if en.cell_type == "code":
            assert zh.source == en.source
            continue
        assert CJK.search(zh.source), zh.source
        assert not CJK.search(en.source), en.source
        # Markdown as sphinx-gallery makes it from the English text: the same
        # math, links, literals and emphasis, no reST left over.
        for mark in ("$", "](", "``", "**", "#"):
            assert zh.source.count(mark) == en.source.count(mark), (mark, zh.source)
        assert not REST_LEFT_OVER.search(zh.source), zh.source


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_script_is_translated_and_code_identical(site, page):
    english, chinese = _pair(site, page, ".py")
    assert english.name == chinese.name
    assert english.parent != chinese.parent
    source = site.src / page.replace("beginner/", "beginner_source/", 1)
    # The source without the build's ignore blocks and configuration comments.
    assert english.read_text(encoding="utf-8") == strip_build_lines(
        source.with_suffix(".py").read_text(encoding="utf-8"))
    _, en_blocks = split_code_and_text_blocks(english)
    _, zh_blocks = split_code_and_text_blocks(chinese)
    assert [b.type for b in zh_blocks] == [b.type for b in en_blocks]
    for en, zh in zip(en_blocks, zh_blocks, strict=True):
        if en.type == "code":
            assert zh.content == en.content
        else:
            assert CJK.search(zh.content), zh.content
    assert chinese.read_bytes() != english.read_bytes()


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_zip_holds_the_chinese_files(site, page):
    english, chinese = _pair(site, page, ".zip")
    assert english.name == chinese.name
    name = Path(page).name
    zh_py, zh_nb = (downloaded(site, f"zh_CN/{page}", s) for s in (".py", ".ipynb"))
    with zipfile.ZipFile(chinese) as archive:
        assert sorted(archive.namelist()) == [f"{name}.ipynb", f"{name}.py"]
        assert archive.read(f"{name}.py") == zh_py.read_bytes()
        assert archive.read(f"{name}.ipynb") == zh_nb.read_bytes()


@pytest.mark.parametrize("group", sorted(EXAMPLES))
def test_download_all_zips_hold_the_chinese_files(site, group):
    index = f"beginner/{group}/index"
    zh_folder = site.out / "zh_CN" / "beginner" / group
    links = [a["href"] for a in soup(site.out / "zh_CN" / f"{index}.html").select(
        "div.sphx-glr-download a.download")]
    en_links = [a["href"] for a in soup(site.out / f"{index}.html").select(
        "div.sphx-glr-download a.download")]
    assert [Path(h).name for h in links] == [Path(h).name for h in en_links] == [
        f"{group}_python.zip", f"{group}_jupyter.zip"]
    for href, suffix in zip(links, (".py", ".ipynb"), strict=True):
        with zipfile.ZipFile(zh_folder / href) as archive:
            names = sorted(archive.namelist())
            assert names == sorted([*(f"{name}{suffix}" for name in EXAMPLES[group]),
                                    "README.md", "requirements.txt"])
            assert CJK.search(archive.read("README.md").decode())
            for name in EXAMPLES[group]:
                page = f"zh_CN/beginner/{group}/{name}"
                assert archive.read(f"{name}{suffix}") == downloaded(
                    site, page, suffix).read_bytes()


def _title(site, page):
    heading = soup(site.out / f"{page}.html").select_one("h1")
    for link in heading.select("a.headerlink"):
        link.decompose()
    return heading.get_text()


@pytest.mark.parametrize("group", sorted(EXAMPLES))
def test_gallery_cards_are_chinese(site, group):
    cards = soup(site.out / "zh_CN" / "beginner" / group / "index.html").select(
        "div.sphx-glr-thumbcontainer")
    assert len(cards) == len(EXAMPLES[group])
    for card, name in zip(cards, EXAMPLES[group], strict=True):
        title = card.select_one("div.sphx-glr-thumbnail-title").get_text()
        assert title == _title(site, f"zh_CN/beginner/{group}/{name}")
        assert title != _title(site, f"beginner/{group}/{name}")
        assert CJK.search(card["data-tooltip"]), card


def test_narrative_cards_are_chinese(site):
    cards = soup(site.out / "zh_CN" / "beginner" / "pytorch_with_examples.html").select(
        "div.sphx-glr-thumbcontainer")
    assert len(cards) == len(EXAMPLE_PAGES)
    for card, page in zip(cards, TAUGHT_PAGES, strict=True):
        title = card.select_one("div.sphx-glr-thumbnail-title").get_text()
        assert title == _title(site, f"zh_CN/{page}")
        assert title != _title(site, page)
        assert CJK.search(card["data-tooltip"]), card["tooltip"]


def test_chinese_chart_is_its_own(site):
    def chart(prefix):
        page = site.out / prefix / "beginner" / "pytorch_with_examples.html"
        (image,) = soup(page).select("figure.loss-comparison img")
        return page.parent / image["src"]

    english, chinese = chart(""), chart("zh_CN")
    assert english.name == "loss_comparison.png"
    assert chinese.name == "loss_comparison.zh_CN.png"
    assert chinese.read_bytes() != english.read_bytes()
    # Its legend names each curve by the example's Chinese title.
    titles = json.loads((site.src / "_generated" / "loss_comparison.zh_CN.titles.json")
                        .read_text(encoding="utf-8"))
    assert titles == {Path(page).name: _title(site, f"zh_CN/{page}") for page in LOSS_PAGES}
    for page in LOSS_PAGES:
        assert titles[Path(page).name] != _title(site, page)  # not the English one


# The Chinese downloads' code is the English code byte for byte (the two
# tests above, and the build, which compares them), and the English downloads
# all run (the scripts in test_site, the notebooks in test_learner). What is
# Chinese alone is text: every script and notebook must still compile, and
# one of each runs, its install cell's Chinese messages included.
# (tests/test_learner.py runs one per gallery again, in a learner's own
# environment.)


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_chinese_script_and_notebook_compile(site, page):
    script = downloaded(site, f"zh_CN/{page}", ".py")
    compile(script.read_text(encoding="utf-8"), str(script), "exec")
    notebook = nbformat.read(downloaded(site, f"zh_CN/{page}", ".ipynb"), as_version=4)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert cells
    for number, cell in enumerate(cells):
        compile(cell.source, f"{page}.ipynb, code cell {number}", "exec")


#: The example whose Chinese downloads run: the first the tutorial teaches.
RUN_IN_CHINESE = TAUGHT_PAGES[0]


@pytest.mark.notebooks
def test_a_chinese_notebook_executes(site, tmp_path):
    _, outputs = executed_notebook_output(downloaded(site, f"zh_CN/{RUN_IN_CHINESE}", ".ipynb"), tmp_path)
    assert last_line(RUN_IN_CHINESE) in outputs


def test_a_chinese_script_runs_standalone(site, tmp_path):
    page = RUN_IN_CHINESE
    script = downloaded(site, f"zh_CN/{page}", ".py")
    result = subprocess.run(  # noqa: PLW1510 - the test asserts returncode
        [sys.executable, "-W", "error", *(f"-W{w}" for w in BUILD_FILTERED_WARNINGS),
         str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "agg", "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert last_line(page) in result.stdout


@pytest.mark.parametrize(
    "page", [*EXAMPLE_PAGES, *(f"beginner/{group}/index" for group in sorted(EXAMPLES))]
)
def test_download_buttons_are_chinese(site, page):
    buttons = soup(site.out / "zh_CN" / f"{page}.html").select(
        "div.sphx-glr-download a.download")
    assert len(buttons) == (2 if page.endswith("/index") else 3)
    for button in buttons:
        assert CJK.search(button.get_text()), button.get_text()
