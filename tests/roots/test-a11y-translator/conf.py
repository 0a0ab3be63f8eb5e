# A theme's (or another extension's) translator, active before a11y extends
# it: this configuration's setup() sets it, as an extension would.
from sphinx.writers.html5 import HTML5Translator

extensions = ["sphinxext.reader.a11y"]


class MarkingTranslator(HTML5Translator):
    """Marks every paragraph, as a theme's translator might."""

    def visit_paragraph(self, node):
        super().visit_paragraph(node)
        self.body[-1] = self.body[-1].replace("<p", '<p data-marked="yes"', 1)


def setup(app):
    app.set_translator("html", MarkingTranslator)
