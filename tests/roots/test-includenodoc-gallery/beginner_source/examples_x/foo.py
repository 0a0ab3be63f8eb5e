"""
Foo
===

Only the source exists; sphinx-gallery never ran.
"""

print("foo")
