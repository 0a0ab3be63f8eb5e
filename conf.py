"""Sphinx configuration for "Learning PyTorch with Examples".

Configuration only: behaviour lives in the extensions under ``sphinxext/``,
imported as the package the Makefile installs (``pip install -e .``).
"""

import os

# -- Project ------------------------------------------------------------------

project = "Learning PyTorch with Examples"
author = "The Learning PyTorch with Examples authors"
copyright = "2026, " + author
language = "en"

# -- General ------------------------------------------------------------------

extensions = [
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    # Loaded by sphinx-rtd-theme anyway; named here so that its setting exists
    # from the start and a no-op build finds the configuration unchanged.
    "sphinxcontrib.jquery",
    "sphinxext.execution.example_runner",
    "sphinxext.execution.png_optimize",
    "sphinxext.execution.example_times",
    "sphinxext.execution.loss_curves",
    "sphinxext.translation.gallery_i18n",
    "sphinxext.translation.catalog_check",
    "sphinxext.tutorial.includenodoc",
    "sphinxext.tutorial.example_output",
    "sphinxext.tutorial.example_diff",
    "sphinxext.tutorial.galleryitem",
    "sphinxext.translation.zh_downloads",
    "sphinxext.downloads.run_yourself",
    "sphinxext.translation.zh_search",
    "sphinxext.reader.a11y",
    "sphinxext.execution.provenance",
    "sphinxext.downloads.checked_against",
    "sphinxext.reader.build_info",
    "sphinxext.reader.hosting",
    "sphinxext.reader.redirects",
    "sphinxext.opengraph",
    "sphinxext.reader.html_hygiene",
    "sphinxext.reader.icon_font",
]

root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    ".venv",
    "README.md",
    "beginner_source",
    "tests",
    "_generated",
    "**.ipynb_checkpoints",
]
nitpicky = True

# -- sphinx-gallery -----------------------------------------------------------
# Sources are tracked in beginner_source/; the pages are generated into
# beginner/examples_*/ (git-ignored), which keeps the published URLs.

sphinx_gallery_conf = {
    "examples_dirs": [
        "beginner_source/examples_tensor",
        "beginner_source/examples_autograd",
        "beginner_source/examples_nn",
        "beginner_source/examples_beyond",
    ],
    "gallery_dirs": [
        "beginner/examples_tensor",
        "beginner/examples_autograd",
        "beginner/examples_nn",
        "beginner/examples_beyond",
    ],
    # Execute every script, not only the ones named plot_*.
    "filename_pattern": r"\.py$",
    "within_subsection_order": "sphinxext.tutorial.tutorial_order.TutorialOrder",
    "download_all_examples": True,
    "remove_config_comments": True,
    "show_signature": False,
    "reset_modules_order": "both",
    # Its computation-times pages load scripts from CDNs; example pages show
    # their own run time.
    "write_computation_times": False,
    # provenance records what each example ran on (in its own process);
    # loss_curves saves each loss curve before matplotlib's scraper closes it.
    "image_scrapers": (
        "sphinxext.execution.provenance.record",
        "sphinxext.execution.loss_curves.record_losses",
        "matplotlib",
    ),
    # Images for phones: thumbnails at twice the 160x112 px that cards show
    # (the default 400x280 is sent to be shrunk). PNGs are optimised by
    # png_optimize (oxipng, a Python wheel) rather than compress_images,
    # which needs the optipng program.
    "thumbnail_size": (320, 224),
    # A copy of each figure at twice its pixels, in the image's srcset: a
    # phone's screen shows a 640 px figure at about 330 CSS px, with two or
    # three device pixels to each. Figures load lazily (html_hygiene).
    "image_srcset": ["2x"],
    # Only the card and download styles: no example has a Binder badge, a
    # dataframe or rich HTML output, and each sheet blocks the first paint.
    "css": ["sg_gallery"],
}

# Each example page shows what changed from its previous step
# (sphinxext/tutorial/example_diff.py): PREVIOUS and WHAT_IT_BUYS in this module.
example_diff_steps = "sphinxext.tutorial.tutorial_order"

# PNGs through oxipng (sphinxext/execution/png_optimize.py) at preset 1: on a 2x
# figure (42 KB from matplotlib) it gave 33.2 KB in 0.27 s, where preset 2
# gave 31.8 KB in 0.65 s and optipng -o1, used before, 35.3 KB in 0.15 s.
png_optimize_level = 1

# -- Example execution (sphinxext/execution/example_runner.py) ----------------
# Each example runs in its own forked process; PyTorch examples fork from a
# process that imported torch once, TensorFlow gets a process without torch.

# torch._dynamo: the first backward pass of a process imports it (~1 s).
example_runner_preload = ["numpy", "matplotlib.pyplot", "torch", "torch._dynamo"]
example_runner_fresh = ["tensorflow"]

# -- Run it yourself (sphinxext/downloads/run_yourself.py) --------------------
# "Open in Colab" opens each page's notebook from this GitHub repository
# ("owner/name"), on the branch that tools/publish_notebooks.py keeps. The
# workflow passes the repository (github.repository) on pushes to main; a
# local build has none, and shows no button.

run_yourself_repository = os.environ.get("COLAB_REPOSITORY", "")
run_yourself_branch = "notebooks"

# -- Translations -------------------------------------------------------------
# English is the source; zh_CN is built into _build/html/zh_CN/ (Makefile).

locale_dirs = ["locales"]
gettext_compact = False
gettext_location = False
gettext_uuid = False
html_context = {"languages": [("en", "English"), ("zh_CN", "简体中文")]}

# -- HTML ---------------------------------------------------------------------

html_theme = "sphinx_rtd_theme"
html_static_path = ["_static"]
html_title = project
html_last_updated_fmt = None
html_show_sourcelink = False
copybutton_exclude = ".linenos, .gp, .go"
html_css_files = ["site.css"]
html_favicon = "_static/favicon.svg"
# Meta descriptions (sphinxext-opengraph writes each page's from its first
# paragraph; html_hygiene gives this one to pages without text, e.g. search).
ogp_site_name = project
ogp_social_cards = {"enable": False}
html_hygiene_description = (
    "Learn PyTorch's core ideas from one small network, fit nine ways, "
    "from numpy to nn.Module, every example executed when the site is built."
)
html_hygiene_dark_style = "github-dark"

# -- Hosting (sphinxext/reader/hosting.py) ------------------------------------
# The one setting for where the site is published: canonical links, hreflang
# alternates, the sitemap and the 404 page's links all derive from it. CI sets
# SITE_URL to the Pages URL; a local build points at `make serve`.

html_baseurl = os.environ.get("SITE_URL", "http://127.0.0.1:8000/")
sitemap_excludes = ["404.html"]

# -- Moved pages (sphinxext/reader/redirects.py) -------------------------------
# The three "Beyond the original" examples moved into a gallery of their own;
# their old addresses, in both languages, lead to the new pages.

redirect_pages = {
    "beginner/examples_tensor/two_layer_net_speed": "beginner/examples_beyond/two_layer_net_speed",
    "beginner/examples_autograd/two_layer_net_compile": "beginner/examples_beyond/two_layer_net_compile",
    "beginner/examples_nn/two_layer_net_dataloader": "beginner/examples_beyond/two_layer_net_dataloader",
}
