# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
BUN_VERSION := 1.4.4
AXE_VERSION := 4.14.1
PYTHON ?= python3

# Reflex's own bun download needs the internet; we install bun from the npm registry.
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1

.PHONY: setup run test lint bench load clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev]"
	touch $@

.tools/node_modules/.bin/bun:
	mkdir -p .tools
	cd .tools && npm install --no-audit --no-fund --silent bun@$(BUN_VERSION)

# axe-core checks every page and dialog in the Playwright suite (tests/e2e/axe.py).
.tools/node_modules/axe-core/axe.min.js:
	mkdir -p .tools
	cd .tools && npm install --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

setup: $(BIN)/.installed .tools/node_modules/.bin/bun .tools/node_modules/axe-core/axe.min.js

# The development identity provider (port 9400) and the worker (webhooks, timers) run
# beside the app and stop with it.
# WFM_AUTO_ORGS=1: someone whose OIDC claim names a new organization gets it, seeded, at
# their first sign-in (the development provider sets the claim with PUT /users/<sub>).
run: export WFM_AUTO_ORGS = 1
# The app's processes and the worker count into one folder (GET /metrics adds them up);
# emptied at each start, as prometheus_client's multiprocess mode asks.
run: export WFM_METRICS_DIR = $(CURDIR)/.run/metrics
run: setup
	rm -rf .run/metrics
	$(BIN)/wfm migrate
	$(BIN)/wfm seed --demo
	$(BIN)/wfm dev-idp & idp=$$!; $(BIN)/wfm worker & worker=$$!; \
	trap 'kill $$idp $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/reflex run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy wfm_app

test: setup lint
	scripts/ensure-system.sh
	# the suites that start no app on two workers (each its own databases); those that
	# drive the app after, also on two workers, a module per worker (each its own app,
	# pages folder and Redis database: 8-9 minutes instead of 11); last, alone, the test
	# that restarts PostgreSQL under everyone.
	# The slowest tests are listed: CI has 15 minutes in all.
	$(BIN)/pytest tests/unit tests/service tests/api -n 2 --durations=10
	$(BIN)/pytest tests/security tests/e2e -m "not alone" -n 2 --dist loadscope --durations=10
	$(BIN)/pytest tests/security -m alone

bench: setup
	scripts/ensure-system.sh
	$(BIN)/python -m tests.benchmarks.board_browser
	$(BIN)/python -m tests.benchmarks.run
	$(BIN)/python -m tests.benchmarks.kinds
	$(BIN)/python -m tests.benchmarks.custom_fields
	$(BIN)/python -m tests.benchmarks.analytics
	$(BIN)/python -m tests.benchmarks.win_chance
	$(BIN)/python -m tests.benchmarks.automation
	$(BIN)/python -m tests.benchmarks.event_loop
	$(BIN)/python -m tests.benchmarks.heavy_reads
	$(BIN)/python -m tests.benchmarks.api_peer
	$(BIN)/python -m tests.benchmarks.instrumentation
	$(BIN)/python -m tests.benchmarks.lists
	$(BIN)/python -m tests.benchmarks.card_import

# Simulated users moving cards over GraphQL, 50 and 200 of them, 1 and 3 backend workers.
load: setup
	scripts/ensure-system.sh
	$(BIN)/python -m tests.load.run

clean:
	rm -rf .web .web-* .states reflex.lock
