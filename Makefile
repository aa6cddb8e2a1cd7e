# Two commands on a fresh machine: `make run` and `make test`.
# Both create or reuse .venv through the shared `venv` target.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
            command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test lint messages check-messages bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python >= 3.11 is required"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,postgres]'
	@touch $(STAMP)

run: venv
	$(BIN)/thidua serve --demo

test: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/thidua check --fail-level WARNING
	$(BIN)/thidua makemigrations --check --dry-run
	$(BIN)/pytest -q -n auto

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Regenerate the vi catalog from the sources (needs GNU gettext) and compile it.
messages: venv
	cd thidua && ../$(BIN)/thidua makemessages -l vi --no-obsolete --no-location
	cd thidua && ../$(BIN)/thidua compilemessages -l vi

# Each benchmark prints its figures against the issue's target.
bench: venv
	for b in benchmarks/bench_*.py; do $(BIN)/python -m benchmarks.$$(basename $$b .py) || exit 1; done

clean:
	rm -rf $(VENV) var
