"""A tree that hosts well anywhere: one base URL drives canonical, hreflang, 404 and sitemap.

Usage in ``conf.py``::

    extensions = ["notfound.extension", "sphinx_sitemap", "sphinxext.reader.hosting"]
    # The one setting: where the English site is published (ends with "/").
    html_baseurl = os.environ.get("SITE_URL", "http://127.0.0.1:8000/")
    # The first language is the root; each other one lives in <code>/.
    html_context = {"languages": [("en", "English"), ("zh_CN", "简体中文")]}

and a ``layout.html`` template that writes ``hreflang_alternates`` in
``<head>`` (``_templates/layout.html``).

From ``html_baseurl`` this extension derives, for the build's language:

* ``html_baseurl`` itself for a translated build (``<base>zh_CN/``), so that
  Sphinx writes the right ``<link rel="canonical">`` on every page;
* ``ogp_site_url`` (sphinxext-opengraph, when loaded): the same URL, so
  that a translated page's ``og:url`` is its own, not its English twin's;
* ``notfound_urls_prefix`` (sphinx-notfound-page): the base URL's path, so the
  404 page's links and assets work from any depth, at a domain's root
  (``/``) as under a sub-path (``/<repo>/``);
* ``hreflang_alternates`` for the page template: each page's twin in every
  language, plus ``x-default`` (the root language);
* the sitemap (sphinx-sitemap): the root language's build lists every page in
  every language, each with its alternates; the other builds write none;
* ``.nojekyll``, so that GitHub Pages serves ``_static/`` and ``_images/``.

The 404 page's text is translated through the ``sphinx`` catalog.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

from sphinx.errors import ConfigError
from sphinx.locale import get_translation

__version__ = "1.0"

_ = get_translation("sphinx")

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _languages(config):
    return [code for code, _name in config.html_context.get("languages", [("en", "")])]


def _hreflang(code):
    return code.replace("_", "-")


def configure(app, config):
    """Derive every URL setting from ``html_baseurl``."""
    base = config.html_baseurl or ""
    if not base.startswith(("http://", "https://")):
        raise ConfigError(
            f"html_baseurl must be an absolute http(s) URL ending in '/', got {base!r}"
        )
    if not base.endswith("/"):
        base += "/"
    languages = _languages(config)
    language = config.language or languages[0]
    app.hosting_root = base
    if language != languages[0]:
        config.html_baseurl = base + language + "/"
        # The root language's build writes the one sitemap, for every language.
        config.sitemap_excludes = ["*"]
    else:
        config.html_baseurl = base
    config.sitemap_url_scheme = "{link}"
    config.sitemap_locales = [None]
    config.notfound_urls_prefix = urlparse(config.html_baseurl).path
    if "ogp_site_url" in config:
        config.ogp_site_url = config.html_baseurl


def notfound_text(app):
    """The 404 page's title and body, in the build's language."""
    home = app.config.notfound_urls_prefix + "index.html"
    app.config.notfound_context = {
        "title": str(_("Page not found")),
        "body": (
            f"<h1>{_('Page not found')}</h1>\n"
            f"<p>{_('There is no page at this address.')}</p>\n"
            # A link of its own, so no punctuation of one language follows it.
            f'<p><a href="{home}">{_("Go to the home page")}</a></p>'
        ),
    }


def alternates(app, pagename, templatename, context, doctree):
    """Each page's twin in every language, for ``<link rel="alternate">``."""
    if pagename == app.config.notfound_pagename:
        # Its language switcher must work from any depth: absolute links.
        context["switcher_root"] = app.config.notfound_urls_prefix
        return
    languages = _languages(app.config)
    links = []
    for code in languages:
        prefix = "" if code == languages[0] else code + "/"
        links.append((_hreflang(code), f"{app.hosting_root}{prefix}{pagename}.html"))
    links.append(("x-default", links[0][1]))
    context["hreflang_alternates"] = links


def finish(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    Path(app.outdir, ".nojekyll").touch()
    languages = _languages(app.config)
    if (app.config.language or languages[0]) == languages[0]:
        _sitemap_all_languages(app, languages)


def _sitemap_all_languages(app, languages):
    """Add every page's twins, and the alternates, to sphinx-sitemap's file."""
    path = Path(app.outdir, app.config.sitemap_filename)
    if not path.exists():
        return
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    tree = ElementTree.parse(path)
    root = tree.getroot()
    base = app.hosting_root
    pages = sorted(
        loc.text[len(base):] for loc in root.iter(f"{{{SITEMAP_NS}}}loc")
        if loc.text.startswith(base)
    )
    for url in list(root):
        root.remove(url)
    for page in pages:
        twins = [
            (_hreflang(code), base + ("" if code == languages[0] else code + "/") + page)
            for code in languages
        ]
        for _code, href in twins:
            url = ElementTree.SubElement(root, f"{{{SITEMAP_NS}}}url")
            ElementTree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = href
            for hreflang, other in twins:
                ElementTree.SubElement(
                    url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=other
                )
    ElementTree.indent(root, space=" ")
    tree.write(path, xml_declaration=True, encoding="utf-8", method="xml")


def setup(app):
    app.setup_extension("notfound.extension")
    app.setup_extension("sphinx_sitemap")
    app.connect("config-inited", configure, priority=400)
    app.connect("builder-inited", notfound_text)
    app.connect("html-page-context", alternates)
    # After sphinx-sitemap writes its file (priority 500).
    app.connect("build-finished", finish, priority=600)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
