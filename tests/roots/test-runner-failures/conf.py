# Examples that misbehave in every way example_runner must contain.
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
