# Set-up is part of every target: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

# The producer's main job on the shipped example issue: script, build, publish, validate.
demo: $(STAMP)
	$(BIN)/briefing run issues/asia-tech-brief-001.txt
	$(BIN)/briefing validate feed/feed.xml

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The habits, checked: ruff's lint and format (pyproject.toml), and the import-linter contract that keeps the
# stages depending one way.
lint: $(STAMP)
	$(BIN)/ruff check briefing
	$(BIN)/ruff format --check briefing
	$(BIN)/lint-imports

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
