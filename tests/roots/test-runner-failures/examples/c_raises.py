"""
Raises
======

Raises an exception on line 10.
"""

print("before the error")

raise ValueError("this example is broken")
