# Set-up is part of every target: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean

# The install says nothing but errors: setuptools' notes on how editable installs work are not the user's concern.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install -qq -e '.[test,dev]'
	touch $(STAMP)

# The producer's main job on the shipped example issue: script, build, publish, validate.
demo: $(STAMP)
	$(BIN)/briefing run issues/asia-tech-brief-001.txt
	$(BIN)/briefing validate feed/feed.xml

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The habits, checked (configured in pyproject.toml): ruff's lint and format; the import-linter contract that keeps
# the stages depending one way; deptry, twice: the package imports exactly its dependencies and nothing from the
# test or dev extras, and the tests and benchmarks import nothing undeclared and use every test package.
CODE := briefing tests benchmarks

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/lint-imports
	$(BIN)/deptry briefing
	$(BIN)/deptry $(CODE) --optional-dependencies-dev-groups dev

# mypy over the package, with the settings and the untyped libraries listed in pyproject.toml.
typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
