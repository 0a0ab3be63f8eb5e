"""
Victim
======

Runs after the poison and prints what it sees.
"""

import json
import math
import os

print(f"pi={math.pi:.5f}")
print(f"poison={os.environ.get('EXAMPLE_POISON')}")
print(f"json={json.dumps([1])}")
