"""The narrative page of the built site: code blocks, cards, order, chart."""

import ast
from pathlib import Path

from bs4 import BeautifulSoup
from test_site import EXAMPLE_PAGES, LOSS_PAGES

NARRATIVE = "beginner/pytorch_with_examples.html"

SECTIONS = [
    ("Tensors", ["Warm-up: numpy", "PyTorch: Tensors", "PyTorch: Measuring the speedup"]),
    (
        "Autograd",
        [
            "PyTorch: Tensors and autograd",
            "PyTorch: Defining new autograd functions",
            "TensorFlow: Static Graphs",
            "PyTorch: Compiling graphs",
        ],
    ),
    (
        "nn module",
        [
            "PyTorch: nn",
            "PyTorch: optim",
            "PyTorch: Custom nn Modules",
            "PyTorch: Control Flow + Weight Sharing",
            "PyTorch: Mini-batches with DataLoader",
        ],
    ),
    ("Examples", ["Tensors", "Autograd", "nn module"]),
]


def page(site, path=NARRATIVE):
    return BeautifulSoup((site.out / path).read_text(encoding="utf-8"), "lxml")


def heading(section):
    return section.find(["h2", "h3"]).get_text().replace("\uf0c1", "").rstrip("¶").strip()


def source_of(example_page, site):
    group, name = example_page.split("/")[1:]
    return site.src / "beginner_source" / group / f"{name}.py"


def test_reached_from_index(site):
    links = [a["href"] for a in page(site, "index.html").select("div.toctree-wrapper a")]
    assert NARRATIVE in links


def test_section_order(site):
    body = page(site).select_one("div[itemprop=articleBody] > section")
    sections = body.find_all("section", recursive=False)
    found = [
        (heading(s), [heading(sub) for sub in s.find_all("section", recursive=False)])
        for s in sections
    ]
    assert found == SECTIONS


def test_local_table_of_contents_and_note(site):
    html = page(site)
    assert html.select_one("nav.contents, div.contents, aside.contents")
    note = html.select_one("div.admonition.note")
    assert note.select_one('a[href="#examples-download"]')


def test_code_blocks_are_the_scripts_without_docstring(site):
    blocks = page(site).select("div.highlight-python pre, div.highlight-Python pre")
    assert len(blocks) == len(EXAMPLE_PAGES)
    for block, example in zip(blocks, EXAMPLE_PAGES, strict=True):
        code = block.get_text()
        source = source_of(example, site).read_text(encoding="utf-8")
        docstring = ast.get_docstring(ast.parse(source))
        body_start = ast.parse(source).body[0].end_lineno
        body = source.splitlines()[body_start:]
        intro = max(docstring.splitlines(), key=len)
        assert intro not in code
        assert "# %%" not in code
        code_lines = [line for line in code.splitlines() if line.strip()]
        # Every shown line is a line of the script, in the script's order ...
        position = 0
        for line in code_lines:
            position = body.index(line, position) + 1
        # ... and every statement of the script is shown.
        statements = [
            line for line in body if line.strip() and not line.lstrip().startswith("#")
        ]
        assert [line for line in code_lines if not line.lstrip().startswith("#")] == statements


def test_cards_link_to_their_examples(site):
    html = page(site)
    cards = html.select("div.sphx-glr-thumbnails div.sphx-glr-thumbcontainer")
    assert len(cards) == len(EXAMPLE_PAGES)
    narrative_dir = (site.out / NARRATIVE).parent
    for card, example in zip(cards, EXAMPLE_PAGES, strict=True):
        image = narrative_dir / card.select_one("img")["src"]
        assert image.is_file(), image
        assert image.name == f"sphx_glr_{example.rsplit('/', 1)[1]}_thumb.png"
        target = card.select_one("a")["href"].split("#")[0]
        assert (narrative_dir / target).resolve() == (site.out / f"{example}.html").resolve()
        assert card["data-tooltip"]  # html_hygiene: valid HTML (issue 14)
        assert card.select_one("div.sphx-glr-thumbnail-title").get_text(strip=True)


def test_loss_comparison_chart_names_the_loss_per_step_examples(site):
    figure = page(site).select_one("figure.loss-comparison")
    assert figure is not None
    image = (site.out / NARRATIVE).parent / figure.select_one("img")["src"]
    assert image.is_file() and image.stat().st_size > 10_000
    caption = figure.select_one("figcaption .caption-text").get_text()
    names = caption.split(": ", 1)[1].removesuffix(".").split(", ")
    # Timing charts and the loss per epoch are not loss-per-step curves.
    assert names == [Path(example).name for example in LOSS_PAGES]
