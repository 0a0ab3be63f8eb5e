"""
A demo
======

One intro paragraph.
"""

# %%
# A directive nobody knows hides its text from the translation:
#
# .. no-such-directive::
#
#    Hidden text.

print(3)
