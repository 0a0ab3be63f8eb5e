"""
First
=====
"""

print(1)
