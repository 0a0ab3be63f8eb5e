"""What readers' tools ask of the HTML that the theme and sphinx-gallery write.

Usage in ``conf.py``::

    extensions = [..., "sphinxext.reader.html_hygiene"]
    # Pygments style of code under prefers-color-scheme: dark.
    html_hygiene_dark_style = "github-dark"
    # Meta description of the pages that have no text of their own (search,
    # index of terms); translated through sphinx.po.
    html_hygiene_description = "A one-sentence summary of the site."

It makes these changes, none of which touches a page's text:

* **Dark code highlighting.** Sphinx writes ``pygments_dark.css`` (linked with
  ``media="(prefers-color-scheme: dark)"``) only for themes that name a dark
  style; sphinx-rtd-theme names none, so this extension gives the builder
  the style of ``html_hygiene_dark_style`` when the theme has none.
* **Valid gallery cards.** sphinx-gallery (``backreferences.THUMBNAIL_TEMPLATE``)
  and our ``galleryitem`` write ``<div class="sphx-glr-thumbcontainer"
  tooltip="...">``, an attribute HTML does not have (the Nu HTML Checker:
  ``Attribute "tooltip" not allowed on element "div"``). Upstream keeps it
  because its CSS shows the tooltip with ``attr(tooltip)``; we write it as
  ``data-tooltip`` and ``_static/site.css`` shows it from there.
* **Image dimensions.** Every ``<img>`` of a page body without ``width`` and
  ``height`` gets the pixel size of its file, so the browser reserves its box
  before the image arrives (no layout shift; CSS still scales it).
* **Lazy images.** Every ``<img>`` of a page body without a ``loading``
  attribute gets ``loading="lazy"``: the browser fetches it when it nears
  the screen. On the narrative page, thirteen thumbnails and the chart
  (about 355 KB) otherwise share a phone's bandwidth with the text above
  them. Its ``width`` and ``height`` keep its box, so nothing shifts.
* **Phone-sized figures.** An image ``NAME.png`` whose source folder also
  holds ``NAME.phone.png`` (``loss_curves`` draws one for the chart) is
  written as a ``<picture>`` that shows the phone rendering on screens up to
  ``PHONE_MAX_WIDTH`` px wide, where the large one's text would be unreadable.
* **Meta description.** A page that has none (sphinxext-opengraph writes one
  from each page's first paragraph) gets ``html_hygiene_description``.

* **Search excerpts.** The search page gets ``search_excerpts`` in its
  context, the name of ``static/search_excerpts.js`` (copied into
  ``_static/``), which ``_templates/search.html`` loads after Sphinx's
  search script: each result's excerpt is the sentence that holds the term,
  not sphinx-gallery's note or a diff around it.

* **One map in the sidebar.** The sidebar leaves out a toctree whose
  entries are all gallery index pages (sphinx-gallery's ``gallery_dirs``):
  the narrative's toctrees list every example already, in the tutorial's
  own groups, and the galleries listed them a second time in three other
  groups. The home page's body still lists the galleries (their downloads).

* **Landmarks.** The theme's sidebar ``<nav>`` gets a name and its footer
  becomes the page's ``contentinfo`` landmark (``THEME_MARKUP`` says why),
  rewritten in the written pages once the build has finished.

A missing or unreadable image file is a warning of type ``html_hygiene``,
subtype ``image``, naming the page.
"""

from __future__ import annotations

import html
import posixpath
import re
import shutil
import struct
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.highlighting import PygmentsBridge
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file

from sphinxext.core import cards
from sphinxext.core.examplepaths import phone_rendering

__version__ = "1.1"

logger = logging.getLogger(__name__)
_ = get_translation("sphinx")

#: The search page's excerpts, copied into the output's _static/.
SEARCH_SCRIPT = Path(__file__).parent / "static" / "search_excerpts.js"

#: Screens up to this width (CSS px) get an image's phone-sized rendering.
PHONE_MAX_WIDTH = 600

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([^\s"'=<>/]+)\s*=\s*("[^"]*"|'[^']*')""")


def attributes(tag: str) -> dict[str, str]:
    """The quoted attributes of one start tag, unescaped."""
    return {
        name.lower(): html.unescape(value[1:-1]) for name, value in _ATTR.findall(tag)
    }


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG, JPEG, GIF or SVG file; None if unknown."""
    data = path.read_bytes()
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"\xff\xd8":
        offset = 2
        while offset + 9 < len(data):
            marker, length = struct.unpack(">HH", data[offset : offset + 4])
            if 0xFFC0 <= marker <= 0xFFCF and marker not in (0xFFC4, 0xFFC8, 0xFFCC):
                height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
                return width, height
            offset += 2 + length
        return None
    if path.suffix == ".svg":
        root = re.search(rb"<svg\b[^>]*>", data)
        if root:
            found = attributes(root.group().decode())
            sizes = [re.match(r"[\d.]+", found.get(k, "")) for k in ("width", "height")]
            if all(sizes):
                # matplotlib writes points (1/72 in); CSS pixels are 1/96 in.
                scale = 96 / 72 if found["width"].endswith("pt") else 1
                return tuple(round(float(s.group()) * scale) for s in sizes)
    return None


def use_dark_style(app: Sphinx) -> None:
    """Give the HTML builder a dark Pygments style when the theme names none."""
    builder = app.builder
    if builder.format != "html" or not hasattr(builder, "dark_highlighter"):
        return
    if builder.dark_highlighter is None and app.config.html_hygiene_dark_style:
        builder.dark_highlighter = PygmentsBridge("html", app.config.html_hygiene_dark_style)
        # What StandaloneHTMLBuilder.init_css_files adds for a theme's dark style.
        app.add_css_file(
            "pygments_dark.css",
            priority=200,
            media="(prefers-color-scheme: dark)",
            id="pygments_dark_css",
        )


def _image_sources(app: Sphinx) -> dict[str, Path]:
    """Output file name under _images/ -> the source file it is copied from."""
    return {
        name: Path(app.srcdir, source) for source, name in app.builder.images.items()
    }


def _sized(app: Sphinx, pagename: str, body: str) -> str:
    page_dir = Path(app.outdir, pagename).parent
    sources = None

    def size(match: re.Match) -> str:
        nonlocal sources
        tag = match.group()
        found = attributes(tag)
        if "loading" not in found:
            end = "/>" if tag.endswith("/>") else ">"
            tag = f'{tag[: -len(end)].rstrip()} loading="lazy" {end}'
        if "width" in found or "height" in found or "src" not in found:
            return tag
        src = found["src"].split("?")[0]
        path = (page_dir / src).resolve()
        # The source of an image Sphinx copies into _images/ (it does so after
        # writing the pages); sphinx-gallery's are in the output already.
        sources = sources if sources is not None else _image_sources(app)
        if path.parent == Path(app.outdir, "_images").resolve() and path.name in sources:
            path = sources[path.name]
        dims = image_size(path) if path.is_file() else None
        if dims is None:
            logger.warning(
                "cannot read the size of image %r",
                found["src"],
                location=pagename,
                type="html_hygiene",
                subtype="image",
            )
            return tag
        end = "/>" if tag.endswith("/>") else ">"
        sized = f'{tag[: -len(end)].rstrip()} width="{dims[0]}" height="{dims[1]}" {end}'
        phone = phone_rendering(path)
        if not phone.is_file():
            return sized
        # Beside the page's image in the output, under the same folder.
        target = (page_dir / src).parent / phone.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(phone, target)
        width, height = image_size(phone)
        srcset = src.rsplit("/", 1)[0] + "/" + phone.name if "/" in src else phone.name
        return (
            f'<picture><source media="(max-width: {PHONE_MAX_WIDTH}px)" '
            f'srcset="{html.escape(srcset)}" width="{width}" height="{height}" />'
            f"{sized}</picture>"
        )

    return _IMG.sub(size, body)


#: The start of a caption in Sphinx's toctree HTML: each toctree of the
#: sidebar begins with one.
_CAPTION = '<p class="caption"'
#: A sidebar toctree's top-level links.
_TOP_LINK = re.compile(r'<li class="toctree-l1[^"]*"><a class="[^"]*" href="([^"#]*)')


def _gallery_indexes(app: Sphinx) -> set[str]:
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    dirs = conf.get("gallery_dirs", [])
    return {f"{d}/index" for d in ([dirs] if isinstance(dirs, str) else dirs)}


def one_map(sidebar: str, pagename: str, indexes: set[str]) -> str:
    """The sidebar's HTML without the toctrees that list only gallery indexes."""
    parts = sidebar.split(_CAPTION)
    kept = [parts[0]]
    for part in parts[1:]:
        docs = {
            posixpath.normpath(posixpath.join(posixpath.dirname(pagename), href)).removesuffix(".html")
            if href else pagename  # the current page links to "#"
            for href in _TOP_LINK.findall(part)
        }
        if not docs or not docs <= indexes:
            kept.append(_CAPTION + part)
    return "".join(kept)


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    if app.builder.format != "html":
        return
    if context.get("body"):
        context["body"] = _sized(app, pagename, cards.valid_tooltips(context["body"]))
    if pagename == "search":
        context["search_excerpts"] = SEARCH_SCRIPT.name
    toctree, indexes = context.get("toctree"), _gallery_indexes(app)
    if callable(toctree) and indexes:
        context["toctree"] = lambda **kwargs: one_map(toctree(**kwargs), pagename, indexes)
    description = app.config.html_hygiene_description
    metatags = context.get("metatags", "")
    if description and 'name="description"' not in metatags:
        content = html.escape(str(_(description)), quote=True)
        context["metatags"] = metatags + f'\n<meta name="description" content="{content}" />'


#: sphinx-rtd-theme 3.1's layout.html and footer.html markup, and what we
#: write instead (axe-core, moderate: "landmark-unique": the sidebar's <nav>
#: has no name while the page has other <nav>s; "region": the footer's
#: buttons and text are in no landmark, because a <footer> inside a <section>
#: is not one, and only the copyright line has role="contentinfo"). Upstream
#: writes these outside any template block we could extend.
THEME_MARKUP = {
    '<nav data-toggle="wy-nav-shift" class="wy-nav-side">': (
        '<nav data-toggle="wy-nav-shift" class="wy-nav-side" aria-label="{nav}">'
    ),
    "<footer>": '<footer role="contentinfo">',
    '<div role="contentinfo">': "<div>",
}


def output_pages(outdir: Path) -> list[Path]:
    """The HTML pages of the build in ``outdir``, not of builds nested in it.

    ``make html`` writes the Chinese side into ``zh_CN/`` of the English
    output; a folder holding its own ``.buildinfo`` is another build's.
    """
    outdir = Path(outdir)
    nested = {p.parent for p in outdir.glob("*/**/.buildinfo")}
    return [
        page
        for page in sorted(outdir.rglob("*.html"))
        if not any(folder in page.parents for folder in nested)
    ]


def fix_theme_markup(app: Sphinx, exception) -> None:
    """Rewrite THEME_MARKUP in the pages this build wrote (not in nested builds)."""
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    copy_asset_file(SEARCH_SCRIPT, outdir / "_static", force=True)
    nav = html.escape(str(_("Navigation")), quote=True)
    replacements = {old: new.format(nav=nav) for old, new in THEME_MARKUP.items()}
    for page in output_pages(outdir):
        text = page.read_text(encoding="utf-8")
        fixed = text
        for old, new in replacements.items():
            fixed = fixed.replace(old, new, 1)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("html_hygiene_dark_style", "github-dark", "html", str)
    app.add_config_value("html_hygiene_description", "", "html", str)
    app.connect("builder-inited", use_dark_style)
    # After sphinxext-opengraph (priority 500), so its description comes first.
    app.connect("html-page-context", page_context, priority=900)
    app.connect("build-finished", fix_theme_markup)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
