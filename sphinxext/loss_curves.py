"""Keep every example's loss curve and compare them all on one chart.

Usage in ``conf.py``::

    extensions = ["sphinx_gallery.gen_gallery", "loss_curves"]
    sphinx_gallery_conf = {
        # Runs before the matplotlib scraper, which closes the figures.
        "image_scrapers": ("loss_curves.record_losses", "matplotlib"),
    }

and in reST::

    .. loss-comparison::

An example's loss curve is the line it plots on axes whose x label is
"step" and whose y label starts with "loss"; other plots (a loss per epoch,
a timing chart) stay out of the comparison.  The scraper saves those lines
next to the example's generated page (``<gallery_dir>/<name>.losses.json``),
so the comparison chart is drawn from the very runs that the pages show,
never from a second training run.
After sphinx-gallery has generated the galleries, the chart is drawn into
``_generated/loss_comparison.png``; the directive shows it with a caption
that names every curve.  In a build that executes nothing (``plot_gallery``
off) and has no saved curves, the directive says where to find the chart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

__version__ = "1.0"

logger = logging.getLogger(__name__)

CHART = Path("_generated") / "loss_comparison.png"


def record_losses(block, block_vars, gallery_conf):
    """sphinx-gallery image scraper that saves loss curves and shows nothing."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return ""
    curves = []
    for number in pyplot.get_fignums():
        for ax in pyplot.figure(number).axes:
            if ax.get_xlabel() != "step" or not ax.get_ylabel().lower().startswith("loss"):
                continue
            for line in ax.get_lines():
                curves.append(
                    {
                        "label": line.get_label(),
                        "steps": [float(v) for v in line.get_xdata()],
                        "losses": [float(v) for v in line.get_ydata()],
                    }
                )
    if curves:
        target = Path(block_vars["target_file"])
        record = {"example": target.stem, "curves": curves}
        target.with_suffix(".losses.json").write_text(json.dumps(record))
    return ""


def _loss_files(app):
    conf = app.config.sphinx_gallery_conf
    files = []
    for gallery_dir in conf["gallery_dirs"]:
        files.extend(sorted(Path(app.srcdir, gallery_dir).glob("*.losses.json")))
    return files


def _rank():
    """Each example's place in the tutorial (see tutorial_order.py)."""
    from tutorial_order import ORDER

    return {Path(name).stem: rank for rank, name in enumerate(ORDER)}


def draw_chart(app):
    """Draw every saved loss curve on one log-scale chart."""
    files = _loss_files(app)
    out = Path(app.srcdir, CHART)
    if not files:
        return
    # Redraw only when a curve changed: importing matplotlib costs a second.
    names_file = out.with_suffix(".json")
    if names_file.exists() and all(
        f.stat().st_mtime <= names_file.stat().st_mtime for f in files
    ) and len(json.loads(names_file.read_text())) == len(files):
        return
    rank = _rank()
    records = [json.loads(f.read_text()) for f in files]
    records.sort(key=lambda r: (rank.get(r["example"], len(rank)), r["example"]))

    import matplotlib

    matplotlib.use("agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.add_subplot()
    styles = ["-", "--", ":", "-."]
    for index, record in enumerate(records):
        for curve in record["curves"]:
            ax.semilogy(
                curve["steps"],
                curve["losses"],
                linestyle=styles[index % len(styles)],
                label=f"{record['example']} ({curve['label']})",
            )
    ax.set_xlabel("step")
    ax.set_ylabel("loss (sum of squared errors)")
    ax.set_title("The same network, nine ways: training loss")
    ax.legend(fontsize="small", ncols=1, loc="upper right")
    out.parent.mkdir(exist_ok=True)
    fig.savefig(out, dpi=100, metadata={"Software": None})
    # A phone shows the chart about 340 px wide, where this one's text is
    # unreadable: a phone-sized rendering, legend under the axes, beside it
    # (html_hygiene offers NAME.phone.png to narrow screens).
    fig.set_size_inches(3.6, 6.5)
    ax.get_legend().remove()
    ax.set_title(ax.get_title(), fontsize="medium", wrap=True)
    fig.legend(fontsize="small", loc="outside lower center")
    fig.savefig(out.with_suffix(".phone.png"), dpi=150, metadata={"Software": None})
    out.with_suffix(".json").write_text(
        json.dumps([r["example"] for r in records], indent=1)
    )


class LossComparison(SphinxDirective):
    """``.. loss-comparison::`` shows the chart of all loss curves."""

    has_content = False

    def run(self):
        names_file = Path(self.env.srcdir, CHART).with_suffix(".json")
        for path in _loss_files(self.env.app):
            self.env.note_dependency(str(path))
        if not names_file.exists():
            note = nodes.note()
            note += nodes.paragraph(
                text="The chart comparing all loss curves is drawn when the "
                "examples are executed (make html)."
            )
            return [note]
        self.env.note_dependency(str(names_file))
        names = json.loads(names_file.read_text())
        figure = nodes.figure(classes=["loss-comparison"])
        figure += nodes.image(
            uri="/" + CHART.as_posix(),
            alt="Training loss per step of: " + ", ".join(names),
        )
        caption = nodes.caption(
            text="Training loss per step, from the runs shown on the "
            "example pages: " + ", ".join(names) + "."
        )
        # A source location makes the caption a message for translators.
        caption.source, caption.line = self.get_source_info()
        figure += caption
        return [figure]


def setup(app):
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.add_directive("loss-comparison", LossComparison)
    # After sphinx-gallery's generate_gallery_rst (priority 500).
    app.connect("builder-inited", draw_chart, priority=600)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
