"""Translate what no page's catalog holds: the run-time line and the site title.

Usage in ``conf.py``::

    extensions = ["sphinx_gallery.gen_gallery", "sphinxext.translation.gallery_i18n"]
    locale_dirs = ["locales"]

Both messages below are translated through the ``sphinx`` catalog
(``locales/<lang>/LC_MESSAGES/sphinx.po``).

* Every example page ends with "Total running time of the script: (0 minutes
  0.345 seconds)".  As an ordinary message its numbers would change with
  every build and leave the message untranslated each time.  A transform
  takes that paragraph out of gettext's reach and writes it from a fixed
  message, ``Total running time of the script: (%(minutes)s minutes
  %(seconds)s seconds)``, with the measured numbers filled in.
* ``project``, ``html_title`` (the title bar, the window title) and
  sphinxext-opengraph's ``ogp_site_name`` (``og:site_name``) come from
  ``conf.py``, which cannot know the language a build was given with ``-D``;
  they are translated when the configuration is ready.
"""

import re

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinxext.core.examplepaths import parse_run_time

__version__ = "1.2"

_ = get_translation("sphinx")
logger = logging.getLogger(__name__)

TIMING = "Total running time of the script: (%(minutes)s minutes %(seconds)s seconds)"


class GalleryTiming(SphinxTransform):
    """Rewrite sphinx-gallery's timing paragraph from a fixed message."""

    # Before sphinx.transforms.i18n.Locale (20), which would translate it.
    default_priority = 10

    def apply(self, **kwargs):
        for paragraph in self.document.findall(nodes.paragraph):
            if "sphx-glr-timing" not in paragraph["classes"]:
                continue
            found = parse_run_time(paragraph.astext())
            if not found:
                logger.warning(
                    "sphinx-gallery's run-time sentence has changed (%r); "
                    "update parse_run_time in sphinxext/core/examplepaths.py",
                    paragraph.astext(),
                    location=paragraph,
                    type="gallery_i18n",
                    subtype="timing",
                )
                continue
            text = _(TIMING) % {"minutes": found[0], "seconds": found[1]}
            # The label before the colon (ASCII or full-width) is bold.
            label, colon, rest = re.split(r"([:：])", text, maxsplit=1)
            paragraph.children = []
            paragraph += nodes.strong(text=label + colon)
            paragraph += nodes.Text(rest)
            paragraph["translatable"] = False


def translate_titles(app, config):
    """Translate the project name, HTML title and site name into the build's language."""
    for name in ("project", "html_title", "ogp_site_name"):
        value = getattr(config, name, None) if name in config else None
        if value:
            setattr(config, name, str(_(value)))


def setup(app):
    app.add_transform(GalleryTiming)
    app.connect("config-inited", translate_titles)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
