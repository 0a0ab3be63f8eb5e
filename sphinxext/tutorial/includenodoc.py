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

import tokenize
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.util import logging

from sphinxext.core.directives import LocatedDirective
from sphinxext.core.examplepaths import source_of
from sphinxext.tutorial import example_diff
from sphinxext.tutorial._scripts import read_code

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "1.0"

logger = logging.getLogger(__name__)
_ = get_translation("sphinx")

FULL_EXAMPLE = "Full example: %(title)s"

class IncludeNoDoc(LocatedDirective):
    """Include a Python script's code without its docstring and text cells."""

    warning_type = "includenodoc"

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
        old_name, name = Path(old_rel).name, Path(source_rel).name
        old_text = Path(self.env.srcdir, old_rel).read_text(encoding="utf-8")
        step = example_diff.Step(
            old_code, code, old_name, name,
            example_diff.title_of(old_text, old_name),
            old_docname if old_docname in self.env.found_docs else None,
            example_diff.sentence_for(self.env, name, old_name),
        )
        shown = example_diff.warn_and_build(step, self.env.docname, self.location())
        return [] if shown is None else [example_diff.toggle(shown)]

    def _read(self, argument: str) -> tuple[str, str, str | None] | None:
        """``(code, source path, docname of its page)`` for a path, or None after a warning."""
        rel_path, _ = self.env.relfn2path(argument)
        source_rel, gallery_dir = source_of(self.config, rel_path)
        source = Path(self.env.srcdir, source_rel)
        self.env.note_dependency(source)
        shown = source_rel if gallery_dir is None else f"{source_rel} (for {argument})"

        if not source.is_file():
            self.warn("missing", f"file not found: {shown}")
            return None
        try:
            code = read_code(source)
        except (SyntaxError, ValueError, tokenize.TokenError) as exc:
            detail = getattr(exc, "msg", None) or str(exc)
            line = getattr(exc, "lineno", None)
            where = f" (line {line})" if line else ""
            self.warn("syntax", f"cannot parse {shown}: {detail}{where}")
            return None
        docname = None if gallery_dir is None else rel_path.removesuffix(".py")
        return code, source_rel, docname



def _register_gallery_conf(app: Sphinx, config: Config) -> None:
    """Read ``sphinx_gallery_conf`` from conf.py when sphinx-gallery is not loaded.

    sphinx-gallery registers the value itself; registering it here at
    ``config-inited`` (after every extension's setup) never clashes with it.
    """
    if "sphinx_gallery_conf" not in config:
        config.add("sphinx_gallery_conf", {}, "env", dict)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("includenodoc", IncludeNoDoc)
    app.setup_extension("sphinxext.tutorial.example_diff")
    app.connect("config-inited", _register_gallery_conf)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
