# Thin wrapper over CMake/CTest. `make run` and `make test` work on a fresh Debian machine.
BUILD ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test package clean format

all: build

deps:
	@packaging/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Tails the bundled access log through `valid` to stdout. Ctrl-C stops the agent.
run: build
	@echo "mafio: tailing examples/data/access.log through valid to stdout (Ctrl-C to stop)" >&2
	$(BUILD)/bin/mafio -config examples/run.json

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The Debian package, $(BUILD)/mafio_<version>_<arch>.deb (packaging/cpack.cmake).
package: build
	@cd $(BUILD) && cpack -G DEB

# Throughput and memory against `cat | cat` (test/bench/run.sh), always on a Release build of
# its own. BENCH_SIZES, BENCH_RUNS, BENCH_DIR, BENCH_SCENARIOS tune it; see run.sh.
BENCH_BUILD ?= build-bench
bench: deps
	@cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@test/bench/run.sh $(BENCH_BUILD)

format:
	@git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
