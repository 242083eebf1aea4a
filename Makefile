# Tollgate: the two commands that matter are `make run` and `make test`.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.package-lock.json

.PHONY: run test test-unit build install bench clean help

help:
	@echo "make run    - install, build and start Tollgate (all services in one process; with no"
	@echo "              NATS_URL, DATABASE_URL or REDIS_URL set it needs nothing else: data in ./data)"
	@echo "make test   - install, build and run the whole test suite"
	@echo "make bench  - drive a running local stack with many concurrent Access-Requests"

$(NODE_MODULES_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_MODULES_STAMP)

install: $(NODE_MODULES_STAMP)

build: install
	npm run build

# In the foreground; Ctrl-C stops it cleanly. Unset NATS_URL / DATABASE_URL / REDIS_URL select the
# embedded bus, database (PGlite in TOLLGATE_DATA_DIR, default ./data) and state (docs/embedded-mode.md).
run: build
	node libs/launcher/dist/main.js run all

test: install
	npm test

test-unit: install
	npm run test:unit

bench: build
	node scripts/bench.mjs $(BENCH_ARGS)

clean:
	npm run clean
