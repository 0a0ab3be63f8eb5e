"""
Three bars
==========

Draw a bar chart of three ``counts``.
"""

import matplotlib.pyplot as plt

counts = [3, 1, 2]
fig, ax = plt.subplots()
ax.bar(["a", "b", "c"], counts)
plt.show()
