"""The build needs Python, make and git, and nothing else (issue 22).

The fast tests build small roots: PNGs optimised without the optipng program,
an example file name with a space named at the file, a checkout path with a
space and non-ASCII characters.  The ``system`` test makes a minimal Debian
(tools/minimal_debian.py: debootstrap minbase plus python3, python3-venv,
make and git), clones this repository into a path with a space, and runs
``make html`` there as an ordinary user without sudo, with no apt or dpkg on
its PATH, no fonts, no optipng, no browser, in the C locale with Python's
UTF-8 mode off.

That laptop also builds one example at a time, with other thread counts in
its environment than this machine's build (the suite's ``site``): every
example page must print the very numbers the site's build printed.
``example_runner`` pins every example's thread pools (OpenMP, MKL, OpenBLAS,
torch, TensorFlow) to one thread; unpinned, the site's build would use one
thread per core and the laptop's one thread, and on a 2-core machine six
pages' losses then differ from the 5th or 6th digit on.  (On a 1-core
machine both counts are the same and the test cannot tell.)  This was a
second clean build of ``make test``; it rides on this one, a build made
anyway.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import captured_output, strip_ansi
from helpers import soup as soup_of
from sitebuild import GALLERIES, REPO, SPHINXOPTS, sphinx_build
from test_site import EXAMPLE_PAGES, TIMING_PAGES

ROOTS = Path(__file__).parent / "roots"


def _build_root(name, dest, env=None):
    src = Path(dest)
    shutil.copytree(ROOTS / name, src)
    return src, sphinx_build(src, src / "_build", env=env)


def _no_optipng_path(tmp_path):
    """A PATH without optipng: only the folder of this Python."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "python3").symlink_to(sys.executable)
    return str(folder)


def _pngs(gallery: Path) -> list[Path]:
    return sorted(gallery.glob("images/**/*.png"))


def test_pngs_are_optimised_without_optipng(tmp_path):
    import oxipng

    src, result = _build_root("test-png-optimize", tmp_path / "src", env={"PATH": _no_optipng_path(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert strip_ansi(result.stderr).strip() == ""
    pngs = _pngs(src / "gallery")
    names = sorted(p.name for p in pngs)
    assert names == [
        "sphx_glr_plot_curve_001.png", "sphx_glr_plot_curve_001_2_00x.png", "sphx_glr_plot_curve_thumb.png",
    ]
    for png in pngs:
        data = png.read_bytes()
        # oxipng at the build's preset cannot shrink what the build wrote:
        # matplotlib's own file shrinks by about a fifth (conf.py's figures).
        assert len(oxipng.optimize_from_memory(data, level=1)) >= len(data), f"{png.name} was not optimised"


def test_png_optimisation_shrinks_what_matplotlib_writes():
    """The check above can fail: matplotlib's PNGs are not already optimal."""
    import matplotlib

    matplotlib.use("agg")
    import oxipng
    from matplotlib.figure import Figure

    fig = Figure()
    fig.add_subplot().plot(range(500), [1 / (1 + step) for step in range(500)])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    raw = buffer.getvalue()
    assert len(oxipng.optimize_from_memory(raw, level=1)) < 0.95 * len(raw)


def test_example_file_name_with_a_space_is_refused(tmp_path):
    src, result = _build_root("test-runner-file-name", tmp_path / "src")
    assert result.returncode != 0
    example = src / "examples" / "my example.py"
    warnings = [line for line in strip_ansi(result.stderr).splitlines() if "WARNING" in line]
    # The first warning, before sphinx-gallery's own trouble with that file.
    assert warnings[0] == (
        f"{example}:1: WARNING: example file name 'my example.py' has a space: its page, "
        "downloads and links would break; rename the file (e.g. with underscores) "
        "[example_runner.file_name]"
    )


def test_checkout_path_with_a_space_and_non_ascii_characters(tmp_path):
    """sphinx-gallery's own space check read whole paths: a clone in "My Projects" failed."""
    src, result = _build_root("test-png-optimize", tmp_path / "my projects" / "学习 PyTorch ü")
    assert result.returncode == 0, result.stderr
    assert strip_ansi(result.stderr).strip() == ""
    page = BeautifulSoup((src / "_build/gallery/plot_curve.html").read_text(encoding="utf-8"), "lxml")
    assert page.select_one("img.sphx-glr-single-img") is not None


def test_chinese_chart_font_comes_from_the_python_requirements():
    """The font file is the mplfonts package's, found without any system font."""
    from sphinxext.execution import loss_curves
    path = loss_curves.font_file("zh_CN")
    assert path.is_file() and "site-packages" in path.parts
    assert path.name == "NotoSansCJKsc-Regular.otf"
    from matplotlib import ft2font

    font = ft2font.FT2Font(str(path))
    charmap = font.get_charmap()
    for character in "训练损失步数误差平方和":
        assert ord(character) in charmap, character
    requirements = (REPO / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^mplfonts==", requirements, re.M)


def test_nothing_on_the_build_path_installs_system_packages():
    """make html installs nothing with apt (system_deps.sh is make test's alone)."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^html:.*?(?=^\S)", makefile, re.S | re.M).group(0)
    assert "system_deps" not in recipe and "apt" not in recipe
    import runpy

    conf = runpy.run_path(str(REPO / "conf.py"))
    assert "compress_images" not in conf["sphinx_gallery_conf"], "it runs the optipng program"
    assert "sphinxext.execution.png_optimize" in conf["extensions"]


# -- A minimal Debian: make html as a contributor without root -----------------------

#: The folder of the clone, as a laptop user might name it.
CLONE = "/home/laptop/my projects/ltp"
#: The C locale, Python's UTF-8 mode and locale coercion off (issue 22, item 4).
C_LOCALE = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
#: The thread pools' variables that example_runner pins.
THREAD_VARIABLES = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"]


@pytest.fixture(scope="module")
def laptop_build(minimal_debian):
    import minimal_debian as debian

    root = minimal_debian
    clone = root / CLONE.lstrip("/")
    clone.parent.mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)], check=True)
    subprocess.run(["chroot", str(root), "chown", "-R", "laptop:laptop", "/home/laptop"], check=True)
    facts = debian.run(
        root, "laptop",
        "command -v apt-get dpkg-query sudo optipng chromium fc-list; ls /usr/share/fonts; echo end",
        capture_output=True, text=True,
    )
    # One example at a time, and another thread count than this machine's build.
    threads = "1" if os.environ.get("OMP_NUM_THREADS") != "1" else str((os.cpu_count() or 1) + 1)
    options = shlex.quote(" ".join([*SPHINXOPTS, "-D", "example_runner_jobs=1"]))
    build = debian.run(root, "laptop", f"make html SPHINXOPTS={options}", cwd=CLONE,
                       env={**C_LOCALE, **dict.fromkeys(THREAD_VARIABLES, threads)},
                       capture_output=True, text=True)
    return root, clone, facts, build


@pytest.mark.system
def test_the_machine_is_minimal(laptop_build):
    _, _, facts, _ = laptop_build
    assert facts.stdout.strip() == "end", f"found on the laptop: {facts.stdout}"


@pytest.mark.system
def test_make_html_as_a_user_without_root(laptop_build):
    _, clone, _, build = laptop_build
    log = build.stdout + build.stderr
    # -nW: a Sphinx warning (a missing glyph, a missing optipng) fails the build.
    assert build.returncode == 0, log[-6000:]
    assert log.count("build succeeded.") == 2
    html = clone / "_build" / "html"
    for prefix in ["", "zh_CN/"]:
        for examples_dir, gallery in GALLERIES:
            folder = html / prefix / gallery
            examples = sorted(p.stem for p in (REPO / examples_dir).glob("*.py"))
            assert examples
            for stem in examples:
                assert (folder / f"{stem}.html").is_file(), f"{prefix}{gallery}/{stem}.html"
            downloads = {p.name for p in html.glob(f"{prefix}_downloads/*/*")}
            for stem in examples:
                assert f"{stem}.py" in downloads and f"{stem}.ipynb" in downloads, f"{prefix}{stem}"
    assert not list(clone.glob("beginner_source/**/*.png")), "the build wrote into the sources"


@pytest.mark.system
def test_the_chinese_chart_has_chinese_text(laptop_build):
    """Drawn with the font of the Python requirements: the same pixels as here."""
    _, clone, _, _ = laptop_build
    chart = clone / "_generated" / "loss_comparison.zh_CN.png"
    titles = clone / "_generated" / "loss_comparison.zh_CN.titles.json"
    assert chart.is_file()
    assert re.search(r"[\u4e00-\u9fff]", titles.read_text(encoding="utf-8"))
    zh_page = clone / "_build/html/zh_CN/beginner/pytorch_with_examples.html"
    soup = BeautifulSoup(zh_page.read_text(encoding="utf-8"), "lxml")
    image = soup.select_one("figure.loss-comparison img")
    assert image is not None and image["src"].endswith("loss_comparison.zh_CN.png")


def test_minimal_debian_reads_the_mirror_of_this_machine():
    """The mirror and release come from this machine's apt sources, never from the repository."""
    import minimal_debian as debian

    release = Path("/etc/os-release")
    if not release.is_file() or "debian" not in release.read_text(encoding="utf-8").lower():
        pytest.fail("tools/minimal_debian.py needs a Debian machine (this one is not)")
    mirror, suite = debian.mirror_and_suite()
    assert mirror.startswith(("http://", "https://", "file:"))
    assert re.fullmatch(r"[a-z]+", suite)
    tracked = subprocess.run(["git", "grep", "-l", mirror], cwd=REPO, capture_output=True, text=True, check=False)
    assert tracked.stdout == "", "a mirror address is written into the repository"
    assert os.environ.get("PIP_CONFIG_FILE") != os.devnull


# -- make test on a contributor's machine: finding the browser and Java ---------------


def test_a_missing_browser_names_what_to_install_on_each_platform(monkeypatch, tmp_path):
    import localbrowser

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CHROME_PATH", raising=False)
    monkeypatch.setattr(localbrowser, "MACOS_BROWSERS", [str(tmp_path / "Chromium.app")])
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "no-playwright-browsers"))
    with pytest.raises(localbrowser.MissingTool) as raised:
        localbrowser.find_chromium()
    message = str(raised.value)
    for hint in ["apt-get install chromium", "dnf install chromium", "brew install --cask chromium",
                 "playwright install chromium", "CHROME_PATH", "test_browser"]:
        assert hint in message, hint


def test_chrome_path_comes_first(monkeypatch, tmp_path):
    import localbrowser

    browser = tmp_path / "my-chrome"
    browser.write_text("#!/bin/sh\n", encoding="utf-8")
    browser.chmod(0o755)
    monkeypatch.setenv("CHROME_PATH", str(browser))
    assert localbrowser.find_chromium() == str(browser)


def test_a_missing_java_names_what_to_install(monkeypatch, tmp_path):
    import localbrowser

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(localbrowser.MissingTool) as raised:
        localbrowser.find_java()
    message = str(raised.value)
    for hint in ["apt-get install default-jre-headless", "brew install openjdk", "JAVA_HOME", "vnu"]:
        assert hint in message, hint


def test_system_deps_never_fails_the_make_without_root(tmp_path):
    """Without root or apt it says what is missing and exits 0: the tests then name it."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dpkg-query").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (fake / "dpkg-query").chmod(0o755)
    for tool in ["grep", "id", "bash", "env"]:
        (fake / tool).symlink_to(shutil.which(tool))
    done = subprocess.run(["bash", str(REPO / "tools/system_deps.sh"), "chromium"], capture_output=True,
                          text=True, env={"PATH": str(fake)}, check=False)
    # (As root too: without apt-get on the PATH it installs nothing.)
    assert done.returncode == 0, done.stderr
    assert "not installed: chromium" in done.stderr


@pytest.mark.system
def test_the_chinese_chart_is_the_same_without_system_fonts(laptop_build, site):
    """The laptop has no font at all; this machine's build (the suite's site) may have
    fonts-noto-cjk: the chart comes out the same, drawn with the requirements' font."""
    _, clone, _, _ = laptop_build
    for name in ["loss_comparison.zh_CN.png", "loss_comparison.zh_CN.phone.png"]:
        laptop = (clone / "_generated" / name).read_bytes()
        here = (site.src / "_generated" / name).read_bytes()
        assert laptop == here, name


def _outputs(out):
    """Every example page's captured output, but for the pages of measured times."""
    return {
        page: captured_output(soup_of(out / f"{page}.html"))
        for page in EXAMPLE_PAGES
        if page not in TIMING_PAGES
    }


@pytest.mark.system
def test_one_example_at_a_time_with_other_thread_counts_prints_the_same_numbers(laptop_build, site):
    _, clone, _, build = laptop_build
    assert build.returncode == 0, (build.stdout + build.stderr)[-6000:]
    executed = re.search(r"example_runner: executed (\d+) example\(s\)", build.stdout)
    assert executed and int(executed.group(1)) == len(EXAMPLE_PAGES), build.stdout[-3000:]
    laptop, here = _outputs(clone / "_build" / "html"), _outputs(site.out)
    assert len(laptop) == len(EXAMPLE_PAGES) - len(TIMING_PAGES)
    assert all(laptop.values()), laptop
    assert laptop == here
