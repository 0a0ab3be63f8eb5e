"""Translated downloads: a translated build offers translated .py, .ipynb and zips.

Usage in ``conf.py``::

    extensions = ["sphinx_gallery.gen_gallery", "sphinxext.translation.zh_downloads"]
    locale_dirs = ["locales"]

and build the translated side after the English one, reusing its generated
galleries (``sphinx-build -D language=zh_CN ...``).  Nothing to write in reST:
every ``:download:`` that sphinx-gallery puts on an example page or a gallery
index points, in a translated build, to the translated twin of its file.

For each example that sphinx-gallery generated (``<gallery_dir>/NAME.py`` next
to ``NAME.ipynb``), a translated build writes into
``_generated/<language>/<gallery_dir>/``:

* ``NAME.py``: the English script with every text translated (the docstring's
  title and intro, every ``# %%`` text cell), each message taken from the
  example page's own catalog (``locales/<language>/LC_MESSAGES/
  <gallery_dir>/NAME.po``), so the page and the download say the same thing.
  The text stays reST; the code, comments included, is byte for byte the
  English code (checked: a difference is a warning), less the build's ignore
  blocks and configuration comments, as in the English download
  (``run_yourself``).
* ``NAME.ipynb``: made from that script the way sphinx-gallery makes the
  English notebook (``sphinx_gallery.notebook.jupyter_notebook``), after
  dropping reST's ``\\ `` escapes, which Chinese text needs next to markup
  and Markdown does not, and starting with ``run_yourself``'s install cell,
  commented in Chinese.  No code runs: it is the code the English side ran.
* ``NAME.zip`` with both, and the gallery's ``<gallery>_python.zip`` and
  ``<gallery>_jupyter.zip``, with ``run_yourself``'s pinned
  ``requirements.txt`` and a Chinese ``README.md``.

File names stay those of the English downloads; only their folder differs.
The gallery index pages' cards (title and tooltip) are translated from the
same catalogs, and :func:`translated_card` gives them to ``galleryitem``.

A message of an example with no translation (missing, empty or fuzzy) is a
warning of type ``zh_downloads``, subtype ``untranslated``, naming the
example's source file and line, the catalog and the message; so is an
example without a catalog (``no_catalog``), a text that cannot be read
(``unparsed``), a translated script whose code would differ (``code``), and a
card that cannot be translated (``card``).  With ``-W`` the build fails.

The translating itself (catalog, messages, script, notebook blocks) lives in
``_translate_text.py``; this module wires it into the build.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx_gallery.gen_rst import extract_intro_and_title
from sphinx_gallery.notebook import jupyter_notebook
from sphinx_gallery.py_source_parser import split_code_and_text_blocks

from sphinxext.core import cards
from sphinxext.core.examplepaths import OUTPUT, Example, examples_of, gallery_folders, is_translated_build
from sphinxext.downloads.run_yourself import example_pins, write_example, write_gallery_zips
from sphinxext.translation._translate_text import notebook_blocks, page_catalog, translate_rst, translate_script

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

# -- The build -------------------------------------------------------------------




def _warn(subtype: str, message: str, location: str) -> None:
    logger.warning(message, location=location, type="zh_downloads", subtype=subtype)


def translate_example(app: Sphinx, example: Example) -> tuple[str, list] | None:
    """The example's translated script and its notebook's blocks; None without a catalog."""
    srcdir = Path(app.srcdir)
    catalog = page_catalog(app.config, srcdir, example.docname)
    if catalog.path is None:
        _warn(
            "no_catalog",
            f"no {app.config.language} catalog for {example.docname}: "
            "its downloads cannot be translated",
            f"{example.source}:1",
        )
        return None
    po = catalog.path.relative_to(srcdir).as_posix()
    _, blocks = split_code_and_text_blocks(example.copy)
    texts = []
    for block in blocks:
        if block.type != "text":
            texts.append(block.content)
            continue
        translation = translate_rst(block.content, catalog.messages)
        for problem in translation.problems:
            _warn("unparsed", f"{problem} (in {po})", f"{example.source}:{block.lineno}")
        for msgid, offset in translation.missing:
            _warn(
                "untranslated",
                f"untranslated message in {po}: {msgid!r}",
                f"{example.source}:{block.lineno + offset}",
            )
        texts.append(translation.text)

    script = translate_script(example.copy.read_text("utf-8"), blocks, texts)
    # sphinx-gallery splits files only: the translation goes through one.
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch, example.copy.name)
        path.write_text(script, encoding="utf-8")
        _, translated = split_code_and_text_blocks(path)
    english_code = [b.content for b in blocks if b.type == "code"]
    if [b.content for b in translated if b.type == "code"] != english_code:
        _warn("code", f"the translated script's code differs from {example.source}",
              f"{example.source}:1")
    return script, notebook_blocks(translated, app.config.sphinx_gallery_conf)


def write_downloads(app: Sphinx) -> None:
    """Write every example's translated downloads (a translated build only).

    The files themselves (the notebook's first cell, the zips' requirements and
    README, the script without the build's lines) are written by ``run_yourself``.
    """
    if not is_translated_build(app.config):
        return

    gallery_conf = app.config.sphinx_gallery_conf
    for gallery_dir, examples in examples_of(app.config, app.srcdir).items():
        out_dir = Path(app.srcdir, OUTPUT, app.config.language, gallery_dir)
        written, pins = [], []
        for example in examples:
            translated = translate_example(app, example)
            if translated is None:
                continue
            script, blocks = translated
            notebook = jupyter_notebook(blocks, gallery_conf, example.copy.parent)
            pin = example_pins(app, example)
            written.append((example, write_example(example, script, notebook, pin, out_dir)))
            if pin is not None:
                pins.append(pin)
        write_gallery_zips(app, gallery_dir, written, pins, out_dir)


# -- Pages -----------------------------------------------------------------------


def _twin(env: BuildEnvironment, rel_path: str) -> str | None:
    """The translated twin of a download in a gallery folder, srcdir-relative."""
    for _, gallery_dir in gallery_folders(env.config):
        if rel_path.startswith(gallery_dir + "/"):
            language = env.config.language if is_translated_build(env.config) else "en"
            twin = Path(OUTPUT, language, rel_path)
            if Path(env.srcdir, twin).is_file():
                return twin.as_posix()
    return None


class TranslatedDownloads(SphinxTransform):
    """Point a page's downloads at their twins in ``_generated/<language>/``.

    A translated build's twins are the translated files; an English build has
    twins when ``run_yourself`` wrote them (``_generated/en/``).
    """

    # After sphinx.transforms.i18n.Locale (20), which rebuilds translated
    # paragraphs, and their download references, from the catalog; before
    # the doctree-read event (880), when Sphinx collects the downloads.
    default_priority = 850

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(addnodes.download_reference):
            rel_path, _ = self.env.relfn2path(node["reftarget"], self.env.docname)
            twin = _twin(self.env, rel_path)
            if twin:
                node["reftarget"] = "/" + twin


@dataclass
class Card:
    """An example's title and intro (its card's tooltip), and the catalog they came from."""

    title: str
    intro: str
    catalog: Path


def translated_card(
    config: Any, srcdir: str | Path, docname: str, source: Path
) -> Card | None:
    """The card of the example ``source`` (page ``docname``), translated.

    None in an untranslated build or when the page has no catalog.
    """
    if not is_translated_build(config):
        return None
    catalog = page_catalog(config, Path(srcdir), docname)
    if catalog.path is None:
        return None
    _, blocks = split_code_and_text_blocks(source)
    docstring = translate_rst(blocks[0].content, catalog.messages).text
    intro, title = extract_intro_and_title(source, docstring)
    return Card(title, intro, catalog.path)


class TranslatedGalleryCards(SphinxTransform):
    """Translate the title and tooltip of the cards sphinx-gallery writes on an index."""

    default_priority = 850

    def apply(self, **kwargs: Any) -> None:
        if not is_translated_build(self.config):
            return
        raws = [
            raw
            for raw in self.document.findall(nodes.raw)
            if cards.holds_cards(raw.astext())
        ]
        if not raws:
            return
        tooltips, titles = self._cards()
        for raw in raws:
            text = raw.astext()
            for english, chinese in (*tooltips.items(), *titles.items()):
                text = text.replace(english, chinese)
            for kind, pattern in (
                ("tooltip", cards.TOOLTIP_TEXT),
                ("title", cards.TITLE_TEXT),
            ):
                for found in pattern.finditer(text):
                    known = (tooltips if kind == "tooltip" else titles).values()
                    if found.group(0) not in known:
                        logger.warning(
                            f"card {kind} has no translation: {found.group(1)!r}",
                            location=raw,
                            type="zh_downloads",
                            subtype="card",
                        )
            raw.children = [nodes.Text(text)]
            raw.rawsource = text

    def _cards(self) -> tuple[dict[str, str], dict[str, str]]:
        tooltips, titles = {}, {}
        for examples in examples_of(self.config, self.env.srcdir).values():
            for example in examples:
                _, blocks = split_code_and_text_blocks(example.copy)
                intro, title = extract_intro_and_title(example.copy, blocks[0].content)
                card = translated_card(
                    self.config, self.env.srcdir, example.docname, example.copy
                )
                # An example without a catalog keeps its card: write_downloads
                # has reported it (no_catalog).
                zh_title, zh_intro = (title, intro) if card is None else (
                    card.title, card.intro)
                if card is not None:
                    self.env.note_dependency(str(card.catalog))
                tooltips[cards.tooltip_markup(intro)] = cards.tooltip_markup(zh_intro)
                titles[cards.title_markup(title)] = cards.title_markup(zh_title)
        return tooltips, titles


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_gallery.gen_gallery")
    # After sphinx-gallery's generate_gallery_rst (priority 500) and
    # provenance's store_fingerprints (600), whose versions run_yourself pins.
    app.connect("builder-inited", write_downloads, priority=650)
    app.add_transform(TranslatedDownloads)
    app.add_transform(TranslatedGalleryCards)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
