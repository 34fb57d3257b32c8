# Tapline: `make run` starts everything; `make test` runs every check. Both install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint typecheck pytest soak bench clean-data

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

run: install
	TAPLINE_DEMO=$${TAPLINE_DEMO:-1} $(BIN)/tapline run

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy kernel gateway relay services tapline

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

# Long fault tests (marker `soak`, which `make test` leaves out); they print their figures.
soak: install
	$(BIN)/pytest -m soak -s -q

bench: install
	$(BIN)/python -m tests.perf

clean-data:
	rm -rf .tapline
