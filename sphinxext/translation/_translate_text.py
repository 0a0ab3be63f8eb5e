"""Translate an example's texts with its page's catalog, keeping the code as it is.

The pure part of ``zh_downloads`` (no Sphinx application needed): read a page's
catalog, find the messages Sphinx extracts from a reST text and put their
translations in place, rebuild a sphinx-gallery script around translated
texts, and prepare a script's blocks for ``sphinx_gallery.notebook``.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import column_width, new_document
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import LITERAL_TYPE_NODES, extract_messages
from sphinx_gallery.py_source_parser import (
    Block,
    remove_config_comments,
    remove_ignore_blocks,
)

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
