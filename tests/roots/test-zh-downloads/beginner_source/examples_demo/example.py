"""
A demo
======

One intro paragraph.
"""

# %%
# Add ``one`` and ``two``: the *sum* is :math:`3`, as
# `Python <https://www.python.org>`_ says.

one, two = 1, 2  # a comment stays as it is
print(one + two)
