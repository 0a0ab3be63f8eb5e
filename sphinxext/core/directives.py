"""The base class of this site's directives: warnings that are typed and located.

Usage, in an extension::

    class MyDirective(LocatedDirective):
        warning_type = "my_extension"

        def run(self):
            self.warn("missing", "file not found: x.py")  # [my_extension.missing]

Every warning names the file and line of the directive (the page that holds
it, or the file an ``.. include::`` pulled it from), so ``-W`` stops at the
place to edit, and ``suppress_warnings = ["my_extension.missing"]`` silences
exactly one kind.
"""

from __future__ import annotations

from typing import ClassVar

from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


class LocatedDirective(SphinxDirective):
    """A directive whose warnings carry its location and its extension's type."""

    #: The warning type: the extension's name.
    warning_type: ClassVar[str]

    def location(self) -> str | tuple[str, int]:
        """``file:line`` of the directive, or (docname, line) when docutils has none."""
        return self.get_location() or (self.env.docname, self.lineno)

    def warn(self, subtype: str, message: str) -> None:
        logger.warning(message, location=self.location(), type=self.warning_type, subtype=subtype)
