"""How the site is built, stated once for ``tools/`` and ``tests/``.

* ``SPHINXOPTS``, ``english_options`` and ``chinese_options`` are read from
  the Makefile (its ``SPHINXOPTS``, ``EN`` and ``ZH`` variables), so that the
  benchmark and the tests build exactly as ``make html`` does;
* ``GALLERIES`` (``(examples_dir, gallery_dir)`` pairs) is read from
  ``conf.py``'s ``sphinx_gallery_conf``;
* ``copy_site`` copies the sources as a fresh clone has them, leaving out
  every generated gallery folder that ``GALLERIES`` names.

Adding a gallery means editing ``conf.py`` (and the narrative page and the
tests' inventory), and nothing here.  Nothing in this module imports tests.
"""

from __future__ import annotations

import re
import runpy
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_variable(name: str) -> str:
    """The value the Makefile gives ``name`` (``NAME ?= value`` or ``NAME = value``)."""
    found = re.search(rf"^{name}\s*\??=\s*(.*)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    if not found:
        raise LookupError(f"the Makefile defines no {name}")
    return found.group(1).strip()


def _with_builddir(variable: str, src: Path) -> list[str]:
    return make_variable(variable).replace("$(BUILDDIR)", str(Path(src) / "_build")).split()


#: Options the Makefile passes to every sphinx-build.
SPHINXOPTS = make_variable("SPHINXOPTS").split()


def english_options(src) -> list[str]:
    """sphinx-build options of the English side of ``make html``, for a copy at ``src``."""
    return _with_builddir("EN", src)


def chinese_options(src) -> list[str]:
    """Options of the Chinese side (built into ``<out>/zh_CN``), for a copy at ``src``."""
    return _with_builddir("ZH", src)


def galleries() -> list[tuple[str, str]]:
    """``(examples_dir, gallery_dir)`` pairs of ``conf.py``'s ``sphinx_gallery_conf``."""
    conf = runpy.run_path(str(REPO / "conf.py"))["sphinx_gallery_conf"]
    return list(zip(conf["examples_dirs"], conf["gallery_dirs"], strict=True))


GALLERIES = galleries()

#: What is never copied: build output, generated files, tooling.
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "_build", "_generated", "sg_execution_times.rst", "__pycache__",
    ".pytest_cache", ".ruff_cache", "*.mo", "tests",
)


def _ignore_generated(directory, names):
    ignored = set(IGNORED(directory, names))
    for _, gallery_dir in GALLERIES:
        generated = REPO / gallery_dir
        if Path(directory) == generated.parent and generated.name in names:
            ignored.add(generated.name)
    return ignored


def copy_site(dest) -> Path:
    """Copy the site's sources, as a fresh clone has them, to ``dest``."""
    shutil.copytree(REPO, dest, ignore=_ignore_generated)
    return Path(dest)
