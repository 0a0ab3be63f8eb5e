extensions = ["sphinxext.reader.icon_font"]
html_theme = "sphinx_rtd_theme"
