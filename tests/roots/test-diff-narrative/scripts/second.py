"""
Second step
===========

Sum with the built-in.
"""

numbers = [1, 2, 3]
result = sum(numbers)
print(result)
