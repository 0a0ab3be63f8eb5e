import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# A theme's (or another extension's) translator, active before a11y.
extensions = ["marking_translator", "a11y"]
