"""
Counting
========

Prints in two cells.
"""

print("Running on cpu")
for step in (1, 100, 200):
    print(f"step {step:3d}  loss {1000 / step:g}")

# %%
# A second cell.

print("  indented: kept as printed")
print("final loss 5")
