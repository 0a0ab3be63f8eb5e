"""How the tutorial reads an example script: its code, without its text.

Below both ``includenodoc`` and ``example_diff``, which show what these
functions return; no Sphinx here.  ``read_code`` is a script's code as a
reader sees it: no module docstring, no sphinx-gallery text cells, config
comments or ignore blocks.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from pathlib import Path

# Both are matched against a comment that has a line to itself.
_CELL_MARKER = re.compile(r"#{20,}|# ?%%")  # as sphinx_gallery.py_source_parser
_CONFIG_COMMENT = re.compile(r"#\s*sphinx_gallery_\w+")
_START_IGNORE = re.compile(r"#\s*sphinx_gallery_start_ignore\b")
_END_IGNORE = re.compile(r"#\s*sphinx_gallery_end_ignore\b")


class IgnoreBlockError(ValueError):
    """An unmatched ``sphinx_gallery_start_ignore``/``_end_ignore`` comment."""

    def __init__(self, msg: str, lineno: int) -> None:
        super().__init__(msg)
        self.msg = msg
        self.lineno = lineno


def strip_docstring_and_text_cells(source: str) -> str:
    """Return ``source`` without its module docstring and sphinx-gallery text.

    Raises SyntaxError (or ValueError, for a null byte) if ``source`` does
    not parse.
    """
    with warnings.catch_warnings():
        # An invalid escape in the script is the script's business, not the build's.
        warnings.simplefilter("ignore", (SyntaxWarning, DeprecationWarning))
        tree = ast.parse(source)
    lines = source.splitlines()
    keep = [True] * len(lines)

    # Line numbers (1-based) of comments alone on their line, with their
    # column, and of lines inside multi-line strings: those are text, never
    # a comment or a blank line to drop.
    comments: dict[int, int] = {}
    in_string: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        (first, column), (last, _) = token.start, token.end
        if token.type == tokenize.COMMENT and not token.line[:column].strip():
            comments[first] = column
        elif last > first:
            in_string.update(range(first + 1, last + 1))

    body = tree.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        end = body[0].end_lineno or 0
        # Only comments, blank lines, a shebang or an encoding line can come
        # before a module docstring; a statement after it on its last line
        # (``"""Doc."""; x = 1``) would be cut too, so leave such a file whole.
        if len(body) == 1 or body[1].lineno > end:
            keep[:end] = [False] * end

    _drop_ignore_blocks(lines, comments, keep)

    index = 0
    while index < len(lines):
        number, line = index + 1, lines[index]
        if keep[index] and comments.get(number) == 0 and _CELL_MARKER.match(line):
            # A text cell: the marker and the comment lines right after it.
            keep[index] = False
            index += 1
            while index < len(lines) and comments.get(index + 1) == 0:
                keep[index] = False
                index += 1
            continue
        if number in comments and _CONFIG_COMMENT.match(line.lstrip()):
            keep[index] = False
        index += 1

    code: list[str] = []
    blank_run = 0
    for index, line in enumerate(lines):
        if not keep[index]:
            continue
        if line.strip() or index + 1 in in_string:
            blank_run = 0
            code.append(line)
        else:
            blank_run += 1
            if blank_run <= 2 and code:
                code.append("")
    while code and not code[-1]:
        code.pop()
    return "\n".join(code)


def _drop_ignore_blocks(lines: list[str], comments: dict[int, int], keep: list[bool]) -> None:
    """Mark the lines of every sphinx-gallery ignore block as not kept."""
    start = None
    for number in sorted(comments):
        comment = lines[number - 1].lstrip()
        if _START_IGNORE.match(comment):
            if start is not None:
                raise IgnoreBlockError("sphinx_gallery_start_ignore inside an ignore block", number)
            start = number
        elif _END_IGNORE.match(comment):
            if start is None:
                raise IgnoreBlockError("sphinx_gallery_end_ignore without a start", number)
            keep[start - 1 : number] = [False] * (number - start + 1)
            start = None
    if start is not None:
        raise IgnoreBlockError("sphinx_gallery_start_ignore without an end", start)


def read_code(path: Path) -> str:
    """A script's code as ``includenodoc`` shows it (raises ``SyntaxError``,
    ``ValueError`` or ``tokenize.TokenError`` for a script it cannot read)."""
    with tokenize.open(path) as stream:
        return strip_docstring_and_text_cells(stream.read())
