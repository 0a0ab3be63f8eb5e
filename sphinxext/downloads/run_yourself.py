"""Run it yourself: what to install, pinned downloads, and an "Open in Colab" button.

Usage in ``conf.py``::

    extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.provenance", "sphinxext.translation.zh_downloads",
                  "sphinxext.downloads.run_yourself"]
    # The GitHub repository ("owner/name") whose notebooks branch Colab opens;
    # empty (a local build): no button.
    run_yourself_repository = os.environ.get("COLAB_REPOSITORY", "")
    run_yourself_branch = "notebooks"

and on a page that speaks for every example (the site's index)::

    .. run-yourself::

Every example page gets, above its download buttons, a "Run it yourself"
block: the packages the example imports (read with ``ast``), the oldest
Python and PyTorch its code needs (``_run_yourself.code_needs``, which says
where each version comes from), the newest ``Requires-Python`` of the pinned
projects (their installed metadata), the versions
that produced the page (``provenance``'s records), one install command each
for Linux without a GPU (PyTorch's CPU-only wheels), Linux with an NVIDIA GPU
and macOS, and, when ``run_yourself_repository`` is set, an "Open in Colab"
link to the page's own notebook on branch ``run_yourself_branch``, at
``<language>/<docname>.ipynb`` (``tools/publish_notebooks.py`` puts it there).

Its downloads are rewritten, in ``_generated/<language>/<gallery_dir>/`` (the
English ones here, the translated ones by ``zh_downloads``), and the pages
link to them:

* ``NAME.py`` without the build's ``sphinx_gallery_start_ignore`` blocks and
  configuration comments: the program of the notebook;
* ``NAME.ipynb`` starting with a code cell that installs the pinned versions
  (and does nothing when they are there);
* the download-all zips with a pinned ``requirements.txt`` and a ``README.md``.

An example importing a module no installed project provides is a warning
(``run_yourself.import``); so is an executed example without a readable
provenance record (``run_yourself.provenance``).  A build that executes
nothing (``plot_gallery = False``) has no versions to pin: it keeps
sphinx-gallery's downloads and shows no block.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_gallery.notebook import add_code_cell, jupyter_notebook_skeleton

from sphinxext.core.examplepaths import OUTPUT, Example, examples_of, gallery_folders, is_translated_build
from sphinxext.downloads import _run_yourself as ry

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

_ = get_translation("sphinx")
logger = logging.getLogger(__name__)

COLAB = "https://colab.research.google.com/github/{repository}/blob/{branch}/{path}"
ENVIRONMENT = "environment.json"
PROVENANCE_SUFFIX = ".provenance.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _warn(subtype: str, message: str, location: Any) -> None:
    logger.warning(message, location=location, type="run_yourself", subtype=subtype)


def language_folder(config: Any) -> str:
    return config.language if is_translated_build(config) else "en"


def colab_path(config: Any, docname: str) -> str:
    """Where the page's notebook lies on the notebooks branch."""
    return f"{language_folder(config)}/{docname}.ipynb"


def colab_url(config: Any, docname: str) -> str | None:
    repository = (config.run_yourself_repository or "").strip()
    if not repository:
        return None
    return COLAB.format(repository=repository, branch=config.run_yourself_branch,
                        path=colab_path(config, docname))


def executes(config: Any) -> bool:
    value = config.sphinx_gallery_conf.get("plot_gallery", True)
    return str(value).lower() not in ("false", "0")


# -- What an example needs ------------------------------------------------------------


def example_pins(app: Sphinx, example: Example) -> dict[str, str] | None:
    """The versions that produced ``example``'s page, or None when it was not executed."""
    folder = example.copy.parent
    record = folder / (example.copy.stem + PROVENANCE_SUFFIX)
    if not record.is_file() and not executes(app.config):
        return None
    projects, unknown = ry.requirements([example.copy.read_text("utf-8")])
    for module in unknown:
        _warn("import", f"no installed project provides the module {module!r} that "
              "the example imports: its install line cannot name it", f"{example.source}:1")
    try:
        return ry.pinned_versions(record, folder / ENVIRONMENT, projects)
    except ry.ProvenanceError as exc:
        _warn("provenance", f"cannot pin the example's versions: {exc}", f"{example.source}:1")
        return None


def gallery_pins(pins: list[dict[str, str]], location: str) -> dict[str, str]:
    """One version per project for a gallery's zips (its examples agree, normally)."""
    merged: dict[str, str] = {}
    for pin in pins:
        for project, version in pin.items():
            if merged.setdefault(project, version) != version:
                _warn("pins", f"the examples ran with two {project} versions "
                      f"({merged[project]} and {version}): the zips pin {merged[project]}",
                      location)
    order = list(ry.DISPLAY)
    return {p: merged[p] for p in sorted(merged, key=lambda p: (
        order.index(p) if p in order else len(order), p))}


# -- Writing the downloads ---------------------------------------------------------------


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` ({name: content}) that depends on nothing but them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def notebook_with_first_cell(notebook: dict, pins: dict[str, str]) -> dict:
    """``notebook`` with the install cell first, shaped as sphinx-gallery shapes cells."""
    skeleton = jupyter_notebook_skeleton()
    add_code_cell(skeleton, ry.first_cell(pins))
    return {**notebook, "cells": skeleton["cells"] + notebook["cells"]}


def notebook_bytes(notebook: dict) -> bytes:
    # As sphinx_gallery.notebook.save_notebook writes it.
    return json.dumps(notebook, indent=2).encode()


def write_example(example: Example, script: str, notebook: dict,
                  pins: dict[str, str] | None, out_dir: Path) -> dict[str, bytes]:
    """Write the example's .py, .ipynb and .zip into ``out_dir``; return the first two."""
    if pins is not None:
        script = ry.strip_build_lines(script)
        notebook = notebook_with_first_cell(notebook, pins)
    files = {
        example.copy.name: script.encode(),
        example.copy.with_suffix(".ipynb").name: notebook_bytes(notebook),
    }
    for name, data in files.items():
        write_if_changed(out_dir / name, data)
    write_if_changed((out_dir / example.copy.name).with_suffix(".zip"), zip_bytes(files))
    return files


def write_gallery_zips(app: Sphinx, gallery_dir: str, written: list[tuple[Example, dict]],
                       pins: list[dict[str, str]], out_dir: Path) -> None:
    """``<gallery>_python.zip`` and ``<gallery>_jupyter.zip``, with requirements and README."""
    if not written:
        return
    folder = Path(gallery_dir).name
    extra: dict[str, bytes] = {}
    if pins and len(pins) == len(written):
        merged = gallery_pins(pins, f"{gallery_dir}/index")
        sources = [ry.strip_build_lines(e.copy.read_text("utf-8")) for e, _ in written]
        needs = ry.code_needs(sources)
        title = gallery_title(app, gallery_dir)
        extra["requirements.txt"] = ry.requirements_txt(merged).encode()
    for suffix, kind in ((".py", "python"), (".ipynb", "jupyter")):
        files = {}
        for example, data in written:
            name = example.copy.with_suffix(suffix).name
            files[name] = data[name]
        if extra:
            readme = ry.readme(title, merged, needs, ry.python_needed_by(merged), list(files))
            files = {**files, **extra, "README.md": readme.encode()}
        write_if_changed(out_dir / f"{folder}_{kind}.zip", zip_bytes(files))


def gallery_title(app: Sphinx, gallery_dir: str) -> str:
    """The gallery index's title, as the build's language shows it."""
    for examples_dir, target in gallery_folders(app.config):
        if target == gallery_dir:
            header = Path(app.srcdir, examples_dir, "GALLERY_HEADER.rst")
            if header.is_file():
                lines = header.read_text("utf-8").splitlines()
                for line, under in zip(lines, lines[1:], strict=False):
                    if line.strip() and under.strip() and set(under.strip()) <= set("=-~^*#"):
                        return translated_title(app, f"{gallery_dir}/index", line.strip())
    return Path(gallery_dir).name


def translated_title(app: Sphinx, docname: str, title: str) -> str:
    if not is_translated_build(app.config):
        return title
    from sphinxext.translation._translate_text import page_catalog

    catalog = page_catalog(app.config, Path(app.srcdir), docname)
    return catalog.messages.get(title, title)


def write_english_downloads(app: Sphinx) -> None:
    """The English build's downloads, in ``_generated/en/`` (see the module's docstring)."""
    if is_translated_build(app.config):
        return
    for gallery_dir, examples in examples_of(app.config, app.srcdir).items():
        out_dir = Path(app.srcdir, OUTPUT, "en", gallery_dir)
        written, pins = [], []
        for example in examples:
            pin = example_pins(app, example)
            notebook = json.loads(example.copy.with_suffix(".ipynb").read_text("utf-8"))
            data = write_example(example, example.copy.read_text("utf-8"), notebook, pin, out_dir)
            written.append((example, data))
            if pin is not None:
                pins.append(pin)
        write_gallery_zips(app, gallery_dir, written, pins, out_dir)


# -- The pages ----------------------------------------------------------------------------


def block(config: Any, pins: dict[str, str], needs: list[ry.Need], python: str | None,
          colab: str | None, what: str, produced: str) -> nodes.container:
    """The "Run it yourself" block (its text in the build's language)."""
    box = nodes.container(classes=["run-yourself"])
    box += nodes.rubric(text=_("Run it yourself"), ids=["run-it-yourself"])
    names = [ry.DISPLAY.get(p, p) for p in pins]
    box += nodes.paragraph(text=what.format(packages=ry.listing(names)))
    versions = ry.listing([f"{ry.DISPLAY.get(p, p)} {v}" for p, v in pins.items()])
    sentences = [produced.format(versions=versions)]
    sentences += [ry.need_sentence(need) for need in needs]
    if python:
        sentences.append(_("The pinned versions need Python {version} or newer.").format(
            version=python))
    box += nodes.paragraph(text=" ".join(sentences))
    for label, command in ry.install_commands(pins):
        box += nodes.paragraph(text=label, classes=["run-yourself-label"])
        literal = nodes.literal_block(command, command, language="bash")
        box += literal
    if colab:
        link = nodes.reference("", _("Open in Colab"), refuri=colab,
                               classes=["run-yourself-colab"])
        box += nodes.paragraph("", "", link)
    for node in box.findall(nodes.Element):
        node["translatable"] = False
    return box


class RunYourselfBlocks(SphinxTransform):
    """Put the block on every executed example page, above its download buttons."""

    # After zh_downloads' TranslatedDownloads (850); the block's text is not
    # translated by the page's catalog but written in the build's language.
    default_priority = 860

    def apply(self, **kwargs: Any) -> None:
        docname = self.env.docname
        gallery = next((g for _, g in gallery_folders(self.config)
                        if docname.startswith(g + "/") and docname.count("/") == g.count("/") + 1),
                       None)
        copy = Path(self.env.srcdir, docname + ".py")
        if gallery is None or not copy.is_file():
            return
        footer = next((c for c in self.document.findall(nodes.container)
                       if "sphx-glr-footer" in c["classes"]), None)
        if footer is None:
            return
        record = copy.with_name(copy.stem + PROVENANCE_SUFFIX)
        if not record.is_file():
            return  # not executed (plot_gallery = False); example_pins warned otherwise
        self.env.note_dependency(str(record))
        source = copy.read_text("utf-8")
        projects, _unknown = ry.requirements([source])
        try:
            pins = ry.pinned_versions(record, copy.parent / ENVIRONMENT, projects)
        except ry.ProvenanceError:
            return  # reported once, by example_pins
        needs = ry.code_needs([ry.strip_build_lines(source)])
        box = block(self.config, pins, needs, ry.python_needed_by(pins),
                    colab_url(self.config, docname),
                    _("This example needs {packages}."),
                    _("This output was produced with {versions}."))
        anchor = footer.parent if isinstance(footer.parent, addnodes.only) else footer
        anchor.parent.insert(anchor.parent.index(anchor), box)


class RunYourselfDirective(SphinxDirective):
    """``.. run-yourself::``: the block for every example of the site."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        sources, pins = [], []
        for examples in examples_of(self.config, self.env.srcdir).values():
            for example in examples:
                record = example.copy.with_name(example.copy.stem + PROVENANCE_SUFFIX)
                if not record.is_file():
                    continue
                self.env.note_dependency(str(record))
                source = example.copy.read_text("utf-8")
                projects, _unknown = ry.requirements([source])
                try:
                    pins.append(ry.pinned_versions(
                        record, example.copy.parent / ENVIRONMENT, projects))
                except ry.ProvenanceError:
                    continue
                sources.append(ry.strip_build_lines(source))
        if not pins:
            return []
        merged = gallery_pins(pins, self.get_location())
        what = _("The examples need {packages}.")
        if any(set(pin) != set(merged) for pin in pins):
            what += " " + _("Not every example needs all of them: each example page "
                            "names its own.")
        return [block(self.config, merged, ry.code_needs(sources), ry.python_needed_by(merged),
                      None, what, _("The examples' outputs were produced with {versions}."))]


def add_stylesheet(app: Sphinx) -> None:
    app.add_css_file("run_yourself.css")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.setup_extension("sphinxext.translation.zh_downloads")
    app.add_config_value("run_yourself_repository", "", "html", types=[str])
    app.add_config_value("run_yourself_branch", "notebooks", "html", types=[str])
    # After provenance's store_fingerprints (600), which writes environment.json.
    app.connect("builder-inited", write_english_downloads, priority=650)
    app.connect("builder-inited", add_stylesheet)
    app.add_transform(RunYourselfBlocks)
    app.add_directive("run-yourself", RunYourselfDirective)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
