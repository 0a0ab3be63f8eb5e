"""
Progress
========

The issue's progress line: 501 steps, each starting with a carriage return.
"""

for t in range(501):
    print(f"\rstep {t}", end="")
