# Two commands do all set-up:  `make serve` (build and preview) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test validate new bench clean

serve: $(STAMP)  ## Build the site and preview it at http://127.0.0.1:8000, reloading on every save
	$(BIN)/mkdocs serve --dirty

build: $(STAMP)  ## Build the site into site/ (fails on any data problem)
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## Run the whole test suite (installs Chromium for the browser tests if missing)
	bash scripts/install-browser
	$(BIN)/python -m pytest

validate: $(STAMP)  ## Report every problem in data/
	$(BIN)/aitimeline validate

new: $(STAMP)  ## Scaffold a record: make new KIND=event ID=openai-releases-gpt-4
	$(BIN)/aitimeline new $(KIND) $(ID)

bench: $(STAMP)  ## Measure the build at 1,000 / 5,000 / 20,000 records
	$(BIN)/python benchmarks/run.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) site test-artifacts
