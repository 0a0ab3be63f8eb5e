"""Example pages read like notebooks, and the downloaded notebooks run."""

from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from test_site import EXAMPLE_PAGES, _downloaded, example_ids, last_line

OUTPUT_CLASSES = {"sphx-glr-script-out", "sphx-glr-single-img"}
TEXT_TAGS = {"p", "ul", "ol", "dl", "blockquote"}


def cells(html):
    """(text, code, output) triples: a code block between its explanation and output."""
    body = html.select_one("div[itemprop=articleBody] > section")
    elements = [e for e in body.find_all(recursive=False) if e.name]
    triples = 0
    for before, code, after in zip(elements, elements[1:], elements[2:], strict=False):
        if (
            before.name in TEXT_TAGS
            and "highlight-Python" in code.get("class", [])
            and OUTPUT_CLASSES & set(after.get("class", []))
        ):
            triples += 1
    return triples


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_page_interleaves_text_code_and_output(site, page):
    html = BeautifulSoup((site.out / f"{page}.html").read_text(), "lxml")
    assert cells(html) >= 3


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_page_shows_its_figure_as_thumbnail(site, page):
    html = BeautifulSoup((site.out / f"{page}.html").read_text(), "lxml")
    figures = html.select("img.sphx-glr-single-img")
    assert len(figures) == 1
    name = Path(page).name
    assert figures[0]["src"].endswith(f"sphx_glr_{name}_001.png")
    assert ((site.out / page).parent / figures[0]["src"]).is_file()
    # The thumbnail sphinx-gallery made from that figure (not its placeholder).
    gallery = site.src / Path(page).parent
    assert (gallery / "images" / f"sphx_glr_{name}_001.png").is_file()
    assert (gallery / "images" / "thumb" / f"sphx_glr_{name}_thumb.png").is_file()


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_notebook_executes(site, page, tmp_path):
    notebook = nbformat.read(_downloaded(site, page, ".ipynb"), as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert "device" in code_cells[0].source, code_cells[0].source
    assert len(notebook.cells) >= 8
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = "".join(
        output.get("text", "")
        for cell in code_cells
        for output in cell.get("outputs", [])
        if output.output_type == "stream"
    )
    assert last_line(page) in outputs
    assert any(
        "image/png" in output.get("data", {})
        for cell in code_cells
        for output in cell.get("outputs", [])
    )
