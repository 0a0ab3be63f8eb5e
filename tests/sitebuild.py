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
    # Only the generated gallery folders under beginner/ are skipped; the
    # sources under beginner_source/ have the same names.
    if Path(directory).name != "beginner":
        ignored -= {"examples_tensor", "examples_autograd", "examples_nn"}
    return ignored


def sphinx_build(srcdir, outdir, *options, builder="html", env=None):
    """Run sphinx-build in a subprocess; return the CompletedProcess."""
    command = [
        sys.executable, "-m", "sphinx", "-b", builder, *SPHINXOPTS, *options,
        str(srcdir), str(outdir),
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=1800,
    )


class Site:
    """A built site: its source copy, its output folder and the build's result."""

    def __init__(self, src, out, result):
        self.src, self.out, self.result = Path(src), Path(out), result


def build_full_site(tmp_path_factory):
    src = copy_site(tmp_path_factory.mktemp("site") / "src")
    out = src / "_build" / "html"
    return Site(src, out, sphinx_build(src, out))
