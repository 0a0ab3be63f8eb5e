"""
Second step
===========

Sum with a function.
"""

# %%
# Let a function add them.


def total(values):
    """Add ``values``."""
    return sum(values)


numbers = [1, 2, 3]
# The whole sum in one call.
result = total(numbers)
print(result)
