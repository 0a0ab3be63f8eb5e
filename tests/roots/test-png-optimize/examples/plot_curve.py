"""
A curve
=======

One figure, saved by sphinx-gallery's matplotlib scraper.
"""

import matplotlib.pyplot as plt
import numpy as np

steps = np.arange(500)
plt.semilogy(steps, np.exp(-steps / 50) + 1e-3)
plt.xlabel("step")
plt.ylabel("loss")
