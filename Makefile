# Thin wrapper over CMake/CTest. `make run` and `make test` work on a fresh Debian machine.
BUILD ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test sanitize package clean format format-check fuzz

all: build

deps:
	@packaging/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Tails the bundled access log through `valid` to stdout. Ctrl-C stops the agent.
# Checkpoints go to $(RUN_DATA) inside the build tree, never to the default data directory
# (/var/lib/mafio/<id> as root: the .deb's state directory), and it is emptied first: every
# `make run` is a fresh run that prints the whole example again, as a new user expects.
RUN_DATA ?= $(BUILD)/run-data
run: build
	@echo "mafio: tailing examples/data/access.log through valid to stdout (Ctrl-C to stop)" >&2
	@rm -rf $(RUN_DATA)
	$(BUILD)/bin/mafio -config examples/run.json -data-dir $(RUN_DATA)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# AddressSanitizer + UndefinedBehaviorSanitizer: a RelWithDebInfo build of its own in
# $(ASAN_BUILD), then every test except the release build, the .deb and the benchmarks.
# A sanitizer report aborts the process, so the test that ran it fails.
ASAN_BUILD ?= build-asan
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer
SANITIZE_LINK = -fsanitize=address,undefined
sanitize: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_C_FLAGS="$(SANITIZE_FLAGS)" \
	  -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE_LINK)" -DCMAKE_SHARED_LINKER_FLAGS="$(SANITIZE_LINK)" \
	  -DCMAKE_MODULE_LINKER_FLAGS="$(SANITIZE_LINK)" >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest -j $(JOBS) --output-on-failure -E 'release_build|deb_package|bench'

# The Debian packages, $(BUILD)/mafio_<version>_<arch>.deb and mafio-dev_<version>_all.deb
# (packaging/cpack.cmake).
package: build
	@cd $(BUILD) && cpack -G DEB

# Throughput and memory against `cat | cat` (test/bench/run.sh), always on a Release build of
# its own. BENCH_SIZES, BENCH_RUNS, BENCH_DIR, BENCH_SCENARIOS tune it; see run.sh.
BENCH_BUILD ?= build-bench
bench: deps
	@cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@test/bench/run.sh $(BENCH_BUILD)

# libFuzzer targets (test/fuzz/) under ASan+UBSan, clang only, in a tree of their own; each runs
# FUZZ_SECONDS (FUZZ_TARGETS="config options" picks some). Findings: $(FUZZ_BUILD)/fuzz-artifacts/.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_CC ?= clang-14
FUZZ_CXX ?= clang++-14
fuzz:
	@command -v $(FUZZ_CXX) >/dev/null || { echo "make fuzz needs $(FUZZ_CXX): apt-get install -y clang-14 libclang-rt-14-dev" >&2; exit 1; }
	@CC=$(FUZZ_CC) CXX=$(FUZZ_CXX) cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DMAFIO_BUILD_FUZZERS=ON -DMAFIO_BUILD_TESTS=OFF -DMAFIO_WERROR=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target mafio_fuzzers
	@FUZZ_SECONDS=$(FUZZ_SECONDS) test/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TARGETS)

# test/abi/.clang-format keeps the frozen ABI headers byte for byte as released.
format:
	@git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs clang-format -i

# Fails when a file is not formatted (what CI-minded reviewers run before a commit).
format-check:
	@git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD)
