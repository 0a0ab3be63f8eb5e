"""
b_timed
=======

Records when it starts and ends, in timeline.txt beside it.
"""

import time

# sphinx_gallery_parallel = False
with open("timeline.txt", "a", encoding="utf-8") as log:
    log.write(f"b_timed start {time.monotonic()}\n")
time.sleep(0.4)
with open("timeline.txt", "a", encoding="utf-8") as log:
    log.write(f"b_timed end {time.monotonic()}\n")
