# One example calls a deprecated function: tests/test_upgrade_check.py builds
# it with tools/upgrade_check.py's PYTHONWARNINGS and reads the log.
extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.example_runner"]
exclude_patterns = ["_build", "examples"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"\.py$",
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": (),
    "reset_modules": (),
    "write_computation_times": False,
}
example_runner_jobs = 1
