"""Tests for sphinxext/tutorial/example_diff.py (and includenodoc's ``:diff:`` option).

One small test root per behaviour, then the real site: the autograd and
optim pages' diffs, in English and in Chinese, and the narrative page's
toggles.
"""

import os
import re
import time

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from helpers import soup
from sitebuild import REPO
from test_site import EXAMPLE_PAGES

from sphinxext.tutorial import example_diff, tutorial_order

ZH_TITLE = "相对于「%s」的改动"


def page(app, name="index"):
    return BeautifulSoup((app.outdir / f"{name}.html").read_text("utf-8"), "lxml")


def diff_lines(block):
    """The lines of a diff block's code (``div.highlight-diff``)."""
    return block.select_one("pre").get_text().splitlines()


def changes(lines):
    """The removed and added lines of a diff, without their sign."""
    removed = [line[1:] for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def touch_later(path):
    """Give ``path`` a modification time later than any build so far."""
    later = time.time() + 2
    os.utime(path, (later, later))


# -- Example pages ---------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="diff-page")
def test_example_page_shows_what_changed(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    html = page(app, "examples_x/second")
    section = html.select_one("section")
    blocks = section.select("div.example-diff")
    assert len(blocks) == 1
    block = blocks[0]
    # After the title and the introduction, before the first text cell.
    paragraphs = [p.get_text() for p in section.find_all("p", recursive=False)]
    assert paragraphs[:2] == ["Sum with a function.", "Let a function add them."]
    assert block.find_previous_sibling("p").get_text() == "Sum with a function."
    assert block.find_next_sibling("p").get_text() == "Let a function add them."

    title = block.select_one("p.example-diff-title")
    assert title.get_text() == "What changed from First step"
    assert title.select_one("a")["href"] == "first.html"
    # The counts come from the diff: the loop's three lines go.
    assert block.select_one("p.example-diff-summary").get_text() == (
        "One call to total replaces the 3 lines of the loop."
    )
    assert block.select_one("p.example-diff-summary code").get_text() == "total"
    assert block.select_one("p.example-diff-note").get_text() == (
        "Only the code is compared: docstrings, text cells and comments are left out."
    )
    code, full = block.select("div.highlight-diff")
    assert diff_lines(code) == [
        "--- first.py",
        "+++ second.py",
        "@@ -1,5 +1,6 @@",
        "+def total(values):",
        "+    return sum(values)",
        "+",
        " numbers = [1, 2, 3]",
        "-result = 0",
        "-for number in numbers:",
        "-    result += number",
        "+result = total(numbers)",
        " print(result)",
    ]
    # The full diff, comments and docstrings included, sits in a closed <details>.
    details = block.select_one("details.example-diff-full")
    assert details.get("open") is None
    assert details.select_one("summary").get_text() == "Full diff, comments included"
    assert details.select_one("div.highlight-diff") is full
    removed, added = changes(diff_lines(full))
    assert removed == ["result = 0", "for number in numbers:", "    result += number  # one at a time"]
    assert added == [
        "def total(values):",
        '    """Add ``values``."""',
        "    return sum(values)",
        "",
        "",
        "# The whole sum in one call.",
        "result = total(numbers)",
    ]
    # The first example has no previous step, hence no block.
    assert page(app, "examples_x/first").select("div.example-diff") == []
    for name in ("first.py", "second.py"):
        assert app.srcdir / "src" / "examples_x" / name in app.env.dependencies["examples_x/second"]


@pytest.mark.sphinx("html", testroot="diff-page", srcdir="diff-page-rebuild")
def test_editing_the_previous_example_rebuilds_the_diff(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    code = page(app, "examples_x/second").select_one("div.example-diff div.highlight-diff")
    assert changes(diff_lines(code))[0] == ["result = 0", "for number in numbers:", "    result += number"]

    first = app.srcdir / "src" / "examples_x" / "first.py"
    first.write_text(
        '"""\nFirst step\n==========\n\nSum by hand.\n"""\n\n'
        "numbers = [1, 2, 3]\nresult = numbers[0] + numbers[1] + numbers[2]\nprint(result)\n",
        encoding="utf-8",
    )
    touch_later(first)
    app.build()
    assert warnings_of(app) == []
    code = page(app, "examples_x/second").select_one("div.example-diff div.highlight-diff")
    assert changes(diff_lines(code)) == (
        ["result = numbers[0] + numbers[1] + numbers[2]"],
        ["def total(values):", "    return sum(values)", "", "result = total(numbers)"],
    )


@pytest.mark.sphinx("html", testroot="diff-missing")
def test_missing_previous_step_warns_at_its_declaration(app, warnings_of):
    app.build()
    steps = app.srcdir / "steps_missing.py"
    assert warnings_of(app) == [
        f"{steps}:5: WARNING: example zeroth.py not found in any examples_dirs [example_diff.missing]",
    ]


# -- Code-only filtering, empty diffs, missing files -------------------------------


@pytest.mark.sphinx("html", testroot="diff-codeonly")
def test_code_only_diff_leaves_out_docstrings_text_and_comments(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    block = page(app).select_one("div.example-diff")
    code, full = block.select("div.highlight-diff")
    # Only the one changed statement: no docstring, text cell, comment or
    # sphinx-gallery ignore block.
    assert diff_lines(code) == [
        "--- old.py",
        "+++ new.py",
        "@@ -1,6 +1,6 @@",
        " import math",
        " ",
        " def area(radius):",
        "-    return math.pi * radius**2",
        "+    return math.pi * radius * radius",
        " ",
        " print(area(2.0))",
    ]
    assert block.select_one("p.example-diff-summary").get_text() == (
        "This step removes 1 lines of code and adds 1."
    )
    # The full diff keeps the comments and the function's docstring, never
    # the ignore block (includenodoc leaves it out of everything readers see).
    removed, added = changes(diff_lines(full))
    assert removed == [
        '    """Area of a circle."""',
        "    # pi times r squared",
        "    return math.pi * radius**2",
        "print(area(2.0))  # about 12.57",
    ]
    assert added == [
        '    """The area of a circle of the given radius."""',
        "    # A changed comment is none either.",
        "    return math.pi * radius * radius",
        "print(area(2.0))  # a changed inline comment",
    ]


@pytest.mark.sphinx("html", testroot="diff-empty")
def test_identical_code_warns(app, warnings_of):
    app.build()
    assert warnings_of(app) == [
        f"{app.srcdir / 'index.rst'}:6: WARNING: no code changed from old.py to new.py"
        " [example_diff.empty]",
    ]
    html = page(app)
    assert html.select("details") == []
    assert [pre.get_text() for pre in html.select("div.highlight-python pre")] == [
        '# Greet the reader.\nprint("hello")  # once\n'
    ]


@pytest.mark.sphinx("html", testroot="diff-missing-file")
def test_missing_diff_file_warns_at_the_directive(app, warnings_of):
    app.build()
    assert warnings_of(app) == [
        f"{app.srcdir / 'index.rst'}:6: WARNING: file not found: gone.py [includenodoc.missing]",
    ]
    html = page(app)
    assert html.select("details") == []
    assert [pre.get_text() for pre in html.select("div.highlight-python pre")] == ['print("hello")\n']


# -- The narrative page's toggle -------------------------------------------------------


@pytest.mark.sphinx("html", testroot="diff-narrative")
def test_narrative_toggle_between_full_code_and_changes(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    html = page(app)
    body = html.select_one("section")
    # The original syntax still gives the full code alone.
    first_code = body.select("div.highlight-python")[0]
    assert first_code.find_previous_sibling().name == "p"
    assert first_code.find_previous_sibling().get_text() == "The first step."

    toggles = body.select("details.example-diff-toggle")
    assert len(toggles) == 1
    toggle = toggles[0]
    assert toggle.get("open") is None
    assert toggle.find("summary", recursive=False).get_text() == (
        "Show only what changed from the previous step"
    )
    # The full code comes right after the toggle (the CSS hides it while open).
    full_code = toggle.find_next_sibling()
    assert full_code["class"] == ["highlight-python", "notranslate"]
    assert full_code.select_one("pre").get_text() == (
        "numbers = [1, 2, 3]\nresult = sum(numbers)\nprint(result)\n"
    )
    block = toggle.select_one("div.example-diff")
    # Not a page of the project: the title is the script's, without a link.
    assert block.select_one("p.example-diff-title").get_text() == "What changed from First step"
    assert block.select_one("p.example-diff-title a") is None
    assert changes(diff_lines(block.select_one("div.highlight-diff"))) == (
        ["result = 0", "for number in numbers:", "    result += number"],
        ["result = sum(numbers)"],
    )
    assert block.select_one("p.example-diff-summary").get_text() == (
        "This step removes 3 lines of code and adds 1."
    )
    for name in ("first.py", "second.py"):
        assert app.srcdir / "scripts" / name in app.env.dependencies["index"]

    # Editing the previous script rebuilds the page.
    first = app.srcdir / "scripts" / "first.py"
    first.write_text('"""First."""\n\nnumbers = [1, 2, 3]\nprint(numbers)\n', encoding="utf-8")
    touch_later(first)
    app.build()
    assert warnings_of(app) == []
    block = page(app).select_one("details.example-diff-toggle div.example-diff")
    assert changes(diff_lines(block.select_one("div.highlight-diff"))) == (
        ["print(numbers)"],
        ["result = sum(numbers)", "print(result)"],
    )


@pytest.mark.sphinx("html", testroot="diff-translated")
def test_labels_and_sentences_are_translated(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    toggle = page(app).select_one("details.example-diff-toggle")
    assert toggle.find("summary", recursive=False).get_text() == "只看相对于上一步的改动"
    block = toggle.select_one("div.example-diff")
    assert block.select_one("p.example-diff-title").get_text() == ZH_TITLE % "First step"
    assert block.select_one("p.example-diff-summary").get_text() == (
        "这一步删去 3 行代码，新增 1 行。"
    )
    assert block.select_one("p.example-diff-note").get_text() == (
        "只比较代码：文档字符串、文字单元格和注释都不计入。"
    )
    assert block.select_one("details summary").get_text() == "完整差异（含注释）"
    # The code is the same in every language.
    assert diff_lines(block.select_one("div.highlight-diff"))[:2] == [
        "--- first.py",
        "+++ second.py",
    ]


# -- The real site ---------------------------------------------------------------------------

#: Each example page with a previous step, and that step's page (``PREVIOUS``,
#: placed in the galleries: "examples_<group>/<name>").
_PAGES = {page.rsplit("/", 1)[1] + ".py": page.removeprefix("beginner/") for page in EXAMPLE_PAGES}
PREVIOUS_PAGES = {_PAGES[name]: _PAGES[previous] for name, previous in tutorial_order.PREVIOUS.items()}
HAND_WRITTEN_BACKWARD = [
    "    grad_y_pred = 2.0 * (y_pred - y)",
    "    grad_w2 = h_relu.t() @ grad_y_pred",
    "    grad_h_relu = grad_y_pred @ w2.t()",
    "    grad_h = grad_h_relu.clone()",
    "    grad_h[h < 0] = 0",
    "    grad_w1 = x.t() @ grad_h",
]
HAND_WRITTEN_UPDATE = [
    "    with torch.no_grad():",
    "        for param in model.parameters():",
    "            param -= learning_rate * param.grad",
]


def site_block(site, page, zh=False):
    out = site.out / "zh_CN" if zh else site.out
    blocks = soup(out / "beginner" / f"{page}.html").select("div.example-diff")
    assert len(blocks) == 1
    return blocks[0]


@pytest.mark.parametrize("zh", [False, True], ids=["en", "zh_CN"])
@pytest.mark.parametrize("page", sorted(PREVIOUS_PAGES))
def test_site_example_pages_link_their_previous_step(site, page, zh):
    assert site.result.returncode == 0, site.result.stderr
    assert site.zh_result.returncode == 0, site.zh_result.stderr
    previous = PREVIOUS_PAGES[page]
    block = site_block(site, page, zh)
    link = block.select_one("p.example-diff-title a")
    here = page.split("/")[0]
    group, name = previous.split("/")
    assert link["href"] == (f"{name}.html" if group == here else f"../{group}/{name}.html")
    header = diff_lines(block.select_one("div.highlight-diff"))[:2]
    assert header == [f"--- {name}.py", f"+++ {page.split('/')[1]}.py"]
    removed, added = changes(diff_lines(block.select_one("div.highlight-diff")))
    assert removed or added
    # The same code in both languages.
    other = site_block(site, page, not zh)
    assert diff_lines(other.select_one("div.highlight-diff")) == diff_lines(
        block.select_one("div.highlight-diff")
    )


def test_site_example_pages_without_previous_step_have_no_diff(site):
    for page in ("examples_tensor/two_layer_net_numpy", "examples_beyond/two_layer_net_speed",
                 "examples_autograd/tf_two_layer_net"):
        assert soup(site.out / "beginner" / f"{page}.html").select("div.example-diff") == []


@pytest.mark.parametrize("zh", [False, True], ids=["en", "zh_CN"])
def test_site_autograd_diff_replaces_the_backward_pass(site, zh):
    block = site_block(site, "examples_autograd/two_layer_net_autograd", zh)
    removed, added = changes(diff_lines(block.select_one("div.highlight-diff")))
    assert [line for line in removed if line.lstrip().startswith("grad_")] == HAND_WRITTEN_BACKWARD
    assert "    loss.backward()" in added
    summary = block.select_one("p.example-diff-summary").get_text()
    assert summary == (
        "自动求导用一次调用 loss.backward() 取代了手写反向传播的 6 行代码。" if zh else
        "Autograd replaces the 6 lines of the hand-written backward pass with one call,"
        " loss.backward()."
    )
    title = block.select_one("p.example-diff-title").get_text()
    assert title == (ZH_TITLE % "PyTorch：张量" if zh else "What changed from PyTorch: Tensors")


@pytest.mark.parametrize("zh", [False, True], ids=["en", "zh_CN"])
def test_site_optim_diff_replaces_the_update(site, zh):
    block = site_block(site, "examples_nn/two_layer_net_optim", zh)
    removed, added = changes(diff_lines(block.select_one("div.highlight-diff")))
    code = [line for line in removed if line.strip()]
    start = code.index(HAND_WRITTEN_UPDATE[0])
    assert code[start : start + len(HAND_WRITTEN_UPDATE)] == HAND_WRITTEN_UPDATE
    assert "    optimizer.step()" in added
    assert "    optimizer.zero_grad()" in added
    summary = block.select_one("p.example-diff-summary").get_text()
    assert summary == (
        "torch.optim 用一次调用 optimizer.step() 取代了手写参数更新的 3 行代码。" if zh else
        "torch.optim replaces the 3 lines of the hand-written update with one call,"
        " optimizer.step()."
    )


@pytest.mark.parametrize("zh", [False, True], ids=["en", "zh_CN"])
def test_site_narrative_page_has_one_toggle_per_previous_step(site, zh):
    out = site.out / "zh_CN" if zh else site.out
    html = soup(out / "beginner" / "pytorch_with_examples.html")
    toggles = html.select("details.example-diff-toggle")
    assert len(toggles) == len(PREVIOUS_PAGES)
    names = []
    for toggle in toggles:
        assert toggle.get("open") is None
        assert toggle.find_next_sibling()["class"][0] == "highlight-python"
        lines = diff_lines(toggle.select_one("div.highlight-diff"))
        names.append(lines[1].removeprefix("+++ ").removesuffix(".py"))
    assert sorted(names) == sorted(page.split("/")[1] for page in PREVIOUS_PAGES)
    # The narrative toggle shows the same diff as the example's page.
    autograd = toggles[names.index("two_layer_net_autograd")]
    assert diff_lines(autograd.select_one("div.highlight-diff")) == diff_lines(
        site_block(site, "examples_autograd/two_layer_net_autograd", zh).select_one(
            "div.highlight-diff"
        )
    )


# -- Messages -------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[ds]")
LITERAL = re.compile(r"``.+?``")


def test_every_message_has_a_chinese_translation():
    """Each label and sentence is in sphinx.po, with the same placeholders and code."""
    catalog = read_po((REPO / "locales/zh_CN/LC_MESSAGES/sphinx.po").open("rb"))
    messages = [
        example_diff.TITLE, example_diff.TOGGLE, example_diff.NOTE, example_diff.FULL,
        example_diff.GENERIC,
        *(sentence for _anchor, sentence in tutorial_order.WHAT_IT_BUYS.values()),
    ]
    assert len(messages) == 5 + len(tutorial_order.PREVIOUS)
    for message in messages:
        entry = catalog.get(message)
        assert entry is not None, message
        assert entry.string, message
        assert "fuzzy" not in entry.flags, message
        assert sorted(PLACEHOLDER.findall(entry.string)) == sorted(PLACEHOLDER.findall(message))
        assert sorted(LITERAL.findall(entry.string)) == sorted(LITERAL.findall(message))


@pytest.mark.sphinx("html", testroot="diff-anchor")
def test_anchor_in_no_added_line_warns_and_counts_the_whole_diff(app, warnings_of):
    app.build()
    assert warnings_of(app) == [
        f"{app.srcdir / 'index.rst'}:6: WARNING: 'total(' is in no line that second.py adds"
        " to first.py [example_diff.anchor]",
    ]
    block = page(app).select_one("details.example-diff-toggle div.example-diff")
    assert block.select_one("p.example-diff-summary").get_text() == (
        "This step removes 3 lines of code and adds 1."
    )
    assert app.srcdir / "steps_anchor.py" in app.env.dependencies["index"]


@pytest.mark.sphinx("gettext", testroot="diff-narrative", srcdir="diff-narrative-gettext")
def test_labels_stay_out_of_the_pages_catalogs(app, warnings_of):
    """The page's catalog holds the page's text only: sphinx.po translates the diff's."""
    app.build()
    assert warnings_of(app) == []
    catalog = read_po((app.outdir / "index.pot").open("rb"))
    assert sorted(message.id for message in catalog if message.id) == [
        "Narrative",
        "The first step.",
        "The second step, with its changes a click away.",
    ]


def test_narrative_diff_options_follow_the_declared_previous_steps():
    """The narrative's ``:diff:`` options name exactly the steps PREVIOUS declares."""
    text = (REPO / "beginner" / "pytorch_with_examples.rst").read_text(encoding="utf-8")
    found = re.findall(
        r"^\.\. includenodoc:: \S+/(\S+\.py)\n(?:   :diff: \S+/(\S+\.py)\n)?", text, re.MULTILINE
    )
    assert len(found) == len(tutorial_order.ORDER)
    declared = {script: previous for script, previous in found if previous}
    assert declared == tutorial_order.PREVIOUS
