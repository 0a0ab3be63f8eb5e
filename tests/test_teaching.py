"""What the tutorial teaches stays true of its code and of what the build measured.

Fast checks read the sources: the narrative's order against ``ORDER``, and
every number the text restates against the value in the script that it
describes (in English and in the Chinese catalogs). Checks on the built site
recompute each comparative sentence the timing examples printed from the
figures printed beside it.
"""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from tutorial_order import ORDER

REPO = Path(__file__).resolve().parents[1]
NARRATIVE = REPO / "beginner" / "pytorch_with_examples.rst"
SOURCES = REPO / "beginner_source"
CATALOGS = REPO / "locales" / "zh_CN" / "LC_MESSAGES"

#: The original tutorial's examples, in its order (the seed page's sections). Written out again,
#: not imported from ORDER, so that a change of ORDER fails here.
ORIGINAL_NINE = [
    "two_layer_net_numpy.py",
    "two_layer_net_tensor.py",
    "two_layer_net_autograd.py",
    "two_layer_net_custom_function.py",
    "tf_two_layer_net.py",
    "two_layer_net_nn.py",
    "two_layer_net_optim.py",
    "two_layer_net_module.py",
    "dynamic_net.py",
]
BEYOND = ["two_layer_net_speed.py", "two_layer_net_compile.py", "two_layer_net_dataloader.py"]


def narrative_text():
    """The narrative page's reST with each run of whitespace made one space."""
    return " ".join(NARRATIVE.read_text(encoding="utf-8").split())


def script(name):
    (path,) = SOURCES.glob(f"examples_*/{name}")
    return path


def assigned(name, variable):
    """The literal value assigned to ``variable`` at the top level of a script."""
    tree = ast.parse(script(name).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == variable:
                    return ast.literal_eval(node.value)
                if isinstance(target, ast.Tuple) and variable in [e.id for e in target.elts]:
                    values = ast.literal_eval(node.value)
                    return values[[e.id for e in target.elts].index(variable)]
    raise AssertionError(f"{name} assigns no {variable}")


def loop_steps(name):
    """The ``n`` of the script's training loop ``for t in range(n)``."""
    tree = ast.parse(script(name).read_text(encoding="utf-8"))
    loops = [
        node.iter.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and node.target.id == "t"
    ]
    assert len(loops) == 1, (name, loops)
    return loops[0]


def randint_bounds(name):
    """The literal bounds of the script's one ``random.randint(a, b)`` call."""
    tree = ast.parse(script(name).read_text(encoding="utf-8"))
    calls = [
        tuple(ast.literal_eval(arg) for arg in node.args)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "randint"
    ]
    assert len(calls) == 1, (name, calls)
    return calls[0]


def one(pattern, text):
    found = re.findall(pattern, text)
    assert len(found) == 1, (pattern, found)
    return found[0]


# -- Order --------------------------------------------------------------------


def test_order_is_the_original_nine_then_beyond():
    assert ORDER == ORIGINAL_NINE + BEYOND


@pytest.mark.parametrize("directive", ["includenodoc", "galleryitem"])
def test_narrative_shows_the_examples_in_order(directive):
    paths = re.findall(rf"^\.\. {directive}:: (\S+)$", NARRATIVE.read_text(encoding="utf-8"), re.MULTILINE)
    assert [Path(p).name for p in paths] == ORDER


def test_hidden_toctrees_list_the_examples_in_order():
    text = NARRATIVE.read_text(encoding="utf-8")
    entries = re.findall(r"^   /beginner/examples_\w+/(\w+)$", text, re.MULTILINE)
    assert [f"{e}.py" for e in entries] == ORDER


def test_beyond_the_original_holds_the_newer_examples():
    text = NARRATIVE.read_text(encoding="utf-8")
    start = text.index("\nBeyond the original\n===")
    section = text[start : text.index("\n.. _examples-download:", start)]
    assert [Path(p).name for p in re.findall(r"^\.\. includenodoc:: (\S+)$", section, re.MULTILINE)] == BEYOND


# -- Numbers restated in the text -------------------------------------------------

#: (sentence in the narrative with numbers as groups, the values in the code).
RESTATED = [
    (
        r"``N, D_in, H, D_out = (\d+), (\d+), (\d+), (\d+)``",
        lambda: tuple(assigned("two_layer_net_numpy.py", v) for v in ("N", "D_in", "H", "D_out")),
    ),
    (r"train for (\d+) steps", lambda: loop_steps("two_layer_net_numpy.py")),
    (r"over steps (\d+) to (\d+),", lambda: (assigned("two_layer_net_compile.py", "warmup") + 1,
                                            assigned("two_layer_net_compile.py", "num_steps"))),
    (r"for (\d+) steps each", lambda: assigned("two_layer_net_compile.py", "num_steps")),
    (r"the data set holds (\d+) random samples", lambda: assigned("two_layer_net_dataloader.py", "num_samples")),
    (r"on (\d+) held-out samples", lambda: assigned("two_layer_net_dataloader.py", "num_held_out")),
    (r"the same batch of (\d+) samples", lambda: assigned("two_layer_net_dataloader.py", "N")),
    (r"its graph is then executed (\d+) times", lambda: loop_steps("tf_two_layer_net.py")),
    (r"a random number of times, from (\d+) to (\d+),", lambda: randint_bounds("dynamic_net.py")),
    (r"each is a sum over (\d+) samples", lambda: assigned("two_layer_net_dataloader.py", "N")),
]


@pytest.mark.parametrize(("pattern", "code"), RESTATED, ids=[p for p, _ in RESTATED])
def test_narrative_restates_the_code(pattern, code):
    found = one(pattern, narrative_text())
    found = tuple(map(int, found)) if isinstance(found, tuple) else int(found)
    assert found == code()


@pytest.mark.parametrize("name", ORIGINAL_NINE)
def test_the_nine_share_sizes_and_steps(name):
    sizes = tuple(assigned(name, v) for v in ("N", "D_in", "H", "D_out"))
    assert sizes == tuple(assigned("two_layer_net_numpy.py", v) for v in ("N", "D_in", "H", "D_out"))
    assert loop_steps(name) == loop_steps("two_layer_net_numpy.py")


def test_compile_example_restates_its_own_steps():
    comments = " ".join(
        line.lstrip("# ").strip()
        for line in script("two_layer_net_compile.py").read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    )
    first, last = map(int, one(r"median over steps (\d+) to (\d+)", comments))
    assert (first, last) == (assigned("two_layer_net_compile.py", "warmup") + 1,
                             assigned("two_layer_net_compile.py", "num_steps"))
    assert int(one(r"Train both versions for (\d+) steps", comments)) == last


def test_speed_sizes_are_the_tutorials_and_two_larger():
    sizes = assigned("two_layer_net_speed.py", "sizes")
    assert "at the tutorial's size and at two larger ones" in narrative_text()
    assert sizes[0] == (assigned("two_layer_net_numpy.py", "N"), assigned("two_layer_net_numpy.py", "H"))
    assert len(sizes) == 3 and sorted(sizes) == sizes


def test_narrative_states_no_measured_figure():
    """Every ratio a reader sees comes from a build's own output, never the text."""
    for path in (NARRATIVE, REPO / "index.rst"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\d\s*x (faster|as fast|slower)|\d+(\.\d+)?x\b", text), path


def _catalogs():
    pages = ["beginner/pytorch_with_examples.po", "index.po"]
    pages += [str(p.relative_to(CATALOGS)) for p in sorted(CATALOGS.glob("beginner/examples_*/*.po"))]
    return pages


def _numbers(text):
    return sorted(re.findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.parametrize("catalog", _catalogs())
def test_chinese_restates_the_same_numbers(catalog):
    with open(CATALOGS / catalog, "rb") as f:
        messages = [m for m in read_po(f) if m.id and m.string]
    assert messages
    for message in messages:
        assert _numbers(message.string) == _numbers(message.id), (message.id, message.string)


@pytest.mark.parametrize("catalog", sorted(str(p.relative_to(CATALOGS)) for p in CATALOGS.rglob("*.po")))
def test_catalog_has_one_term_for_batch_size_and_a_filled_header(catalog):
    text = (CATALOGS / catalog).read_text(encoding="utf-8")
    assert "批次大小" not in text
    for placeholder in ("SOME DESCRIPTIVE TITLE", "FIRST AUTHOR", "FULL NAME", "EMAIL@ADDRESS", "LANGUAGE <LL@li.org>"):
        assert placeholder not in text, placeholder


# -- Sentences derived from the build's measurements -----------------------------------


def output_text(site, page):
    html = BeautifulSoup((site.out / f"{page}.html").read_text(encoding="utf-8"), "lxml")
    return "\n".join(pre.get_text() for pre in html.select("div.sphx-glr-script-out pre"))


def close(printed, computed, figures):
    """Whether a printed ratio (a string) is ``computed``, from figures printed to 3 decimals.

    Both roundings are allowed for: the figures' (half a thousandth each) and
    the ratio's own (half a unit of its last printed digit).
    """
    mantissa = printed.split("e")[0]
    digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
    last_digit = 0.5 * 10.0**-digits * (float(printed) / float(mantissa))
    from_figures = computed * sum(0.0005 / f for f in figures)
    return abs(float(printed) - computed) <= last_digit + from_figures + 1e-12


ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(n/a|[\d.]+)$", re.MULTILINE)


def test_speed_sentences_follow_the_table(site):
    text = output_text(site, "beginner/examples_tensor/two_layer_net_speed")
    threads = int(re.search(r"^This machine has (\d+) CPU threads$", text, re.MULTILINE).group(1))
    rows = [(int(n), int(h), float(a), float(b), float(c), None if d == "n/a" else float(d))
            for n, h, a, b, c, d in ROW.findall(text)]
    assert len(rows) == len(assigned("two_layer_net_speed.py", "sizes")), text
    assert f"torch {threads} threads" in text
    n, h, numpy_ms, one_ms, all_ms, acc_ms = rows[-1]
    ratio = re.search(rf"^at N={n}, H={h}, PyTorch on 1 CPU thread is ([\d.e+]+)x as fast as numpy on 1 thread$",
                      text, re.MULTILINE).group(1)
    assert close(ratio, numpy_ms / one_ms, [numpy_ms, one_ms]), (ratio, rows)
    ratio = re.search(rf"^at N={n}, H={h}, PyTorch on {threads} CPU threads is ([\d.e+]+)x as fast as on 1$",
                      text, re.MULTILINE).group(1)
    assert close(ratio, one_ms / all_ms, [one_ms, all_ms]), (ratio, rows)
    if acc_ms is None:
        assert all(row[5] is None for row in rows)
        assert re.search(r"^no accelerator was present, so none was measured$", text, re.MULTILINE), text
        assert "the accelerator" not in text
    else:
        wins = ast.literal_eval(re.search(r"^the accelerator beats \d+ CPU threads at \d+ of \d+ sizes: (.*)$",
                                          text, re.MULTILINE).group(1))
        assert wins == [f"N={r[0]}, H={r[1]}" for r in rows if r[5] < r[4]], (wins, rows)
        ratio = re.search(r"the accelerator is ([\d.e+]+)x as fast as", text).group(1)
        assert close(ratio, all_ms / acc_ms, [all_ms, acc_ms]), (ratio, rows)


def test_compile_sentences_follow_the_measurement(site):
    text = output_text(site, "beginner/examples_autograd/two_layer_net_compile")
    eager_first, compiled_first = map(float, re.search(
        r"^first step: eager ([\d.]+) s, compiled ([\d.]+) s \(includes compiling\)$", text, re.MULTILINE).groups())
    steps = re.search(r"^time per step, median of steps (\d+) to (\d+):$", text, re.MULTILINE).groups()
    assert tuple(map(int, steps)) == (assigned("two_layer_net_compile.py", "warmup") + 1,
                                      assigned("two_layer_net_compile.py", "num_steps"))
    eager_ms, compiled_ms = map(float, re.search(
        r"^  eager ([\d.]+) ms, compiled ([\d.]+) ms$", text, re.MULTILINE).groups())
    ratio = re.search(r"^the compiled step is ([\d.]+)x as fast as the eager one$", text, re.MULTILINE).group(1)
    assert close(ratio, eager_ms / compiled_ms, [eager_ms, compiled_ms]), text
    pays = re.search(r"^compiling pays for itself after about (\d+) steps$", text, re.MULTILINE)
    if compiled_ms < eager_ms:
        steps = (compiled_first - eager_first) / ((eager_ms - compiled_ms) / 1000)
        assert pays and abs(int(pays.group(1)) - steps) <= 0.05 * steps + 1, (text, steps)
    else:
        assert not pays
        assert "the compiled step was not faster here, so compiling did not pay for itself" in text


# -- The built pages, in both languages ----------------------------------------------------

CREDIT = "https://github.com/jcjohnson/pytorch-examples"


@pytest.mark.parametrize("language", ["", "zh_CN/"])
@pytest.mark.parametrize("page", ["index.html", "beginner/pytorch_with_examples.html"])
def test_pages_credit_the_original(site, language, page):
    html = BeautifulSoup((site.out / language / page).read_text(encoding="utf-8"), "lxml")
    body = html.select_one("div[itemprop=articleBody]")
    links = [a for a in body.select("a.reference.external") if a["href"] == CREDIT]
    assert len(links) == 1, page
    assert "Justin Johnson" in links[0].find_parent("p").get_text()


@pytest.mark.parametrize("language", ["", "zh_CN/"])
def test_beyond_the_original_is_last_before_the_examples(site, language):
    html = BeautifulSoup((site.out / language / "beginner/pytorch_with_examples.html").read_text(encoding="utf-8"),
                         "lxml")
    sections = html.select("div[itemprop=articleBody] > section > section")
    ids = [s["id"] for s in sections]
    assert ids[-2:] == ["beyond-the-original", "examples"], ids
    shown = sections[-2].select("div.highlight-python, div.highlight-Python")
    assert len(shown) == len(BEYOND)
    assert html.select_one("div.admonition.admonition-coming-from-an-older-tutorial") is not None


@pytest.mark.parametrize("page", ["two_layer_net_compile", "two_layer_net_speed"])
def test_build_machinery_is_not_in_the_code_readers_copy(site, page):
    group = "examples_autograd" if page == "two_layer_net_compile" else "examples_tensor"
    html = BeautifulSoup((site.out / f"beginner/{group}/{page}.html").read_text(encoding="utf-8"), "lxml")
    code = "\n".join(pre.get_text() for pre in html.select("div.highlight-Python pre"))
    assert "import torch" in code
    for hidden in ("sphinx_gallery", "filterwarnings", "running beside it"):
        assert hidden not in code, hidden
