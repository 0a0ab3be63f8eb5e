"""
An example whose file name has a space
======================================
"""

print("hello")
