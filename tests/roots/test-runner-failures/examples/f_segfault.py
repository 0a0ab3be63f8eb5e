"""
Segfault
========

Reads address 0 on line 11: the process dies by SIGSEGV.
"""

import ctypes

print("about to crash")
ctypes.string_at(0)
