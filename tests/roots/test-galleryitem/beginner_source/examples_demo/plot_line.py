"""
A straight line
===============

Plot a line through three points.
"""

import matplotlib.pyplot as plt

fig, ax = plt.subplots()
ax.plot([0, 1, 2], [0, 1, 2])
plt.show()
