"""
Counting
========

The example at its new address.
"""

print("counted")
