# ngrokctl — build, test, demo and benchmarks. Every target installs what it needs first.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libyaml-dev libgit2-dev libcurl4-openssl-dev pkg-config libsqlite3-dev openssl python3 python3-pip
BIN := .build/debug/ngrokctl

.PHONY: deps build test demo bench schemas examples-keys clean

deps:
	@bash scripts/deps.sh

build: deps
	$(SWIFT) build

# The README's test command; CI runs exactly this.
test: deps examples-keys
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

demo: build examples-keys
	@bash scripts/demo.sh

bench: deps examples-keys
	$(SWIFT) build -c release --product ngrokctl-bench
	@bash scripts/bench.sh

schemas: build
	$(BIN) schema --out schemas/ --modules-doc docs/modules.md

# Keys and certificates used by the examples are generated, never committed.
examples-keys:
	@bash scripts/example-keys.sh

clean:
	rm -rf .build
