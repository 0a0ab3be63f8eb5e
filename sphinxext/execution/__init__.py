"""Running the examples and keeping what they produced.

* ``example_runner``: runs every example in a process of its own, several at
  a time (``_example_process``), and keeps an incremental build equal to a
  clean one (``_gallery_state``, ``_output_tree``).
* ``provenance``: the execution cache and what each output was made with.
* ``example_times``: the table of every example's run time.
* ``loss_curves``: each example's loss curve, and the chart comparing them.
* ``png_optimize``: every PNG the examples drew, through oxipng.
"""
