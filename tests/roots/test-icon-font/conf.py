from pathlib import Path

from sphinxext.reader import icon_font

extensions = ["sphinxext.reader.icon_font"]
html_theme = "sphinx_rtd_theme"
# Ours first (a template naming the rocket), then the site's own layout.html,
# which writes icon_font's style.
templates_path = ["_templates", str(Path(icon_font.__file__).parents[2] / "_templates")]
