extensions = ["sphinxext.reader.html_hygiene"]
html_theme = "sphinx_rtd_theme"
html_hygiene_description = "A tiny site that checks html_hygiene."
