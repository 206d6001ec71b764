# Thin entry points; the real work is in scripts/ and CMake. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := build
JOBS ?= $(shell nproc)
BIN := build/bin/soundcheck
export CCACHE_DIR ?= $(CURDIR)/.ccache

.PHONY: deps build web test test-unit test-asan demo bench fuzz format lint clean

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
	@scripts/bench-d1
	@scripts/bench-m1
	@scripts/bench-m2
	@scripts/bench-r1

# libFuzzer on the HSDS import paths (fuzz/README.md): a clang build in build-fuzz, then each
# fuzzer for FUZZ_SECONDS on the committed corpus. New inputs land in build-fuzz/corpus/,
# crashes in build-fuzz/artifacts/; the first crash stops the run.
FUZZ_SECONDS ?= 60
FUZZERS := fuzz_hsds_json fuzz_hsds_ndjson fuzz_hsds_csv
fuzz: deps
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DSC_BUILD_FUZZERS=ON -DSC_BUILD_TESTS=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target $(FUZZERS)
	@for f in $(FUZZERS); do \
	  mkdir -p build-fuzz/corpus/$$f build-fuzz/artifacts; \
	  echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
	  build-fuzz/bin/$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	    -dict=fuzz/hsds.dict -artifact_prefix=build-fuzz/artifacts/$$f- \
	    build-fuzz/corpus/$$f fuzz/corpus/$$f 2>build-fuzz/$$f.log \
	    || { tail -40 build-fuzz/$$f.log; echo "fuzz: $$f failed (log: build-fuzz/$$f.log)"; exit 1; }; \
	  grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' build-fuzz/$$f.log; \
	done

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

lint:
	@scripts/lint

clean:
	@rm -rf build build-asan build-debug build-fuzz web/dist
