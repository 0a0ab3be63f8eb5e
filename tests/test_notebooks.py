"""Example pages read like notebooks, and the downloaded notebooks hold the example."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
from helpers import downloaded, soup
from PIL import Image
from sphinx_gallery import glr_path_static
from sphinx_gallery.utils import scale_image
from test_site import EXAMPLE_PAGES, example_ids

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
    html = soup(site.out / f"{page}.html")
    assert cells(html) >= 3


def pixels(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"))


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_page_shows_its_figure_as_thumbnail(site, page, tmp_path):
    html = soup(site.out / f"{page}.html")
    figures = html.select("img.sphx-glr-single-img")
    assert len(figures) == 1
    name = Path(page).name
    assert figures[0]["src"].endswith(f"sphx_glr_{name}_001.png")
    shown = (site.out / page).parent / figures[0]["src"]
    gallery = site.src / Path(page).parent
    figure = gallery / "images" / f"sphx_glr_{name}_001.png"
    assert shown.read_bytes() == figure.read_bytes()
    # The card's thumbnail is that figure, scaled as sphinx-gallery scales it,
    # and not sphinx-gallery's placeholder.
    thumbnail = pixels(gallery / "images" / "thumb" / f"sphx_glr_{name}_thumb.png")
    height, width = thumbnail.shape[:2]
    scale_image(figure, tmp_path / "figure.png", width, height)
    scale_image(glr_path_static() + "/no_image.png", tmp_path / "placeholder.png", width, height)
    assert not np.array_equal(thumbnail, pixels(tmp_path / "placeholder.png"))
    assert np.array_equal(thumbnail, pixels(tmp_path / "figure.png"))


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_notebook_opens_with_its_install_cell_then_the_examples_code(site, page):
    """What a notebook holds. That each one runs, printing the page's numbers and
    drawing its figure, tests/test_learner.py proves in a learner's own
    environment (make test-machines); make test runs one, the Chinese
    notebook of tests/test_zh_downloads.py."""
    source = nbformat.read(downloaded(site, page, ".ipynb"), as_version=4)
    code_cells = [c for c in source.cells if c.cell_type == "code"]
    # The install cell first (run_yourself), then the example's own code.
    assert source.cells[0] is code_cells[0] and "PINNED = " in code_cells[0].source
    assert "device" in code_cells[1].source, code_cells[1].source
    assert len(source.cells) >= 8
