# sphinx-gallery's behaviours that example_runner and _examplepaths rely on.
import json
from pathlib import Path

extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.example_runner"]
exclude_patterns = ["_build", "examples"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["gallery"],
    "filename_pattern": r"\.py$",
    "image_scrapers": ("matplotlib",),
    "reset_modules": (),
    "write_computation_times": False,
    # As the site: a 2x copy of every figure, which generated_files must list.
    "image_srcset": ["2x"],
}
example_runner_jobs = 1


def _record(app, src_file, target_file, result):
    """Keep what generate_file_rst returned for each example."""
    intro, title, cost, out_vars = result
    path = Path(app.srcdir, "results.json")
    records = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    records[Path(src_file).name] = {
        "length": len(result),
        "title": title,
        "cost": [type(value).__name__ for value in cost],
        "out_vars": sorted(out_vars),
    }
    path.write_text(json.dumps(records), encoding="utf-8")


def setup(app):
    app.connect("example-generated", _record)
