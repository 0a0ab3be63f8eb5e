"""Incremental builds equal clean builds: issue 18's reproductions, on a tiny site.

Each test edits a copy of ``tests/roots/test-incremental`` the way a
contributor does (edit, break, revert, add, remove, rename), builds it like
``make html`` (English, then Chinese into ``zh_CN/``), and compares the
output with a clean build of the same sources, apart from run times.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitebuild import REPO, sphinx_build

#: Every test here builds a test root several times: minutes, not seconds.
pytestmark = pytest.mark.rebuilds

ROOT = Path(__file__).parent / "roots" / "test-incremental"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXECUTED = re.compile(r"example_runner: executed (\d+) example\(s\): (.*)")
#: Run times, in English and in Chinese, are all that may differ (and the date
#: of a run, which provenance states, should the builds straddle midnight).
RUN_TIME = re.compile(r"\d+ minutes\s+[\d.]+ seconds|\d+ 分 [\d.]+ 秒|\d{4}-\d\d-\d\d")


def make_site(dest: Path) -> Path:
    shutil.copytree(ROOT, dest)
    catalog = dest / "locales/zh_CN/LC_MESSAGES"
    catalog.mkdir(parents=True)
    shutil.copy(REPO / "locales/zh_CN/LC_MESSAGES/sphinx.po", catalog)
    return dest


def build(src: Path, lang: str = "en", *options: str):
    """One side of ``make html``; the result has ``log`` (stdout and stderr, no colour)."""
    if lang == "en":
        out, opts = src / "_build/html", ["-d", str(src / "_build/doctrees")]
    else:
        out = src / "_build/html/zh_CN"
        opts = ["-D", "language=zh_CN", "-d", str(src / "_build/doctrees-zh_CN")]
    result = sphinx_build(src, out, *opts, *options)
    result.log = ANSI.sub("", result.stdout + result.stderr)
    return result


def build_both(src: Path, *options: str):
    """``make html``: English, then (if it passed) Chinese."""
    english = build(src, "en", *options)
    if english.returncode != 0:
        shutil.rmtree(src / "_build/html/zh_CN", ignore_errors=True)
        return english, None
    return english, build(src, "zh_CN", *options)


def green(results):
    english, chinese = results
    assert english.returncode == 0, english.log
    assert chinese is not None and chinese.returncode == 0, chinese.log
    return english, chinese


def executed(result) -> list[str]:
    found = EXECUTED.search(result.stdout)
    assert found, result.log
    return [] if found.group(2) == "none" else sorted(found.group(2).split(", "))


def snapshot(out: Path) -> dict[str, object]:
    """Every file of a built tree, comparable across builds."""
    files = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        if path.name == "searchindex.js":
            files[rel] = _search_index(data.decode("utf-8"))
        elif path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                files[rel] = sorted((i.filename, archive.read(i)) for i in archive.infolist())
        elif path.suffix in {".html", ".txt", ".js", ".ipynb", ".rst"}:
            files[rel] = RUN_TIME.sub("<time>", data.decode("utf-8"))
        else:
            files[rel] = data
    return files


def _search_index(text: str) -> dict:
    """The search index, without the terms that no page holds any more.

    Sphinx keeps a word of a page that changed as an empty list (it prunes
    the pages from each word, not the words): the same search results as a
    clean build, other bytes.  Numbers are left out too: the Chinese index
    holds each page's run time as words.
    """
    index = json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))
    for key in ("terms", "titleterms"):
        index[key] = {
            term: docs
            for term, docs in index[key].items()
            if docs != [] and not re.fullmatch(r"[\d.]+", term)
        }
    return index


def sources(src: Path) -> list[Path]:
    return [src / "conf.py", src / "index.rst", src / "examples", src / "locales"]


def sources_key(src: Path) -> str:
    """A digest of every source file of ``src`` (what a clean build is made from)."""
    digest = hashlib.sha256()
    for top in sources(src):
        for path in sorted([top] if top.is_file() else (p for p in top.rglob("*") if p.is_file())):
            digest.update(path.relative_to(src).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def clean_build_of(src: Path, dest: Path, both: bool = True):
    """A clean build (both languages, or English) of ``src``'s current sources in ``dest``."""
    dest.mkdir()
    for path in sources(src):
        if path.is_dir():
            shutil.copytree(path, dest / path.name)
        else:
            shutil.copy(path, dest / path.name)
    if both:
        green(build_both(dest))
    else:
        english = build(dest)
        assert english.returncode == 0, english.log
    return dest


def assert_same_site(src: Path, tmp_path: Path, name: str = "clean"):
    clean = clean_build_of(src, tmp_path / name)
    got, want = snapshot(src / "_build/html"), snapshot(clean / "_build/html")
    assert sorted(got) == sorted(want), "files differ"
    different = [rel for rel in want if got[rel] != want[rel]]
    assert different == []
    # The generated gallery (the source of every page) is the same too.
    assert sorted(p.name for p in (src / "gallery").rglob("*")) == sorted(
        p.name for p in (clean / "gallery").rglob("*")
    )


def warnings(result) -> list[str]:
    return [line for line in result.log.splitlines() if "WARNING:" in line]


def leftovers(src: Path, stem: str) -> list[Path]:
    """Files named after ``stem`` in the sources, the gallery and the HTML output."""
    return [
        path
        for path in src.rglob(f"*{stem}*")
        if not path.relative_to(src).as_posix().startswith("_build/doctrees")
    ]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def add_line(path: Path, after: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(after, text + "\n")
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def built_root(tmp_path_factory):
    """The test root built once for the module (both languages), and a copy of that build."""
    base = tmp_path_factory.mktemp("incremental")
    src = make_site(base / "src")
    english, _ = green(build_both(src))
    assert executed(english) == ["examples/a_curve.py", "examples/b_curve.py", "examples/c_print.py"]
    shutil.copytree(src, base / "built", symlinks=True)
    return src, base / "built"


@pytest.fixture
def site(built_root):
    """The built test root, as its one build left it, in the folder it was built in.

    Each test starts from a copy of that build (files and folders keep their
    times, and the path is the same), which is what a clean build would give it:
    one build per module instead of one per test.
    """
    src, built = built_root
    shutil.rmtree(src)
    shutil.copytree(built, src, symlinks=True)
    return src


# -- 1. a failed example runs again once fixed ------------------------------------

BREAKAGES = {
    # kind: (line inserted after line 10 of b_curve.py, what the warning says)
    "raise": ("x = [1, 2, 3][7]", "IndexError: list index out of range"),
    "syntax": ("x = (1,", "SyntaxError"),
    "timeout": ("while True: pass", "it ran longer than example_runner_timeout = 5 s"),
}


@pytest.mark.parametrize("kind", sorted(BREAKAGES))
def test_failed_example_runs_again_after_revert(site, tmp_path, kind):
    script = site / "examples/b_curve.py"
    good = script.read_text()
    line, message = BREAKAGES[kind]
    add_line(script, 10, line)
    options = ("-D", "example_runner_timeout=5")
    english, chinese = build_both(site, *options)
    assert english.returncode != 0 and chinese is None
    found = [w for w in warnings(english) if "examples/b_curve.py:11: WARNING:" in w]
    assert found, english.log
    assert message in english.log
    # No traceback of sphinx-gallery's own, no request to report a bug.
    assert "Extension error" not in english.log
    assert "sphinx-doc/sphinx" not in english.log
    assert not (site / "_build/html/zh_CN").exists()
    script.write_text(good)
    english, _ = green(build_both(site, *options))
    assert executed(english) == ["examples/b_curve.py"]
    assert "x = " not in (site / "_build/html/gallery/b_curve.html").read_text()
    assert_same_site(site, tmp_path)


def test_noop_build_reads_nothing_and_reports_no_configuration_change(site):
    for lang in ("en", "zh_CN"):
        result = build(site, lang)
        assert result.returncode == 0, result.log
        assert "configuration has changed" not in result.log
        assert "0 added, 0 changed, 0 removed" in result.log
        assert "no targets are out of date" in result.log
        assert executed(result) == []


# -- 2. removed and renamed examples leave nothing behind ------------------------


def test_removed_example_leaves_nothing_and_is_reported(site, tmp_path):
    (site / "examples/b_curve.py").unlink()
    english, _ = green(build_both(site))
    assert executed(english) == []
    assert "example_runner: removed 11 generated file(s) of gallery/b_curve.py:" \
        " its source examples/b_curve.py is gone" in english.log
    assert "removed from the output what no page uses any more:" in english.log
    assert warnings(english) == []
    assert leftovers(site, "b_curve") == []
    chart = soup(site / "_build/html/index.html").select_one("figure.loss-comparison")
    assert chart.select_one(".caption-text").get_text(strip=True).endswith(": a_curve.")
    assert_same_site(site, tmp_path)


def test_renamed_example_leaves_nothing_of_its_old_name(site, tmp_path):
    (site / "examples/b_curve.py").rename(site / "examples/d_curve.py")
    english, _ = green(build_both(site))
    assert executed(english) == ["examples/d_curve.py"]
    assert leftovers(site, "b_curve") == []
    assert_same_site(site, tmp_path)


# -- 3. stale figures ---------------------------------------------------------------


def test_deleted_plot_leaves_no_figure_and_no_curve(site, tmp_path):
    script = site / "examples/a_curve.py"
    lines = script.read_text().splitlines(keepends=True)
    script.write_text("".join(lines[:11]))  # the docstring and the print
    english, _ = green(build_both(site))
    assert executed(english) == ["examples/a_curve.py"]
    assert not (site / "gallery/a_curve.losses.json").exists()
    assert not list((site / "gallery/images").glob("sphx_glr_a_curve_0*"))
    page = soup(site / "_build/html/gallery/a_curve.html")
    assert page.select("img.sphx-glr-single-img") == []
    chart = soup(site / "_build/html/index.html").select_one("figure.loss-comparison")
    assert chart.select_one(".caption-text").get_text(strip=True).endswith(": b_curve.")
    assert_same_site(site, tmp_path)


def test_chart_comes_back_after_every_curve_went(site, tmp_path):
    """Found by the randomised test (seed 2): the page kept its "not drawn" note."""
    scripts = [site / "examples/a_curve.py", site / "examples/b_curve.py"]
    texts = [script.read_text() for script in scripts]
    for script, text in zip(scripts, texts, strict=True):
        script.write_text(text.split("# %%")[0])
    green(build_both(site))
    assert soup(site / "_build/html/index.html").select("figure.loss-comparison") == []
    assert not (site / "_build/html/_images/loss_comparison.png").exists()
    scripts[0].write_text(texts[0])
    green(build_both(site))
    caption = soup(site / "_build/html/index.html").select_one("figure.loss-comparison .caption-text")
    assert caption.get_text().endswith(": a_curve.")
    assert_same_site(site, tmp_path)


# -- 4. the chart's caption and alt text stay translated ---------------------------


def test_added_example_keeps_the_chart_translated(site, tmp_path):
    shutil.copy(site / "examples/a_curve.py", site / "examples/d_curve.py")
    english, chinese = green(build_both(site))
    assert executed(english) == ["examples/d_curve.py"]
    figure = soup(site / "_build/html/zh_CN/index.html").select_one("figure.loss-comparison")
    caption = figure.select_one(".caption-text").get_text(strip=True)
    assert caption == "每一步的训练损失，取自各示例页面所展示的那些运行：a_curve、b_curve、d_curve。"
    assert figure.select_one("img")["alt"] == "以下各示例每一步的训练损失：a_curve、b_curve、d_curve"
    assert warnings(chinese) == []
    assert_same_site(site, tmp_path)


# -- 5. a source that is not UTF-8 --------------------------------------------------


def test_non_utf8_example_is_reported_with_file_and_line(site):
    script = site / "examples/c_print.py"
    add_line(script, 7, "# cafe")
    script.write_bytes(script.read_bytes().replace(b"# cafe", b"# caf\xe9"))
    result = build(site)
    assert result.returncode != 0
    assert warnings(result) == [
        f"{script}:8: WARNING: example examples/c_print.py is not UTF-8 (byte 0xe9):"
        " save it as UTF-8 [example_runner.encoding]"
    ]
    assert "codec can't decode" not in result.log
    assert "sphinx-doc/sphinx" not in result.log
    # Every other page is still written.
    assert (site / "_build/html/gallery/a_curve.html").is_file()
    assert (site / "_build/html/index.html").is_file()


# -- 6. an interrupted build leaves no process and no temporary folder ------------


def _marked_processes(mark: bytes) -> list[int]:
    """Processes whose environment holds ``mark`` (the build and all it started)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if mark in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _ignored_signals(pid: int) -> list[str]:
    """The signals process ``pid`` ignores (its ``SigIgn`` mask)."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines()
    mask = int(next(line for line in status if line.startswith("SigIgn:")).split()[1], 16)
    return [signal.Signals(n).name for n in signal.valid_signals() if n < 32 and mask >> (n - 1) & 1]


@contextlib.contextmanager
def _as_a_terminal_starts_it():
    """Start processes with Ctrl-C's SIGINT at its default, as a terminal does.

    A command started in the background by a non-interactive shell (``cmd &``,
    as CI runners and ``nohup`` scripts do) inherits SIGINT ignored, and so
    would a build started from it: Ctrl-C in a terminal would never reach it.
    A handler set here becomes the default in the child (exec resets caught
    signals; ignored ones stay ignored).
    """
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_leaves_no_process_and_no_folder(tmp_path, signum):
    src = make_site(tmp_path / "src")
    started = tmp_path / "started"
    (src / "examples/d_forever.py").write_text(
        '"""\nForever\n=======\n\nNever ends.\n"""\n\nimport pathlib\n\n'
        f'pathlib.Path({str(started)!r}).touch()\nwhile True:\n    pass\n'
    )
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    mark = f"incremental-{os.getpid()}-{int(signum)}"
    env = {**os.environ, "TMPDIR": str(tmp), "INCREMENTAL_TEST_MARK": mark}
    command = [sys.executable, "-m", "sphinx", "-b", "html", str(src), str(src / "_build/html")]
    # The build's messages go to a file, not a pipe: nobody reads a pipe
    # while the build runs, and a full one would stall it.
    log = tmp_path / "build.log"
    with log.open("w") as log_file, _as_a_terminal_starts_it():
        build_process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, text=True
        )
    try:
        deadline = time.monotonic() + 300
        while not started.exists():
            assert build_process.poll() is None, log.read_text()
            assert time.monotonic() < deadline
            time.sleep(0.2)
        # The example runs, in a child of the build, from a temporary folder.
        assert len(_marked_processes(mark.encode())) >= 2
        assert len(list(tmp.glob("example-runner-*"))) == 1
        assert signum.name not in _ignored_signals(build_process.pid)
        build_process.send_signal(signum)
        try:
            build_process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the build ran on 60 s after its {signum.name}:\n{log.read_text()[-4000:]}")
    finally:
        if build_process.poll() is None:
            build_process.kill()
    assert build_process.returncode != 0
    deadline = time.monotonic() + 10
    while _marked_processes(mark.encode()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _marked_processes(mark.encode()) == []
    assert list(tmp.glob("example-runner-*")) == []


# -- 8. messages: a failed English build leaves no Chinese tree that looks current --


def test_failed_english_build_removes_the_old_chinese_tree(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".docs-installed").touch()  # newer than requirements.txt: no install
    old = tmp_path / "build/html/zh_CN/index.html"
    old.parent.mkdir(parents=True)
    old.write_text("the previous build's Chinese page")
    result = subprocess.run(
        ["make", "-C", str(REPO), "html", f"VENV={venv}", f"BUILDDIR={tmp_path / 'build'}",
         "SPHINXBUILD=false"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert not (tmp_path / "build/html/zh_CN").exists()


# -- 9. output hygiene ----------------------------------------------------------------

NOISY = '''"""
Noisy
=====

Prints progress with carriage returns, then too many lines.
"""

print("step 1\\rstep 2\\rdone")

# %%
# A long listing.

for number in range(250):
    print(number)
'''


def test_carriage_returns_and_long_output_are_located_warnings(site):
    script = site / "examples/e_noisy.py"
    script.write_text(NOISY)
    result = build(site)
    assert result.returncode != 0
    assert warnings(result) == [
        f"{script}:8: WARNING: example e_noisy.py prints a carriage return (\\r) in this"
        " cell's output; print progress with plain newlines [example_runner.carriage_return]",
        f"{script}:13: WARNING: example e_noisy.py prints 250 lines in this cell, more than"
        " example_runner_max_output_lines = 200; print less [example_runner.long_output]",
    ]
    # A run that warned is not up to date: the next build says it again.
    again = build(site)
    assert executed(again) == ["examples/e_noisy.py"]
    assert warnings(again) == warnings(result)
    # The limit is configurable.
    script.write_text(NOISY.replace("\\r", ", "))
    result = build(site, "en", "-D", "example_runner_max_output_lines=300")
    assert result.returncode == 0, result.log
    assert warnings(result) == []


# -- 10. a configuration change gives what a clean build gives (issue 25, item 3) ---


def test_changed_thumbnail_size_runs_every_example_and_equals_a_clean_build(site, tmp_path):
    from PIL import Image

    conf = site / "conf.py"
    conf.write_text(conf.read_text() + 'sphinx_gallery_conf["thumbnail_size"] = (80, 56)\n')
    english, _ = green(build_both(site))
    assert executed(english) == ["examples/a_curve.py", "examples/b_curve.py", "examples/c_print.py"]
    assert (
        "provenance: discarding the cached outputs in gallery (the configuration changed:"
        " sphinx_gallery_conf['thumbnail_size'] null -> [80, 56]); every example runs again"
    ) in english.log
    thumbs = sorted((site / "gallery/images/thumb").glob("*.png"))
    assert len(thumbs) == 3
    assert {Image.open(thumb).size for thumb in thumbs} == {(80, 56)}
    assert_same_site(site, tmp_path)


# -- 11. output trees rebuilt whole (issue 25, item 4) --------------------------------

#: Parts of _build a contributor may delete, pages to whole trees; every
#: extension's files among them (sphinx-copybutton's, the sitemap, the 404 page).
DELETIONS = [
    "html/gallery/a_curve.html",
    "html/_images",
    "html/_images/sphx_glr_b_curve_001.png",
    "html/_static",
    "html/_static/copybutton.js",
    "html/_downloads",
    "html/_sources",
    "html/sitemap.xml",
    "html/searchindex.js",
    "html/404.html",
    "html/zh_CN/_images",
    "html/zh_CN/gallery",
    "html/zh_CN",
    "doctrees",
    "html",
]


def delete(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def test_whatever_part_of_the_output_is_deleted_comes_back(site, built_root):
    # The module's one build is a clean build of these very sources.
    want = snapshot(built_root[1] / "_build/html")
    assert "sitemap.xml" in want and "_static/copybutton.js" in want
    for part in DELETIONS:
        delete(site / "_build" / part)
        english, _ = green(build_both(site))
        assert executed(english) == [], part
        got = snapshot(site / "_build/html")
        assert sorted(got) == sorted(want), part
        assert [rel for rel in want if got[rel] != want[rel]] == [], part
    # With nothing deleted, nothing is written again.
    result = build(site)
    assert "no targets are out of date" in result.log
    assert "output tree is incomplete" not in result.log


def test_edited_page_keeps_every_page_in_the_sitemap(site, tmp_path):
    add_line(site / "index.rst", 2, "\nAn edit.\n")
    english, _ = green(build_both(site))
    assert_same_site(site, tmp_path)


# -- the randomised equivalence test ------------------------------------------------

#: Seeds to run, e.g. INCREMENTAL_SEEDS=1,2,3 (each prints itself to replay it).
SEEDS = [int(seed) for seed in os.environ.get("INCREMENTAL_SEEDS", "1").split(",")]
STEPS = int(os.environ.get("INCREMENTAL_STEPS", "20"))

CURVE = '''"""
Example {name}
==========={underline}

Prints, then plots a loss per step.
"""

import matplotlib.pyplot as plt

print("{name}: {value}")

# %%
# The loss curve.

fig, ax = plt.subplots()
ax.semilogy([0, 1, 2], [{value}, 2.0, 1.0], label="{name}")
ax.set_xlabel("step")
ax.set_ylabel("loss")
'''

PRINT = '''"""
Example {name}
==========={underline}

Prints one line.
"""

print("{name}: {value}")
'''


WRITER = '''"""
Example {name}
==========={underline}

Saves a model file and a checkpoint, as tutorials do.
"""

import pathlib

pathlib.Path("model.pt").write_bytes(b"{value}")
saved = pathlib.Path("checkpoint-{name}.pt").write_bytes(b"{value}")
print("{name}: {value}")
'''

#: Valid translations of the chart's caption (sphinx.po, a message the tiny
#: site shows), and the message that a broken catalog loses a closing quote in.
CAPTION = re.compile(
    r'(msgid ""\n"Training loss per step, from the runs shown on the example pages: "\n'
    r'"%\(examples\)s\."\nmsgstr ")([^"\n]*)"'
)
CAPTIONS = [
    "各示例每一步的训练损失：%(examples)s。",
    "每步训练损失（取自示例页面）：%(examples)s。",
    "示例页面上各次运行每一步的训练损失：%(examples)s。",
]
BROKEN = re.compile(r'^msgid "Training loss per step of: %\(examples\)s"\nmsgstr "[^"\n]*"$', re.M)
THUMBNAIL_SIZES = [(400, 280), (80, 56), (160, 112)]


class RandomEdits:
    """A contributor's session: edits, breakages, reverts, additions, removals, renames,
    configuration and catalog edits, deletions inside _build, examples that save files."""

    def __init__(self, src: Path, rng: random.Random):
        self.src, self.rng = src, rng
        self.good: dict[str, str] = {}  # a broken example's last good text
        self.catalog_good: str | None = None  # the broken catalog's last good text
        self.fresh_names = (f"n{number}_example" for number in range(1000))
        self.catalog = src / "locales/zh_CN/LC_MESSAGES/sphinx.po"
        self.conf = src / "conf.py"
        self.conf_text = self.conf.read_text()

    def examples(self) -> list[Path]:
        return sorted((self.src / "examples").glob("*.py"))

    def step(self) -> str:
        examples = self.examples()
        healthy = [p for p in examples if p.name not in self.good]
        moves = ["edit", "add", "configure", "translate", "delete"]
        if healthy:
            moves += ["break", "unplot"]
        if len(examples) > 1:
            moves += ["remove", "rename"]
        if self.good:
            moves += ["revert", "revert"]
        if self.catalog_good is None:
            moves += ["break-catalog"]
        else:
            moves += ["revert-catalog", "revert-catalog"]
        move = self.rng.choice(moves)
        if move in ("configure", "translate", "break-catalog", "revert-catalog", "delete"):
            return getattr(self, move.replace("-", "_"))()
        if move == "add":
            name = next(self.fresh_names)
            template = self.rng.choice([CURVE, PRINT, WRITER])
            text = template.format(
                name=name, underline="=" * len(name), value=self.rng.choice([3.0, 5.0, 9.0])
            )
            (self.src / "examples" / f"{name}.py").write_text(text)
            return f"add {name}" + (" (saves files)" if template is WRITER else "")
        if move == "revert":
            name = self.rng.choice(sorted(self.good))
            (self.src / "examples" / name).write_text(self.good.pop(name))
            return f"revert {name}"
        path = self.rng.choice(healthy if move in ("break", "unplot") else examples)
        if move == "edit":
            path.write_text(path.read_text() + f'\nprint("edited {self.rng.randrange(100)}")\n')
        elif move == "break":
            self.good[path.name] = path.read_text()
            broken = self.rng.choice(["raise ValueError('broken')", "x = (1,"])
            path.write_text(path.read_text() + broken + "\n")
        elif move == "unplot":
            text = path.read_text()
            path.write_text(text.split("# %%")[0])
        elif move == "remove":
            path.unlink()
            self.good.pop(path.name, None)
        elif move == "rename":
            new = path.with_name(next(self.fresh_names) + ".py")
            path.rename(new)
            if path.name in self.good:
                self.good[new.name] = self.good.pop(path.name)
        return f"{move} {path.name}"

    def configure(self) -> str:
        size = self.rng.choice(THUMBNAIL_SIZES)
        self.conf.write_text(self.conf_text + f'sphinx_gallery_conf["thumbnail_size"] = {size}\n')
        return f"configure thumbnail_size {size}"

    def translate(self) -> str:
        text = self.catalog.read_text(encoding="utf-8")
        found = CAPTION.search(text)
        assert found, "the chart's caption is no longer in sphinx.po"
        caption = self.rng.choice([c for c in CAPTIONS if c != found.group(2)])
        text = text[: found.start(2)] + caption + text[found.end(2):]
        self.catalog.write_text(text, encoding="utf-8")
        return f"translate the chart's caption as {caption}"

    def break_catalog(self) -> str:
        text = self.catalog_good = self.catalog.read_text(encoding="utf-8")
        found = BROKEN.search(text)
        assert found, "the chart's alt text is no longer in sphinx.po"
        self.catalog.write_text(text[: found.end() - 1] + text[found.end():], encoding="utf-8")
        return "break sphinx.po (a msgstr loses its closing quote)"

    def broken_line(self) -> int:
        """The line of the msgstr that lost its closing quote."""
        found = BROKEN.search(self.catalog_good)
        return self.catalog_good[: found.end()].count("\n") + 1

    def revert_catalog(self) -> str:
        self.catalog.write_text(self.catalog_good, encoding="utf-8")
        self.catalog_good = None
        return "revert sphinx.po"

    def delete(self) -> str:
        present = [part for part in DELETIONS if (self.src / "_build" / part).exists()]
        part = self.rng.choice(present)
        delete(self.src / "_build" / part)
        return f"delete _build/{part}"

    def revert_all(self) -> None:
        for name in list(self.good):
            (self.src / "examples" / name).write_text(self.good.pop(name))
        if self.catalog_good is not None:
            self.revert_catalog()


def assert_source_tree_clean(src: Path) -> None:
    """Nothing but the sources in examples/: no example saved a file there."""
    names = {path.name for path in (src / "examples").iterdir()}
    assert {name for name in names if not name.endswith(".py")} == {"GALLERY_HEADER.rst"}


@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_keep_the_incremental_build_equal_to_a_clean_one(tmp_path, seed):
    print(f"seed {seed}: replay with INCREMENTAL_SEEDS={seed} pytest tests/test_incremental.py -k random")
    rng = random.Random(seed)
    src = make_site(tmp_path / "src")
    green(build_both(src))
    # A clean build's output per state of the sources: a step that leaves the
    # sources as an earlier step had them (a deletion inside _build, a revert)
    # is compared with that state's clean build, made once.
    clean_output = {sources_key(src): snapshot(src / "_build/html")}
    edits = RandomEdits(src, rng)
    for number in range(STEPS):
        move = edits.step()
        print(f"step {number}: {move}")
        english, chinese = build_both(src)
        assert_source_tree_clean(src)
        if edits.good:
            assert english.returncode != 0, f"step {number} ({move}): a broken example passed"
            for name in edits.good:
                assert re.search(rf"examples/{re.escape(name)}:\d+: WARNING:", english.log), (
                    f"step {number} ({move}): {name} not reported\n{english.log}"
                )
            continue
        if edits.catalog_good is not None:
            assert english.returncode == 0, english.log
            assert chinese.returncode != 0, f"step {number} ({move}): a broken catalog passed"
            assert f"{edits.catalog}:{edits.broken_line()}: WARNING:" in chinese.log, chinese.log
            assert "[catalog.syntax]" in chinese.log
            continue
        green((english, chinese))
        # Both languages, sitemap.xml and _static/ included, after every green step.
        key = sources_key(src)
        if key not in clean_output:
            clean = clean_build_of(src, tmp_path / f"clean{number}")
            clean_output[key] = snapshot(clean / "_build/html")
            shutil.rmtree(clean)
        got, want = snapshot(src / "_build/html"), clean_output[key]
        assert sorted(got) == sorted(want), f"step {number} ({move}): files differ"
        different = [rel for rel in want if got[rel] != want[rel]]
        assert different == [], f"step {number} ({move})"
    edits.revert_all()
    green(build_both(src))
    assert_same_site(src, tmp_path)


# -- issue 15: no silent failure modes ------------------------------------------------


def test_corrupt_loss_record_is_a_located_warning(site):
    record = site / "gallery/a_curve.losses.json"
    record.write_text('{"example": "a_curve", "curves": [{"label": "a", "steps": [0, 1]}]}')
    result = build(site)
    assert result.returncode != 0
    assert warnings(result) == [
        f"{record}:1: WARNING: loss curve record a_curve.losses.json cannot be read"
        " (KeyError: 'losses'); it is left out of the chart, and running its example"
        " again rewrites it [loss_curves.record]"
    ]
    caption = soup(site / "_build/html/index.html").select_one("figure.loss-comparison .caption-text")
    assert caption.get_text().endswith(": b_curve.")


def test_changed_run_time_sentence_is_a_located_warning(site):
    page = site / "gallery/c_print.rst"
    lines = page.read_text().splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if "Total running time" in line]
    lines[number - 1] = "   **Total running time of the script:** (4 ms)"
    page.write_text("\n".join(lines) + "\n")
    result = build(site)
    assert result.returncode != 0
    assert warnings(result) == [
        f"{page}:{number}: WARNING: sphinx-gallery's run-time sentence has changed"
        " ('Total running time of the script: (4 ms)'); update parse_run_time in"
        " sphinxext/core/examplepaths.py [gallery_i18n.timing]"
    ]


def test_preload_module_that_fails_to_import_is_a_located_warning(tmp_path):
    src = make_site(tmp_path / "src")
    result = build(src, "en", "-D", "example_runner_preload=matplotlib.pyplot,no_such_module_x")
    assert result.returncode != 0
    conf = (src / "conf.py").read_text().splitlines()
    line = next(n for n, text in enumerate(conf, 1) if text.startswith("example_runner_preload"))
    assert warnings(result) == [
        f"{src / 'conf.py'}:{line}: WARNING: example_runner_preload: cannot import"
        " 'no_such_module_x' in the fork server (ModuleNotFoundError: No module named"
        " 'no_such_module_x') [example_runner.preload]"
    ]
