# A tiny site for incremental builds: three quick examples, two with a loss
# curve, and the comparison chart.  sphinxext/ is put on the path by the test
# (PYTHONPATH); the test copies the site's sphinx.po into locales/.
extensions = ["sphinx_gallery.gen_gallery", "example_runner", "loss_curves", "gallery_i18n"]
exclude_patterns = ["_build", "examples"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"\.py$",
    "image_scrapers": ("loss_curves.record_losses", "matplotlib"),
    "reset_modules": (),
    "write_computation_times": False,
    "download_all_examples": True,
}
example_runner_jobs = 2
example_runner_preload = ["matplotlib.pyplot"]
example_runner_timeout = 60
locale_dirs = ["locales"]
gettext_compact = False
html_last_updated_fmt = None
