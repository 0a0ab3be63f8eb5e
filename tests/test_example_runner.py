"""example_runner: isolation and failure reporting, on a small test root."""

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitebuild import sphinx_build

ROOTS = Path(__file__).parent / "roots"


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.fixture(scope="module")
def failures(tmp_path_factory):
    src = tmp_path_factory.mktemp("runner") / "src"
    shutil.copytree(ROOTS / "test-runner-failures", src)
    result = sphinx_build(src, src / "_build")
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
    timeline = tmp_path / "timeline.txt"
    result = sphinx_build(src, src / "_build", env={"TIMELINE": str(timeline)})
    assert result.returncode == 0, result.stderr
    spans = {}
    for line in timeline.read_text().splitlines():
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
        'extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.example_runner"]\n'
        'sphinx_gallery_conf = {"examples_dirs": ["no_such_examples"], "gallery_dirs": ["gallery"]}\n'
    )
    (src / "index.rst").write_text("Missing\n=======\n")
    result = sphinx_build(src, src / "_build")
    assert result.returncode != 0
    message = f"names 'no_such_examples', but there is no folder {src / 'no_such_examples'}"
    assert message in strip_ansi(result.stderr), result.stderr


@pytest.fixture(scope="module")
def conventions(tmp_path_factory):
    src = tmp_path_factory.mktemp("conventions") / "src"
    shutil.copytree(ROOTS / "test-runner-conventions", src)
    result = sphinx_build(src, src / "_build")
    return src, result


def test_sphinx_gallery_behaviours(conventions):
    """What example_runner's swap of generate_file_rst relies on (see its docstring)."""
    import json

    src, result = conventions
    assert result.returncode != 0, "a failing example no longer fails the build"
    records = json.loads((src / "results.json").read_text())
    assert sorted(records) == ["a_plot.py", "b_fails.py"], (
        "generate_dir_rst no longer calls gen_rst.generate_file_rst for every example"
    )
    for record in records.values():
        assert record["length"] == 4, "generate_file_rst no longer returns (intro, title, cost, out_vars)"
        assert record["cost"] == ["float", "float"], "generate_file_rst's cost is no longer (seconds, memory)"
    assert "formatted_exception" in records["b_fails.py"]["out_vars"], (
        "a failed example's out_vars no longer hold 'formatted_exception'"
    )
    assert "passing" in records["a_plot.py"]["out_vars"], (
        "a passing example's out_vars no longer hold 'passing'"
    )


def test_sphinx_gallery_naming_conventions(conventions):
    """Each rule of _examplepaths, checked against what sphinx-gallery wrote."""
    from sphinxext.core.examplepaths import (
        forget_run,
        generated_files,
        image_files,
        image_name,
        is_up_to_date,
        md5_file,
        parse_run_time,
        reference_label,
        thumbnail_name,
    )

    src, _ = conventions
    gallery = src / "gallery"
    assert (gallery / "images" / image_name("a_plot", 1)).is_file(), "figure file names changed"
    assert image_files(gallery / "images", "a_plot") == [
        gallery / "images" / image_name("a_plot", 1),
        gallery / "images" / "sphx_glr_a_plot_001_2_00x.png",
    ], "figure file names (or image_srcset's copies) changed"
    assert (gallery / "images" / "thumb" / thumbnail_name("a_plot")).is_file(), (
        "thumbnail file names changed"
    )
    rst = (gallery / "a_plot.rst").read_text()
    assert f".. _{reference_label('gallery/a_plot.py')}:" in rst.lower(), "reference labels changed"
    everything = {p for p in gallery.rglob("*a_plot*") if p.is_file()}
    assert everything == set(generated_files(gallery, "a_plot")), (
        "sphinx-gallery generates files that _examplepaths.GENERATED_SUFFIXES does not list"
    )
    assert md5_file(gallery / "a_plot.py").is_file(), "the md5 file of a passing example moved"
    assert is_up_to_date(src / "examples/a_plot.py", gallery / "a_plot.py"), "the md5 rule changed"
    assert not md5_file(gallery / "b_fails.py").exists(), "a failed example got an md5 file"
    html = BeautifulSoup((src / "_build/gallery/a_plot.html").read_text(), "lxml")
    timing = html.select_one("p.sphx-glr-timing").get_text()
    assert parse_run_time(timing) is not None, f"the run-time sentence changed: {timing!r}"
    # Editing the source makes it stale; forget_run makes it stale too.
    copy = src / "examples/a_plot.py"
    copy.write_text(copy.read_text() + "\n")
    assert not is_up_to_date(copy, gallery / "a_plot.py"), "an edited example counts as up to date"
    forget_run(gallery / "a_plot.py")
    assert not md5_file(gallery / "a_plot.py").exists()


# -- output checks: on each cell's output as sphinx-gallery captured it ---------


@pytest.fixture(scope="module")
def output_checks(tmp_path_factory):
    src = tmp_path_factory.mktemp("output") / "src"
    shutil.copytree(ROOTS / "test-runner-output", src)
    result = sphinx_build(src, src / "_build")
    return src, result, strip_ansi(result.stderr)


def carriage_return(src, name, line):
    return (
        f"{src / 'examples' / name}:{line}: WARNING: example {name} prints a carriage return"
        " (\\r) in this cell's output; print progress with plain newlines"
        " [example_runner.carriage_return]"
    )


def test_carriage_returns_anywhere_in_a_line_and_long_output_are_located_warnings(output_checks):
    src, result, stderr = output_checks
    assert result.returncode != 0
    warnings = sorted(line for line in stderr.splitlines() if "WARNING:" in line)
    assert warnings == [
        carriage_return(src, "a_start.py", 8),
        carriage_return(src, "b_middle.py", 13),
        carriage_return(src, "c_end.py", 8),
        f"{src / 'examples/d_progress.py'}:8: WARNING: example d_progress.py prints 502 lines"
        " in this cell, more than example_runner_max_output_lines = 200; print less"
        " [example_runner.long_output]",
        carriage_return(src, "d_progress.py", 8),
    ]


def test_examples_whose_output_warned_run_again(output_checks):
    src, _, _ = output_checks
    gallery = src / "gallery"
    assert sorted(p.name for p in gallery.glob("*.py.md5")) == ["e_quiet.py.md5"]


def test_captured_output_reads_back_what_the_cell_printed():
    """What sphinx-gallery's textwrap.indent did to the text is undone exactly."""
    from textwrap import indent

    from sphinx_gallery.gen_rst import CODE_OUTPUT, HTML_HEADER

    from sphinxext.execution._gallery_state import captured_output

    for text in ["\rstep 0\rstep 1", "a\rb\n", "done\r\n", "x\n\n  y\n", "\r\n\r\n"]:
        rst = CODE_OUTPUT.format(indent(text, " " * 4))
        cell = f"\n.. image:: x.png\n\n{rst}\n{HTML_HEADER.format('    <p/>')}\n\n"
        assert captured_output(cell).rstrip("\n") == text.rstrip("\n"), repr(text)
    assert captured_output("\n\n\n\n\n") == ""


# -- a missing title is named at the example ----------------------------------------


@pytest.mark.parametrize(
    "docstring, line",
    [('"""\nJust an intro, no title.\n"""\n', 1), ('# A comment.\n\n"""Intro only."""\n', 3), ("", 1)],
    ids=["intro-only", "after-a-comment", "no-docstring"],
)
def test_missing_title_is_one_warning_at_the_example(tmp_path, docstring, line):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-runner-output", src)
    for script in (src / "examples").glob("*.py"):
        script.unlink()
    (src / "examples/a_titled.py").write_text('"""\nTitled\n======\n\nHas one.\n"""\n\nprint(1)\n')
    untitled = src / "examples/b_untitled.py"
    untitled.write_text(docstring + "\nprint(2)\n")
    result = sphinx_build(src, src / "_build")
    assert result.returncode != 0
    warnings = [line for line in strip_ansi(result.stderr).splitlines() if "WARNING:" in line]
    at_the_example = [w for w in warnings if w.startswith(str(untitled))]
    assert at_the_example == [
        f"{untitled}:{line}: WARNING: example examples/b_untitled.py has no title: its docstring"
        " must start with a reST title (a line underlined with '=') [example_runner.title]"
    ]
    assert warnings[0] == at_the_example[0]
    assert (src / "_build/gallery/a_titled.html").is_file()


# -- examples never write into the source tree ----------------------------------------

SAVES = '''"""
Saves
=====

Reads a file beside it, then saves a model and a checkpoint, as tutorials do.
"""

import pathlib

print(int(pathlib.Path("data.txt").read_text()) + 1)
pathlib.Path("model.pt").write_bytes(b"weights")
pathlib.Path("checkpoints").mkdir()
saved = pathlib.Path("checkpoints/last.pt").write_bytes(b"weights")
'''


def test_example_that_saves_files_leaves_the_source_tree_clean(tmp_path):
    import subprocess

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-runner-output", src)
    for script in (src / "examples").glob("*.py"):
        script.unlink()
    (src / "examples/data.txt").write_text("41\n")
    (src / "examples/a_saves.py").write_text(SAVES)
    (src / ".gitignore").write_text("/_build/\n/gallery/\n")
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "sources"]):
        subprocess.run([*git, *command], cwd=src, check=True)
    result = sphinx_build(src, src / "_build")
    assert result.returncode == 0, result.stderr
    status = subprocess.run([*git, "status", "--porcelain", "--ignored=no"], cwd=src,
                            capture_output=True, text=True, check=True)
    assert status.stdout == ""
    assert sorted(p.name for p in (src / "examples").iterdir()) == [
        "GALLERY_HEADER.rst", "a_saves.py", "data.txt",
    ]
    assert output_of(src, "a_saves") == "42\n"
    assert (
        "example_runner: examples/a_saves.py wrote checkpoints/last.pt, model.pt in its"
        " working folder, not in the source tree (discarded after the build)"
    ) in strip_ansi(result.stdout)
