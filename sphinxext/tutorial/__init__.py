"""The tutorial page's directives and the order of its steps.

* ``includenodoc``: an example's code without its text (``_scripts`` reads it).
* ``galleryitem``: an example's thumbnail card, on any page.
* ``example_diff``: each step as a diff from the step before (``_codediff``).
* ``example_output``: the lines an example printed in this build, beside the text.
* ``tutorial_order``: the order the tutorial teaches the examples in.
"""
