"""The full site, built once per session like ``make html``, read structurally."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import captured_output, downloaded, output_text, run_time_seconds, soup
from sitebuild import GALLERIES, REPO

from sphinxext.tutorial.tutorial_order import ORDER

# -- Inventory: a dropped example or page must break these tests loudly. ------
# Derived from the sources: each gallery's scripts (conf.py's galleries), in
# the order of sphinxext/tutorial/tutorial_order.py's ORDER, which must name
# every one (tests/test_tutorial_order.py). The built site must then hold a
# page for each.

EXAMPLES = {
    Path(gallery).name: [Path(name).stem for name in ORDER if (REPO / examples / name).is_file()]
    for examples, gallery in GALLERIES
}
#: Pages that moved (conf.py's redirect_pages): a page at the old address leads on.
MOVED_PAGES = {
    "beginner/examples_tensor/two_layer_net_speed": "beginner/examples_beyond/two_layer_net_speed",
    "beginner/examples_autograd/two_layer_net_compile": "beginner/examples_beyond/two_layer_net_compile",
    "beginner/examples_nn/two_layer_net_dataloader": "beginner/examples_beyond/two_layer_net_dataloader",
}
EXAMPLE_PAGES = [
    f"beginner/{group}/{name}" for group, names in EXAMPLES.items() for name in names
]
#: The example pages in the order the narrative teaches them (its sections and
#: cards): sphinxext/tutorial/tutorial_order.py's ORDER.
TAUGHT_PAGES = sorted(EXAMPLE_PAGES, key=lambda page: ORDER.index(page.rsplit("/", 1)[1] + ".py"))
#: The original tutorial's nine: 500 steps on one batch, ``step N loss`` lines,
#: a loss curve per step on the comparison chart.
LOSS_EXAMPLES = {
    "two_layer_net_numpy",
    "two_layer_net_tensor",
    "two_layer_net_autograd",
    "two_layer_net_custom_function",
    "tf_two_layer_net",
    "two_layer_net_nn",
    "two_layer_net_optim",
    "two_layer_net_module",
    "dynamic_net",
}
#: Examples that print measured times: their output differs from run to run.
TIMING_EXAMPLES = {"two_layer_net_speed", "two_layer_net_compile"}
LOSS_PAGES = [page for page in EXAMPLE_PAGES if page.rsplit("/", 1)[1] in LOSS_EXAMPLES]
TIMING_PAGES = [page for page in EXAMPLE_PAGES if page.rsplit("/", 1)[1] in TIMING_EXAMPLES]
#: A line each example prints at its end (standalone, in a notebook, on its page).
LAST_LINE = {
    "two_layer_net_speed": "at N=",
    "two_layer_net_compile": "the losses agree",
    "two_layer_net_dataloader": "the restored model's held-out loss",
}
DEFAULT_LAST_LINE = "final loss"
#: How far the last printed loss must fall below the first one.
MIN_IMPROVEMENT = {"dynamic_net": 10}
DEFAULT_IMPROVEMENT = 100

LOSS_LINE = re.compile(r"^step\s+(\d+)\s+loss\s+(\S+)$", re.MULTILINE)
EPOCH_LINE = re.compile(r"^epoch\s+(\d+)\s+loss\s+(\S+)(?:\s+held-out loss\s+\S+)?$", re.MULTILINE)
#: A row of the speed table: N, H, numpy, PyTorch on 1 thread, on all threads, accelerator
#: (medians; each cell also gives its IQR in brackets).
SPEED_ROW = re.compile(
    r"^\s*(\d+)\s+(\d+)\s+([\d.]+) \([\d.]+\)\s+([\d.]+) \([\d.]+\)\s+([\d.]+) \([\d.]+\)"
    r"\s+(n/a|[\d.]+)(?: \([\d.]+\))?$",
    re.MULTILINE,
)


def example_ids(pages=EXAMPLE_PAGES):
    return [page.rsplit("/", 1)[1] for page in pages]


def last_line(page):
    return LAST_LINE.get(page.rsplit("/", 1)[1], DEFAULT_LAST_LINE)


@pytest.fixture(params=EXAMPLE_PAGES, ids=example_ids())
def example(request, site):
    page = request.param
    return page, soup(site.out / f"{page}.html")


def test_build_is_warning_free(site):
    assert site.result.returncode == 0, site.result.stderr
    assert "WARNING" not in site.result.stderr, site.result.stderr


def test_inventory_of_example_pages(site):
    built = sorted(
        str(p.relative_to(site.out).with_suffix(""))
        for p in site.out.glob("beginner/examples_*/*.html")
        if p.stem not in ("index", "sg_execution_times")
    )
    assert built == sorted(EXAMPLE_PAGES + list(MOVED_PAGES))


def test_every_example_executed_by_runner(site):
    line = re.search(r"example_runner: executed (\d+) example", site.result.stdout)
    assert line and int(line.group(1)) == len(EXAMPLE_PAGES), site.result.stdout


def test_page_shows_code_output_and_run_time(example):
    page, html = example
    assert html.select("div.highlight-Python pre"), "no code"
    assert html.select("div.sphx-glr-script-out pre"), f"{page} shows no captured output"
    assert run_time_seconds(html) > 0, html.select_one("p.sphx-glr-timing")
    text = captured_output(html)
    assert re.search(r"^Running on \S+", text, re.MULTILINE), text
    assert last_line(page) in text, text


@pytest.mark.parametrize("page", LOSS_PAGES, ids=example_ids(LOSS_PAGES))
def test_captured_loss_falls(site, page):
    text = output_text(site, page)
    losses = [(int(s), float(v)) for s, v in LOSS_LINE.findall(text)]
    assert losses, f"{page}: no loss lines in\n{text}"
    assert [s for s, _ in losses] == [1, 100, 200, 300, 400, 500]
    name = page.rsplit("/", 1)[1]
    factor = MIN_IMPROVEMENT.get(name, DEFAULT_IMPROVEMENT)
    assert losses[-1][1] * factor <= losses[0][1], losses


def test_speed_page_shows_the_table_for_this_machine(site):
    import torch

    text = output_text(site, "beginner/examples_beyond/two_layer_net_speed")
    rows = SPEED_ROW.findall(text)
    assert [(int(n), int(h)) for n, h, *_ in rows] == [(64, 100), (256, 512), (512, 1024)], text
    for row in rows:
        assert all(float(ms) > 0 for ms in row[2:5]), rows
    # numpy and PyTorch compute the same loss before anything is timed.
    numpy_loss, torch_loss = map(float, re.search(r"numpy (\S+), PyTorch (\S+)$", text, re.MULTILINE).groups())
    assert abs(numpy_loss - torch_loss) <= 1e-4 * numpy_loss, text
    # The build ran on this machine: the page tells what it had.
    if torch.accelerator.is_available():
        assert all(row[5] != "n/a" for row in rows), rows
        assert re.search(r"^at N=\d+, H=\d+, (the accelerator is [\d.e+]+x as fast as"
                         r"|no clear difference between the accelerator and) \d+ CPU threads", text, re.M)
    else:
        assert "No accelerator was present on this machine: comparing numpy with PyTorch on the CPU only" in text
        assert all(row[5] == "n/a" for row in rows), rows
        assert "the accelerator is" not in text


def test_dataloader_epoch_losses_fall(site):
    text = output_text(site, "beginner/examples_beyond/two_layer_net_dataloader")
    assert "4096 samples in 64 batches of 64" in text, text
    losses = [(int(e), float(v)) for e, v in EPOCH_LINE.findall(text)]
    assert [e for e, _ in losses] == list(range(1, len(losses) + 1)) and len(losses) >= 3, text
    assert losses[-1][1] * 5 <= losses[0][1], losses
    assert f"final loss {losses[-1][1]:.6g}" in text
    assert not LOSS_LINE.findall(text)


def test_compile_page_reports_compile_and_step_times(site):
    text = output_text(site, "beginner/examples_beyond/two_layer_net_compile")
    first = re.search(r"^first step: eager ([\d.]+) s, compiled ([\d.]+) s \(includes compiling\)$", text, re.MULTILINE)
    assert first, text
    eager_first, compiled_first = map(float, first.groups())
    # Compiling takes far longer than one eager step.
    assert compiled_first > 10 * eager_first, text
    per_step = re.search(r"^  eager ([\d.]+) ms \([\d.]+\), compiled ([\d.]+) ms \([\d.]+\)$", text, re.MULTILINE)
    assert per_step and all(float(v) > 0 for v in per_step.groups()), text
    # A ratio, or "no clear difference" (test_teaching checks which one the figures call for).
    assert re.search(r"^(the compiled step is [\d.]+x as fast as the eager one"
                     r"|no clear difference between the compiled and the eager step: their spreads overlap)$",
                     text, re.MULTILINE), text
    agree = r"^the losses agree: largest difference \S+ of the starting loss over 500 steps$"
    assert re.search(agree, text, re.MULTILINE), text


def test_tensorflow_traced_once(site):
    text = output_text(site, "beginner/examples_autograd/tf_two_layer_net")
    assert text.count("Tracing train_step") == 1, text
    assert "traced 1 time" in text, text


def test_download_links_resolve(example, site):
    page, html = example
    hrefs = {
        a["href"]
        for a in html.select("div.sphx-glr-download a.download")
    }
    name = page.rsplit("/", 1)[1]
    assert sorted(Path(href).name for href in hrefs) == [f"{name}.ipynb", f"{name}.py", f"{name}.zip"]
    page_dir = (site.out / page).parent
    for href in hrefs:
        assert (page_dir / href).is_file(), href


@pytest.mark.parametrize("group", EXAMPLES)
def test_gallery_offers_download_all_zips(site, group):
    index = site.out / f"beginner/{group}/index.html"
    html = soup(index)
    hrefs = [a["href"] for a in html.select("div.sphx-glr-download a.download")]
    zips = [index.parent / h for h in hrefs if h.endswith(".zip")]
    assert len(zips) == 2, hrefs
    for archive in zips:
        names = sorted(Path(n).name for n in zipfile.ZipFile(archive).namelist())
        suffix = ".ipynb" if "jupyter" in archive.name else ".py"
        # With what running them takes (run_yourself): tests/test_run_yourself.py.
        assert names == sorted([*(f"{name}{suffix}" for name in EXAMPLES[group]),
                                "README.md", "requirements.txt"])


#: The warnings the build filters in an example's ignore block, which the
#: downloads leave out (run_yourself): raised inside PyTorch, not by the code.
BUILD_FILTERED_WARNINGS = ["ignore:`torch.jit.script_method` is deprecated:DeprecationWarning"]
#: The environment the runner gives every example (pinned thread pools, and
#: TensorFlow without oneDNN's reordered arithmetic): a reader who runs a
#: script with it gets the numbers its page shows.
PINNED = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_downloaded_script_runs_standalone_and_prints_the_pages_numbers(site, page, tmp_path):
    script = downloaded(site, page, ".py")
    result = subprocess.run(  # noqa: PLW1510 - the test asserts returncode
        [sys.executable, "-W", "error", *(f"-W{w}" for w in BUILD_FILTERED_WARNINGS),
         str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "agg", "TF_CPP_MIN_LOG_LEVEL": "3", **PINNED},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert last_line(page) in result.stdout
    if page not in TIMING_PAGES:
        shown = output_text(site, page)
        for lines in (LOSS_LINE, EPOCH_LINE):
            assert lines.findall(result.stdout) == lines.findall(shown), result.stdout


@pytest.mark.parametrize("group", EXAMPLES)
def test_gallery_index_follows_the_tutorial_order(site, group):
    """Each gallery's cards come in ``tutorial_order.ORDER``, not alphabetically."""
    from sphinxext.tutorial.tutorial_order import ORDER

    html = soup(site.out / f"beginner/{group}/index.html")
    cards = [
        Path(card.select_one("a")["href"].split("#")[0]).stem
        for card in html.select("div.sphx-glr-thumbnails div.sphx-glr-thumbcontainer")
    ]
    declared = [Path(name).stem for name in ORDER if Path(name).stem in EXAMPLES[group]]
    assert cards == declared
    assert sorted(cards) == sorted(EXAMPLES[group])


@pytest.mark.parametrize("language", ["", "zh_CN/"])
@pytest.mark.parametrize("old", sorted(MOVED_PAGES), ids=lambda old: old.rsplit("/", 2)[1])
def test_old_addresses_lead_to_the_moved_pages(site, language, old):
    """The pages that moved to the "Beyond the original" gallery keep their old URLs."""
    new = MOVED_PAGES[old]
    html = soup(site.out / f"{language}{old}.html")
    target = soup(site.out / f"{language}{new}.html")
    here = (site.out / f"{language}{old}.html").parent
    refresh = html.select_one('meta[http-equiv="refresh"]')["content"]
    assert refresh.startswith("0; url=")
    assert (here / refresh.removeprefix("0; url=")).resolve() == (site.out / f"{language}{new}.html").resolve()
    # The new page's own canonical URL, and a visible link named by its title.
    canonical = target.select_one('link[rel="canonical"]')["href"]
    assert html.select_one('link[rel="canonical"]')["href"] == canonical
    assert canonical.endswith(f"/{language}{new}.html")
    link = html.select_one("main a")
    assert (here / link["href"]).resolve() == (site.out / f"{language}{new}.html").resolve()
    assert link.get_text() == target.select_one("h1").get_text().rstrip("¶\uf0c1").strip()
    assert html.html["lang"] == target.html["lang"]
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    sitemap = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/{language}{old}.html<" not in sitemap
    assert f"/{language}{new}.html<" in sitemap
