# Onyx: the common commands. `make` builds Release; `make demo` runs the bundled model; `make test` does
# everything CI does. Each first runs scripts/bootstrap, which installs what is missing (and is quick when nothing is).
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
ONYX := $(BUILD_DIR)/bin/onyx
SHARED ?= $(abspath ../shared)

.PHONY: all build debug bootstrap demo test unit-test conformance-test python-test clean

all: build

bootstrap:
	./scripts/bootstrap

$(BUILD_DIR)/build.ninja: | bootstrap
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: bootstrap $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR) -j $(JOBS)

debug:
	$(MAKE) BUILD_DIR=build-debug BUILD_TYPE=Debug build

# The demo needs only the command and the demo program, not the tests: half the compile on a fresh machine.
demo: bootstrap $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR) -j $(JOBS) onyx_cli vad_demo
	./scripts/demo $(ONYX)

test: bootstrap build
	./scripts/run_tests $(BUILD_DIR) $(SHARED)

clean:
	rm -rf $(BUILD_DIR) build-debug build-asan build-tsan

# `make install PREFIX=DIR`: the library, headers, CMake package and command (cmake --install; default /usr/local).
# `make package-check`: pip install ./python, pip wheel and the wheel in a venv without a compiler, end to end
# (scripts/package_check; it compiles the engine, so it is slow the first time and not part of `make test`).
PREFIX ?= /usr/local
.PHONY: install package-check soak minimal-check
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

package-check:
	ONYX_JOBS=$(JOBS) ./scripts/package_check

# `make soak`: tests/soak/soak.py, the long soak and load checks on real models (memory under shape churn, threads,
# sessions made and dropped, cancellation; docs/RELIABILITY.md). Minutes to tens of minutes, so not part of
# `make test`; SOAK_ARGS shortens it (e.g. SOAK_ARGS="--runs 2000 --thread-runs 100 --sessions 200").
# The interpreter is scripts/python's (PYTHON=... make soak, as for make test).
soak: build
	ONYX_PREBUILT_DIR="$(abspath $(BUILD_DIR))" scripts/python_install
	scripts/python tests/soak/soak.py --models "$(SHARED)/models" $(SOAK_ARGS)

# Sanitizer builds and fuzzing (docs/RELIABILITY.md, "Fuzzing and sanitizers"). Each compiles the whole engine again
# with instrumentation, in a folder of its own, and takes far longer than `make test`, so none is part of it
# (make test runs the short fuzz smoke, scripts/fuzz_smoke).
#   make asan   ASan + UBSan (build-asan): the unit and kernel tests, the node suites and the real models at every
#               optimization level, parallel mode. With clang the same build also holds the fuzz targets.
#   make tsan   ThreadSanitizer (build-tsan): the unit and kernel tests (concurrent runs, thread pool, profiler,
#               cancellation, 8 threads running one session), the node suites and the real models at every
#               optimization level with two intra-op threads, parallel mode (scripts/run_sanitized). About 50 min
#               to compile with -j 1 here, then 3.5 min.
#   make fuzz   every fuzz target for FUZZ_SECONDS (default 600) each on its seed corpus, in build-asan (clang).
# SAN_CC / SAN_CXX pick the compiler (clang when present; gcc works for asan and tsan, not for fuzz).
SAN_CC ?= $(if $(shell command -v clang),clang,gcc)
SAN_CXX ?= $(if $(shell command -v clang++),clang++,g++)
FUZZ_SECONDS ?= 600
.PHONY: asan tsan fuzz
build-asan/build.ninja: | bootstrap
	CC=$(SAN_CC) CXX=$(SAN_CXX) cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DONYX_SANITIZE=address,undefined $(if $(findstring clang,$(SAN_CXX)),-DONYX_FUZZ=ON)
build-tsan/build.ninja: | bootstrap
	CC=$(SAN_CC) CXX=$(SAN_CXX) cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Release -DONYX_SANITIZE=thread

asan: bootstrap build-asan/build.ninja
	ninja -C build-asan -j $(JOBS) onyx_tests onyx_cli
	./scripts/run_sanitized asan build-asan $(SHARED)

tsan: bootstrap build-tsan/build.ninja
	ninja -C build-tsan -j $(JOBS) onyx_tests onyx_cli
	./scripts/run_sanitized tsan build-tsan $(SHARED)

fuzz: bootstrap build-asan/build.ninja
	ninja -C build-asan -j $(JOBS) fuzz_all
	./scripts/fuzz_campaign build-asan $(SHARED) $(FUZZ_SECONDS)

# `make minimal-check`: the minimal build (docs/EDGE.md) of silero_vad and blazeface_front_128, each in
# build-minimal-<model>/, run against the models' reference outputs; prints the stripped sizes (make test does
# silero_vad's).
minimal-check: build
	JOBS=$(JOBS) ./scripts/minimal_check $(BUILD_DIR) $(SHARED)

# `make aarch64-test`: the ARM64 cross build (build-aarch64/, Debian's g++-aarch64-linux-gnu and arm64 libraries,
# installed by `scripts/bootstrap --aarch64`) run under qemu-user: the unit tests, the node suite and the real models
# (scripts/aarch64_test; docs/EDGE.md). `make test` runs its quick part (the command, the node suite, two models).
.PHONY: aarch64-test
aarch64-test: bootstrap
	JOBS=$(JOBS) ./scripts/aarch64_test $(SHARED)
