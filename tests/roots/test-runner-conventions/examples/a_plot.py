"""
A plot
======

Prints and draws one figure.
"""

import matplotlib.pyplot as plt

print("plotted")
plt.plot([1, 2, 3])
