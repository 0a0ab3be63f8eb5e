"""
Exits
=====

Calls sys.exit on line 11.
"""

import sys

print("about to exit")
sys.exit(3)
