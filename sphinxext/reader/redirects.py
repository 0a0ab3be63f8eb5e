"""Keep a moved page's old address working: a small page there leads to the new one.

Usage in ``conf.py``::

    extensions = [..., "sphinxext.reader.redirects"]
    # old page (no .html) -> the document it moved to
    redirect_pages = {
        "beginner/examples_tensor/two_layer_net_speed": "beginner/examples_beyond/two_layer_net_speed",
    }

At the end of every HTML build (of every language), each old page is written
as ``<outdir>/<old>.html``: a meta refresh to the new page, a
``<link rel="canonical">`` to the new page's published URL (``html_baseurl``,
which ``hosting`` sets per language), ``noindex``, and a visible link named by
the new page's title, so a reader without the refresh still gets there.  The
sentence around the link is translated through the ``sphinx`` catalog; the
title is the new page's own, translated in a translated build.

A page is written only when its content changes, so a build with nothing to
do leaves the tree as it was.  ``_gallery_state`` (which removes gallery pages
that no document makes) leaves the old pages alone.  Warnings (type
``redirects``, located at the line of ``conf.py`` that names the old page): an old page that is still a document
of the project (``shadowed``), and a target that is none (``missing``).
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.locale import get_translation
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

logger = logging.getLogger(__name__)
_ = get_translation("sphinx")

MOVED_TITLE = "This page has moved"
MOVED_TEXT = "This page has moved to %(link)s."

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{heading}</title>
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<main>
<h1>{heading}</h1>
<p>{sentence}</p>
</main>
</body>
</html>
"""


def old_pages(config: Any) -> set[str]:
    """The documents named as old pages (``_gallery_state`` keeps their files)."""
    return set(getattr(config, "redirect_pages", None) or {})


def page_html(app: Sphinx, old: str, new: str) -> str:
    """The page written at ``old``'s address."""
    href = posixpath.relpath(new, posixpath.dirname(old)) + ".html"
    canonical = (app.config.html_baseurl or "") + new + ".html"
    title = app.env.titles[new].astext()
    link = f'<a href="{html.escape(href)}">{html.escape(title)}</a>'
    # The translated sentence is escaped, then the link put in its place.
    before, _middle, after = str(_(MOVED_TEXT)).partition("%(link)s")
    return _PAGE.format(
        lang=html.escape((app.config.language or "en").replace("_", "-")),
        heading=html.escape(str(_(MOVED_TITLE))),
        canonical=html.escape(canonical),
        href=html.escape(href),
        sentence=html.escape(before) + link + html.escape(after),
    )


def write_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for old, new in sorted((app.config.redirect_pages or {}).items()):
        if old in app.env.all_docs:
            _warn(app, old, f"{old} is still a page of the project: no redirect written", "shadowed")
            continue
        if new not in app.env.all_docs:
            _warn(app, old, f"redirect target {new} (for {old}) is not a page of the project", "missing")
            continue
        path = Path(app.outdir, old + ".html")
        text = page_html(app, old, new)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _warn(app: Sphinx, old: str, message: str, subtype: str) -> None:
    """A warning at the line of ``conf.py`` that names ``old`` (its first line if none)."""
    conf = Path(app.confdir, "conf.py")
    lines = conf.read_text(encoding="utf-8").splitlines() if conf.is_file() else []
    line = next((n for n, text in enumerate(lines, 1) if f'"{old}":' in text), 1)
    logger.warning(message, location=f"{conf}:{line}", type="redirects", subtype=subtype)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("redirect_pages", {}, "html", dict)
    # After example_runner's build-finished (priority 100), which prunes
    # gallery pages, and before _output_tree records the tree (999).
    app.connect("build-finished", write_pages, priority=600)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
