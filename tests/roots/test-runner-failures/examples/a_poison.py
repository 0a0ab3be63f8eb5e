"""
Poison
======

Changes process-wide state that later examples must not see.
"""

import json
import math
import os

math.pi = 3.0
os.environ["EXAMPLE_POISON"] = "1"
json.dumps = None
print("poisoned")
