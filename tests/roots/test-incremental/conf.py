# A tiny site for incremental builds: three quick examples, two with a loss
# curve, and the comparison chart; provenance keeps the execution cache.
# The test copies the site's sphinx.po into locales/.
extensions = [
    "sphinx_gallery.gen_gallery",
    "sphinxext.execution.example_runner",
    "sphinxext.execution.loss_curves",
    "sphinxext.translation.gallery_i18n",
    "sphinxext.execution.provenance",
    "sphinxext.translation.catalog_check",
    # Extensions that add files of their own to the output: static files, a
    # sitemap, a 404 page.
    "sphinx_copybutton", "sphinxext.reader.hosting",
    # As on the site: Chinese search without jieba's dictionary (1 s a build).
    "sphinxext.translation.zh_search",
]
exclude_patterns = ["_build", "examples"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"\.py$",
    "image_scrapers": (
        "sphinxext.execution.provenance.record",
        "sphinxext.execution.loss_curves.record_losses",
        "matplotlib",
    ),
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
html_baseurl = "https://example.org/docs/"
html_context = {"languages": [("en", "English"), ("zh_CN", "简体中文")]}
