# Every target installs what it needs first, so each one works on a fresh clone.
SHELL := /bin/bash
NPM_STAMP := node_modules/.package-lock.json

.PHONY: run test bench lint build install format system-packages

$(NPM_STAMP): package.json package-lock.json */package.json
	ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

install: $(NPM_STAMP)

# What the tests drive besides Node: headless Chromium (console, desktop renderer) and bubblewrap (the
# tool sandbox). Installed from Debian's packages when missing.
system-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; \
	  else echo "as root, run: apt-get install$$missing" >&2; exit 1; fi; \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi

build: install
	npm run build

run: build
	node server/bin/proofpane.js serve

test: install system-packages
	npm test

bench: build
	npm run bench

lint: install
	npm run lint

format: install
	npm run format
