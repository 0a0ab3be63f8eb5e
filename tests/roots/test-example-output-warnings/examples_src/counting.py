"""
Counting
========

Prints two lines.
"""

for step in (1, 2):
    print(f"step {step}")
