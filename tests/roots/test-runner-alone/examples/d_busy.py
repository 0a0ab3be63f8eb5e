"""
d_busy
======

Records when it starts and ends, in the file $TIMELINE names.
"""

import os
import time

with open(os.environ["TIMELINE"], "a", encoding="utf-8") as log:
    log.write(f"d_busy start {time.monotonic()}\n")
time.sleep(0.4)
with open(os.environ["TIMELINE"], "a", encoding="utf-8") as log:
    log.write(f"d_busy end {time.monotonic()}\n")
