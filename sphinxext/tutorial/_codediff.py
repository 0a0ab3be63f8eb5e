"""Compare two example scripts: their code alone, a unified diff, its counts.

Used by ``example_diff``; no Sphinx here.  ``code_only`` takes what
``includenodoc`` shows of a script (no module docstring, no text cells) and
also leaves out comments and class or function docstrings.
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import tokenize
from dataclasses import dataclass

_TITLE_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1+$")


def code_only(code: str) -> str:
    """Return ``code`` without comments and class or function docstrings.

    ``code`` is what ``includenodoc`` shows (no module docstring, no text
    cells).  Runs of blank lines become one blank line.
    """
    tree = ast.parse(code)
    drop: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
                and (len(node.body) == 1 or node.body[1].lineno > (first.end_lineno or 0))
            ):
                drop.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    lines = code.splitlines()
    cut: dict[int, int] = {}
    in_string: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        (row, column), (last, _end) = token.start, token.end
        if token.type == tokenize.COMMENT:
            if token.line[:column].strip():
                cut[row] = column
            else:
                drop.add(row)
        elif last > row:
            in_string.update(range(row + 1, last + 1))
    kept: list[str] = []
    for number, line in enumerate(lines, 1):
        if number in drop:
            continue
        if number in cut:
            line = line[: cut[number]].rstrip()
        if not line.strip() and number not in in_string:
            if not kept or not kept[-1]:
                continue
            line = ""
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def unified(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    """The unified diff of two texts, as lines without line ends."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), old_name, new_name, lineterm=""
        )
    )


@dataclass
class Counts:
    """Code lines (blank ones not counted) a diff removes and adds."""

    removed: int
    added: int
    block_removed: int = 0
    block_added: int = 0


def count(old: str, new: str, anchor: str | None) -> tuple[Counts, bool]:
    """Count the diff's lines, and those of the change adding ``anchor``.

    The second value says whether ``anchor`` was found in an added line.
    """
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    counts = Counts(0, 0)
    found = anchor is None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed = sum(1 for line in a[i1:i2] if line.strip())
        added = sum(1 for line in b[j1:j2] if line.strip())
        counts.removed += removed
        counts.added += added
        if anchor is not None and not found and any(anchor in line for line in b[j1:j2]):
            counts.block_removed, counts.block_added = removed, added
            found = True
    return counts, found


def title_of(source: str, fallback: str) -> str:
    """The reST title in a script's module docstring, else ``fallback``."""
    try:
        docstring = ast.get_docstring(ast.parse(source)) or ""
    except SyntaxError:
        return fallback
    lines = [line.strip() for line in docstring.splitlines()]
    for index, line in enumerate(lines[:-1]):
        if line and _TITLE_UNDERLINE.match(lines[index + 1]) and not _TITLE_UNDERLINE.match(line):
            return line
    return fallback
