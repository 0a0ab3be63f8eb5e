"""
Deprecated
==========

Uses something its library has deprecated.
"""

import warnings

print("before")
warnings.warn("x is deprecated, use y", DeprecationWarning, stacklevel=1)
print("after")
