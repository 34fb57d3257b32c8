# Tapline: `make run` starts everything; `make test` runs every check. Both install what they need,
# from the lock (requirements/dev.txt: every package pinned, with the hashes of all its files).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) pyproject.toml | cksum | cut -d' ' -f1)

# uv only writes the lock files (pip installs them); pinned here, installed into .venv on demand.
UV_VERSION := 0.13.9
UV := $(BIN)/uv
UV_STAMP := $(VENV)/.uv-$(UV_VERSION)
COMPILE := $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" pyproject.toml requirements/build.in

# Every locked package must have a wheel for both Linux machines we deploy on (image and CI).
define WHEELCHECK
	@for plat in x86_64-manylinux_2_28 aarch64-manylinux_2_28; do \
		$(UV) pip compile --quiet --no-deps --only-binary :all: --python-version 3.11 \
			--python-platform $$plat -o /dev/null requirements/dev.txt \
			|| { echo "requirements/dev.txt: a package has no $$plat wheel"; exit 1; }; \
	done
endef

.PHONY: install run test lint typecheck pytest bench audit lock upgrade clean-data

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "$(LOCK) does not satisfy pyproject.toml: run 'make lock'"; exit 1; }
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

bench: install
	$(BIN)/python -m tests.perf

# Known advisories of the locked packages, against the OSV database (docs/security.md).
audit: install
	$(BIN)/python -m tapline.audit requirements/dev.txt

$(UV_STAMP):
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q "uv==$(UV_VERSION)"
	@rm -f $(VENV)/.uv-*
	@touch $(UV_STAMP)

# Rewrite the lock from pyproject.toml, keeping every pin that still fits (after adding a
# dependency). The image's lock (main.txt) takes its versions from dev.txt, so both agree.
lock: $(UV_STAMP)
	$(COMPILE) --extra dev -o requirements/dev.txt
	$(COMPILE) -c requirements/dev.txt -o requirements/main.txt
	$(WHEELCHECK)

# Move every pin to the newest release pyproject.toml allows; then `make test` and commit.
upgrade: $(UV_STAMP)
	$(COMPILE) --upgrade --extra dev -o requirements/dev.txt
	$(COMPILE) -c requirements/dev.txt -o requirements/main.txt
	$(WHEELCHECK)

clean-data:
	rm -rf .tapline
