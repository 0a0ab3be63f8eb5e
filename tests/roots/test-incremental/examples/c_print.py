"""
C prints
========

Prints one line.
"""

print("c: 3.0")
