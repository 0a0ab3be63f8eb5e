"""Greeter
=======

The module docstring goes; the others stay.
"""

from __future__ import annotations


class Greeter:
    """Say hello to someone."""

    def __init__(self, name: str) -> None:
        """Remember ``name``."""
        self.name = name

    def greet(self) -> str:
        """
        Return the greeting.

        It is a single line.
        """
        return f"Hello, {self.name}!"


def shout(text: str) -> str:
    """Upper-case ``text``."""
    return text.upper()


BANNER = """
# %%
# Not a text cell: this is inside a string.



(Three blank lines above, kept.)
"""
