"""The narrative page of the built site: code blocks, cards, order, chart."""

import ast
import json
import re
from pathlib import Path

import pytest
from helpers import output_text, soup
from test_site import LOSS_LINE, LOSS_PAGES, TAUGHT_PAGES

NARRATIVE = "beginner/pytorch_with_examples.html"

SECTIONS = [
    ("Tensors", ["Warm-up: numpy", "PyTorch: Tensors"]),
    (
        "Autograd",
        [
            "PyTorch: Tensors and autograd",
            "PyTorch: Defining new autograd functions",
            "TensorFlow: Static Graphs",
        ],
    ),
    (
        "nn module",
        [
            "PyTorch: nn",
            "PyTorch: optim",
            "PyTorch: Custom nn Modules",
            "PyTorch: Control Flow + Weight Sharing",
        ],
    ),
    (
        "Beyond the original",
        [
            "PyTorch: Mini-batches with DataLoader",
            "PyTorch: Compiling graphs",
            "PyTorch: Timing a training step",
        ],
    ),
    ("Examples", ["Tensors", "Autograd", "nn module", "Beyond the original"]),
]
#: The example pages in the order the narrative teaches them (tutorial_order.ORDER).


def page(site, path=NARRATIVE):
    return soup(site.out / path)


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


def _without_ignored_blocks(lines):
    """The lines outside sphinx-gallery's ignore blocks, which readers never see."""
    shown, ignoring = [], False
    for line in lines:
        marker = line.strip()
        if marker == "# sphinx_gallery_start_ignore":
            ignoring = True
        elif marker == "# sphinx_gallery_end_ignore":
            ignoring = False
        elif not ignoring:
            shown.append(line)
    return shown


def test_code_blocks_are_the_scripts_without_docstring(site):
    blocks = page(site).select("div.highlight-python pre, div.highlight-Python pre")
    assert len(blocks) == len(TAUGHT_PAGES)
    for block, example in zip(blocks, TAUGHT_PAGES, strict=True):
        code = block.get_text()
        source = source_of(example, site).read_text(encoding="utf-8")
        docstring = ast.get_docstring(ast.parse(source))
        body_start = ast.parse(source).body[0].end_lineno
        body = _without_ignored_blocks(source.splitlines()[body_start:])
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
    assert len(cards) == len(TAUGHT_PAGES)
    narrative_dir = (site.out / NARRATIVE).parent
    for card, example in zip(cards, TAUGHT_PAGES, strict=True):
        group, name = example.split("/")[1:]
        image = narrative_dir / card.select_one("img")["src"]
        assert image.name == f"sphx_glr_{name}_thumb.png"
        # The very thumbnail sphinx-gallery made for the example's gallery.
        thumbnail = site.src / "beginner" / group / "images" / "thumb" / image.name
        assert image.read_bytes() == thumbnail.read_bytes(), example
        target = card.select_one("a")["href"].split("#")[0]
        assert (narrative_dir / target).resolve() == (site.out / f"{example}.html").resolve()
        # Title and tooltip are the ones of the example's card in its gallery.
        gallery = page(site, f"beginner/{group}/index.html")
        own = [
            c for c in gallery.select("div.sphx-glr-thumbcontainer")
            if c.select_one("a")["href"].split("#")[0] == f"{name}.html"
        ]
        assert len(own) == 1, example
        assert card["data-tooltip"] == own[0]["data-tooltip"]
        assert card["data-tooltip"].strip(), example
        title = card.select_one("div.sphx-glr-thumbnail-title").get_text(strip=True)
        assert title == own[0].select_one("div.sphx-glr-thumbnail-title").get_text(strip=True)
        assert title == page(site, f"{example}.html").select_one("h1").get_text().rstrip("¶\uf0c1").strip()


def test_loss_comparison_chart_names_the_loss_per_step_examples(site):
    figure = page(site).select_one("figure.loss-comparison")
    image = (site.out / NARRATIVE).parent / figure.select_one("img")["src"]
    assert image.read_bytes() == (site.src / "_generated/loss_comparison.png").read_bytes()
    caption = figure.select_one("figcaption .caption-text").get_text()
    names = caption.split(": ", 1)[1].removesuffix(".").split(", ")
    # Timing charts and the loss per epoch are not loss-per-step curves.
    assert names == [Path(example).name for example in LOSS_PAGES]


def drawn_lines(site):
    """The lines the comparison chart shows, as loss_curves read them back from its axes."""
    return json.loads((site.src / "_generated/loss_comparison.lines.json").read_text())


def test_chart_draws_one_line_per_loss_example(site):
    drawn = drawn_lines(site)
    assert [line["label"].split(" (")[0] for line in drawn] == [Path(p).name for p in LOSS_PAGES]
    for line in drawn:
        assert line["steps"] == [float(step) for step in range(1, 501)], line["label"]


@pytest.mark.parametrize("example", LOSS_PAGES, ids=[Path(p).name for p in LOSS_PAGES])
def test_chart_draws_the_losses_the_example_page_prints(site, example):
    """The chart's line, the saved record and the page's printed numbers agree."""
    name = Path(example).name
    (line,) = [line for line in drawn_lines(site) if line["label"].split(" (")[0] == name]
    record = json.loads((site.src / f"{example}.losses.json").read_text())
    assert [(c["steps"], c["losses"]) for c in record["curves"]] == [(line["steps"], line["losses"])]
    printed = [(int(step), float(loss)) for step, loss in LOSS_LINE.findall(output_text(site, example))]
    assert [step for step, _ in printed] == [1, 100, 200, 300, 400, 500]
    drawn = dict(zip(line["steps"], line["losses"], strict=True))
    # The pages print six significant digits.
    assert [loss for _, loss in printed] == pytest.approx([drawn[step] for step, _ in printed], rel=5e-6)


# -- What each section shows of its example's output, and where it links -------------


def lesson_sections(html):
    """The sections that teach one example each, in the page's order."""
    body = html.select_one("div[itemprop=articleBody] > section")
    groups = body.find_all("section", recursive=False)[:-1]  # not "Examples"
    return [s for group in groups for s in group.find_all("section", recursive=False)]


def linked_page(site, language, anchor):
    """The page (``beginner/...``, no suffix) that a link on the narrative leads to."""
    narrative_dir = (site.out / language / NARRATIVE).parent
    target = (narrative_dir / anchor["href"].split("#")[0]).resolve()
    return target.relative_to((site.out / language).resolve()).with_suffix("").as_posix()


@pytest.mark.parametrize("language", ["", "zh_CN"])
def test_each_section_links_its_own_example_page(site, language):
    sections = lesson_sections(page(site, f"{language}/{NARRATIVE}".lstrip("/")))
    assert len(sections) == len(TAUGHT_PAGES)
    for section, example in zip(sections, TAUGHT_PAGES, strict=True):
        (link,) = section.select("p.example-page-link")
        assert linked_page(site, language, link.select_one("a")) == example, heading(section)
        title = page(site, f"{language}/{example}.html".lstrip("/")).select_one("h1").get_text()
        assert link.select_one("a").get_text() == title.rstrip("¶\uf0c1").strip()
        # After the code (and its toggle), the last thing the section shows.
        assert link.find_previous_sibling().select_one("pre") is not None
    words = {"": "Full example: ", "zh_CN": "完整示例：「"}[language]
    assert all(p.get_text().startswith(words) for s in sections for p in s.select("p.example-page-link"))


def output_blocks(site, language):
    """``(section heading, example page, shown lines)`` of every example-output block."""
    shown = []
    for section in lesson_sections(page(site, f"{language}/{NARRATIVE}".lstrip("/"))):
        for wrapper in section.select("div.example-output-wrapper"):
            example = linked_page(site, language, wrapper.select_one(".caption-text a"))
            shown.append((heading(section), example, wrapper.select_one("pre").get_text().splitlines()))
    return shown


@pytest.mark.parametrize("language", ["", "zh_CN"])
def test_shown_output_lines_are_the_example_pages_own(site, language):
    blocks = output_blocks(site, language)
    assert len(blocks) >= 10, blocks
    for section, example, lines in blocks:
        printed = output_text(site, f"{language}/{example}".lstrip("/")).splitlines()
        assert lines, section
        # Each shown line is a line of the page's output, in the order printed.
        position = 0
        for line in lines:
            assert line in printed[position:], (section, example, line)
            position = printed.index(line, position) + 1


def test_both_languages_show_the_same_output_lines(site):
    english, chinese = output_blocks(site, ""), output_blocks(site, "zh_CN")
    assert [(e, lines) for _s, e, lines in chinese] == [(e, lines) for _s, e, lines in english]
    captions = [w.select_one(".caption-text").get_text() for w in
                page(site, f"zh_CN/{NARRATIVE}").select("div.example-output-wrapper")]
    assert all(c.startswith("本站构建时「") and c.endswith("」打印的内容（节选）") for c in captions), captions


def test_every_section_that_mentions_printing_shows_the_output(site):
    for section in lesson_sections(page(site)):
        text = " ".join(p.get_text(" ") for p in section.find_all("p", recursive=False))
        if re.search(r"\bprint(s|ed)?\b|\bin the output\b", text):
            assert section.select("div.example-output-wrapper"), heading(section)
