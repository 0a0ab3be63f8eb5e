"""Check every translation catalog of the build's language before the build uses it.

Usage in ``conf.py``::

    extensions = [..., "sphinxext.translation.catalog_check"]
    locale_dirs = ["locales"]

At ``config-inited``, before Sphinx compiles or reads any catalog, every
``<locale_dir>/<language>/LC_MESSAGES/**/*.po`` is checked; an English build
(no catalogs for ``en``) checks nothing.  Each problem is a warning located at
the ``.po`` file and line and naming the ``msgid``, so ``-W`` fails the build:

* ``catalog.syntax``: the file as GNU ``msgfmt`` reads it, line by line.
  Every line is a comment, a keyword (``msgid``, ``msgstr``...) with its
  string, or a continuation string, and every string is one double-quoted C
  string with valid escapes.  Babel, which Sphinx compiles catalogs with,
  accepts a string without its closing quote and drops its last character.
* ``catalog.check``: babel's own parser (``abort_invalid``) and babel's
  checkers (Python format placeholders, plural forms).
* ``catalog.markup``: a translation's reST inline markup against its
  ``msgid``: the same inline literals, the same roles with the same targets,
  the same references with the same targets, and no unpaired backquote.  A
  mis-balanced literal is often still valid reST, published mangled.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from babel.messages.checkers import checkers as babel_checkers
from babel.messages.pofile import PoFileError, read_po
from sphinx.util import logging

__version__ = "1.0"

logger = logging.getLogger(__name__)

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?:\s+(.*))?$")
#: One C string: escapes as msgfmt accepts them, nothing after the closing quote.
_STRING = re.compile(r'"(?:[^"\\]|\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9a-fA-F]+))*"\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(token):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token.strip()[1:-1])


def _string_problem(token):
    """What is wrong with one string token, or None."""
    token = token.strip()
    if _STRING.match(token):
        return None
    if not token.startswith('"'):
        return "a string must start with a double quote"
    body = token[1:]
    closing = re.match(r'(?:[^"\\]|\\.)*"', body)
    if closing is None:
        return "the string has no closing double quote"
    if body[closing.end():].strip():
        return "text after the string's closing double quote (an unescaped \")"
    return "an invalid escape sequence (write \\\\ for a backslash)"


def syntax_problems(path):
    """``(line, msgid, problem)`` for every line of ``path`` that msgfmt would reject."""
    problems = []
    msgid, keyword = "", None
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = _KEYWORD.match(stripped)
        if found:
            keyword, token = found.group(1), found.group(2) or ""
            if keyword == "msgid":
                msgid = ""
        elif stripped.startswith('"') and keyword:
            token = stripped
        else:
            problems.append((number, msgid, f"not a keyword, a string or a comment: {stripped!r}"))
            continue
        problem = _string_problem(token)
        if problem:
            problems.append((number, msgid, f"{problem} (in its {keyword}): {stripped}"))
        elif keyword == "msgid":
            msgid += _unquote(token)
    return problems


# -- markup -----------------------------------------------------------------------

_LITERAL = re.compile(r"``(.+?)``")
_ROLE = re.compile(r":([A-Za-z][\w.+:-]*):`([^`]*)`")
_REFERENCE = re.compile(r"`([^`]+)`__?")
_INTERPRETED = re.compile(r"`([^`]+)`")
_TARGET = re.compile(r"<([^<>]+)>\s*$")


def _target(text):
    found = _TARGET.search(text)
    return found.group(1) if found else text


def markup(text):
    """The inline markup of a reST message that a translation must keep."""
    literals = _LITERAL.findall(text)
    text = _LITERAL.sub(" ", text)
    roles = [f":{name}:`{_target(content)}`" for name, content in _ROLE.findall(text)]
    text = _ROLE.sub(" ", text)
    references = [f"`{_target(content)}`_" for content in _REFERENCE.findall(text)]
    text = _REFERENCE.sub(" ", text)
    text = _INTERPRETED.sub(" ", text)
    return {
        "inline literals": Counter(f"``{literal}``" for literal in literals),
        "roles": Counter(roles),
        "references": Counter(references),
        "unpaired backquotes": text.count("`"),
    }


def _listed(counter):
    return ", ".join(sorted(counter.elements())) or "none"


def markup_problems(msgid, msgstr):
    """How the markup of ``msgstr`` differs from its English ``msgid``."""
    english, translated = markup(msgid), markup(msgstr)
    problems = []
    if translated["unpaired backquotes"] > english["unpaired backquotes"]:
        problems.append(
            "the translation has a backquote (`) that opens or closes nothing:"
            " a literal, role or reference is not balanced"
        )
    for kind in ("inline literals", "roles", "references"):
        if english[kind] != translated[kind]:
            problems.append(
                f"its {kind} differ from the English: {_listed(english[kind])} in msgid,"
                f" {_listed(translated[kind])} in msgstr"
            )
    return problems


# -- the check ----------------------------------------------------------------------


def catalogs(app):
    """Every ``.po`` file of the build's language."""
    language = app.config.language
    found = []
    for locale_dir in app.config.locale_dirs:
        folder = Path(app.srcdir, locale_dir, language, "LC_MESSAGES")
        found += sorted(folder.rglob("*.po")) if folder.is_dir() else []
    return found


def _warn(path, line, msgid, problem, subtype):
    logger.warning(
        "translation of msgid %r: %s",
        msgid,
        problem,
        location=f"{path}:{line}" if line else f"{path}:",
        type="catalog",
        subtype=subtype,
    )


def check_catalog(path):
    """``(line, msgid, problem, subtype)`` of every problem of one catalog."""
    found = [(line, msgid, problem, "syntax") for line, msgid, problem in syntax_problems(path)]
    if found:
        return found  # babel would read the broken strings wrongly
    try:
        with open(path, "rb") as f:
            catalog = read_po(f, abort_invalid=True)
    except PoFileError as exc:
        return [(getattr(exc, "lineno", None), "", str(exc), "check")]
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        for checker in babel_checkers:
            try:
                checker(catalog, message)
            except Exception as exc:  # noqa: BLE001 - babel's TranslationError and kin
                found.append((message.lineno, message.id, str(exc), "check"))
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for index, string in enumerate(strings):
            if string:
                english = ids[min(index, len(ids) - 1)]
                found += [(message.lineno, ids[0], p, "markup") for p in markup_problems(english, string)]
    return found


def check_catalogs(app, config):
    for path in catalogs(app):
        for line, msgid, problem, subtype in check_catalog(path):
            _warn(path, line, msgid, problem, subtype)


def setup(app):
    # Before anything compiles a catalog (Sphinx's i18n set-up follows config-inited).
    app.connect("config-inited", check_catalogs)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
