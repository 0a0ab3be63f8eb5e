"""Two accessibility fixes to Sphinx's HTML that CSS cannot make.

Usage in ``conf.py``::

    extensions = [..., "sphinxext.reader.a11y"]

* A toctree caption is written as ``<p class="caption" role="heading">``
  without the ``aria-level`` that ``role="heading"`` requires (axe-core:
  ``aria-required-attr``, critical, on every page: the sidebar is a toctree).
  Captions get ``aria-level="2"``: they sit under the page's ``h1``.
* A code block that is wider than the page scrolls sideways, but a keyboard
  user can only scroll a region that can take focus (axe-core:
  ``scrollable-region-focusable``). Every ``<pre>`` gets ``tabindex="0"``,
  so code keeps its lines and indentation on a phone.

* The phone menu: ``_templates/layout.html`` makes the theme's menu icon a
  ``<button>``; ``static/menu.js``, added to every page, says whether the
  menu is open (``aria-expanded``), moves focus into it when it opens and
  closes it on Escape.

The fixes are a mixin over whatever HTML translator is active when the
builder starts (Sphinx's own, or one a theme or another extension set), as
pydata-sphinx-theme's ``translator.py`` does: nothing else is replaced.
When the markup they expect is not there (a Sphinx or theme upgrade changed
it), the build warns, typed ``a11y.theme_markup`` and located at the node or
page, instead of shipping pages without the fixes.
"""

import re
import types
from pathlib import Path

from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file

__version__ = "1.2"

logger = logging.getLogger(__name__)

#: Sidebar and in-page toctree captions sit under the page's h1.
CAPTION_LEVEL = 2
HEADING_ROLE = 'role="heading"'
#: A ``<pre`` start tag that has no tabindex.
_UNFOCUSABLE_PRE = re.compile(r"<pre(?=[\s>])(?![^>]*\btabindex=)[^>]*>")


def _theme_markup(message, *args, location):
    logger.warning(message, *args, location=location, type="a11y", subtype="theme_markup")


class AccessibleTranslatorMixin:
    """The two fixes above, over any HTML translator."""

    def visit_title(self, node):
        start = len(self.body)
        super().visit_title(node)
        parent = node.parent
        if not (isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree")):
            return
        for index in range(start, len(self.body)):
            if HEADING_ROLE in self.body[index]:
                self.body[index] = self.body[index].replace(
                    HEADING_ROLE, f'{HEADING_ROLE} aria-level="{CAPTION_LEVEL}"', 1
                )
                return
        _theme_markup(
            "a11y: the toctree caption %r has no %s start tag to give aria-level; "
            "the theme's or Sphinx's markup changed",
            node.astext(), HEADING_ROLE, location=node,
        )

    def depart_document(self, node):
        # Every <pre> of the page: Pygments' blocks, and the ones extensions
        # write themselves (sphinx-gallery's linked code cells).
        self.body = [part.replace("<pre>", '<pre tabindex="0">') for part in self.body]
        left = sorted({m.group(0) for part in self.body for m in _UNFOCUSABLE_PRE.finditer(part)})
        if left:
            _theme_markup(
                "a11y: cannot make %s focusable (tabindex); the theme's or Sphinx's markup changed",
                ", ".join(left), location=(getattr(self.builder, "current_docname", None), None),
            )
        super().depart_document(node)


def extend_translators(app):
    """Put the mixin over the HTML translator this build uses."""
    if app.builder.format != "html":
        return
    base = app.builder.get_translator_class()
    if issubclass(base, AccessibleTranslatorMixin):
        return
    translator = types.new_class(f"Accessible{base.__name__}", (AccessibleTranslatorMixin, base))
    app.set_translator(app.builder.name, translator, override=True)


#: The phone menu's script, copied into the output's _static/.
MENU_SCRIPT = Path(__file__).parent / "static" / "menu.js"


def copy_menu_script(app, exception):
    if exception is None and app.builder.format == "html":
        copy_asset_file(MENU_SCRIPT, Path(app.outdir, "_static"), force=True)


def setup(app):
    # Late, after themes and extensions have set their translators.
    app.connect("builder-inited", extend_translators, priority=900)
    # _templates/layout.html defers every script.
    app.add_js_file(MENU_SCRIPT.name)
    app.connect("build-finished", copy_menu_script)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
