"""The theme's icon font, cut down to the icons the site can show.

Usage in ``conf.py``::

    extensions = [..., "sphinxext.reader.icon_font"]

and in ``_templates/layout.html``, inside ``{% block extrahead %}`` (which
the theme writes after its stylesheets)::

    {%- if icon_font_style %}<style>{{ icon_font_style }}</style>{%- endif %}

sphinx-rtd-theme draws its icons (the menu and home buttons, the sidebar's
expand buttons, the previous/next arrows, the admonition marks) with
FontAwesome 4.7: a 77 KB woff2 of some 700 icons, which every page fetches
before its first icon shows. On Lighthouse's simulated phone that one font
was most of the time to the first paint. Upstream ships it whole because a
theme cannot know which icons a site uses; a build can.

When the HTML builder starts, this extension:

1. reads the theme's ``css/theme.css``: the code point of every icon rule;
2. keeps those the theme applies by structure (a rule with any selector
   other than a bare ``.fa-NAME:before`` or ``.icon-NAME:before``, such as
   the sidebar's expand buttons) and those of the ``fa-NAME`` and
   ``icon-NAME`` classes named in the templates (the theme's and
   ``templates_path``), and the characters of ``html_permalinks_icon``
   (the theme sets it to FontAwesome's link icon, written into each
   heading's permalink as text);
3. cuts the theme's ``fontawesome-webfont.ttf`` down to them with fontTools'
   subsetter, as WOFF (zlib: no brotli needed), written to
   ``_static/fonts/icons.woff`` when the build ends;
4. gives each page ``icon_font_style``: an ``@font-face`` for the same
   family, ``FontAwesome``. The later of two faces with the same
   descriptors wins, so the browser never fetches the theme's full font.

When the build ends, every page of the output is read for ``fa-NAME`` and
``icon-NAME`` classes and for characters of FontAwesome's private-use range:
one whose icon is not in the cut-down font is an error naming the page (a
warning of type ``icon_font``; ``-W`` makes it fatal), never a blank square
on the site. The pages of a build nested in the output (the Chinese side in
``zh_CN/``) are its own build's to check (``html_hygiene.output_pages``).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from sphinxext.reader.html_hygiene import output_pages

__version__ = "1.0"

logger = logging.getLogger(__name__)

#: Where the cut-down font is written, under the output folder.
FONT = "_static/fonts/icons.woff"

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CONTENT = re.compile(r"""content:\s*["']([\uf000-\uf8ff]|\\[0-9a-fA-F]{4})["']""")
_ICON_SELECTOR = re.compile(r"\.((?:fa|icon)-[a-z0-9-]+):before")
_ICON_CLASS = re.compile(r"(?<![\w-])((?:fa|icon)-[a-z0-9-]+)")
#: FontAwesome 4.7's code points (Unicode's private-use area).
_PRIVATE = re.compile("[\uf000-\uf2ff]")
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""")


def icon_rules(css: str) -> tuple[dict[str, int], set[int]]:
    """(icon class -> code point, code points the theme applies by structure)."""
    classes: dict[str, int] = {}
    structural: set[int] = set()
    for selectors, body in _RULE.findall(css):
        found = _CONTENT.search(body)
        if not found:
            continue
        char = found.group(1)
        point = ord(char) if len(char) == 1 else int(char[1:], 16)
        for selector in (s.strip() for s in selectors.split(",")):
            bare = _ICON_SELECTOR.fullmatch(selector)
            if bare:
                classes[bare.group(1)] = point
            else:
                structural.add(point)
    return classes, structural


def template_classes(folders: list[Path]) -> set[str]:
    """Every ``fa-NAME`` or ``icon-NAME`` named in the templates of ``folders``."""
    names: set[str] = set()
    for folder in folders:
        for template in sorted(folder.rglob("*.html")):
            names.update(_ICON_CLASS.findall(template.read_text(encoding="utf-8")))
    return names


def subset_font(source: Path, points: set[int]) -> bytes:
    """``source`` cut down to ``points``, as WOFF bytes (the same bytes every build)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = ["*"]  # the font's licence and copyright notice stay
    options.notdef_outline = True
    # FontForge's timestamp table: the subsetter drops it anyway, saying so on stderr.
    options.drop_tables += ["FFTM"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def _theme_dirs(app: Sphinx) -> list[Path]:
    theme = getattr(app.builder, "theme", None)
    return [Path(d) for d in theme.get_theme_dirs()] if theme else []


def prepare(app: Sphinx) -> None:
    """Find the theme's icons and cut its font down to those the site can show."""
    if app.builder.format != "html":
        return
    css = next((d / "static/css/theme.css" for d in _theme_dirs(app)
                if (d / "static/css/theme.css").is_file()), None)
    font = css.parent / "fonts" / "fontawesome-webfont.ttf" if css else None
    if font is None or not font.is_file():
        return  # a theme without FontAwesome: nothing to cut down
    classes, structural = icon_rules(css.read_text(encoding="utf-8"))
    templates = [*_theme_dirs(app), *(Path(app.confdir, p) for p in app.config.templates_path)]
    named = template_classes(templates)
    points = structural | {classes[name] for name in named if name in classes}
    points |= {ord(c) for c in app.config.html_permalinks_icon or "" if _PRIVATE.match(c)}
    data = subset_font(font, points)
    app.builder.icon_font = {
        "classes": classes,
        "points": points,
        "data": data,
        "version": hashlib.sha256(data).hexdigest()[:8],
    }


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    icons = getattr(app.builder, "icon_font", None)
    if not icons:
        return
    url = context["pathto"](FONT, 1) + f"?v={icons['version']}"
    context["icon_font_style"] = (
        '@font-face{font-family:"FontAwesome";font-style:normal;font-weight:400;'
        f'font-display:block;src:url("{url}") format("woff")}}'
    )


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Every page, when the cut-down font differs from the one its pages name.

    Each page links the font with its version; one left from an earlier
    build would name an old version (and a browser's cached old font could
    lack an icon). Sphinx rewrites every page itself when a template or the
    theme changes; this covers a change of this extension.
    """
    icons = getattr(app.builder, "icon_font", None)
    version = icons["version"] if icons else None
    if getattr(env, "icon_font_version", None) == version:
        return []
    env.icon_font_version = version
    return sorted(env.found_docs)


def finish(app: Sphinx, exception) -> None:
    """Write the font; every icon class on a page of the output must be in it."""
    icons = getattr(app.builder, "icon_font", None)
    if exception or not icons:
        return
    target = Path(app.outdir, FONT)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_bytes() != icons["data"]:
        target.write_bytes(icons["data"])
    outdir = Path(app.outdir)
    for page in output_pages(outdir):
        text = page.read_text(encoding="utf-8")
        docname = page.relative_to(outdir).with_suffix("").as_posix()
        where = {"location": docname} if docname in app.env.all_docs else {}
        prefix = "" if where else f"{page.relative_to(outdir)}: "
        used = {
            (f"icon class {name!r}", icons["classes"][name])
            for attr in _CLASS_ATTR.findall(text)
            for name in _ICON_CLASS.findall(attr)
            if name in icons["classes"]
        }
        used |= {("character", ord(char)) for char in _PRIVATE.findall(html.unescape(text))}
        for what, point in sorted(used):
            if point not in icons["points"]:
                logger.warning(
                    "%s%s (U+%04X) is not in the cut-down icon font: name it in a "
                    "template under templates_path",
                    prefix,
                    what,
                    point,
                    type="icon_font",
                    **where,
                )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", prepare)
    app.connect("env-get-outdated", outdated)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", finish)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
