"""What every part below relies on; no extension here (nothing to list in ``conf.py``).

* ``examplepaths``: sphinx-gallery's naming conventions (where an example's
  copy, pages, images and records live), stated once.
* ``directives``: the base class of the tutorial's directives, whose warnings
  are typed and name the file and line.
* ``cards``: sphinx-gallery's thumbnail-card markup, the one place that knows it.
"""
