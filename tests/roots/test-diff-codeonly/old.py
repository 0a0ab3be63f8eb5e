"""
Old
===

The module docstring never shows.
"""

# %%
# A text cell: never shown either.

import math


def area(radius):
    """Area of a circle."""
    # pi times r squared
    return math.pi * radius**2


print(area(2.0))  # about 12.57
