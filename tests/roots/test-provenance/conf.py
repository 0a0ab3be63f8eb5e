extensions = ["sphinx_gallery.gen_gallery", "provenance", "build_info"]
exclude_patterns = ["_build", "examples"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"\.py$",
    "image_scrapers": ("provenance.record",),
    "reset_modules": (),
    "download_all_examples": False,
    "show_signature": False,
}
