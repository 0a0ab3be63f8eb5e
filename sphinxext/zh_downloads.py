"""Translated downloads: a translated build offers translated .py, .ipynb and zips.

Usage in ``conf.py``::

    extensions = ["sphinx_gallery.gen_gallery", "zh_downloads"]
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
  English code (checked: a difference is a warning).
* ``NAME.ipynb``: made from that script the way sphinx-gallery makes the
  English notebook (``sphinx_gallery.notebook.jupyter_notebook``), after
  dropping reST's ``\\ `` escapes, which Chinese text needs next to markup
  and Markdown does not.  No code runs: it is the code the English side ran.
* ``NAME.zip`` with both, and the gallery's ``<gallery>_python.zip`` and
  ``<gallery>_jupyter.zip``.

File names stay those of the English downloads; only their folder differs.
The gallery index pages' cards (title and tooltip) are translated from the
same catalogs, and :func:`translated_card` gives them to ``galleryitem``.

A message of an example with no translation (missing, empty or fuzzy) is a
warning of type ``zh_downloads``, subtype ``untranslated``, naming the
example's source file and line, the catalog and the message; so is an
example without a catalog (``no_catalog``), a text that cannot be read
(``unparsed``), a translated script whose code would differ (``code``), and a
card that cannot be translated (``card``).  With ``-W`` the build fails.
"""

from __future__ import annotations

import ast
import functools
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _examplepaths import gallery_folders, source_of
from babel.messages.pofile import read_po
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import column_width, new_document
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import LITERAL_TYPE_NODES, extract_messages
from sphinx_gallery.downloads import python_zip
from sphinx_gallery.gen_rst import extract_intro_and_title
from sphinx_gallery.notebook import jupyter_notebook, save_notebook
from sphinx_gallery.py_source_parser import (
    Block,
    remove_config_comments,
    remove_ignore_blocks,
    split_code_and_text_blocks,
)
from sphinx_gallery.utils import zip_files

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

#: Where the translated downloads go, under the source folder.
OUTPUT = Path("_generated")

_PARSE_SETTINGS = {
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "doctitle_xform": False,
}
_ADORNMENT = re.compile(r"^\s*([!-/:-@\[-`{-~])\1*\s*$")
# reST's escaped space, outside inline literals and math, where it is text.
_ESCAPED_SPACE = re.compile(r"(``.+?``|:math:`[^`]*`)|\\ ", re.DOTALL)


def is_translated_build(config: Any) -> bool:
    return bool(config.language) and config.language != "en"


# -- Catalogs ------------------------------------------------------------------


@dataclass
class Catalog:
    """An example page's messages: ``{msgid: msgstr}`` of its translated entries."""

    path: Path | None
    messages: dict[str, str] = field(default_factory=dict)


_catalog_cache: dict[Path, tuple[float, Catalog]] = {}


def page_catalog(config: Any, srcdir: Path, docname: str) -> Catalog:
    """The catalog Sphinx translates page ``docname`` with (fuzzy entries left out)."""
    domain = docname_to_domain(docname, config.gettext_compact)
    for locale_dir in config.locale_dirs:
        path = Path(srcdir, locale_dir, config.language, "LC_MESSAGES", domain + ".po")
        if not path.is_file():
            continue
        mtime = path.stat().st_mtime
        cached = _catalog_cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        with path.open("rb") as po:
            entries = read_po(po)
        messages = {
            entry.id: entry.string
            for entry in entries
            if entry.id and isinstance(entry.id, str) and entry.string and not entry.fuzzy
        }
        catalog = Catalog(path, messages)
        _catalog_cache[path] = (mtime, catalog)
        return catalog
    return Catalog(None)


# -- Translating reST ------------------------------------------------------------


@dataclass
class Translation:
    text: str
    #: (message, line offset in the text) of every message with no translation.
    missing: list[tuple[str, int]] = field(default_factory=list)
    #: Why (part of) the text could not be read.
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Message:
    msgid: str
    rawsource: str
    is_title: bool


@functools.lru_cache(maxsize=1)
def _parser() -> tuple[Parser, Any]:
    settings = get_default_settings(Parser)
    for name, value in _PARSE_SETTINGS.items():
        setattr(settings, name, value)
    return Parser(), settings


@functools.lru_cache(maxsize=512)
def _messages(text: str) -> tuple[tuple[Message, ...], tuple[str, ...]]:
    """The messages Sphinx extracts from reST ``text``, in order, and parse problems."""
    parser, settings = _parser()
    document = new_document("<text>", settings)
    try:
        parser.parse(text, document)
    except Exception as exc:  # noqa: BLE001 - a directive that needs a Sphinx page
        return (), (f"cannot parse the text ({type(exc).__name__}: {exc})",)
    problems = tuple(
        f'unknown directive "{found.group(1)}": its text cannot be translated'
        for message in document.findall(nodes.system_message)
        if (found := re.search(r'Unknown directive type "([^"]+)"', message.astext()))
    )
    found = tuple(
        Message(msgid, node.rawsource, isinstance(node, nodes.title))
        for node, msgid in extract_messages(document)
        if not isinstance(node, (*LITERAL_TYPE_NODES, nodes.image))
    )
    return found, problems


def _find(lines: list[str], raw: list[str], start: int) -> int | None:
    for at in range(start, len(lines) - len(raw) + 1):
        if lines[at].rstrip().endswith(raw[0]) and all(
            lines[at + k].strip() == raw[k] for k in range(1, len(raw))
        ):
            return at
    return None


def translate_rst(text: str, messages: dict[str, str]) -> Translation:
    """Replace each message of reST ``text`` by its translation, keeping the markup.

    A title gets an adornment as wide as its translation; a paragraph in a list
    or a directive keeps its marker and indentation.
    """
    found, problems = _messages(text)
    result = Translation(text, problems=list(problems))
    lines = text.split("\n")
    cursor = 0
    for message in found:
        msgid = message.msgid
        raw = [line.strip() for line in message.rawsource.split("\n") if line.strip()]
        at = _find(lines, raw, cursor)
        if at is None:
            result.problems.append(f"cannot find the message in the text: {msgid!r}")
            continue
        msgstr = messages.get(msgid)
        if msgstr is None:
            result.missing.append((msgid, at))
            cursor = at + len(raw)
            continue
        first = lines[at].rstrip()
        prefix = first[: len(first) - len(raw[0])]
        new = msgstr.split("\n")
        replacement = [prefix + new[0]] + [" " * len(prefix) + line for line in new[1:]]
        end = at + len(raw)
        if message.is_title and end < len(lines):
            under = _ADORNMENT.match(lines[end])
            if under:
                width = max(column_width(line) for line in replacement)
                replacement.append(under.group(1) * width)
                end += 1
                over = _ADORNMENT.match(lines[at - 1]) if at else None
                if over and over.group(1) == under.group(1):
                    lines[at - 1] = under.group(1) * width
        lines[at:end] = replacement
        cursor = at + len(replacement)
    result.text = "\n".join(lines)
    return result


def drop_escaped_spaces(text: str) -> str:
    """Remove reST's ``\\ `` escapes, which render as nothing, outside literals."""
    return _ESCAPED_SPACE.sub(lambda match: match.group(1) or "", text)


# -- Translating a script ---------------------------------------------------------


def _docstring_literal(original: str, text: str, leading_newline: bool) -> str:
    """A docstring literal like ``original`` holding ``text``."""
    found = re.match(r"([A-Za-z]*)(\"\"\"|''')", original)
    letters, quotes = (found.group(1), found.group(2)) if found else ("", '"""')
    if "\\" in text and "r" not in letters.lower():
        letters += "r"
    body = text.strip("\n")
    return f"{letters}{quotes}{chr(10) if leading_newline else ''}{body}\n{quotes}"


def translate_script(
    source: str, blocks: list[Block], texts: list[str]
) -> str:
    """``source`` with each text block replaced by the matching entry of ``texts``."""
    lines = source.split("\n")
    for block, text in reversed(list(zip(blocks[1:], texts[1:], strict=True))):
        if block.type != "text":
            continue
        start = end = block.lineno - 1
        while end < len(lines) and lines[end].startswith("#"):
            end += 1
        run = lines[start:end]
        lead = next((i for i, line in enumerate(run) if line.strip() != "#"), len(run))
        trail = next(
            (i for i, line in enumerate(reversed(run)) if line.strip() != "#"), 0
        )
        body = [("# " + line).rstrip() if line.strip() else "#" for line in
                text.strip("\n").split("\n")]
        lines[start:end] = run[:lead] + body + run[len(run) - trail:]
    docstring = ast.parse(source).body[0]
    first, last = docstring.lineno - 1, docstring.end_lineno - 1
    head = lines[first][: docstring.col_offset]
    tail = lines[last][docstring.end_col_offset:]
    literal = _docstring_literal(
        lines[first][docstring.col_offset:], texts[0], blocks[0].content.startswith("\n")
    )
    lines[first : last + 1] = (head + literal + tail).split("\n")
    return "\n".join(lines)


def notebook_blocks(blocks: list[Block], gallery_conf: dict[str, Any]) -> list[Block]:
    """The blocks sphinx-gallery turns into a notebook (ignore blocks, config comments out)."""
    cleaned = []
    for label, content, lineno in blocks:
        content = remove_ignore_blocks(content)
        if gallery_conf.get("remove_config_comments"):
            content = remove_config_comments(content)
        if label == "text":
            content = drop_escaped_spaces(content)
        cleaned.append(Block(label, content, lineno))
    if cleaned and cleaned[-1].content.isspace():
        cleaned = cleaned[:-1]
    return cleaned


# -- The build -------------------------------------------------------------------


@dataclass
class Example:
    docname: str  # <gallery_dir>/NAME
    copy: Path  # the English download sphinx-gallery wrote
    source: str  # the source it was copied from, srcdir-relative


def _examples(config: Any, srcdir: str | Path) -> dict[str, list[Example]]:
    """Each gallery folder's examples that have English downloads."""
    galleries = {}
    for _, gallery_dir in gallery_folders(config):
        folder = Path(srcdir, gallery_dir)
        found = []
        for copy in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            if not copy.with_suffix(".ipynb").is_file():
                continue
            docname = f"{gallery_dir}/{copy.stem}"
            found.append(Example(docname, copy, source_of(config, docname + ".py")[0]))
        galleries[gallery_dir] = found
    return galleries


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` unless ``path`` holds it already; return whether it changed."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _warn(subtype: str, message: str, location: str) -> None:
    logger.warning(message, location=location, type="zh_downloads", subtype=subtype)


def translate_example(app: Sphinx, example: Example, out_dir: Path) -> bool:
    """Write the example's translated .py and .ipynb into ``out_dir``; True if changed."""
    srcdir = Path(app.srcdir)
    catalog = page_catalog(app.config, srcdir, example.docname)
    if catalog.path is None:
        _warn(
            "no_catalog",
            f"no {app.config.language} catalog for {example.docname}: "
            "its downloads cannot be translated",
            f"{example.source}:1",
        )
        return False
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

    script = out_dir / example.copy.name
    changed = _write(
        script, translate_script(example.copy.read_text("utf-8"), blocks, texts).encode()
    )
    _, translated = split_code_and_text_blocks(script)
    english_code = [b.content for b in blocks if b.type == "code"]
    if [b.content for b in translated if b.type == "code"] != english_code:
        _warn("code", f"the translated script's code differs from {example.source}",
              f"{example.source}:1")
    gallery_conf = app.config.sphinx_gallery_conf
    notebook = jupyter_notebook(
        notebook_blocks(translated, gallery_conf), gallery_conf, example.copy.parent
    )
    staging = script.with_suffix(".ipynb.new")
    save_notebook(notebook, staging)
    changed |= _write(script.with_suffix(".ipynb"), staging.read_bytes())
    staging.unlink()
    return changed


def write_downloads(app: Sphinx) -> None:
    """Write every example's translated downloads (a translated build only)."""
    if not is_translated_build(app.config):
        return
    for gallery_dir, examples in _examples(app.config, app.srcdir).items():
        out_dir = Path(app.srcdir, OUTPUT, app.config.language, gallery_dir)
        scripts = []
        for example in examples:
            changed = translate_example(app, example, out_dir)
            script = out_dir / example.copy.name
            if not script.is_file():
                continue
            scripts.append(str(script))
            archive = script.with_suffix(".zip")
            if changed or not archive.is_file():
                zip_files([str(script), str(script.with_suffix(".ipynb"))], archive, out_dir)
        if scripts:
            python_zip(scripts, out_dir, ".py")
            python_zip(scripts, out_dir, ".ipynb")


# -- Pages -----------------------------------------------------------------------


def _twin(env: BuildEnvironment, rel_path: str) -> str | None:
    """The translated twin of a download in a gallery folder, srcdir-relative."""
    for _, gallery_dir in gallery_folders(env.config):
        if rel_path.startswith(gallery_dir + "/"):
            twin = Path(OUTPUT, env.config.language, rel_path)
            if Path(env.srcdir, twin).is_file():
                return twin.as_posix()
    return None


class TranslatedDownloads(SphinxTransform):
    """Point a translated page's downloads at their translated twins."""

    # After sphinx.transforms.i18n.Locale (20), which rebuilds translated
    # paragraphs, and their download references, from the catalog; before
    # the doctree-read event (880), when Sphinx collects the downloads.
    default_priority = 850

    def apply(self, **kwargs: Any) -> None:
        if not is_translated_build(self.config):
            return
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
            if "sphx-glr-thumbcontainer" in raw.astext()
            or "sphx-glr-thumbnail-title" in raw.astext()
        ]
        if not raws:
            return
        tooltips, titles = self._cards()
        for raw in raws:
            text = raw.astext()
            for english, chinese in (*tooltips.items(), *titles.items()):
                text = text.replace(english, chinese)
            for kind, pattern in (
                ("tooltip", r'tooltip="([^"]*)"'),
                ("title", r'sphx-glr-thumbnail-title">([^<]*)<'),
            ):
                for found in re.finditer(pattern, text):
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
        for examples in _examples(self.config, self.env.srcdir).values():
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
                tooltips[f'tooltip="{html.escape(intro)}"'] = (
                    f'tooltip="{html.escape(zh_intro)}"'
                )
                titles[f'sphx-glr-thumbnail-title">{title}<'] = (
                    f'sphx-glr-thumbnail-title">{zh_title}<'
                )
        return tooltips, titles


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_gallery.gen_gallery")
    # After sphinx-gallery's generate_gallery_rst (priority 500).
    app.connect("builder-inited", write_downloads, priority=600)
    app.add_transform(TranslatedDownloads)
    app.add_transform(TranslatedGalleryCards)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
