"""
First
=====

Adds some numbers.
"""

print(sum(range(10)))
