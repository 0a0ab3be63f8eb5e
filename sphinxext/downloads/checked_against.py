"""What each example was last checked against: the scheduled upgrade check's result, on the page.

Usage in ``conf.py``::

    extensions = [..., "sphinxext.execution.provenance", "sphinxext.downloads.checked_against"]
    # Relative to the source folder; written by tools/upgrade_check.py,
    # committed by its pull request.
    checked_against_record = "checks/upgrade-check.json"
    # Older than this, a page says its check is old instead of "passes".
    checked_against_max_age = 30

Under an example page's provenance line (``provenance``), one more line, in
the build's language:

* ``Last checked against PyTorch 2.14.1: passes (2026-12-13).`` when the
  record is at most ``checked_against_max_age`` days old (``fails`` when the
  record names the example among the failing ones);
* ``Last checked against PyTorch 2.14.1 on 2026-10-01, 66 days ago: ...``
  when it is older, so that a stale check never reads as a fresh one;
* ``Not yet checked against a newer PyTorch release.`` without a record.

A page is read again when the record changes, or on a new day (its age
did).  The record is JSON (``tools/upgrade_report.record``): ``schema``, ``date``,
``torch``, ``result`` and ``failing`` (example sources relative to the
site).  An unreadable one is a warning at the file (type ``checked_against``,
subtype ``record``), so ``-W`` fails the build rather than showing a guess.
"Today" is the build's date (``SOURCE_DATE_EPOCH`` when set, as Sphinx's
own dates).  Messages are translated through the ``sphinx`` catalog.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

__version__ = "1.0"

_ = get_translation("sphinx")
logger = logging.getLogger(__name__)

#: The record's shape (tools/upgrade_report.RECORD_SCHEMA).
SCHEMA = 1


def today() -> datetime.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.datetime.now(datetime.UTC).date()


class RecordError(ValueError):
    """What is wrong with a record, and the line it is on (the object's first line when no other)."""

    def __init__(self, message, line=1):
        super().__init__(message)
        self.line = line


def read_record(path: Path) -> dict | None:
    """The record at ``path``, None when there is none; RecordError naming what is wrong."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RecordError(f"not JSON ({exc.msg})", exc.lineno) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"unreadable ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise RecordError(f"not a schema-{SCHEMA} record")
    try:
        data["date"] = datetime.date.fromisoformat(data["date"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError("its date is missing or not YYYY-MM-DD") from exc
    if data.get("result") not in ("passes", "fails") or not data.get("torch"):
        raise RecordError("it needs a torch version and a result of passes or fails")
    if not isinstance(data.get("failing", []), list):
        raise RecordError("its failing examples are not a list")
    return data


def checked_text(record: dict | None, example: str | None, max_age: int, now: datetime.date) -> str:
    """The line for one example page (``example``: its source, relative to the site)."""
    if record is None:
        return _("Not yet checked against a newer PyTorch release.")
    age = (now - record["date"]).days
    values = {"torch": record["torch"], "date": record["date"].isoformat(), "days": age}
    if age > max_age:
        return _(
            "Last checked against PyTorch {torch} on {date}, {days} days ago: "
            "this page may not work with the newest releases."
        ).format(**values)
    if record["result"] == "fails" and example in record.get("failing", []):
        return _("Last checked against PyTorch {torch}: fails ({date}).").format(**values)
    return _("Last checked against PyTorch {torch}: passes ({date}).").format(**values)


def example_source(config, docname: str) -> str | None:
    """``beginner/examples_nn/x`` -> ``beginner_source/examples_nn/x.py`` (sphinx-gallery's folders)."""
    conf = config.sphinx_gallery_conf
    examples, galleries = conf.get("examples_dirs", []), conf.get("gallery_dirs", [])
    if isinstance(examples, str):
        examples, galleries = [examples], [galleries]
    for source, gallery in zip(examples, galleries, strict=False):
        if docname.startswith(gallery.rstrip("/") + "/"):
            return f"{source.rstrip('/')}/{docname[len(gallery.rstrip('/')) + 1:]}.py"
    return None


class CheckedAgainst(SphinxTransform):
    """Add the "last checked against" line below an example page's provenance line."""

    # After provenance's transform (11), before translation (20).
    default_priority = 12

    def apply(self, **kwargs):
        provenance = next(
            (p for p in self.document.findall(nodes.paragraph) if "example-provenance" in p["classes"]),
            None,
        )
        if provenance is None:
            return
        # Not a noted dependency: a missing file would make Sphinx read the
        # page again on every build (outdated_pages below does it instead).
        path = Path(self.env.srcdir, self.config.checked_against_record)
        self.env.checked_against_docs = getattr(self.env, "checked_against_docs", set()) | {self.env.docname}
        try:
            record = read_record(path)
        except RecordError as exc:
            logger.warning(
                "unusable upgrade-check record %s: %s", self.config.checked_against_record, exc,
                location=f"{path}:{exc.line}", type="checked_against", subtype="record",
            )
            return
        text = checked_text(
            record, example_source(self.config, self.env.docname), self.config.checked_against_max_age, today()
        )
        paragraph = nodes.paragraph(text=text, classes=["example-checked-against"])
        paragraph["translatable"] = False
        provenance.parent.insert(provenance.parent.index(provenance) + 1, paragraph)


def _state(app):
    """What the lines depend on beyond the page: the record's text (or its absence) and today's date."""
    path = Path(app.srcdir, app.config.checked_against_record)
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
    return text, today().isoformat()


def outdated_pages(app, env, added, changed, removed):
    """Every page with a line, again, when the record or the date changed since the last build."""
    state = _state(app)
    if getattr(env, "checked_against_state", None) == state:
        return []
    env.checked_against_state = state
    return sorted(getattr(env, "checked_against_docs", set()) - set(removed))


def purge_doc(app, env, docname):
    getattr(env, "checked_against_docs", set()).discard(docname)


def merge_info(app, env, docnames, other):
    env.checked_against_docs = getattr(env, "checked_against_docs", set()) | (
        getattr(other, "checked_against_docs", set()) & set(docnames)
    )


def setup(app):
    app.setup_extension("sphinxext.execution.provenance")
    app.connect("env-get-outdated", outdated_pages)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.add_config_value("checked_against_record", "checks/upgrade-check.json", "env", types=[str])
    app.add_config_value("checked_against_max_age", 30, "env", types=[int])
    app.add_transform(CheckedAgainst)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
