"""
Second
======

Multiplies some numbers.
"""

print(6 * 7)
