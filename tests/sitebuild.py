"""Build the real site (or a test root) the way ``make html`` does."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Options the Makefile passes to sphinx-build.
SPHINXOPTS = ["-nW", "--keep-going"]

#: What is never copied: build output, generated pages, tooling.
IGNORED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "_build",
    "_generated",
    "sg_execution_times.rst",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "examples_tensor",
    "examples_autograd",
    "examples_nn",
    "*.mo",
    "tests",
)


def copy_site(dest):
    """Copy the site's sources, as a fresh clone has them, to ``dest``."""
    shutil.copytree(REPO, dest, ignore=_ignore_generated)
    return Path(dest)


def _ignore_generated(directory, names):
    ignored = set(IGNORED(directory, names))
    # Only the generated gallery folders in beginner/ are skipped; the sources
    # in beginner_source/ and the catalogs in locales/ have the same names.
    if Path(directory) != REPO / "beginner":
        ignored -= {"examples_tensor", "examples_autograd", "examples_nn"}
    return ignored


def sphinx_build(srcdir, outdir, *options, builder="html", env=None):
    """Run sphinx-build in a subprocess; return the CompletedProcess."""
    command = [
        sys.executable, "-m", "sphinx", "-b", builder, *SPHINXOPTS, *options,
        str(srcdir), str(outdir),
    ]
    return subprocess.run(  # noqa: PLW1510 - callers read returncode
        command,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=1800,
    )


def english_options(src):
    """sphinx-build options of the English side, as in the Makefile."""
    return ["-d", str(Path(src) / "_build" / "doctrees")]


def chinese_options(src):
    """sphinx-build options of the Chinese side (into ``<out>/zh_CN``), as in the Makefile."""
    return ["-D", "language=zh_CN", "-d", str(Path(src) / "_build" / "doctrees-zh_CN")]


class Site:
    """A built site: its source copy, its output folder and the builds' results.

    ``result`` is the English build, ``zh_result`` the Chinese one, which
    writes into ``out / "zh_CN"`` as ``make html`` does.
    """

    def __init__(self, src, out, result, zh_result):
        self.src, self.out = Path(src), Path(out)
        self.result, self.zh_result = result, zh_result


def build_full_site(tmp_path_factory):
    src = copy_site(tmp_path_factory.mktemp("site") / "src")
    out = src / "_build" / "html"
    result = sphinx_build(src, out, *english_options(src))
    zh_result = sphinx_build(src, out / "zh_CN", *chinese_options(src))
    return Site(src, out, result, zh_result)
