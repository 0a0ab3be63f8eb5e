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

from sphinxext.tutorial.tutorial_order import ORDER

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
#: The examples beyond the original, in the order ORDER teaches them (after the nine).
BEYOND = ORDER[len(ORIGINAL_NINE):]


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
    assert ORDER[: len(ORIGINAL_NINE)] == ORIGINAL_NINE
    assert BEYOND, "ORDER names no example beyond the original nine"


@pytest.mark.parametrize("directive", ["includenodoc", "galleryitem"])
def test_narrative_shows_the_examples_in_order(directive):
    paths = re.findall(rf"^\.\. {directive}:: (\S+)$", NARRATIVE.read_text(encoding="utf-8"), re.MULTILINE)
    assert [Path(p).name for p in paths] == ORDER, (
        f"each example needs a `.. {directive}::` on beginner/pytorch_with_examples.rst,"
        " in the order of ORDER (sphinxext/tutorial/tutorial_order.py)")


def test_hidden_toctrees_list_the_examples_in_order():
    text = NARRATIVE.read_text(encoding="utf-8")
    entries = re.findall(r"^   /beginner/examples_\w+/(\w+)$", text, re.MULTILINE)
    assert [f"{e}.py" for e in entries] == ORDER, (
        "each example needs an entry in its section's hidden toctree on"
        " beginner/pytorch_with_examples.rst, in the order of ORDER (sphinxext/tutorial/tutorial_order.py)")


def test_beyond_the_original_holds_the_newer_examples():
    text = NARRATIVE.read_text(encoding="utf-8")
    start = text.index("\nBeyond the original\n===")
    section = text[start : text.index("\n.. _examples-download:", start)]
    shown = [Path(p).name for p in re.findall(r"^\.\. includenodoc:: (\S+)$", section, re.MULTILINE)]
    assert shown == BEYOND, (
        "the examples after the original nine in ORDER (sphinxext/tutorial/tutorial_order.py) are"
        " the sections of \"Beyond the original\" on beginner/pytorch_with_examples.rst")


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
    (r"the data set holds (\d+) samples", lambda: assigned("two_layer_net_dataloader.py", "num_samples")),
    (r"a hidden layer of (\d+) units", lambda: assigned("two_layer_net_dataloader.py", "teacher_hidden")),
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
    # One term for H (隐藏层大小), overhead rather than accounting, and no promise of identical runs.
    for wrong in ("隐藏层维度", "簿记", "每次运行的结果都完全相同"):
        assert wrong not in text, wrong
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


FIGURE = r"([\d.]+) \(([\d.]+)\)"
ROW = re.compile(rf"^\s*(\d+)\s+(\d+)\s+{FIGURE}\s+{FIGURE}\s+{FIGURE}\s+(?:n/a|{FIGURE})$", re.MULTILINE)


def apart(a, b):
    """The example's rule, from printed (median, IQR) figures: True, False, or None when rounding could decide."""
    margin = abs(a[0] - b[0]) - (a[1] + b[1]) / 2
    return None if abs(margin) <= 0.002 else margin > 0


def check_comparison(text, prefix, name_a, a, name_b, b):
    """The sentence comparing ``a`` with ``b`` is a ratio when they are clearly apart, "no clear difference" if not."""
    ratio = re.search(rf"^{re.escape(prefix + name_a)} is ([\d.e+]+)x as fast as {re.escape(name_b)}$",
                      text, re.MULTILINE)
    same = re.search(rf"^{re.escape(prefix)}no clear difference between {re.escape(name_a)} and {re.escape(name_b)}:"
                     r" their spreads overlap$", text, re.MULTILINE)
    assert bool(ratio) != bool(same), (prefix, name_a, name_b, text)
    verdict = apart(a, b)
    if verdict is not None:
        assert bool(ratio) == verdict, (a, b, text)
    if ratio:
        assert close(ratio.group(1), b[0] / a[0], [a[0], b[0]]), (ratio.group(1), a, b)


def speed_rows(text):
    rows = []
    for found in ROW.findall(text):
        n, h, *numbers = found
        figures = [(float(numbers[i]), float(numbers[i + 1])) if numbers[i] else None for i in range(0, 8, 2)]
        rows.append((int(n), int(h), *figures))
    return rows


def test_speed_sentences_follow_the_table(site):
    text = output_text(site, "beginner/examples_beyond/two_layer_net_speed")
    threads = int(re.search(r"^This machine has (\d+) CPU threads$", text, re.MULTILINE).group(1))
    rows = speed_rows(text)
    assert len(rows) == len(assigned("two_layer_net_speed.py", "sizes")), text
    assert f"torch {threads} threads" in text
    fewest = int(re.search(r"^milliseconds per training step: median \(IQR\) of (\d+) to \d+ blocks each$",
                           text, re.MULTILINE).group(1))
    assert fewest >= assigned("two_layer_net_speed.py", "min_blocks"), text
    assert re.search(r"^numpy's BLAS: \w+ \S+, 1 thread\(s\)$", text, re.MULTILINE), text
    n, h, numpy_t, one_t, all_t, acc_t = rows[-1]
    prefix = f"at N={n}, H={h}, "
    check_comparison(text, prefix, "PyTorch on 1 CPU thread", one_t, "numpy on 1 thread", numpy_t)
    check_comparison(text, prefix, f"PyTorch on {threads} CPU threads", all_t, "on 1", one_t)
    if acc_t is None:
        assert all(row[5] is None for row in rows)
        assert re.search(r"^no accelerator was present, so none was measured$", text, re.MULTILINE), text
        assert "the accelerator" not in text
    else:
        wins = ast.literal_eval(re.search(r"^the accelerator is clearly faster than \d+ CPU threads at \d+ of \d+"
                                          r" sizes: (.*)$", text, re.MULTILINE).group(1))
        for row in rows:
            verdict = apart(row[5], row[4])
            if verdict is not None:
                assert (f"N={row[0]}, H={row[1]}" in wins) == (verdict and row[5][0] < row[4][0]), (wins, rows)
        check_comparison(text, prefix, "the accelerator", acc_t, f"{threads} CPU threads", all_t)


def test_speed_comparison_rule_reads_both_ways():
    """The check above accepts a ratio only for figures clearly apart, and "no clear difference" only if not."""
    text = ("at N=1, H=2, no clear difference between A and B: their spreads overlap\n"
            "at N=1, H=2, C is 2x as fast as D\n")
    check_comparison(text, "at N=1, H=2, ", "A", (10.0, 2.0), "B", (11.0, 1.0))
    check_comparison(text, "at N=1, H=2, ", "C", (5.0, 0.1), "D", (10.0, 0.1))
    with pytest.raises(AssertionError):
        check_comparison(text, "at N=1, H=2, ", "A", (5.0, 0.1), "B", (10.0, 0.1))
    with pytest.raises(AssertionError):
        check_comparison(text, "at N=1, H=2, ", "C", (10.0, 4.0), "D", (11.0, 4.0))


def check_compile_output(text):
    eager_first, compiled_first = map(float, re.search(
        r"^first step: eager ([\d.]+) s, compiled ([\d.]+) s \(includes compiling\)$", text, re.MULTILINE).groups())
    steps = re.search(r"^time per step, median \(IQR\) of steps (\d+) to (\d+):$", text, re.MULTILINE).groups()
    assert tuple(map(int, steps)) == (assigned("two_layer_net_compile.py", "warmup") + 1,
                                      assigned("two_layer_net_compile.py", "num_steps"))
    eager_ms, eager_iqr, compiled_ms, compiled_iqr = map(float, re.search(
        r"^  eager ([\d.]+) ms \(([\d.]+)\), compiled ([\d.]+) ms \(([\d.]+)\)$", text, re.MULTILINE).groups())
    ratio = re.search(r"^the compiled step is ([\d.]+)x as fast as the eager one$", text, re.MULTILINE)
    same = re.search(r"^no clear difference between the compiled and the eager step: their spreads overlap$",
                     text, re.MULTILINE)
    assert bool(ratio) != bool(same), text
    verdict = apart((eager_ms, eager_iqr), (compiled_ms, compiled_iqr))
    if verdict is not None:
        assert bool(ratio) == verdict, text
    pays = re.search(r"^compiling pays for itself after about (\d+) steps$", text, re.MULTILINE)
    if ratio:
        assert close(ratio.group(1), eager_ms / compiled_ms, [eager_ms, compiled_ms]), text
    if ratio and compiled_ms < eager_ms:
        steps = (compiled_first - eager_first) / ((eager_ms - compiled_ms) / 1000)
        assert pays and abs(int(pays.group(1)) - steps) <= 0.05 * steps + 1, (text, steps)
    else:
        assert not pays, text
    if ratio and compiled_ms > eager_ms:
        assert "the compiled step was slower here, so compiling did not pay for itself" in text


def test_compile_sentences_follow_the_measurement(site):
    check_compile_output(output_text(site, "beginner/examples_beyond/two_layer_net_compile"))


#: What the compile example's comment and the narrative say the compiler generated code for.
COMPILE_REPORT = re.compile(r"^  (forward|backward) pass: library calls ([\w, ]+); generated kernels ([\w, ]+)$",
                            re.MULTILINE)


def compile_report(text):
    return {name: (library.split(", "), kernels.split(", ")) for name, library, kernels in COMPILE_REPORT.findall(text)}


def check_compile_report(report):
    """The text's claims about fusion hold for what this build's compile generated."""
    assert set(report) == {"forward", "backward"}, report
    for library, kernels in report.values():
        # The matrix products stay library calls, and nothing else is one.
        assert library and set(library) <= {"mm", "addmm", "bmm"}, report
        # The loss is outside the model, so no generated kernel computes it.
        assert not any(op in kernel for kernel in kernels for op in ("mse", "pow", "sub")), report
    assert any("relu" in kernel for kernel in report["forward"][1]), report
    assert any("threshold_backward" in kernel for kernel in report["backward"][1]), report
    assert any("sum" in kernel for kernel in report["backward"][1]), report


def test_compile_lists_what_it_generated(site):
    check_compile_report(compile_report(output_text(site, "beginner/examples_beyond/two_layer_net_compile")))


def test_fusion_claims_are_in_the_text_they_are_checked_for():
    """The sentences that check_compile_report holds to the build's output."""
    text = narrative_text()
    for claim in ("the ReLU in the forward pass", "``threshold_backward``", "``sum``", "runs eagerly"):
        assert claim in text, claim
    comments = " ".join(line.lstrip("# ").strip() for line in
                        script("two_layer_net_compile.py").read_text(encoding="utf-8").splitlines())
    for claim in ("the ReLU in the forward pass", "(``threshold_backward``)", "(``sum``, over the batch)",
                  "so it runs eagerly"):
        assert claim in comments, claim


def test_compile_report_check_fails_on_a_fused_loss():
    good = {"forward": (["addmm", "addmm"], ["relu"]), "backward": (["mm"], ["sum_threshold_backward", "sum"])}
    check_compile_report(good)
    with pytest.raises(AssertionError):
        check_compile_report({**good, "forward": (["addmm"], ["relu", "mse_loss"])})
    with pytest.raises(AssertionError):
        check_compile_report({**good, "backward": (["mm"], ["sum"])})


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
    html = BeautifulSoup((site.out / f"beginner/examples_beyond/{page}.html").read_text(encoding="utf-8"), "lxml")
    code = "\n".join(pre.get_text() for pre in html.select("div.highlight-Python pre"))
    assert "import torch" in code
    for hidden in ("sphinx_gallery", "filterwarnings", "running beside it"):
        assert hidden not in code, hidden


# -- Sentences that describe the build's recorded losses --------------------------------------

STEP_LOSS = re.compile(r"^step +(\d+)  loss ([\d.e+-]+)$", re.MULTILINE)


def printed_losses(site, page):
    return {int(step): float(loss) for step, loss in STEP_LOSS.findall(output_text(site, page))}


def steps_in(words):
    """The step numbers of a phrase such as ``100, 200 and 300``."""
    return [int(n) for n in re.findall(r"\d+", words)]


def test_adam_against_gradient_descent_follows_the_printed_losses(site):
    sgd = printed_losses(site, "beginner/examples_nn/two_layer_net_nn")
    adam = printed_losses(site, "beginner/examples_nn/two_layer_net_optim")
    assert sgd[1] == adam[1], (sgd, adam)  # the same starting weights, as the text says
    sgd_lower, adam_lower = one(r"plain gradient descent is lower at steps ([\d, and]+?), and Adam at steps"
                                r" ([\d, and]+?);", narrative_text())
    assert sorted(steps_in(sgd_lower) + steps_in(adam_lower)) == sorted(set(sgd) - {1}), (sgd_lower, adam_lower)
    for step in steps_in(sgd_lower):
        assert sgd[step] < adam[step], (step, sgd, adam)
    for step in steps_in(adam_lower):
        assert adam[step] < sgd[step], (step, sgd, adam)


def test_timing_text_states_the_examples_least_blocks():
    assert "at least five blocks" in narrative_text()
    assert assigned("two_layer_net_speed.py", "min_blocks") == 5


def test_seeding_promises_the_same_data_not_identical_runs():
    for path in [NARRATIVE, *SOURCES.glob("examples_*/*.py")]:
        text = " ".join(path.read_text(encoding="utf-8").replace("#", " ").split())
        assert "every run identical" not in text, path
    assert "the last digits of the printed losses still depend on the machine" in narrative_text()


def test_tensor_facts_the_text_states():
    """Each fact of the tensor section's device and numpy-bridge paragraphs, run."""
    torch = pytest.importorskip("torch")
    text = narrative_text()
    x = torch.ones(3)
    assert '``x.to("cpu") is x``' in text and x.to("cpu") is x
    assert "It never changes ``x``" in text and x.to(torch.float64).dtype == torch.float64 and x.dtype == torch.float32
    model = torch.nn.Linear(2, 2)
    assert "in place" in text and model.to(torch.float64) is model and model.weight.dtype == torch.float64
    w = torch.ones(3, requires_grad=True)
    assert "It also refuses a tensor that requires gradients" in text
    with pytest.raises(RuntimeError, match="requires grad"):
        w.numpy()
    assert "``w.detach().numpy()`` works" in text
    array = w.detach().numpy()
    array[0] = 5
    assert w[0].item() == 5  # the same memory, as the text says


def test_dataloader_example_restates_its_own_sizes():
    comments = " ".join(
        line.lstrip("# ").strip()
        for line in script("two_layer_net_dataloader.py").read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    )
    samples = assigned("two_layer_net_dataloader.py", "num_samples")
    batch = assigned("two_layer_net_dataloader.py", "N")
    assert int(one(r"The data set has (\d+) samples", comments)) == samples
    assert int(one(r"(\d+) times the batch we used so far", comments)) == samples // batch
    assert int(one(r"each epoch makes (\d+) steps", comments)) == samples // batch
    assert int(one(r"averages over (\d+) slightly different models", comments)) == samples // batch
    assert int(one(r"summarizes (\d+) optimizer steps", comments)) == samples // batch
    assert int(one(r"Keep (\d+) more samples aside", comments)) == assigned("two_layer_net_dataloader.py",
                                                                             "num_held_out")
    assert int(one(r"a hidden layer of (\d+) units", comments)) == assigned("two_layer_net_dataloader.py",
                                                                             "teacher_hidden")


def test_held_out_evaluation_works_as_the_text_says(site):
    text = output_text(site, "beginner/examples_beyond/two_layer_net_dataloader")
    held_out, before, training = map(float, re.search(
        r"^held-out loss ([\d.e+-]+) \(before training ([\d.e+-]+)\), training loss ([\d.e+-]+) \(per batch of \d+\)$",
        text, re.MULTILINE).groups())
    # "falls far below its value before training" and "stays above the training loss"
    assert "The held-out loss falls far below its value before training" in narrative_text()
    assert held_out < before / 2, text
    assert "it stays above the training loss" in narrative_text()
    assert held_out > training, text
    restored, trained = re.search(r"^the restored model's held-out loss ([\d.e+-]+), the trained one's ([\d.e+-]+)$",
                                  text, re.MULTILINE).groups()
    assert "The restored model's held-out loss equals the trained one's." in narrative_text()
    assert restored == trained, text


def test_gradcheck_runs_on_the_cpu():
    """MPS has no float64: the float64 input of gradcheck is made on the CPU, whatever ``device`` is."""
    tree = ast.parse(script("two_layer_net_custom_function.py").read_text(encoding="utf-8"))
    (call,) = [node.value for node in tree.body if isinstance(node, ast.Assign)
               and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["x_check"]]
    keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
    assert keywords["dtype"] == "torch.float64" and "device" not in keywords, keywords
    assert "on the CPU whatever the device" in narrative_text()


def test_learners_prose_names_no_build_plumbing():
    text = narrative_text()
    for plumbing in ("sphinx_gallery", "doing nothing else", "OPENBLAS_NUM_THREADS"):
        assert plumbing not in text, plumbing


def test_legacy_idioms_come_after_the_examples_and_hold():
    torch = pytest.importorskip("torch")
    text = NARRATIVE.read_text(encoding="utf-8")
    box = text.index(".. admonition:: Coming from an older tutorial?")
    assert box > text.rindex(".. galleryitem::")
    for idiom in ("``x.type(torch.cuda.FloatTensor)``", "``relu = MyReLU()``", "Calling an instance raises an error."):
        assert idiom in " ".join(text[box:].split()), idiom

    class Relu(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad):
            return grad

    with pytest.warns(DeprecationWarning):
        instance = Relu()
    with pytest.raises(RuntimeError):
        instance(torch.ones(2))
