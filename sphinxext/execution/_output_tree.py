"""Output trees rebuilt whole: what keeps ``_build/html`` equal to a clean build's.

Part of what ``example_runner`` keeps true (``_gallery_state`` holds the rest):

* Whatever part of the output a contributor deletes (a page, ``_images/``,
  ``_static/``, the sitemap, the Chinese tree) comes back.  Sphinx writes only
  the pages whose sources changed and copies only their images, so what was
  deleted would stay missing.  Each build records the files it left (in its
  doctree folder, without other builds' trees nested in its own, such as
  ``zh_CN/``); when one is missing at the start of the next, every page is
  written again, which copies every image too (Sphinx copies static files and
  downloads in every build).
* sphinx-sitemap lists only the pages a build wrote: :func:`complete` adds
  the others.
* Sphinx backs up ``.buildinfo`` as ``.buildinfo.bak`` when the
  configuration changed; a clean build has none, so it goes.
"""

from __future__ import annotations

import json
import queue
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: In each build's doctree folder: every file the last build left in its output.
OUTPUT_MANIFEST = "output-files.json"
_incomplete: list[str] = []


def _output_files(outdir):
    """Every file of the output tree, without other builds' trees nested in it (zh_CN/)."""
    outdir = Path(outdir)
    nested = {
        path.parent for path in outdir.glob("*/**/.buildinfo") if path.parent != outdir
    }
    return sorted(
        path.relative_to(outdir).as_posix()
        for path in outdir.rglob("*")
        if path.is_file() and not any(folder in path.parents for folder in nested)
    )


def _check_output_tree(app):
    """Before anything is written: is every file the last build left still there?

    A contributor may delete any part of ``_build/html`` (a page, ``_images/``,
    ``_static/``, the sitemap, the Chinese tree).  Sphinx writes only the pages
    whose sources changed and copies only their images, so what was deleted
    would stay missing; when anything is, every page is written again.
    """
    _incomplete.clear()
    if app.builder.format != "html" or not app.env.all_docs:
        return  # a fresh environment: every page is written anyway
    manifest = Path(app.doctreedir, OUTPUT_MANIFEST)
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        files = None
    if files is None:
        _incomplete.append(f"{OUTPUT_MANIFEST} is missing")
        return
    missing = [rel for rel in files if not Path(app.outdir, rel).exists()]
    if missing:
        _incomplete.append(f"{len(missing)} file(s) are missing, among them {missing[0]}")


def _pages_of_an_incomplete_tree(app, env):
    if _incomplete and env.found_docs:
        logger.info(
            "example_runner: the output tree is incomplete (%s): every page is written again",
            _incomplete[0],
        )
        return sorted(env.found_docs)
    return []


def complete(app):
    """At the end of a build, before sphinx-sitemap writes its file (priority 500).

    sphinx-sitemap lists only the pages this build wrote: its ``add_html_link``
    is called for every page, and the queue it fills (from ``-j`` workers too)
    is read back without the duplicates.  ``.buildinfo.bak`` goes.
    """
    Path(app.outdir, ".buildinfo.bak").unlink(missing_ok=True)
    if "sphinx_sitemap" not in app.extensions:
        return
    from sphinx_sitemap import add_html_link

    for docname in sorted(app.env.found_docs):
        add_html_link(app, docname, None, {}, None)
    links = app.env.app.sitemap_links
    unique = {}
    while True:
        try:
            link, last_updated = links.get_nowait()
        except queue.Empty:
            break
        unique.setdefault(link, last_updated)
    for item in unique.items():
        links.put(item)


def _record_output_tree(app, exception):
    if exception is None and app.builder.format == "html":
        Path(app.doctreedir, OUTPUT_MANIFEST).write_text(
            json.dumps(_output_files(app.outdir), indent=0), encoding="utf-8"
        )


def setup(app):
    app.connect("builder-inited", _check_output_tree, priority=100)
    app.connect("env-get-updated", _pages_of_an_incomplete_tree)
    # Last: after every extension wrote what it writes at the end.
    app.connect("build-finished", _record_output_tree, priority=999)
