# Two commands do all set-up:  `make serve` (build and preview) and `make test` (the whole suite).
# `make help` lists every target: the text after a target's `##` is its help.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# What .venv is installed from: every package pinned with its hashes. The deploy's build installs
# only the site's own dependencies (LOCK=requirements.lock).
LOCK   ?= requirements-dev.lock
# `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest release that pyproject.toml allows.
LOCK_FLAGS ?=

.PHONY: help serve build test validate new bench lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-9s %s\n", $$1, $$2}'

serve: $(STAMP)  ## Preview both languages, reloading on every save: Chinese at http://127.0.0.1:8000/aitimeline/, English at http://127.0.0.1:8001/aitimeline/en/
	@echo "Chinese: http://127.0.0.1:8000/aitimeline/   English: http://127.0.0.1:8001/aitimeline/en/"
	$(BIN)/mkdocs serve --dirty -f mkdocs.en.yml -a 127.0.0.1:8001 & trap 'kill $$!' EXIT INT TERM; \
	$(BIN)/mkdocs serve --dirty

build: $(STAMP)  ## Build both languages: Chinese into site/, English into site/en/ (fails on any data problem)
	$(BIN)/mkdocs build --strict
	$(BIN)/mkdocs build --strict -f mkdocs.en.yml

test: $(STAMP)  ## Run the whole test suite, lint included (installs Chromium and axe-core for the browser tests if missing)
	bash scripts/install-browser
	bash scripts/install-axe
	$(BIN)/python -m pytest

validate: $(STAMP)  ## Report every problem in data/
	$(BIN)/aitimeline validate

new: $(STAMP)  ## Start a record: make new KIND=event ID=minimax-releases-abab-6-5 (refuses an id in use)
	$(BIN)/aitimeline new $(KIND) $(ID)

bench: $(STAMP)  ## Measure the build and search at 1,000 / 5,000 / 20,000 records, the real site and its preview, and validate's cost
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/real_site.py
	$(BIN)/python benchmarks/validate_cost.py

lock: $(STAMP)  ## Re-pin every Python dependency with hashes after pyproject.toml changes (needs PyPI)
	$(BUILD_REQUIRES) | $(COMPILE) --extra test --extra dev -o requirements-dev.lock
	$(BUILD_REQUIRES) | $(COMPILE) --constraint requirements-dev.lock -o requirements.lock

clean:  ## Remove .venv, site/ and test artifacts
	rm -rf $(VENV) site test-artifacts

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# One lock for every Python from 3.10 on (markers pick the right pins); the build backend is pinned too.
COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.10 --generate-hashes \
          --custom-compile-command 'make lock' $(LOCK_FLAGS) pyproject.toml -
BUILD_REQUIRES = $(BIN)/python -c 'import sys; toml = __import__("tomllib" if sys.version_info >= (3, 11) else "tomli"); \
                 print(*toml.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
