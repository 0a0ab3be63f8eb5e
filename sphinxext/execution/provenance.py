"""Where every output came from: an execution cache that can't lie, and provenance.

Usage in ``conf.py``::

    extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.provenance"]
    sphinx_gallery_conf = {
        ...,
        # Records, in the example's own process, what it ran on.
        "image_scrapers": ("sphinxext.execution.provenance.record", "matplotlib"),
    }

(``build_info`` shows the build's own environment and commit.)

**The cache.**  sphinx-gallery runs an example again only when its source
changed (its ``.md5`` file).  This extension keeps, in every gallery folder,
``environment.json``: the Python, sphinx-gallery, torch, TensorFlow, numpy
and matplotlib versions and the device the outputs were produced with; and
``configuration.json``: every ``sphinx_gallery_conf`` value that shapes an
example's run or the files generated for it (all but
:data:`NOT_OUTPUT_SHAPING`), as ``conf.py`` set it.  Before sphinx-gallery
generates anything, both are compared with the current ones; when they
differ, or a file is unreadable, or an example has no readable provenance,
the ``.md5`` files go, so every example in that folder runs again (and
sphinx-gallery writes its page, figures, thumbnail and notebook afresh), and
the build log says why in one line.  When nothing changed, nothing runs.

**Provenance.**  ``provenance.record`` is an image scraper: it runs after each
code block of an executed example, in the example's own process, and writes
``<example>.provenance.json`` beside the generated page: the device (the GPU's
name and CUDA version if the example used CUDA, else the CPU's model and
thread count), the torch and, where the example imported it, TensorFlow
versions, and the date.  Each example page shows it below its run time, in
the build's language; a page reused from the cache keeps the provenance of
the run that produced it.

The device of the fingerprint is read without initialising CUDA (the NVIDIA
driver's ``/proc`` entries, else ``nvidia-smi``), because example_runner
forks its children from this process.

Messages are translated through the ``sphinx`` catalog.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

__version__ = "1.0"

_ = get_translation("sphinx")
logger = logging.getLogger(__name__)

#: Stored in each gallery folder: the environment its outputs were made in.
FINGERPRINT_FILE = "environment.json"
#: Beside each generated example page: what produced its output.
PROVENANCE_SUFFIX = ".provenance.json"
#: Bumped when the stored files change shape: older ones are discarded.
SCHEMA = 1

FINGERPRINT_KEYS = (
    "python", "sphinx_gallery", "torch", "tensorflow", "numpy", "matplotlib", "device",
)
#: Stored in each gallery folder: the configuration its outputs were made with.
CONFIGURATION_FILE = "configuration.json"
#: ``sphinx_gallery_conf`` keys that shape neither an example's run nor the files
#: sphinx-gallery generates for it (the page, figures, thumbnail, notebook,
#: downloads): changing one runs nothing again.  Every other key counts.
NOT_OUTPUT_SHAPING = frozenset({
    # which folders, which examples are skipped (example_runner removes their files)
    "examples_dirs", "gallery_dirs", "ignore_pattern",
    # whether and when examples run, and how failures are treated
    "plot_gallery", "run_stale_examples", "parallel", "abort_on_example_error",
    "only_warn_on_example_error", "expected_failing_examples", "log_level",
    # sphinx-gallery's per-build state
    "passing_examples", "stale_examples", "failing_examples",
    # the gallery index, the site's stylesheets, the computation-times page
    "css", "within_subsection_order", "subsection_order", "nested_sections",
    "minigallery_sort_order", "write_computation_times", "show_api_usage",
    "api_usage_ignore",
})


# -- reading the environment, in the Sphinx process ---------------------------


def _version(*distributions):
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def torch_cuda_build():
    """The CUDA version torch was built with, read from its files, or None."""
    spec = find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return None
    version_file = Path(next(iter(spec.submodule_search_locations)), "version.py")
    if not version_file.exists():
        return None
    for line in version_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("cuda"):
            value = line.split("=", 1)[1].strip().strip("'\"")
            return None if value == "None" else value
    return None


def gpu_names():
    """NVIDIA GPUs the driver reports, without initialising CUDA."""
    names = []
    for info in sorted(Path("/proc/driver/nvidia/gpus").glob("*/information")):
        for line in info.read_text(errors="replace").splitlines():
            if line.startswith("Model:"):
                names.append(line.split(":", 1)[1].strip())
    if names:
        return names
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in out.splitlines() if line.strip()]


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def torch_can_use_gpu():
    """Whether torch can use the GPU, asked in a separate process.

    Initialising CUDA here would break the children example_runner forks.
    """
    try:
        subprocess.run(
            [sys.executable, "-c", "import sys, torch; sys.exit(not torch.cuda.is_available())"],
            capture_output=True, timeout=300, check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def fingerprint():
    """The environment outputs are valid for (never imports torch)."""
    cuda = torch_cuda_build()
    gpus = gpu_names() if cuda else []
    if gpus and not torch_can_use_gpu():
        logger.info(
            "provenance: the driver reports %s, but torch %s cannot use it: "
            "the examples run on the CPU", gpus[0], _version("torch"),
        )
        gpus = []
    device = (
        {"kind": "cuda", "name": gpus[0], "cuda": cuda} if gpus
        else {"kind": "cpu", "name": cpu_model()}
    )
    return {
        "schema": SCHEMA,
        "python": platform.python_version(),
        "sphinx_gallery": _version("sphinx-gallery"),
        "torch": _version("torch"),
        "tensorflow": _version("tensorflow", "tensorflow-cpu"),
        "numpy": _version("numpy"),
        "matplotlib": _version("matplotlib"),
        "device": device,
    }


def describe_device(device):
    """A device as readers see it, in the build's language.

    It names no thread count: the build pins every example's thread pools
    to one thread, which the About page says once, and an example that sets
    its own count (the timing example) names it beside each figure; a count
    here would contradict those.
    """
    if device.get("kind") == "cuda":
        return _("{name} (CUDA {cuda})").format(name=device["name"], cuda=device.get("cuda"))
    return _("CPU: {model}").format(model=device["name"])


def _describe_fingerprint(values):
    parts = []
    for key in FINGERPRINT_KEYS:
        value = values.get(key)
        if isinstance(value, dict):
            value = f"{value.get('kind')} {value.get('name')}"
        parts.append(f"{key} {value}")
    return ", ".join(parts)


# -- the cache check, before sphinx-gallery generates --------------------------


def _plain(value):
    """``value`` as JSON compares it: a callable or class by its dotted name."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in sorted(value.items(), key=str)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(item) for item in value), key=repr)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    module = getattr(value, "__module__", None) or type(value).__module__
    return f"{module}.{name}"


def remember_configuration(app, config):
    """The output-shaping ``sphinx_gallery_conf`` as conf.py (and ``-D``) set it.

    Read before sphinx-gallery fills in its defaults (which depend on the
    folder the site is built in); its defaults change only with its version,
    which the environment holds.
    """
    conf = config.sphinx_gallery_conf or {}
    app.provenance_configuration = {
        "schema": SCHEMA,
        "sphinx_gallery_conf": {
            key: _plain(value) for key, value in conf.items() if key not in NOT_OUTPUT_SHAPING
        },
    }


def _configuration_changes(stored, current):
    before, after = stored.get("sphinx_gallery_conf", {}), current["sphinx_gallery_conf"]
    return [
        f"sphinx_gallery_conf[{key!r}] {json.dumps(before.get(key))} -> {json.dumps(after.get(key))}"
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]



def _read_json(path):
    """The JSON object in ``path``; ValueError naming what is wrong."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"unreadable ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValueError(f"not a schema-{SCHEMA} file")
    return data


def _changes(stored, current):
    changed = []
    for key in FINGERPRINT_KEYS:
        if stored.get(key) != current.get(key):
            before, after = stored.get(key), current.get(key)
            if key == "device":
                before = f"{(before or {}).get('kind')} {(before or {}).get('name')}"
                after = f"{after['kind']} {after['name']}"
            changed.append(f"{key} {before} -> {after}")
    return changed


def _gallery_dirs(app):
    dirs = app.config.sphinx_gallery_conf.get("gallery_dirs", [])
    return [dirs] if isinstance(dirs, str) else list(dirs)


def check_cache(app):
    """Discard the cached outputs of every gallery folder they can't be trusted for."""
    current = app.provenance_fingerprint = fingerprint()
    configuration = _configuration(app)
    for gallery_dir in _gallery_dirs(app):
        folder = Path(app.srcdir, gallery_dir)
        md5s = sorted(folder.glob("*.md5")) if folder.is_dir() else []
        store = folder / FINGERPRINT_FILE
        reason = None
        if store.exists():
            try:
                stored = _read_json(store)
            except ValueError as exc:
                reason = f"{gallery_dir}/{FINGERPRINT_FILE} is {exc}"
            else:
                changes = _changes(stored, current)
                if changes:
                    reason = "the environment changed: " + "; ".join(changes)
        elif md5s:
            reason = f"there is no {gallery_dir}/{FINGERPRINT_FILE} to say what produced them"
        if reason is None and md5s:
            reason = _configuration_reason(folder, gallery_dir, configuration)
        if reason and md5s:
            for md5 in md5s:
                md5.unlink()
            logger.info(
                "provenance: discarding the cached outputs in %s (%s); every example runs again",
                gallery_dir, reason,
            )
            md5s = []
        for md5 in md5s:
            # ``<name>.py.md5`` -> ``<name>.provenance.json``
            record = folder / (Path(md5.stem).stem + PROVENANCE_SUFFIX)
            try:
                _read_json(record)
            except ValueError as exc:
                md5.unlink()
                logger.info(
                    "provenance: %s/%s is %s; %s runs again",
                    gallery_dir, record.name, exc, md5.stem,
                )
        _store_fingerprint(folder, current, configuration)


def _configuration(app):
    configuration = getattr(app, "provenance_configuration", None)
    if configuration is None:
        remember_configuration(app, app.config)
        configuration = app.provenance_configuration
    return configuration


def _configuration_reason(folder, gallery_dir, configuration):
    """Why the outputs in ``folder`` were made with another configuration, or None."""
    store = folder / CONFIGURATION_FILE
    if not store.exists():
        return f"there is no {gallery_dir}/{CONFIGURATION_FILE} to say how they were configured"
    try:
        stored = _read_json(store)
    except ValueError as exc:
        return f"{gallery_dir}/{CONFIGURATION_FILE} is {exc}"
    changes = _configuration_changes(stored, configuration)
    return "the configuration changed: " + "; ".join(changes) if changes else None


def _store_fingerprint(folder, current, configuration):
    """Every ``.md5`` left in ``folder`` is valid for ``current`` and ``configuration``: say so."""
    if not folder.is_dir():
        return
    for name, values in ((FINGERPRINT_FILE, current), (CONFIGURATION_FILE, configuration)):
        store = folder / name
        text = json.dumps(values, indent=1, sort_keys=True)
        if not store.exists() or store.read_text(errors="replace") != text:
            store.write_text(text)


def store_fingerprints(app):
    """After sphinx-gallery generated: the folders it made are for this environment."""
    current = getattr(app, "provenance_fingerprint", None) or fingerprint()
    for gallery_dir in _gallery_dirs(app):
        _store_fingerprint(Path(app.srcdir, gallery_dir), current, _configuration(app))


# -- the run's own record, in the example's process ----------------------------


def _run_device():
    """The device the example that just ran used; never starts CUDA itself."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_initialized():
        index = torch.cuda.current_device()
        return {
            "kind": "cuda",
            "name": torch.cuda.get_device_name(index),
            "cuda": torch.version.cuda,
        }
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is not None and torch is None:
        gpus = tensorflow.config.list_physical_devices("GPU")
        if gpus:
            details = tensorflow.config.experimental.get_device_details(gpus[0])
            return {
                "kind": "cuda",
                "name": details.get("device_name", gpus[0].name),
                "cuda": tensorflow.sysconfig.get_build_info().get("cuda_version"),
            }
    if torch is not None:
        threads = torch.get_num_threads()
    else:
        threads = int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count() or 1)
    return {"kind": "cpu", "name": cpu_model(), "threads": threads}


def record(block, block_vars, gallery_conf):
    """sphinx-gallery image scraper: write the running example's provenance.

    Runs after every code block, in the process that runs the example; the
    record after the last block stays.  Adds nothing to the page itself.
    """
    target = Path(block_vars["target_file"])
    data = {
        "schema": SCHEMA,
        "device": _run_device(),
        "torch": _version("torch"),
        "tensorflow": (
            _version("tensorflow", "tensorflow-cpu") if "tensorflow" in sys.modules else None
        ),
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(),
    }
    target.with_name(target.stem + PROVENANCE_SUFFIX).write_text(json.dumps(data, indent=1))
    return ""


# -- showing it ------------------------------------------------------------------


def provenance_text(data):
    values = {
        "device": describe_device(data["device"]),
        "torch": data["torch"],
        "tensorflow": data.get("tensorflow"),
        "date": data["date"],
    }
    if values["tensorflow"]:
        message = _(
            "Output produced on {date} with PyTorch {torch} and TensorFlow "
            "{tensorflow}, running on {device}."
        )
    else:
        message = _("Output produced on {date} with PyTorch {torch}, running on {device}.")
    return message.format(**values)


class ExampleProvenance(SphinxTransform):
    """Add the provenance line below an example page's run time."""

    # After gallery_i18n's timing transform (10), before translation (20).
    default_priority = 11

    def apply(self, **kwargs):
        path = Path(self.env.srcdir, self.env.docname + PROVENANCE_SUFFIX)
        if not path.exists():
            return
        self.env.note_dependency(str(path))
        try:
            data = _read_json(path)
            text = provenance_text(data)
        except (ValueError, KeyError, TypeError) as exc:
            # check_cache makes such an example run again; seen here, the
            # file changed during the build.
            logger.warning(
                "unusable provenance record %s: %s", path.name, exc,
                location=self.env.docname, type="provenance", subtype="record",
            )
            return
        paragraph = nodes.paragraph(text=text, classes=["example-provenance"])
        paragraph["translatable"] = False
        timing = next(
            (p for p in self.document.findall(nodes.paragraph)
             if "sphx-glr-timing" in p["classes"]),
            None,
        )
        if timing is not None:
            timing.parent.insert(timing.parent.index(timing) + 1, paragraph)
        else:
            section = next(iter(self.document.findall(nodes.section)), self.document)
            section += paragraph


def setup(app):
    app.setup_extension("sphinx_gallery.gen_gallery")
    # Before sphinx-gallery fills in its defaults (config-inited, priority 10).
    app.connect("config-inited", remember_configuration, priority=5)
    # Before sphinx-gallery's generate_gallery_rst (priority 500).
    app.connect("builder-inited", check_cache, priority=450)
    # After sphinx-gallery's generate_gallery_rst (priority 500).
    app.connect("builder-inited", store_fingerprints, priority=600)
    app.add_transform(ExampleProvenance)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
