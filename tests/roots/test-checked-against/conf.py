extensions = [
    "sphinx_gallery.gen_gallery",
    "sphinxext.execution.provenance",
    "sphinxext.downloads.checked_against",
    "sphinxext.translation.zh_search",
]
exclude_patterns = ["_build", "examples"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"\.py$",
    "image_scrapers": ("sphinxext.execution.provenance.record",),
    "reset_modules": (),
    "download_all_examples": False,
    "show_signature": False,
}
# The tests write the record (fresh, stale, failing, broken) or leave it out.
checked_against_record = "checks/upgrade-check.json"
checked_against_max_age = 30
