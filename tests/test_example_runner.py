"""example_runner: isolation and failure reporting, on a small test root."""

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitebuild import REPO, sphinx_build

ROOTS = Path(__file__).parent / "roots"
ENV = {"PYTHONPATH": str(REPO / "sphinxext")}


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.fixture(scope="module")
def failures(tmp_path_factory):
    src = tmp_path_factory.mktemp("runner") / "src"
    shutil.copytree(ROOTS / "test-runner-failures", src)
    result = sphinx_build(src, src / "_build", env=ENV)
    return src, result, strip_ansi(result.stderr)


def output_of(src, name):
    html = BeautifulSoup((src / f"_build/gallery/{name}.html").read_text(), "lxml")
    return "\n".join(pre.get_text() for pre in html.select("div.sphx-glr-script-out pre"))


def test_build_fails(failures):
    _, result, _ = failures
    assert result.returncode != 0


@pytest.mark.parametrize(
    "name, line, message",
    [
        ("c_raises", 10, "ValueError: this example is broken"),
        ("d_sys_exit", 11, "SystemExit: 3"),
        ("f_segfault", 11, "killed by signal SIGSEGV"),
    ],
)
def test_failure_names_file_and_line(failures, name, line, message):
    _, _, stderr = failures
    pattern = rf"examples/{name}\.py:{line}: WARNING:\s+(example )?\S*{name}\.py (unexpectedly )?failed"
    assert re.search(pattern, stderr), stderr
    assert message in stderr


def test_os_exit_is_reported(failures):
    _, _, stderr = failures
    assert re.search(r"examples/e_os_exit\.py:: WARNING: example .*e_os_exit\.py failed", stderr), stderr
    assert "exited with status 7" in stderr


def test_every_page_is_still_written(failures):
    src, _, _ = failures
    for name in ["a_poison", "b_victim", "c_raises", "d_sys_exit", "e_os_exit", "f_segfault", "g_fine"]:
        assert (src / f"_build/gallery/{name}.html").is_file(), name
    assert "all good" in output_of(src, "g_fine")


def test_example_cannot_poison_the_next(failures):
    src, _, _ = failures
    assert "poisoned" in output_of(src, "a_poison")
    victim = output_of(src, "b_victim")
    assert "pi=3.14159" in victim
    assert "poison=None" in victim
    assert "json=[1]" in victim


def test_failing_examples_run_again_next_build(failures):
    src, _, _ = failures
    assert not (src / "gallery/c_raises.py.md5").exists()
    assert not (src / "gallery/f_segfault.py.md5").exists()
    assert (src / "gallery/g_fine.py.md5").exists()


def test_example_opting_out_of_parallel_runs_alone(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-runner-alone", src)
    result = sphinx_build(src, src / "_build", env=ENV)
    assert result.returncode == 0, result.stderr
    spans = {}
    for line in (src / "examples/timeline.txt").read_text().splitlines():
        name, event, when = line.split()
        spans.setdefault(name, {})[event] = float(when)
    assert len(spans) == 4
    timed = spans.pop("b_timed")
    for name, span in spans.items():
        assert span["end"] <= timed["start"] or span["start"] >= timed["end"], name
    # The others did run two at a time.
    busy = sorted(spans.values(), key=lambda s: s["start"])
    assert any(a["end"] > b["start"] for a, b in zip(busy, busy[1:], strict=False))


def test_missing_examples_folder_fails_naming_it(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinx_gallery.gen_gallery", "example_runner"]\n'
        'sphinx_gallery_conf = {"examples_dirs": ["no_such_examples"], "gallery_dirs": ["gallery"]}\n'
    )
    (src / "index.rst").write_text("Missing\n=======\n")
    result = sphinx_build(src, src / "_build", env=ENV)
    assert result.returncode != 0
    message = f"names 'no_such_examples', but there is no folder {src / 'no_such_examples'}"
    assert message in strip_ansi(result.stderr), result.stderr
