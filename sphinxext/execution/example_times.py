"""A table of every example's run time in the last build, with no outside assets.

Usage in ``conf.py``::

    extensions = ["sphinxext.execution.example_runner", "sphinxext.execution.example_times"]

and in reST::

    .. example-times::

With every build, this extension saves the run time sphinx-gallery measured
for each example (freshly, or from its cache when the example did not need to
run again), as ``example_runner`` reports it with its ``example-generated``
event, to ``_generated/example_times.json``.  This directive
turns it into a plain table: each example linked to its page, its time, and a
total.  It replaces sphinx-gallery's computation-times pages, which load
jQuery and DataTables from CDNs.  Column headings are translated through the
``sphinx`` catalog (``locales/<lang>/LC_MESSAGES/sphinx.po``).
"""

import json
import os
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.util import logging

from sphinxext.core.directives import LocatedDirective
from sphinxext.core.examplepaths import reference_label
from sphinxext.tutorial.tutorial_order import ORDER

__version__ = "1.2"

_ = get_translation("sphinx")
logger = logging.getLogger(__name__)

#: Where each build's per-example run times are saved, relative to the source.
TIMES_FILE = Path("_generated") / "example_times.json"

_times: list[dict] = []  # every example of this build, executed or not


def record_time(app, src_file, target_file, result):
    """``example-generated`` handler: keep one example's run time."""
    _, title, cost, out_vars = result
    _times.append(
        {
            "source": os.path.relpath(src_file, app.srcdir),
            "page": os.path.relpath(target_file, app.srcdir),
            "title": title,
            "seconds": round(float(cost[0]), 3),
            "failed": "formatted_exception" in out_vars,
        }
    )


def write_times(app):
    """Save this build's per-example run times for the ``example-times`` page."""
    times = sorted(_times, key=lambda t: t["page"])
    _times.clear()
    if not times:
        return
    path = Path(app.srcdir, TIMES_FILE)
    text = json.dumps(times, indent=1)
    # Rewritten only when a time changed, so a no-op rebuild re-reads nothing.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _row(*cells):
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, str):
            cell = nodes.paragraph(text=cell)
        entry += cell
        row += entry
    return row


class ExampleTimes(LocatedDirective):
    """``.. example-times::`` renders the saved per-example run times."""

    warning_type = "example_times"

    def run(self):
        path = Path(self.env.srcdir, TIMES_FILE)
        self.env.note_dependency(str(path))
        if not path.exists():
            self.warn("missing", f"no example run times saved yet ({TIMES_FILE}); is example_runner enabled?")
            return []
        rank = {name: i for i, name in enumerate(ORDER)}
        times = sorted(
            json.loads(path.read_text(encoding="utf-8")),
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
            link = addnodes.pending_xref(
                "", refdomain="std", reftype="ref", reftarget=reference_label(item["page"]),
                refexplicit=False, refwarn=True,
            )
            link += nodes.inline(text=item["title"])
            paragraph = nodes.paragraph()
            paragraph += link
            # The script's path, on a line of its own that may wrap
            # (_static/site.css): unbroken, it pushed the times off a phone.
            source = nodes.paragraph(classes=["example-times-source"])
            source += nodes.literal(text=item["source"])
            body += _row([paragraph, source], f"{item['seconds']:.2f}")
        total = sum(item["seconds"] for item in times)
        body += _row(_("Total"), f"{total:.2f}")
        group += body
        return [table]


def setup(app):
    app.setup_extension("sphinxext.execution.example_runner")
    app.add_directive("example-times", ExampleTimes)
    app.connect("example-generated", record_time)
    # After sphinx-gallery's generate_gallery_rst (priority 500).
    app.connect("builder-inited", write_times, priority=600)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
