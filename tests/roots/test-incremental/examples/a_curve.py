"""
A curve
=======

Prints, then plots a loss per step.
"""

import matplotlib.pyplot as plt

print("a: 1.0")

# %%
# The loss curve.

fig, ax = plt.subplots()
ax.semilogy([0, 1, 2], [4.0, 2.0, 1.0], label="a")
ax.set_xlabel("step")
ax.set_ylabel("loss")
