extensions = [
    "sphinx_gallery.gen_gallery",
    "sphinxext.execution.provenance",
    "sphinxext.translation.zh_downloads",
    "sphinxext.downloads.run_yourself",
    # As on the site: Chinese search without jieba's dictionary (1 s a build).
    "sphinxext.translation.zh_search",
]
sphinx_gallery_conf = {
    "examples_dirs": ["beginner_source/examples_demo"],
    "gallery_dirs": ["beginner/examples_demo"],
    "filename_pattern": r"/.*\.py$",
    "image_scrapers": ("sphinxext.execution.provenance.record",),
    "reset_modules": (),
    "remove_config_comments": True,
    "show_signature": False,
}
exclude_patterns = ["_build", "beginner_source", "_generated"]
locale_dirs = ["locales"]
gettext_compact = False
