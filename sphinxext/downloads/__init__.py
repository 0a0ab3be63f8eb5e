"""What a learner needs to run an example elsewhere.

* ``run_yourself``: what to install, pinned downloads, the Colab button
  (``_run_yourself`` holds the part that needs no Sphinx).
* ``checked_against``: what each example was last checked against.
"""
