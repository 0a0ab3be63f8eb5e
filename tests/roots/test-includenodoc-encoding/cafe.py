#!/usr/bin/env python
# -*- coding: latin-1 -*-
"""
Cafe
====

A shebang and an encoding line come before this docstring.
"""

from __future__ import annotations

GREETING = "Bonjour, cafe !"
print(GREETING)
