# Every target installs what it needs first, so each one works on a fresh clone.
SHELL := /bin/bash
NPM_STAMP := node_modules/.package-lock.json

.PHONY: run test bench lint build install format

$(NPM_STAMP): package.json package-lock.json */package.json
	ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

install: $(NPM_STAMP)

build: install
	npm run build

run: build
	node server/bin/proofpane.js serve

test: install
	npm test

bench: build
	npm run bench

lint: install
	npm run lint

format: install
	npm run format
