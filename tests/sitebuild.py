"""Build the real site (or a test root) the way ``make html`` does."""

import os
import subprocess
import sys
from pathlib import Path

# The build options, the galleries and the copying of a fresh clone are
# defined once, for the tests and tools/bench.py alike.
from siteconf import (  # noqa: F401 - re-exported for the tests
    GALLERIES,
    REPO,
    SPHINXOPTS,
    chinese_options,
    copy_site,
    english_options,
)


def sphinx_build(srcdir, outdir, *options, builder="html", env=None):
    """Run sphinx-build in a subprocess; return the CompletedProcess.

    Colour is off whatever the environment says (CI may set ``FORCE_COLOR``),
    so the tests read Sphinx's messages as plain text.
    """
    command = [
        sys.executable, "-m", "sphinx", "-b", builder, "--no-color", *SPHINXOPTS, *options,
        str(srcdir), str(outdir),
    ]
    return subprocess.run(  # noqa: PLW1510 - callers read returncode
        command,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=1800,
    )


class Site:
    """A built site: its source copy, its output folder and the builds' results.

    ``result`` is the English build, ``zh_result`` the Chinese one, which
    writes into ``out / "zh_CN"`` as ``make html`` does.
    """

    def __init__(self, src, out, result, zh_result):
        self.src, self.out = Path(src), Path(out)
        self.result, self.zh_result = result, zh_result
