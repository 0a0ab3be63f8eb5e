"""
Fine
====

Adds some numbers.
"""

print(sum(range(10)))
