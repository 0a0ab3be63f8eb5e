"""
A demo
======

One intro paragraph.
"""

# %%
# Add the two lists, checking that they are as long as each other.

import numpy as np

total = sum(a + b for a, b in zip([1, 2], [3, 4], strict=True))
# sphinx_gallery_start_ignore
# Only for the build: this line must not reach the downloads.
BUILD_ONLY = True
# sphinx_gallery_end_ignore
# sphinx_gallery_thumbnail_number = 1
print(f"total {np.int64(total)}")
