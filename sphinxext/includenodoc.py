"""Show an example script's code without its docstring or text cells.

Usage in reST::

    .. includenodoc:: /beginner/examples_tensor/two_layer_net_numpy.py

    .. includenodoc:: /beginner/examples_tensor/two_layer_net_tensor.py
       :diff: /beginner/examples_tensor/two_layer_net_numpy.py

The page gets the script's code as a Python ``literal_block``, without:

- the module docstring (found with :mod:`ast`, so function, method and class
  docstrings stay, and so does all indentation), nor the comment, shebang and
  encoding lines before it;
- sphinx-gallery text cells: a ``# %%`` line (or a line of 20 or more ``#``)
  and the ``#`` comment lines that follow it, up to the first other line;
- ``# sphinx_gallery_...`` configuration comments;
- the lines from a ``# sphinx_gallery_start_ignore`` comment to the next
  ``# sphinx_gallery_end_ignore`` comment, both included, as sphinx-gallery
  leaves them out of the code on an example page (a start without an end, or
  an end without a start, is the syntax warning below).

Ordinary comments in the code stay.  Runs of blank lines are cut to two, and
none are left at the start or the end.

A leading ``/`` means the documentation source folder.  A path inside one of
sphinx-gallery's ``gallery_dirs`` names the published copy of an example; it
is read from the matching ``examples_dirs`` source, so it works before (and
without) sphinx-gallery's generated copy.  The page is rebuilt when the script
changes.  A missing file or one that does not parse is a warning
(``includenodoc.missing``, ``includenodoc.syntax``) at the directive's line.

With ``:diff: PATH`` (a path read like the argument), the code is preceded by
a ``<details>`` toggle showing what changed from the script at ``PATH``
(see ``example_diff``, which this extension loads); the page is also rebuilt
when that script changes.

When the script is a gallery example whose page is part of the project, the
code is followed by a "Full example: <title>" link to that page (the title
is the page's own, translated in a translated build; the words around it are
translated through the ``sphinx`` catalog).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from _examplepaths import source_of
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "1.0"

logger = logging.getLogger(__name__)
_ = get_translation("sphinx")

FULL_EXAMPLE = "Full example: %(title)s"

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


class IncludeNoDoc(SphinxDirective):
    """Include a Python script's code without its docstring and text cells."""

    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"diff": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        read = self._read(self.arguments[0])
        if read is None:
            return []
        code, source_rel, _docname = read

        block = nodes.literal_block(code, code, language="python")
        self.set_source_info(block)
        shown: list[nodes.Node] = [block, *self._page_link(_docname)]
        if "diff" not in self.options:
            return shown
        previous = self._read(self.options["diff"])
        if previous is None:
            return shown
        old_code, old_rel, old_docname = previous
        return [*self._diff(old_code, old_rel, old_docname, code, source_rel), *shown]

    def _page_link(self, docname: str | None) -> list[nodes.Node]:
        """"Full example: <title>", linking the example's own page, when it has one."""
        if docname is None or docname not in self.env.found_docs:
            return []
        before, _title, after = str(_(FULL_EXAMPLE)).partition("%(title)s")
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget="/" + docname,
            refexplicit=False, refwarn=True, refdoc=self.env.docname,
        )
        ref += nodes.inline(docname, docname)
        para = nodes.paragraph("", before, ref, nodes.Text(after), classes=["example-page-link"])
        para["translatable"] = False
        return [para]

    def _diff(
        self, old_code: str, old_rel: str, old_docname: str | None, code: str, source_rel: str
    ) -> list[nodes.Node]:
        """The toggle showing what changed from the ``:diff:`` script."""
        import example_diff  # noqa: PLC0415 (it imports this module)

        old_name, name = Path(old_rel).name, Path(source_rel).name
        old_text = Path(self.env.srcdir, old_rel).read_text(encoding="utf-8")
        step = example_diff.Step(
            old_code, code, old_name, name,
            example_diff.title_of(old_text, old_name),
            old_docname if old_docname in self.env.found_docs else None,
            example_diff.sentence_for(self.env, name, old_name),
        )
        location = self.get_location() or (self.env.docname, self.lineno)
        shown = example_diff.warn_and_build(step, self.env.docname, location)
        return [] if shown is None else [example_diff.toggle(shown)]

    def _read(self, argument: str) -> tuple[str, str, str | None] | None:
        """``(code, source path, docname of its page)`` for a path, or None after a warning."""
        rel_path, _ = self.env.relfn2path(argument)
        source_rel, gallery_dir = source_of(self.config, rel_path)
        source = Path(self.env.srcdir, source_rel)
        self.env.note_dependency(source)
        shown = source_rel if gallery_dir is None else f"{source_rel} (for {argument})"

        if not source.is_file():
            self._warn("missing", f"file not found: {shown}")
            return None
        try:
            with tokenize.open(source) as stream:
                text = stream.read()
            code = strip_docstring_and_text_cells(text)
        except (SyntaxError, ValueError, tokenize.TokenError) as exc:
            detail = getattr(exc, "msg", None) or str(exc)
            line = getattr(exc, "lineno", None)
            where = f" (line {line})" if line else ""
            self._warn("syntax", f"cannot parse {shown}: {detail}{where}")
            return None
        docname = None if gallery_dir is None else rel_path.removesuffix(".py")
        return code, source_rel, docname

    def _warn(self, subtype: str, message: str) -> None:
        location = self.get_location() or (self.env.docname, self.lineno)
        logger.warning(message, location=location, type="includenodoc", subtype=subtype)


def _register_gallery_conf(app: Sphinx, config: Config) -> None:
    """Read ``sphinx_gallery_conf`` from conf.py when sphinx-gallery is not loaded.

    sphinx-gallery registers the value itself; registering it here at
    ``config-inited`` (after every extension's setup) never clashes with it.
    """
    if "sphinx_gallery_conf" not in config:
        config.add("sphinx_gallery_conf", {}, "env", dict)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("includenodoc", IncludeNoDoc)
    app.setup_extension("example_diff")
    app.connect("config-inited", _register_gallery_conf)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
