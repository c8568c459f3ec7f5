# Setup is two commands on a fresh clone: `make run` and `make test`.
# Both create .venv if it is missing, install the project, and build the index if needed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install index run test lint eval bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned to the CPU build (pyproject.toml); an unpinned torch pulls GBs of CUDA.
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Idempotent: embeds only new or changed articles, and nothing at all when none changed.
index: install
	$(BIN)/qa ingest

run: index
	$(BIN)/qa chat

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy qa index

test: index lint
	$(BIN)/pytest

eval: index
	$(BIN)/python -m evals

bench: index
	$(BIN)/python bench/latency.py

clean:
	rm -rf $(VENV) .qa-data .mypy_cache .ruff_cache .pytest_cache *.egg-info
