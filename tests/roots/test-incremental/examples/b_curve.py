"""
B curve
=======

Prints, then plots a loss per step.
"""

import matplotlib.pyplot as plt

print("b: 2.0")

# %%
# The loss curve.

fig, ax = plt.subplots()
ax.semilogy([0, 1, 2], [8.0, 3.0, 0.5], label="b")
ax.set_xlabel("step")
ax.set_ylabel("loss")
