"""
Second
======
"""

print(2)
