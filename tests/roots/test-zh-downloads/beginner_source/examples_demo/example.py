"""
A demo
======

One intro paragraph.
"""

# %%
# Add ``one`` and ``two``: the *sum* is three.

one, two = 1, 2  # a comment stays as it is
print(one + two)
