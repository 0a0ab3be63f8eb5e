"""
Quiet
=====

Exactly as many lines as allowed, with plain newlines.
"""

for number in range(200):
    print(number)
