# Build and test "Learning PyTorch with Examples".  `make help` lists the
# targets: each one documented with a "## " comment on its own line.
# Each target creates the virtual environment (.venv) from the lock files
# the first time (pip --require-hashes), and refreshes it when they change.
# Building needs Python 3.11 or newer, make and git: nothing else.

PYTHON      ?= python3
VENV        ?= .venv
# -j auto: Sphinx reads and writes pages on every core. make bench, 3 runs:
# clean build 38.2 -> 33.0 s, no-op 2.8 -> 2.6 s (docs/measurements.md).
SPHINXOPTS  ?= -nW --keep-going -j auto
BUILDDIR    ?= _build
SPHINXBUILD  = $(VENV)/bin/sphinx-build
PYTEST_ARGS ?=
# e.g. BENCH_ARGS='--runs 2 --sides "ours,ours -j auto"' (tools/bench.py --help)
BENCH_ARGS  ?= --runs 3
# What the tests use beyond Python, on Debian: the browser, fonts for its
# Chinese screenshots, Java (vnu), debootstrap (the minimal machine of
# tests/test_portable.py and make rehearse). tools/system_deps.sh installs
# them as root; elsewhere the tests that need one fail naming it.
TEST_PACKAGES  = chromium fonts-noto-cjk default-jre-headless debootstrap
# torch's lock: the CPU-only build; a GPU build runner names requirements-torch-cuda.lock.
TORCH_LOCK  ?= requirements-torch.lock
PIP_INSTALL  = $(VENV)/bin/python -m pip install -q --require-hashes --no-deps

.PHONY: help html html-noplot test test-machines test-fast clean gettext update-po serve bench check livehtml lighthouse lock rehearse gpu-check

## List the targets, with what each does.
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z][a-zA-Z_-]*:/{if (doc) {split($$1,t,":"); printf "  make %-14s %s\n", t[1], doc}; doc=""}' $(firstword $(MAKEFILE_LIST))

# The extensions (sphinxext/) are installed as an editable package
# (pyproject.toml), with the setuptools of requirements.lock: no download.
$(VENV)/.docs-installed: requirements.lock $(TORCH_LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "This project needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0] + ": run make PYTHON=python3.11 (or newer)")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.lock
	$(PIP_INSTALL) -r $(TORCH_LOCK)
	$(VENV)/bin/python -m pip install -q --no-deps --no-build-isolation --no-index -e .
	touch $@

$(VENV)/.check-installed: $(VENV)/.docs-installed requirements-check.lock
	$(PIP_INSTALL) -r requirements-check.lock
	touch $@

$(VENV)/.test-installed: $(VENV)/.check-installed requirements-test.lock
	$(PIP_INSTALL) -r requirements-test.lock
	touch $@

# The Chinese side reuses the pages sphinx-gallery generated for the English
# one: its examples are up to date, so none is executed again.
# tools/siteconf.py reads EN and ZH, so that tests and bench build the same way.
EN = -d $(BUILDDIR)/doctrees
ZH = -D language=zh_CN -d $(BUILDDIR)/doctrees-zh_CN

# A failed English build removes the Chinese tree of the previous build, so
# that it cannot pass for the current one.
## The full site, every example executed: English in _build/html/, Simplified Chinese in _build/html/zh_CN/.
html: $(VENV)/.docs-installed
	$(SPHINXBUILD) -b html . $(BUILDDIR)/html $(SPHINXOPTS) $(EN) \
	  || { rm -rf $(BUILDDIR)/html/zh_CN; exit 1; }
	$(SPHINXBUILD) -b html . $(BUILDDIR)/html/zh_CN $(SPHINXOPTS) $(ZH)

## A quick preview of both languages that executes no example.
html-noplot: $(VENV)/.docs-installed
	$(SPHINXBUILD) -b html . $(BUILDDIR)/html $(SPHINXOPTS) $(EN) -D plot_gallery=0
	$(SPHINXBUILD) -b html . $(BUILDDIR)/html/zh_CN $(SPHINXOPTS) $(ZH) -D plot_gallery=0

# Translators: extract the English messages, then merge them into the catalogs
# (locales/zh_CN/LC_MESSAGES/*.po); translate, and `make html` compiles them.
## Extract the English messages into _build/gettext/.
gettext: $(VENV)/.docs-installed
	$(SPHINXBUILD) -b gettext . $(BUILDDIR)/gettext $(SPHINXOPTS) -d $(BUILDDIR)/doctrees-gettext

## Merge the English messages into locales/zh_CN/LC_MESSAGES/*.po, to translate.
update-po: gettext $(VENV)/.test-installed
	$(VENV)/bin/sphinx-intl update -p $(BUILDDIR)/gettext -l zh_CN -d locales

## Time our build (with and without sphinx-build -j auto) against plain sphinx-gallery, serial and parallel (ratios).
bench: $(VENV)/.test-installed
	$(VENV)/bin/python tools/bench.py $(BENCH_ARGS)

## Install npm's lighthouse and vnu-jar (package.json), for make lighthouse and the tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## Lighthouse scores of every page type in both languages (a benchmark; reports in _build/lighthouse/).
lighthouse: html node_modules/.installed
	$(VENV)/bin/python tools/lighthouse.py --site $(BUILDDIR)/html --out $(BUILDDIR)/lighthouse

# The markers of the tests that make a machine or an environment of their
# own (tests/conftest.py): make test-machines runs them, make test the rest.
MACHINES = system or learner or upgrade
# pytest-xdist workers of make test (one site build shared); TEST_WORKERS=0
# runs it in one process. Each worker takes whole modules, in the order of
# tests/conftest.py's _in_running_order.
TEST_WORKERS ?= 2

## The test suite: every test but test-machines' (builds the site once, in a temporary folder).
test: $(VENV)/.test-installed node_modules/.installed
	@tools/system_deps.sh $(TEST_PACKAGES)
	$(VENV)/bin/python -m pytest tests -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder -m "not ($(MACHINES))" $(PYTEST_ARGS)

## The tests that make a machine or environment: a minimal Debian, a learner's venv, an upgraded torch (root).
test-machines: $(VENV)/.test-installed node_modules/.installed
	@tools/system_deps.sh $(TEST_PACKAGES)
	$(VENV)/bin/python -m pytest tests -m "$(MACHINES)" $(PYTEST_ARGS)

## The inner loop: the extensions' test roots and lint, no full build (under a minute).
test-fast: $(VENV)/.test-installed
	$(VENV)/bin/python -m pytest tests -n 2 --dist worksteal -m "not site and not browser and not notebooks and not rebuilds and not ($(MACHINES))" $(PYTEST_ARGS)

## Write the lock files from requirements*.txt (after editing one; docs/dependencies.md).
lock: $(VENV)/.test-installed
	$(VENV)/bin/python tools/lock.py $(LOCK_ARGS)

## Run the workflow's build job on a minimal Debian, twice (root; tools/rehearse.py).
rehearse: $(VENV)/.test-installed
	$(VENV)/bin/python tools/rehearse.py $(REHEARSE_ARGS)

## On a machine with an NVIDIA GPU: build as the GPU runner does and check the pages (tools/gpu_check.py).
gpu-check:
	$(PYTHON) tools/gpu_check.py

## Remove the build and everything sphinx-gallery generated.
clean:
	rm -rf $(BUILDDIR) beginner/examples_* sg_execution_times.rst _generated

## Serve _build/html on http://127.0.0.1:8000/ only.
serve:
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory $(BUILDDIR)/html 8000

## Check a built tree as the workflow does before publishing (links, sitemap, 404).
check: $(VENV)/.check-installed
	$(VENV)/bin/python tools/check_site.py $(BUILDDIR)/html

## Live preview on 127.0.0.1 (English), rebuilt on every edit; only changed examples run.
livehtml: $(VENV)/.test-installed
	$(VENV)/bin/sphinx-autobuild . $(BUILDDIR)/html -d $(BUILDDIR)/doctrees \
		--host 127.0.0.1 --port 0 --ignore '$(CURDIR)/beginner/examples_*' \
		--ignore '$(CURDIR)/_generated' --ignore '$(CURDIR)/_build'
