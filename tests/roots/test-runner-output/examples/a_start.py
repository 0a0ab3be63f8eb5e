"""
Start
=====

A progress line that starts with a carriage return.
"""

for step in range(3):
    print(f"\rstep {step}", end="")
