# An example that opts out of parallel execution runs with nothing beside it.
extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.example_runner"]
exclude_patterns = ["_build", "examples"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"\.py$",
    "image_scrapers": (),
    "reset_modules": (),
    "write_computation_times": False,
    "remove_config_comments": True,
}
example_runner_jobs = 2
