# png_optimize: every PNG of an example that ran is optimised by oxipng.
extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.example_runner", "sphinxext.execution.png_optimize"]
exclude_patterns = ["_build", "examples"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"\.py$",
    "image_scrapers": ("matplotlib",),
    "reset_modules": (),
    "write_computation_times": False,
    "image_srcset": ["2x"],
}
example_runner_jobs = 1
png_optimize_level = 1
