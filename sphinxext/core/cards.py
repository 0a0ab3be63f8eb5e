"""sphinx-gallery's thumbnail cards: the markup, known here and nowhere else.

sphinx-gallery writes each gallery index's cards as raw HTML; ``galleryitem``
writes the same markup for a card on any page.  ``zh_downloads`` translates
the cards' titles and tooltips, and ``html_hygiene`` renames the ``tooltip``
attribute, which HTML does not have, to ``data-tooltip``.  All three read the
class names and patterns below; a change in sphinx-gallery's markup is made
here once.
"""

from __future__ import annotations

import html
import re

#: The grid that holds a gallery's cards.
GRID = "sphx-glr-thumbnails"
#: One card: ``<div class="sphx-glr-thumbcontainer" tooltip="...">``.
CARD = "sphx-glr-thumbcontainer"
#: The title under a card's image.
TITLE = "sphx-glr-thumbnail-title"
#: The card's attribute holding the example's intro, as sphinx-gallery writes it.
TOOLTIP = "tooltip"

#: A card's opening tag, in a page's HTML.
CARD_TAG = re.compile(rf"""<div\b[^>]*\bclass\s*=\s*["']{CARD}["'][^>]*>""")
#: The tooltip attribute's name inside a card's opening tag.
_TOOLTIP_NAME = re.compile(rf"""(\s){TOOLTIP}(\s*=)""")
#: A tooltip's text (group 1) and a title's text (group 1), in raw card markup.
TOOLTIP_TEXT = re.compile(rf'{TOOLTIP}="([^"]*)"')
TITLE_TEXT = re.compile(rf'{TITLE}">([^<]*)<')


def holds_cards(raw_html: str) -> bool:
    """Whether sphinx-gallery's raw HTML holds card markup (a title or a card)."""
    return CARD in raw_html or TITLE in raw_html


def tooltip_markup(intro: str) -> str:
    """The tooltip attribute as sphinx-gallery writes it for ``intro``."""
    return f'{TOOLTIP}="{html.escape(intro)}"'


def title_markup(title: str) -> str:
    """The end of a card's title element as sphinx-gallery writes it, up to the text's end."""
    return f'{TITLE}">{title}<'


def valid_tooltips(page: str) -> str:
    """``page`` with every card's ``tooltip`` written as ``data-tooltip``."""
    return CARD_TAG.sub(lambda m: _TOOLTIP_NAME.sub(r"\1data-tooltip\2", m.group()), page)
