"""
Middle
======

A carriage return in the middle of a line, in the second cell.
"""

print("fine")

# %%
# Two steps on one line.

print("step 1\rstep 2")
