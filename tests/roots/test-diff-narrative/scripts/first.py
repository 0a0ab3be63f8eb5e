"""
First step
==========

Sum by hand.
"""

numbers = [1, 2, 3]
result = 0
for number in numbers:
    result += number
print(result)
