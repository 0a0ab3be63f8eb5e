"""
Exits hard
==========

Calls os._exit, which skips every handler.
"""

import os

os._exit(7)
