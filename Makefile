# Setup is two commands on a fresh clone: `make run` and `make test`.
# Both create .venv if it is missing, install the project, and build the index if needed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install index run browser test lint eval eval-collections bench bench-load clean

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

# Starts the web app (chat at /, JSON API under /api) on 127.0.0.1:7860; `qa chat` is the terminal version.
run: index
	$(BIN)/python app.py

# Browser tests drive Debian's chromium through chromedriver; nothing is downloaded by a test tool.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ( apt-get update -qq && apt-get install -y -qq chromium chromium-driver ) || \
	  echo "chromium/chromedriver could not be installed: browser tests will be skipped (run as root?)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy qa index evals bench

# After the tests, the gate: the project's sets on its collection (about a minute), held to evals/gate.toml.
test: index lint browser
	$(BIN)/pytest
	$(BIN)/qa eval --gate evals/gate.toml

# The project's sets beside plain llama-index; then README.md's evaluation table is rewritten from that run.
eval: index
	$(BIN)/qa eval --baseline
	$(BIN)/python -m evals.readme_table

# Every collection (the seed sets, SQuAD 2.0 held-out, QuAIL news, the BBC story), reader beside rules;
# reads ../shared/data and skips what is absent.
eval-collections: index
	$(BIN)/python -m evals.collections --engine both

bench: index
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/hostile_question.py

# The running app on 127.0.0.1 under load: 200 asks 8 at a time, then 1,000 one at a time (a few minutes);
# prints p50/p95, errors and the server's memory over time, then stops the server.
bench-load: index
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) .qa-data .mypy_cache .ruff_cache .pytest_cache *.egg-info
