# Tollgate: the two commands that matter are `make run` and `make test`.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.package-lock.json

.PHONY: run test test-unit build install bench clean help

help:
	@echo "make run    - install, build and start Tollgate (all services in one process)"
	@echo "make test   - install, build and run the whole test suite"
	@echo "make bench  - drive a running local stack with many concurrent Access-Requests"

$(NODE_MODULES_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_MODULES_STAMP)

install: $(NODE_MODULES_STAMP)

build: install
	npm run build

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
