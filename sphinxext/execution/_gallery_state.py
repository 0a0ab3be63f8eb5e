"""What ``example_runner`` keeps true so that an incremental build equals a clean one.

* Sources: a source that is not UTF-8 is a warning naming its file and line,
  and sphinx-gallery skips it (it would otherwise abort the whole build); so
  is one whose docstring has no reST title (skipped only without a docstring).
* Removed or renamed examples: the files sphinx-gallery generated from a
  source that is gone are removed before the build reads anything, and the
  build says so (:func:`prepare`); after the build, their pages, images,
  downloads and copied sources leave the HTML output too (:func:`finish`).
* An example that runs again loses its old figures and loss curve first
  (:func:`remove_run_outputs`), so none outlives the code that drew it.
* Captured output: ``\\r`` or more lines per cell than
  ``example_runner_max_output_lines`` is a warning naming the example and the
  cell's first line (:func:`check_output`, called in the example's process on
  each cell's output as sphinx-gallery captured it).
* sphinx-gallery keeps each build's state (the lists of passing, stale and
  failing examples, their titles, the builder's name) in
  ``sphinx_gallery_conf``; Sphinx pickles the configuration with the
  environment, so every next build found the configuration changed.  The
  configuration is pickled as it was configured, and the state restored after.
* When pages are added, removed or reordered, or a title changes, every
  page is written again, so that no page keeps the old navigation.
* Whatever part of the output tree was deleted comes back, and the sitemap
  lists every page (``_output_tree``).
* Failing examples are reported by ``example_runner`` with their file and
  line; :func:`finish` then fails the build itself, in place of
  sphinx-gallery's "Extension error" summary.
"""

from __future__ import annotations

import ast
import copy as copying
import os
import re
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree
from sphinx.util import logging
from sphinx.util._serialise import stable_str
from sphinx_gallery.gen_rst import CODE_OUTPUT, HTML_HEADER

from sphinxext.core.examplepaths import gallery_folders, generated_files, image_files, thumbnail_name
from sphinxext.execution import _output_tree as output_tree

logger = logging.getLogger(__name__)

_stash: dict[str, object] = {}
_initial: dict[str, object] = {}
#: Every other configuration value as ``config-inited`` left it (what the next
#: build compares with), and the live values put aside while pickling.
_configured: dict[str, object] = {}
_live: dict[str, object] = {}
_navigation_before: list = []


def example_sources(gallery_conf):
    """``(source file, gallery folder)`` of every example sphinx-gallery generates."""
    src_root = Path(gallery_conf["src_dir"])
    for examples_dir, gallery_dir in zip(
        gallery_conf["examples_dirs"], gallery_conf["gallery_dirs"], strict=False
    ):
        src_dir = (src_root / examples_dir).resolve()
        target_dir = (src_root / gallery_dir).resolve()
        if not src_dir.is_dir():
            continue
        for src_file in sorted(src_dir.glob("*.py")):
            if re.search(gallery_conf["ignore_pattern"], str(src_file)):
                continue
            yield src_file, target_dir


def _check_encoding(app, gallery_conf):
    """Warn about, and have sphinx-gallery skip, each source that is not UTF-8."""
    bad = []
    for src_file, _ in list(example_sources(gallery_conf)):
        data = src_file.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            logger.warning(
                "example %s is not UTF-8 (byte 0x%02x): save it as UTF-8",
                os.path.relpath(src_file, app.srcdir),
                data[exc.start],
                location=f"{src_file}:{line}",
                type="example_runner",
                subtype="encoding",
            )
            # sphinx-gallery matches the pattern against the bare file name.
            bad.append(r"(?:^|/)" + re.escape(src_file.name) + "$")
    _ignore(gallery_conf, bad)


def _has_title(text):
    """Whether reST ``text`` starts with a title (docutils' own reading)."""
    settings = {"report_level": 5, "halt_level": 5, "warning_stream": False}
    doctree = publish_doctree(text, settings_overrides=settings)
    return any(isinstance(node, nodes.title) for node in doctree.children)


def _check_titles(app, gallery_conf):
    """Warn, at the example, about each docstring that has no reST title.

    sphinx-gallery takes the docstring's first paragraph as the title, but the
    page it writes has none: the gallery index, the toctree and every page
    that links to the example then fail, and none of them names the example.
    An example without a docstring (which sphinx-gallery cannot build) is skipped.
    """
    bad = []
    for src_file, _ in list(example_sources(gallery_conf)):
        try:
            tree = ast.parse(src_file.read_bytes(), filename=str(src_file))
        except (SyntaxError, ValueError):
            continue  # reported when it runs (example_runner); not UTF-8: above
        docstring = ast.get_docstring(tree, clean=False)
        first = tree.body[0] if tree.body else None
        line = first.lineno if docstring is not None else 1
        if docstring and docstring.strip() and _has_title(docstring):
            continue
        logger.warning(
            "example %s has no title: its docstring must start with a reST title"
            " (a line underlined with '=')",
            os.path.relpath(src_file, app.srcdir),
            location=f"{src_file}:{line}",
            type="example_runner",
            subtype="title",
        )
        if not (docstring and docstring.strip()):
            bad.append(r"(?:^|/)" + re.escape(src_file.name) + "$")
    _ignore(gallery_conf, bad)


def _ignore(gallery_conf, patterns):
    """Have sphinx-gallery skip the files matching ``patterns`` (matched against bare names)."""
    if patterns:
        gallery_conf["ignore_pattern"] = "|".join(
            [f"(?:{gallery_conf['ignore_pattern']})", *patterns]
        )


def _remove_orphans(app, gallery_conf):
    """Remove what sphinx-gallery generated from sources that are gone."""
    sources = {(target_dir, src.stem) for src, target_dir in example_sources(gallery_conf)}
    src_root = Path(gallery_conf["src_dir"])
    for examples_dir, gallery_dir in zip(
        gallery_conf["examples_dirs"], gallery_conf["gallery_dirs"], strict=False
    ):
        target_dir = (src_root / gallery_dir).resolve()
        if not target_dir.is_dir():
            continue
        for copy in sorted(target_dir.glob("*.py")):
            if (target_dir, copy.stem) in sources:
                continue
            files = generated_files(target_dir, copy.stem)
            for path in files:
                path.unlink()
            source = Path(src_root, examples_dir, copy.name)
            logger.info(
                "example_runner: removed %d generated file(s) of %s: its source %s is %s",
                len(files),
                os.path.relpath(copy, app.srcdir),
                os.path.relpath(source, app.srcdir),
                "skipped" if source.exists() else "gone",
            )


def prepare(app):
    """Before sphinx-gallery generates the galleries (``builder-inited``)."""
    gallery_conf = app.config.sphinx_gallery_conf
    _check_encoding(app, gallery_conf)
    _check_titles(app, gallery_conf)
    _remove_orphans(app, gallery_conf)


def remove_run_outputs(target_file):
    """Remove the figures, thumbnail and loss curve of the last run of ``target_file``.

    sphinx-gallery keeps an existing thumbnail when the example draws no
    figure any more; it writes one (its placeholder) when there is none.
    """
    target_file = Path(target_file)
    images = target_file.parent / "images"
    for image in image_files(images, target_file.stem):
        image.unlink()
    (images / "thumb" / thumbnail_name(target_file.stem)).unlink(missing_ok=True)
    target_file.with_suffix(".losses.json").unlink(missing_ok=True)


def captured_output(code_output):
    """The text one code cell printed, from sphinx-gallery's result for that cell.

    ``code_output`` is what ``sphinx_gallery.gen_rst.execute_code_block``
    returns for one cell: its images, then the captured text in
    ``CODE_OUTPUT``'s template, indented by ``textwrap.indent`` (which adds
    its four spaces after a carriage return too), then any HTML output.
    """
    head = CODE_OUTPUT.partition("{0}")[0]
    start = code_output.find(head)
    if start < 0:
        return ""
    body = code_output[start + len(head):]
    html = body.find(HTML_HEADER.partition("{0}")[0])
    if html >= 0:
        body = body[:html]
    pieces = body.rstrip("\n").splitlines(keepends=True)
    return "".join(piece.removeprefix("    ") for piece in pieces)


def check_output(text, src_file, cell_line, max_lines):
    """Warn, naming the cell, about ``\\r`` in its output and about overlong output.

    ``text`` is what the cell printed, as sphinx-gallery captured it;
    ``cell_line`` the cell's first line (sphinx-gallery's block line, which
    may be the blank line before the code).  A carriage return anywhere (at
    the start of a line, in its middle, before its newline) is a warning; so
    is more than ``max_lines`` lines, a carriage return counting as a line
    break, as the page shows it.
    """
    source = Path(src_file).read_text(encoding="utf-8").splitlines()
    while cell_line and cell_line < len(source) and not source[cell_line - 1].strip():
        cell_line += 1
    where = f"{src_file}:{cell_line}" if cell_line else f"{src_file}:"
    if "\r" in text:
        logger.warning(
            "example %s prints a carriage return (\\r) in this cell's output;"
            " print progress with plain newlines",
            Path(src_file).name,
            location=where,
            type="example_runner",
            subtype="carriage_return",
        )
    count = len(text.splitlines())
    if count > max_lines:
        logger.warning(
            "example %s prints %d lines in this cell, more than"
            " example_runner_max_output_lines = %d; print less",
            Path(src_file).name,
            count,
            max_lines,
            location=where,
            type="example_runner",
            subtype="long_output",
        )


def _remember_configuration(app, config):
    """The filled-in ``sphinx_gallery_conf``, as the next build will compare it."""
    _initial.clear()
    for key, value in config.sphinx_gallery_conf.items():
        # sphinx-gallery fills some dicts and lists in place: keep copies.
        _initial[key] = copying.copy(value) if isinstance(value, (dict, list, set)) else value


def _remember_configured_values(app, config):
    """Every configuration value as the next build will compare it.

    Themes and extensions add to some values while the build runs (the
    theme's ``html_static_path`` and ``html_css_files``, sphinxcontrib-jquery's
    ``jquery_use_sri``, sphinx-notfound-page's ``notfound_context``...); Sphinx
    pickles them so, and the next build, which compares before they run,
    called its configuration changed.
    """
    _configured.clear()
    for item in config:
        if item.name == "sphinx_gallery_conf":
            continue
        try:
            _configured[item.name] = copying.deepcopy(item.value)
        except Exception:  # noqa: BLE001 - an uncopyable value is compared as it is
            _configured[item.name] = item.value


def _stash_per_build_state(app, env):
    """Pickle the configuration as it was configured, not as the build left it."""
    _live.clear()
    for name, value in _configured.items():
        if name in app.config and stable_str(app.config[name]) != stable_str(value):
            _live[name] = app.config[name]
            app.config[name] = value
    conf = app.config.sphinx_gallery_conf
    _stash.clear()
    for key in list(conf):
        if key not in _initial:
            _stash[key] = conf.pop(key)
        elif stable_str(conf[key]) != stable_str(_initial[key]):
            _stash[key] = conf[key]
            conf[key] = _initial[key]


def _restore_per_build_state(app, exception=None):
    for name, value in _live.items():
        app.config[name] = value
    _live.clear()
    conf = app.config.sphinx_gallery_conf
    conf.update(_stash)
    _stash.clear()


_IMAGE_REF = re.compile(r"_images/([^\"' ,]+)")


def _prune_output(app):
    """Remove from the HTML output what no document of this build refers to."""
    if app.builder.format != "html":
        return
    env = app.env
    outdir = Path(app.outdir)
    removed = []
    # Pages that moved: sphinxext/reader/redirects.py writes a page at the old address.
    moved = set(getattr(app.config, "redirect_pages", None) or {})
    for _, gallery_dir in gallery_folders(app.config):
        for page in sorted(Path(outdir, gallery_dir).glob("*.html")):
            docname = f"{gallery_dir}/{page.stem}"
            if docname not in env.all_docs and docname not in moved:
                removed.append(page)
        for copy in sorted(Path(outdir, "_sources", gallery_dir).glob("*.txt")):
            docname = f"{gallery_dir}/{copy.name.split('.')[0]}"
            if docname not in env.all_docs:
                removed.append(copy)
    # sphinx-gallery's figures are copied by its image-sg nodes as the pages
    # are written, and html_hygiene copies phone-sized renderings, neither
    # through env.images: read every page's references.
    images = {str(unique) for _, unique in env.images.values()}
    for docname in env.all_docs:
        page = Path(outdir, f"{docname}.html")
        if page.is_file():
            images.update(_IMAGE_REF.findall(page.read_text(encoding="utf-8")))
    removed += [
        path
        for path in sorted(Path(outdir, "_images").glob("*"))
        if path.is_file() and path.name not in images
    ]
    downloads = {str(dest) for _, dest in env.dlfiles.values()}
    download_root = Path(outdir, "_downloads")
    removed += [
        path
        for path in sorted(download_root.glob("*/*"))
        if path.is_file() and path.relative_to(download_root).as_posix() not in downloads
    ]
    for path in removed:
        path.unlink()
        if path.parent.parent == download_root and not any(path.parent.iterdir()):
            path.parent.rmdir()
    if removed:
        logger.info(
            "example_runner: removed from the output what no page uses any more: %s",
            ", ".join(os.path.relpath(p, outdir) for p in removed),
        )


def _fail_on_failed_examples(app):
    """Fail the build for the failing examples already reported with file and line."""
    conf = app.config.sphinx_gallery_conf
    if conf.get("expected_failing_examples"):
        return  # sphinx-gallery's own summary compares them with the failures
    failing = conf.get("failing_examples") or {}
    if not failing:
        return
    names = sorted(os.path.relpath(path, app.srcdir) for path in failing)
    logger.info("example_runner: %d example(s) failed: %s", len(names), ", ".join(names))
    conf["failing_examples"] = {}
    app.statuscode = 1


def finish(app):
    """After a build that ended without an exception (``build-finished``).

    Before sphinx-sitemap writes its file (priority 500).
    """
    _fail_on_failed_examples(app)
    _prune_output(app)
    output_tree.complete(app)


def _navigation(env):
    """What every page's navigation shows: the toctrees and the titles."""
    return (
        {doc: list(children) for doc, children in env.toctree_includes.items()},
        {doc: title.astext() for doc, title in env.titles.items()},
    )


def _before_reading(app, env, added, changed, removed):
    _navigation_before[:] = [_navigation(env)]
    return []


def _pages_with_stale_navigation(app, env):
    """Every page, when the toctrees or a title changed (pages added, removed, reordered).

    Sphinx rewrites only the pages that changed, so the previous/next links
    and the sidebar of the others would still show the old navigation.
    """
    if _navigation_before and _navigation_before[0] != _navigation(env):
        return sorted(env.found_docs)
    return []


def setup(app):
    app.connect("env-get-outdated", _before_reading)
    app.connect("env-get-updated", _pages_with_stale_navigation)
    output_tree.setup(app)
    # After sphinx-gallery's fill_gallery_conf_defaults (config-inited, 10).
    app.connect("config-inited", _remember_configuration, priority=900)
    # Last at config-inited: what the next build's comparison sees.
    app.connect("config-inited", _remember_configured_values, priority=999)
    # Last at env-updated, which comes just before the environment is pickled.
    app.connect("env-updated", _stash_per_build_state, priority=900)
    # Right after the pickling (before any page is written), and in any case.
    # A build with nothing to read emits no env-check-consistency: its assets
    # (the theme's and extensions' static files) are copied after write-started.
    app.connect("env-check-consistency", _restore_per_build_state, priority=1)
    app.connect("write-started", lambda app, builder: _restore_per_build_state(app), priority=1)
    app.connect("build-finished", _restore_per_build_state, priority=1)
