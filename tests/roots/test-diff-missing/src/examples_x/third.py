"""
Third
=====
"""

print(3)
