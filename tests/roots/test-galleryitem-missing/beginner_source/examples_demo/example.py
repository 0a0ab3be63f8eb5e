"""
An example
==========

Its own intro.
"""

print("example")
