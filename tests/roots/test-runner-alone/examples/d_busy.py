"""
d_busy
======

Records when it starts and ends, in timeline.txt beside it.
"""

import time

with open("timeline.txt", "a", encoding="utf-8") as log:
    log.write(f"d_busy start {time.monotonic()}\n")
time.sleep(0.4)
with open("timeline.txt", "a", encoding="utf-8") as log:
    log.write(f"d_busy end {time.monotonic()}\n")
