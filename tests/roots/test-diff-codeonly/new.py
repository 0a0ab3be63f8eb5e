"""
New
===

A changed docstring is no code change.
"""

# %%
# A changed text cell is none either.

import math


def area(radius):
    """The area of a circle of the given radius."""
    # A changed comment is none either.
    return math.pi * radius * radius


# sphinx_gallery_start_ignore
print("hidden from readers")
# sphinx_gallery_end_ignore
print(area(2.0))  # a changed inline comment
