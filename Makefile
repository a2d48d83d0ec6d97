# jailkeeper — developer entry points. `make run` and `make test` are the README's two commands.
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
ARM64_BUILD ?= build-arm64
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8443
METRICS_LISTEN ?= 127.0.0.1:9090
FUZZ_SECONDS ?= 20
UNIT_TESTS ?= ON
export CCACHE_BASEDIR := $(CURDIR)

.PHONY: run test deps test-deps build build-asan image image-multiarch certs unit release asan fuzz arm64 \
	bench clean \
	format format-check \
	install-kubectl-plugin kubectl-plugin-archive

run: deps build certs
	@echo
	@echo "jailkeeper-webhook is starting on https://$(LISTEN) (metrics: http://$(METRICS_LISTEN)/metrics)."
	@echo "In another terminal, post a sample review:"
	@echo "  curl -sS --cacert certs/ca.pem -H 'Content-Type: application/json' --data-binary @deploy/examples/review.json https://$(LISTEN)/mutate | jq ."
	@echo
	exec $(BUILD)/webhook/jailkeeper-webhook serve --listen $(LISTEN) --metrics-listen $(METRICS_LISTEN) \
	  --tls-cert certs/tls.crt --tls-key certs/tls.key --nodes deploy/examples/nodes.json

# arm64 before unit: integration.image (in unit) checks the multi-arch index over both builds.
# Each step prints its wall time, so a CI log shows where the budget (30 min cold) goes.
# The release step builds only the unit tests marked ALWAYS (UNIT_TESTS=OFF): every unit test runs
# in the sanitizer build, the portable ones also optimised for arm64 (tests/CMakeLists.txt).
# Each step also prints the free disk before it. With PRUNE_BUILDS=1 (.ci/run sets it) build
# directories are deleted once no later step needs them (arm64's after release, whose image test
# reads it), so the disk peak is about two builds, not four.
TEST_STEPS := test-deps format-check arm64 release asan fuzz
PRUNE_BUILDS ?= 0
test:
	@for step in $(TEST_STEPS); do start=$$(date +%s); \
	  echo "make test: $$step starts, $$(df -h --output=avail . | tail -1 | tr -d ' ') free"; \
	  $(MAKE) --no-print-directory $$step || exit 1; \
	  echo "make test: $$step took $$(( $$(date +%s) - start )) s"; \
	  if [[ $(PRUNE_BUILDS) == 1 ]]; then case $$step in \
	    release) rm -rf $(BUILD) $(ARM64_BUILD) ;; asan) rm -rf $(ASAN_BUILD) ;; fuzz) rm -rf $(FUZZ_BUILD) ;; \
	  esac; fi; done

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test
	@scripts/install-k8s-tools.sh

build:
	cmake -S . -B $(BUILD) -G Ninja -DJK_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJK_UNIT_TESTS=$(UNIT_TESTS) >/dev/null
	ninja -C $(BUILD) -j$(JOBS)

build-asan:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DJK_WERROR=ON -DJK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
	  -DJK_TEST_PER_CASE=OFF >/dev/null
	ninja -C $(ASAN_BUILD) -j$(JOBS)

# The container image as an OCI archive, offline (no registry, no engine): $(BUILD)/image/
# jailkeeper.oci.tar from the release binaries (scripts/build-image.sh; README "Install").
image:
	@scripts/install-deps.sh --image
	$(MAKE) build
	scripts/build-image.sh $(BUILD)

# The multi-arch image: one OCI index, linux/amd64 + linux/arm64 (the arm64 build cross-compiled
# by `make arm64`), offline: $(BUILD)/image-multiarch/jailkeeper.oci.tar (scripts/build-image-index.sh).
image-multiarch:
	@scripts/install-deps.sh --image
	$(MAKE) build arm64
	scripts/build-image-index.sh $(BUILD) $(ARM64_BUILD)

certs:
	@certs/gen-dev-certs.sh

# Every C/C++ file as clang-format 14 writes it (.clang-format); `make format` rewrites them.
format-check:
	scripts/check-format.sh

format:
	scripts/check-format.sh --fix

# Unit + integration tests on the -Werror release build.
unit: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# make test's release step: the integration tests (and the ALWAYS unit tests) on the release build.
release:
	$(MAKE) --no-print-directory unit UNIT_TESTS=OFF

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer (each unit-test executable as
# one ctest test: JK_TEST_PER_CASE=OFF, tests/CMakeLists.txt).
asan: build-asan
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS)

# Every fuzz target for FUZZ_SECONDS, seeded from the fixtures (clang + libFuzzer).
fuzz:
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DJK_FUZZ=ON -DJK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	ninja -C $(FUZZ_BUILD) -j$(JOBS) fuzz_targets
	tests/fuzz/run-all.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# arm64, cross-built here: the two binaries and the unit tests that need no kernel feature, run
# under qemu-user (scripts/arm64.sh; docs/TESTING.md "arm64"). On an arm64 host `make unit` is
# the arm64 build, jails included.
arm64:
	@if [[ $$(uname -m) == aarch64 ]]; then echo "arm64: native host, \`make unit\` tests arm64"; else \
	  scripts/install-deps.sh --arm64 && scripts/arm64.sh $(ARM64_BUILD); fi

# Every benchmark, each printing figures and ratios measured side by side (bench/README.md).
bench:
	@scripts/install-deps.sh --bench
	cmake -S . -B $(BUILD) -G Ninja -DJK_WERROR=ON -DJK_BUILD_BENCH=ON >/dev/null
	ninja -C $(BUILD) -j$(JOBS)
	bench/load.sh $(BUILD)
	python3 bench/robustness.py $(BUILD)/webhook/jailkeeper-webhook
	$(BUILD)/bench/review_micro
	$(BUILD)/bench/inventory_bench
	$(BUILD)/bench/pod_audit_bench
	bench/proxy_bench.sh $(BUILD)
	bench/jail_start.sh $(BUILD)
	bench/seccompjail.sh $(BUILD)

# `kubectl jailkeeper ...`: the binary under the plugin name on PATH (PREFIX/bin).
PREFIX ?= $(HOME)/.local
install-kubectl-plugin: build
	install -D -m 0755 $(BUILD)/webhook/jailkeeper-webhook $(PREFIX)/bin/kubectl-jailkeeper
	@echo "installed $(PREFIX)/bin/kubectl-jailkeeper; with it on PATH: kubectl jailkeeper audit -A"

# The archive deploy/krew/jailkeeper.yaml points at (dist/, git-ignored); prints its sha256.
kubectl-plugin-archive: build
	scripts/kubectl-plugin-archive.sh $(BUILD) dist

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(ARM64_BUILD)
