"""
Fine
====

A well-behaved example after all the broken ones.
"""

print("all good")
