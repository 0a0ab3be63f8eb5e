"""Show a few lines of what an example printed, on a page that talks about them.

Usage in reST::

    .. example-output:: /beginner/examples_tensor/two_layer_net_tensor.py
       :lines: one memory|from_numpy

The argument names an example's published path, as ``includenodoc`` does (a
leading ``/`` is the documentation source folder; the path must lie in one
of sphinx-gallery's ``gallery_dirs``).  ``:lines:`` is a Python regular
expression; every line of the example's captured output that it matches
(``re.search``) is shown, in the order the example printed them.

The lines are read from the page sphinx-gallery generated for the example
(``<gallery_dir>/NAME.rst``), the very text that the example's page shows in
its output blocks, so they are never typed by hand and always come from the
build's own run.  A translated build reads the same generated page (it
reuses the English run), so both languages show the same lines; output is
never translated.  The page is read again when that generated page changes.

The lines come as a literal block captioned as the example's output, with a
link to the example's page named by its title (the caption's words are
translated through the ``sphinx`` catalog, the title is the page's own).  Warnings, each of type
``example_output`` and located at the directive's line, so ``-W`` fails the
build:

* ``not_an_example``: the path lies in no ``gallery_dirs``;
* ``missing``: sphinx-gallery generated no page for it (no such example);
* ``pattern``: ``:lines:`` is not a valid regular expression;
* ``no_match``: no line of the example's output matches ``:lines:``.

A build that executes nothing (``plot_gallery`` off) has no output to show:
the directive then shows nothing and warns about nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx_gallery.gen_rst import CODE_OUTPUT

from sphinxext.core.directives import LocatedDirective
from sphinxext.core.examplepaths import source_of
from sphinxext.execution._gallery_state import captured_output

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

_ = get_translation("sphinx")

CAPTION = "Printed by %(title)s when this site was built (selected lines)"

#: The start of a captured-output block in a generated page.
_OUTPUT_HEAD = CODE_OUTPUT.partition("{0}")[0]


def output_lines(generated_rst: str) -> list[str]:
    """Every line an example printed, from the page sphinx-gallery generated for it.

    Each output block is ``CODE_OUTPUT``'s head followed by the captured text
    indented by four spaces; the block ends at the first line that is neither
    blank nor indented.  ``_gallery_state.captured_output`` reads one block.
    """
    lines: list[str] = []
    for chunk in generated_rst.split(_OUTPUT_HEAD)[1:]:
        body = []
        for line in chunk.splitlines(keepends=True):
            if line.strip() and not line.startswith(" "):
                break
            body.append(line)
        lines += captured_output(_OUTPUT_HEAD + "".join(body)).splitlines()
    return lines


class ExampleOutput(LocatedDirective):
    """``.. example-output:: PATH`` with ``:lines: REGEX``."""

    warning_type = "example_output"

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"lines": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        argument = self.arguments[0]
        rel_path, _abs = self.env.relfn2path(argument)
        _source, gallery_dir = source_of(self.config, rel_path)
        if gallery_dir is None:
            return self._warn("not_an_example", f"{argument} is in no sphinx-gallery gallery_dirs")
        pattern_text = self.options.get("lines", "")
        try:
            pattern = re.compile(pattern_text)
        except re.error as exc:
            return self._warn("pattern", f":lines: {pattern_text!r} is not a regular expression: {exc}")
        if not self.config.sphinx_gallery_conf.get("plot_gallery", True):
            return []  # nothing was executed, so nothing was printed
        generated = Path(self.env.srcdir, rel_path).with_suffix(".rst")
        self.env.note_dependency(str(generated))
        if not generated.is_file():
            return self._warn("missing", f"no page was generated for {argument}")
        printed = output_lines(generated.read_text(encoding="utf-8"))
        shown = [line for line in printed if pattern.search(line)]
        if not shown:
            return self._warn(
                "no_match",
                f":lines: {pattern_text!r} matches none of the {len(printed)} lines"
                f" that {Path(rel_path).name} printed",
            )
        text = "\n".join(shown)
        block = nodes.literal_block(text, text, language="none", classes=["example-output"])
        block["translatable"] = False
        self.set_source_info(block)
        wrapper = nodes.container(
            "", literal_block=True, classes=["literal-block-wrapper", "example-output-wrapper"]
        )
        wrapper += self._caption(rel_path.removesuffix(".py"), block)
        wrapper += block
        return [wrapper]

    def _caption(self, docname: str, block: nodes.literal_block) -> nodes.caption:
        """The caption: the fixed message, translated, with a link to the example's page.

        The link's text is the page's title (translated in a translated
        build).  Not translatable: the page's catalog never sees it.
        """
        before, _title, after = str(_(CAPTION)).partition("%(title)s")
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget="/" + docname,
            refexplicit=False, refwarn=True, refdoc=self.env.docname,
        )
        ref += nodes.inline(docname, docname)
        caption = nodes.caption("", before, ref, nodes.Text(after), translatable=False)
        caption.source, caption.line = block.source, block.line
        return caption

    def _warn(self, subtype: str, message: str) -> list[nodes.Node]:
        """A located warning, and nothing in the page."""
        self.warn(subtype, message)
        return []


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.add_directive("example-output", ExampleOutput)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
