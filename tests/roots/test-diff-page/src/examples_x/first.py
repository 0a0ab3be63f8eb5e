"""
First step
==========

Sum by hand.
"""

# %%
# Add the numbers one by one.

numbers = [1, 2, 3]
result = 0
for number in numbers:
    result += number  # one at a time
print(result)
