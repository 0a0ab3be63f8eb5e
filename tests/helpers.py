"""What several test modules need: reading built pages, captured output, logs.

Every test module imports its helpers from here (and the inventory of
examples from ``test_site``), never another test module's private names.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_SEARCH_INDEX = re.compile(r"\s*Search\.setIndex\((.*)\)\s*", re.DOTALL)
#: sphinx-gallery's run-time line: "(0 minutes 1.234 seconds)".
_RUN_TIME = re.compile(r"\(\s*(\d+)\s*\D+?\s*([\d.]+)\s*\D+?\)")


def strip_ansi(text: str) -> str:
    """``text`` without terminal colour codes (Sphinx colours its warnings)."""
    return _ANSI.sub("", text)


def soup(path) -> BeautifulSoup:
    """A built HTML file, parsed."""
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


def captured_output(html: BeautifulSoup) -> str:
    """The text an example page shows as its captured output (every cell's)."""
    return "\n".join(pre.get_text() for pre in html.select("div.sphx-glr-script-out pre"))


def output_text(site, page: str) -> str:
    """The captured output of ``page`` (e.g. ``beginner/examples_nn/dynamic_net``)."""
    return captured_output(soup(site.out / f"{page}.html"))


def run_time_seconds(html: BeautifulSoup) -> float:
    """The run time an example page states in its ``sphx-glr-timing`` line."""
    text = html.select_one("p.sphx-glr-timing").get_text()
    found = _RUN_TIME.search(text)
    assert found, f"no run time in {text!r}"
    return int(found.group(1)) * 60 + float(found.group(2))


def downloaded(site, page: str, suffix: str) -> Path:
    """The file an example page offers for download with ``suffix`` (``.py``, ...)."""
    for a in soup(site.out / f"{page}.html").select("div.sphx-glr-download a.download"):
        if a["href"].endswith(suffix):
            return (site.out / page).parent / a["href"]
    raise AssertionError(f"{page} has no {suffix} download")


def search_index(path) -> dict:
    """The object a built ``searchindex.js`` hands to ``Search.setIndex``."""
    match = _SEARCH_INDEX.fullmatch(Path(path).read_text(encoding="utf-8"))
    assert match, f"{path} is not a Search.setIndex(...) call"
    return json.loads(match.group(1))


def copy_built_site(site, dest) -> Path:
    """Copy a built site (sources, generated pages, doctrees, output) to ``dest``.

    A rebuild of the copy starts from the state the site's build left.
    """
    shutil.copytree(site.src, dest, symlinks=True)
    return Path(dest)


def executed_notebook_output(path, workdir) -> tuple[object, str]:
    """Run the notebook at ``path`` in a fresh kernel; return it and its printed text."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    ).execute()
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == "stream"
    )
    return notebook, printed


def stamps(src):
    """When each example of a provenance test root last ran (gallery/first and second)."""
    return {
        name: json.loads((src / "gallery" / f"{name}.provenance.json").read_text(encoding="utf-8"))["timestamp"]
        for name in ("first", "second")
    }


def cache_lines(app):
    """A build's ``provenance:`` lines (what it ran again, and why)."""
    return [line for line in app.status.getvalue().splitlines() if line.startswith("provenance:")]
