"""A table of every example's run time in the last build, with no outside assets.

Usage in ``conf.py``::

    extensions = ["example_runner", "example_times"]

and in reST::

    .. example-times::

``example_runner`` saves, with every build, the run time sphinx-gallery
measured for each example (freshly, or from its cache when the example did
not need to run again) to ``_generated/example_times.json``.  This directive
turns it into a plain table: each example linked to its page, its time, and a
total.  It replaces sphinx-gallery's computation-times pages, which load
jQuery and DataTables from CDNs.  Column headings are translated through the
``sphinx`` catalog (``locales/<lang>/LC_MESSAGES/sphinx.po``).
"""

import json
from pathlib import Path

from docutils import nodes
from example_runner import TIMES_FILE
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from tutorial_order import ORDER

__version__ = "1.0"

_ = get_translation("sphinx")
logger = logging.getLogger(__name__)


def _row(*cells):
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell if isinstance(cell, nodes.Node) else nodes.paragraph(text=cell)
        row += entry
    return row


class ExampleTimes(SphinxDirective):
    """``.. example-times::`` renders the saved per-example run times."""

    def run(self):
        path = Path(self.env.srcdir, TIMES_FILE)
        self.env.note_dependency(str(path))
        if not path.exists():
            logger.warning(
                "no example run times saved yet (%s); is example_runner enabled?",
                TIMES_FILE,
                location=self.get_location(),
                type="example_times",
                subtype="missing",
            )
            return []
        rank = {name: i for i, name in enumerate(ORDER)}
        times = sorted(
            json.loads(path.read_text()),
            key=lambda t: (rank.get(Path(t["source"]).name, len(rank)), t["source"]),
        )
        table = nodes.table(classes=["example-times"])
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=80)
        group += nodes.colspec(colwidth=20)
        head = nodes.thead()
        head += _row(_("Example"), _("Run time (s)"))
        group += head
        body = nodes.tbody()
        for item in times:
            label = "sphx_glr_" + item["page"].replace("/", "_")
            link = addnodes.pending_xref(
                "", refdomain="std", reftype="ref", reftarget=label.lower(),
                refexplicit=False, refwarn=True,
            )
            link += nodes.inline(text=item["title"])
            paragraph = nodes.paragraph()
            paragraph += link
            paragraph += nodes.Text(f" ({item['source']})")
            body += _row(paragraph, f"{item['seconds']:.2f}")
        total = sum(item["seconds"] for item in times)
        body += _row(_("Total"), f"{total:.2f}")
        group += body
        return [table]


def setup(app):
    app.setup_extension("example_runner")
    app.add_directive("example-times", ExampleTimes)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
