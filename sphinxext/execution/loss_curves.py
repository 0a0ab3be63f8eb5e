"""Keep every example's loss curve and compare them all on one chart.

Usage in ``conf.py``::

    extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.loss_curves"]
    sphinx_gallery_conf = {
        # Runs before the matplotlib scraper, which closes the figures.
        "image_scrapers": ("sphinxext.execution.loss_curves.record_losses", "matplotlib"),
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
``_generated/loss_comparison.png`` (with the lines it shows, read back from
its axes, in ``loss_comparison.lines.json``); the directive shows it with a
caption that names every curve.  The caption and the alt text are one fixed
message each (translated through the ``sphinx`` catalog) with the examples'
names filled in, so adding an example needs no new translation.  A record that
cannot be read is a warning naming its file.  When no record is left, the
chart goes too.  In a build that executes nothing (``plot_gallery`` off)
and has no saved curves, the directive says where to find the chart.

A translated build draws its own chart, ``_generated/loss_comparison.<language>.png``,
with the title and axis labels translated through the ``sphinx`` catalog
(``locales/<language>/LC_MESSAGES/sphinx.po``), each curve named by its
example's translated title (``zh_downloads``), and a CJK font when the
language needs one.  That font comes from the project's Python requirements
(the ``mplfonts`` package carries Noto Sans CJK SC), never from the system,
so the chart is the same on any machine, fonts or none; it is preferred over
a system copy of the same family.  A missing font, or a character the font
cannot draw (matplotlib would draw an empty box), is a warning naming the
chart.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from pathlib import Path

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext.core.examplepaths import phone_rendering

__version__ = "1.1"

_ = get_translation("sphinx")
logger = logging.getLogger(__name__)

CAPTION = "Training loss per step, from the runs shown on the example pages: %(examples)s."
ALT = "Training loss per step of: %(examples)s"
#: Between the examples' names in the caption and the alt text.
SEPARATOR = ", "
NOT_DRAWN = (
    "The chart comparing all loss curves is drawn when the examples are executed "
    "(make html)."
)

CHART = Path("_generated") / "loss_comparison.png"

#: The chart's texts; a translated build translates them (sphinx.po).
XLABEL = "step"
YLABEL = "loss (sum of squared errors)"
TITLE = "The same task, nine ways: training loss"
#: Fonts for languages that matplotlib's default font cannot write: the
#: Python package that carries the font, and the font file inside it.
CJK_FONTS = {"zh_CN": ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")}


def chart_path(config):
    """The chart of the build's language: one file per language."""
    language = config.language
    if not language or language == "en":
        return CHART
    return CHART.with_name(f"{CHART.stem}.{language}{CHART.suffix}")


def font_file(language):
    """The font file that draws ``language``'s chart, or None where the default font does.

    Raises LookupError, naming the Python package, when that package is not installed.
    """
    if language not in CJK_FONTS:
        return None
    package, relative = CJK_FONTS[language]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"the Python package {package} (requirements.txt) is not installed")
    path = Path(next(iter(spec.submodule_search_locations)), relative)
    if not path.is_file():
        raise LookupError(f"{path} is missing from the Python package {package}")
    return path


def _fonts(language):
    """matplotlib rc settings that can write ``language`` (raises LookupError, see font_file)."""
    path = font_file(language)
    if path is None:
        return {}
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if not any(entry.fname == str(path) for entry in manager.ttflist):
        manager.addfont(path)
    # matplotlib picks the first of equally good fonts: ours, not a system
    # copy of the same family (whose version would change the pixels).
    manager.ttflist.sort(key=lambda entry: entry.fname != str(path))
    family = font_manager.FontProperties(fname=path).get_name()
    return {"font.family": "sans-serif", "font.sans-serif": [family, "DejaVu Sans"]}


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
        target.with_suffix(".losses.json").write_text(json.dumps(record), encoding="utf-8")
    return ""


def _loss_files(app):
    conf = app.config.sphinx_gallery_conf
    files = []
    for gallery_dir in conf["gallery_dirs"]:
        files.extend(sorted(Path(app.srcdir, gallery_dir).glob("*.losses.json")))
    return files


def _rank():
    """Each example's place in the tutorial (see tutorial_order.py)."""
    from sphinxext.tutorial.tutorial_order import ORDER

    return {Path(name).stem: rank for rank, name in enumerate(ORDER)}


def _read_record(path):
    """One example's saved curves, or None (with a warning) if unreadable."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        curves = record["curves"]
        for curve in curves:
            if len(curve["steps"]) != len(curve["losses"]) or not isinstance(
                curve["label"], str
            ):
                raise ValueError("steps and losses differ in length")
        if record["example"] != path.name.removesuffix(".losses.json"):
            raise ValueError(f"it names another example, {record['example']!r}")
    except (ValueError, KeyError, TypeError) as exc:
        logger.warning(
            "loss curve record %s cannot be read (%s: %s); it is left out of the chart,"
            " and running its example again rewrites it",
            path.name,
            type(exc).__name__,
            exc,
            location=f"{path}:1",
            type="loss_curves",
            subtype="record",
        )
        return None
    return record


def draw_chart(app):
    """Draw every saved loss curve on one log-scale chart."""
    files = _loss_files(app)
    out = Path(app.srcdir, chart_path(app.config))
    names_file = out.with_suffix(".json")
    records = [r for r in map(_read_record, files) if r is not None]
    if not records:
        # No curve (none recorded yet, or all removed): no chart, rather than
        # a stale one.  The empty list of names stays, as the page's
        # dependency: when curves come back, the page is read again.
        for path in (out, phone_rendering(out), out.with_suffix(".lines.json"),
                     out.with_suffix(".titles.json")):
            path.unlink(missing_ok=True)
        if not names_file.exists() or json.loads(names_file.read_text(encoding="utf-8")) != []:
            names_file.parent.mkdir(exist_ok=True)
            names_file.write_text("[]", encoding="utf-8")
        return
    rank = _rank()
    records.sort(key=lambda r: (rank.get(r["example"], len(rank)), r["example"]))
    names = [r["example"] for r in records]
    titles = _titles(app, files)
    titles_file = out.with_suffix(".titles.json")
    # Redraw only when a curve or a title changed: importing matplotlib costs a second.
    if (
        out.exists()
        and names_file.exists()
        and json.loads(names_file.read_text(encoding="utf-8")) == names
        and all(f.stat().st_mtime <= names_file.stat().st_mtime for f in files)
        and (not titles or titles_file.exists()
             and json.loads(titles_file.read_text(encoding="utf-8")) == titles)
    ):
        return

    import matplotlib

    matplotlib.use("agg")
    try:
        fonts = _fonts(app.config.language)
    except LookupError as exc:
        logger.warning(
            f"no font for {app.config.language} to draw {out.name}: {exc}",
            type="loss_curves",
            subtype="font",
        )
        return
    # matplotlib warns (a UserWarning) for each character its font lacks and
    # draws an empty box instead: that is a broken chart, said as a warning.
    with matplotlib.rc_context(fonts), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _draw(records, out, titles)
    missing = sorted({str(w.message) for w in caught if "missing from font" in str(w.message)})
    for message in missing:
        logger.warning(
            f"{out.name}: {message}",
            location=str(out),
            type="loss_curves",
            subtype="glyph",
        )
    for w in caught:
        if "missing from font" not in str(w.message):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    names_file.write_text(json.dumps(names, indent=1), encoding="utf-8")
    if titles:
        titles_file.write_text(json.dumps(titles, indent=1, ensure_ascii=False), encoding="utf-8")


def _titles(app, files):
    """Each example's translated title, for the legend of a translated chart."""
    from sphinxext.translation.zh_downloads import translated_card

    titles = {}
    for file in files:
        copy = file.with_name(file.name.removesuffix(".losses.json") + ".py")
        docname = copy.relative_to(app.srcdir).with_suffix("").as_posix()
        card = translated_card(app.config, app.srcdir, docname, copy)
        if card is not None:
            titles[copy.stem] = card.title
    return titles


def _draw(records, out, titles):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.add_subplot()
    styles = ["-", "--", ":", "-."]
    for index, record in enumerate(records):
        title = titles.get(record["example"])
        for curve in record["curves"]:
            # A translated chart names each curve by its example's translated title.
            label = curve["label"] if title is None else title
            if title is not None and len(record["curves"]) > 1:
                label = f"{title}: {curve['label']}"
            ax.semilogy(
                curve["steps"],
                curve["losses"],
                linestyle=styles[index % len(styles)],
                label=f"{record['example']} ({label})",
            )
    ax.set_xlabel(_(XLABEL))
    ax.set_ylabel(_(YLABEL))
    ax.set_title(_(TITLE))
    ax.legend(fontsize="small", ncols=1, loc="upper right")
    out.parent.mkdir(exist_ok=True)
    fig.savefig(out, dpi=100, metadata={"Software": None})
    # What the chart shows, read back from its axes, for tests to compare
    # with the numbers the example pages print.
    drawn = [
        {"label": line.get_label(), "steps": [float(v) for v in line.get_xdata()],
         "losses": [float(v) for v in line.get_ydata()]}
        for line in ax.get_lines()
    ]
    out.with_suffix(".lines.json").write_text(json.dumps(drawn), encoding="utf-8")
    # A phone shows the chart about 340 px wide, where this one's text is
    # unreadable: a phone-sized rendering, legend under the axes, beside it
    # (html_hygiene offers NAME.phone.png to narrow screens).
    fig.set_size_inches(3.6, 6.5)
    ax.get_legend().remove()
    ax.set_title(ax.get_title(), fontsize="medium", wrap=True)
    legend = fig.legend(fontsize="small", loc="outside lower center")
    # A legend wider than the image (the Chinese titles make one) would be
    # cut on both sides: each label then takes two lines, the example's file
    # name and its title, on a taller image.
    fig.draw_without_rendering()
    if legend.get_window_extent().width > fig.bbox.width:
        legend.remove()
        fig.set_size_inches(3.6, 8)
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles, [label.replace(" (", "\n(", 1) for label in labels],
                   fontsize="small", loc="outside lower center")
    fig.savefig(phone_rendering(out), dpi=150, metadata={"Software": None})


class LossComparison(SphinxDirective):
    """``.. loss-comparison::`` shows the chart of all loss curves."""

    has_content = False

    def run(self):
        chart = chart_path(self.config)
        names_file = Path(self.env.srcdir, chart).with_suffix(".json")
        for path in _loss_files(self.env.app):
            self.env.note_dependency(str(path))
        names = json.loads(names_file.read_text(encoding="utf-8")) if names_file.exists() else []
        if names_file.exists():
            self.env.note_dependency(str(names_file))
        if not names:
            note = nodes.note()
            note += nodes.paragraph(text=_(NOT_DRAWN))
            return [note]
        examples = _(SEPARATOR).join(names)
        figure = nodes.figure(classes=["loss-comparison"])
        figure += nodes.image(
            uri="/" + chart.as_posix(), alt=_(ALT) % {"examples": examples}
        )
        # No source location: the page's catalog never sees the caption,
        # whose text comes translated from the fixed message above.
        figure += nodes.caption(text=_(CAPTION) % {"examples": examples})
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
