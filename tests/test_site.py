"""The full site, built once per session like ``make html``, read structurally."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

# -- Inventory: a dropped example or page must break these tests loudly. ------

EXAMPLES = {
    "examples_tensor": ["two_layer_net_numpy", "two_layer_net_tensor"],
    "examples_autograd": [
        "two_layer_net_autograd",
        "two_layer_net_custom_function",
        "tf_two_layer_net",
    ],
    "examples_nn": [
        "two_layer_net_nn",
        "two_layer_net_optim",
        "two_layer_net_module",
        "dynamic_net",
    ],
}
EXAMPLE_PAGES = [
    f"beginner/{group}/{name}" for group, names in EXAMPLES.items() for name in names
]
#: How far the last printed loss must fall below the first one.
MIN_IMPROVEMENT = {"dynamic_net": 10}
DEFAULT_IMPROVEMENT = 100

LOSS_LINE = re.compile(r"^step\s+(\d+)\s+loss\s+(\S+)$", re.MULTILINE)


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


def example_ids():
    return [page.rsplit("/", 1)[1] for page in EXAMPLE_PAGES]


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
    assert built == sorted(EXAMPLE_PAGES)


def test_every_example_executed_by_runner(site):
    line = re.search(r"example_runner: executed (\d+) example", site.result.stdout)
    assert line and int(line.group(1)) == len(EXAMPLE_PAGES), site.result.stdout


def test_page_shows_code_output_and_run_time(example):
    page, html = example
    assert html.select("div.highlight-Python pre"), "no code"
    outputs = html.select("div.sphx-glr-script-out pre")
    assert outputs, f"{page} shows no captured output"
    timing = html.select_one("p.sphx-glr-timing").get_text()
    seconds = re.search(r"\(\s*(\d+) minutes\s+([\d.]+) seconds\)", timing)
    assert seconds, timing
    assert int(seconds.group(1)) * 60 + float(seconds.group(2)) > 0, timing


def test_captured_loss_falls(example):
    page, html = example
    text = "\n".join(pre.get_text() for pre in html.select("div.sphx-glr-script-out pre"))
    losses = [(int(s), float(v)) for s, v in LOSS_LINE.findall(text)]
    assert losses, f"{page}: no loss lines in\n{text}"
    assert [s for s, _ in losses] == [1, 100, 200, 300, 400, 500]
    name = page.rsplit("/", 1)[1]
    factor = MIN_IMPROVEMENT.get(name, DEFAULT_IMPROVEMENT)
    assert losses[-1][1] * factor <= losses[0][1], losses
    assert "\r" not in text
    assert re.search(r"^Running on \S+", text, re.MULTILINE), text


def test_tensorflow_traced_once(site):
    html = soup(site.out / "beginner/examples_autograd/tf_two_layer_net.html")
    text = "\n".join(pre.get_text() for pre in html.select("div.sphx-glr-script-out pre"))
    assert text.count("Tracing train_step") == 1, text
    assert "traced 1 time" in text, text


def test_download_links_resolve(example, site):
    page, html = example
    hrefs = {
        a["href"]
        for a in html.select("div.sphx-glr-download a.download")
    }
    suffixes = {Path(href).suffix for href in hrefs}
    assert {".py", ".ipynb", ".zip"} <= suffixes, hrefs
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
        assert names == sorted(f"{name}{suffix}" for name in EXAMPLES[group])


def _downloaded(site, page, suffix):
    html = soup(site.out / f"{page}.html")
    for a in html.select("div.sphx-glr-download a.download"):
        if a["href"].endswith(suffix):
            return (site.out / page).parent / a["href"]
    raise AssertionError(f"{page} has no {suffix} download")


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_downloaded_script_runs_standalone(site, page, tmp_path):
    script = _downloaded(site, page, ".py")
    result = subprocess.run(  # noqa: PLW1510 - the test asserts returncode
        [sys.executable, "-W", "error", str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "agg", "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "final loss" in result.stdout
