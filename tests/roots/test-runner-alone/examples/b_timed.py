"""
b_timed
=======

Records when it starts and ends, in the file $TIMELINE names.
"""

import os
import time

# sphinx_gallery_parallel = False
with open(os.environ["TIMELINE"], "a", encoding="utf-8") as log:
    log.write(f"b_timed start {time.monotonic()}\n")
time.sleep(0.4)
with open(os.environ["TIMELINE"], "a", encoding="utf-8") as log:
    log.write(f"b_timed end {time.monotonic()}\n")
