# Thin entry points; the real work is in scripts/ and CMake. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := build
JOBS ?= $(shell nproc)
BIN := build/bin/soundcheck
export CCACHE_DIR ?= $(CURDIR)/.ccache

.PHONY: deps build web test test-unit test-asan demo bench format lint clean

deps:
	@scripts/install-deps

# The server binary lands at build/bin/soundcheck, the web console beside it (build/bin/web).
build: deps
	@cmake --preset release >/dev/null
	@cmake --build build -j $(JOBS)
	@$(MAKE) --no-print-directory web

web:
	@cd web && npm run --silent build
	@rm -rf build/bin/web && mkdir -p build/bin && cp -r web/dist build/bin/web

# Everything: lint, every C++ suite on SQLite and on a throw-away PostgreSQL, the web unit
# and browser tests, then the unit and API suites again under ASan+UBSan.
test: build
	@scripts/run-tests

demo: build
	@scripts/demo

bench: build
	@scripts/bench-h0
	@scripts/bench-w1
	@scripts/bench-s1

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

lint:
	@scripts/lint

clean:
	@rm -rf build build-asan build-debug web/dist
