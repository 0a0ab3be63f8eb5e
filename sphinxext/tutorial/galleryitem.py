"""A sphinx-gallery thumbnail card for one example, placed on any page.

Usage in reST::

    .. galleryitem:: /beginner/examples_tensor/two_layer_net_numpy.py

    .. galleryitem:: /beginner/examples_autograd/two_layer_net_autograd.py
       :figure: /_static/img/autograd.png
       :intro: Let autograd compute the backward pass.

The argument is the example's published path, inside one of sphinx-gallery's
``gallery_dirs`` (a leading ``/`` means the documentation source folder).  The
card is the one sphinx-gallery 0.22 draws on a gallery index: the example's
thumbnail (``images/thumb/sphx_glr_NAME_thumb.png``), its title, its intro as
the tooltip, and a link to the example's page (label
``sphx_glr_<path with / as _>``).  Title and intro are read from the example's
source in the matching ``examples_dirs``.  Options:

``:figure:``
    another image, shown in place of the thumbnail;
``:intro:``
    another text, shown in place of the intro as the tooltip.

In a translated build the card's title and tooltip are translated from the
example page's catalog (see ``zh_downloads``), as on the gallery index.

Cards next to each other share one ``sphx-glr-thumbnails`` grid, and
sphinx-gallery's own ``sg_gallery.css`` lays them out.  Like sphinx-gallery's
cards they are HTML only: other builders leave them out.

A card that cannot be drawn is a warning of type ``galleryitem`` (subtypes
``not_in_gallery``, ``missing``, ``syntax``, ``title``, ``thumbnail``,
``figure``) at the directive's line, and no card.
"""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx_gallery.gen_rst import extract_intro_and_title
from sphinx_gallery.py_source_parser import split_code_and_text_blocks

from sphinxext.core import cards
from sphinxext.core.directives import LocatedDirective
from sphinxext.core.examplepaths import reference_label, source_of, thumbnail_name
from sphinxext.translation.zh_downloads import translated_card

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

__version__ = "1.0"

logger = logging.getLogger(__name__)


class galleryitem_grid(nodes.General, nodes.Element):
    """``<div class="sphx-glr-thumbnails">``: the grid that holds the cards."""


class galleryitem_card(nodes.General, nodes.Element):
    """``<div class="sphx-glr-thumbcontainer" tooltip="...">``: one card."""


class galleryitem_title(nodes.General, nodes.TextElement):
    """``<div class="sphx-glr-thumbnail-title">``: the title under the image."""


class GalleryItem(LocatedDirective):
    """Draw a sphinx-gallery card for one example."""

    warning_type = "galleryitem"
    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = False
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "figure": directives.unchanged_required,
        "intro": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        argument = self.arguments[0]
        rel_path, _ = self.env.relfn2path(argument)
        source_rel, gallery_dir = source_of(self.config, rel_path)
        if gallery_dir is None:
            self.warn(
                "not_in_gallery",
                f"{argument} is not in any of sphinx_gallery_conf's gallery_dirs",
            )
            return []
        source = Path(self.env.srcdir, source_rel)
        self.env.note_dependency(source)
        if not source.is_file():
            self.warn("missing", f"example not found: {source_rel} (for {argument})")
            return []

        try:
            _, blocks, tree = split_code_and_text_blocks(source, return_node=True)
            if tree is None:  # sphinx-gallery's answer to a SyntaxError
                self.warn("syntax", f"cannot parse example {source_rel}")
                return []
            intro, title = extract_intro_and_title(source, blocks[0].content)
        except UnicodeDecodeError as exc:
            self.warn("syntax", f"cannot read example {source_rel}: {exc.reason}")
            return []
        except ExtensionError:  # no docstring, or no title in it
            self.warn(
                "title",
                f"no title in example {source_rel}"
                " (sphinx-gallery reads it from the module docstring)",
            )
            return []
        card = translated_card(
            self.config, self.env.srcdir, rel_path.removesuffix(".py"), source
        )
        if card is not None:
            self.env.note_dependency(str(card.catalog))
            title, intro = card.title, card.intro
        intro = self.options.get("intro", intro)

        if "figure" in self.options:
            image_rel, _ = self.env.relfn2path(self.options["figure"])
            kind = "figure"
        else:
            thumb_ext = self.config.sphinx_gallery_conf.get("thumbnail_format", "png")
            stem = PurePosixPath(rel_path).stem
            image_rel = posixpath.join(
                posixpath.dirname(rel_path),
                "images",
                "thumb",
                thumbnail_name(stem, thumb_ext),
            )
            kind = "thumbnail"
        if not Path(self.env.srcdir, image_rel).is_file():
            self.warn(kind, f"{kind} not found: {image_rel} (for {argument})")
            return []

        return [self._card(rel_path, "/" + image_rel, title, intro)]

    def _card(
        self, rel_path: str, image_uri: str, title: str, intro: str
    ) -> nodes.Node:
        """Build the nodes of sphinx-gallery's THUMBNAIL_TEMPLATE, in a grid."""
        label = reference_label(rel_path)
        xref = addnodes.pending_xref(
            "",
            nodes.inline(title, title, classes=["xref", "std", "std-ref"]),
            refdomain="std",
            reftype="ref",
            reftarget=label,
            refexplicit=True,
            refwarn=True,
            refdoc=self.env.docname,
        )
        image = nodes.image(uri=image_uri, alt="")
        # A translated paragraph is re-parsed from its message, which would
        # drop the link: keep it out of the catalogs (the title stays in).
        link = nodes.paragraph("", "", xref, translatable=False)
        heading = galleryitem_title(title, title)
        card = galleryitem_card("", image, link, heading, tooltip=intro)
        grid = galleryitem_grid("", card)
        for node in (grid, card, image, link, xref, heading):
            self.set_source_info(node)
        return grid



class MergeAdjacentGrids(SphinxTransform):
    """Put the cards of consecutive galleryitem directives in one grid."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for grid in list(self.document.findall(galleryitem_grid)):
            parent = grid.parent
            if parent is None:  # already merged into the grid before it
                continue
            index = parent.index(grid)
            while index + 1 < len(parent) and isinstance(
                parent[index + 1], galleryitem_grid
            ):
                following = parent[index + 1]
                grid.extend(following.children[:])
                del parent[index + 1]
                following.parent = None


def _visit_grid(self: HTML5Translator, node: galleryitem_grid) -> None:
    self.body.append(self.starttag(node, "div", CLASS=cards.GRID))


def _visit_card(self: HTML5Translator, node: galleryitem_card) -> None:
    self.body.append(self.starttag(node, "div", CLASS=cards.CARD, **{cards.TOOLTIP: node["tooltip"]}))


def _visit_title(self: HTML5Translator, node: galleryitem_title) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS=cards.TITLE))


def _depart_div(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def _skip(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    # The thumbnails, the example pages and the CSS all come from sphinx-gallery.
    app.setup_extension("sphinx_gallery.gen_gallery")
    not_html = dict.fromkeys(("latex", "text", "man", "texinfo"), (_skip, None))
    app.add_node(galleryitem_grid, html=(_visit_grid, _depart_div), **not_html)
    app.add_node(galleryitem_card, html=(_visit_card, _depart_div), **not_html)
    app.add_node(galleryitem_title, html=(_visit_title, _depart_div), **not_html)
    app.add_directive("galleryitem", GalleryItem)
    app.add_transform(MergeAdjacentGrids)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
