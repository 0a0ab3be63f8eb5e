"""Two accessibility fixes to Sphinx's HTML that CSS cannot make.

Usage in ``conf.py``::

    extensions = [..., "a11y"]

* A toctree caption is written as ``<p class="caption" role="heading">``
  without the ``aria-level`` that ``role="heading"`` requires (axe-core:
  ``aria-required-attr``, critical, on every page: the sidebar is a toctree).
  Captions get ``aria-level="2"``: they sit under the page's ``h1``.
* A code block that is wider than the page scrolls sideways, but a keyboard
  user can only scroll a region that can take focus (axe-core:
  ``scrollable-region-focusable``). Every highlighted ``<pre>`` gets
  ``tabindex="0"``, so code keeps its lines and indentation on a phone.
"""

from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

__version__ = "1.0"

#: Sidebar and in-page toctree captions sit under the page's h1.
CAPTION_LEVEL = 2


class AccessibleTranslator(HTML5Translator):
    """Sphinx's HTML5 translator with the two fixes above."""

    def visit_title(self, node):
        super().visit_title(node)
        parent = node.parent
        if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
            # super() appended the <p ...> start tag, then the caption span.
            start = len(self.body) - 2
            self.body[start] = self.body[start].replace(
                'role="heading"', f'role="heading" aria-level="{CAPTION_LEVEL}"', 1
            )

    def depart_document(self, node):
        # Every <pre> of the page: Pygments' blocks, and the ones extensions
        # write themselves (sphinx-gallery's linked code cells).
        self.body = [part.replace("<pre>", '<pre tabindex="0">') for part in self.body]
        super().depart_document(node)


def setup(app):
    for builder in ("html", "dirhtml", "singlehtml"):
        app.set_translator(builder, AccessibleTranslator, override=True)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
