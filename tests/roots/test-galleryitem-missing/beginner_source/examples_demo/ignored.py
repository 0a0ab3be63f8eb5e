"""
Ignored
=======

sphinx-gallery ignores this script, so it has no thumbnail.
"""

print("ignored")
