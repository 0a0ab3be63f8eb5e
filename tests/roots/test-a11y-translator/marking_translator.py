"""A translator that marks every paragraph, as a theme's translator might."""

from sphinx.writers.html5 import HTML5Translator


class MarkingTranslator(HTML5Translator):
    def visit_paragraph(self, node):
        super().visit_paragraph(node)
        self.body[-1] = self.body[-1].replace("<p", '<p data-marked="yes"', 1)


def setup(app):
    app.set_translator("html", MarkingTranslator)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
