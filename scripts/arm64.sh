#!/usr/bin/env bash
# `make arm64`: the arm64 (aarch64) build, cross-compiled here with Debian's toolchain
# (cmake/aarch64-linux-gnu.cmake; scripts/install-deps.sh --arm64 installs it), and its portable
# unit tests run under qemu-user.
#
#   scripts/arm64.sh [BUILD_ARM64]        (default: build-arm64)
#
# Builds only what is needed, not the tree twice: the two binaries (jailkeeper-launch static,
# jailkeeper-webhook) and the unit tests that need no kernel feature (PORTABLE_TESTS below).
# Then checks the binaries are arm64 (the launcher static), runs both under qemu
# (`version`, `explain`, the webhook's offline `inject` against a golden file), and runs each
# portable test binary under qemu (the toolchain also names qemu as CMake's emulator, for
# gtest_discover_tests). Jail and escape tests need a real arm64 kernel
# (qemu-user emulates the CPU, not namespaces/Landlock/seccomp for the guest):
# docs/TESTING.md, "arm64", and .github/workflows/arm64.yml.
#
# Debug info: line tables only, as in every RelWithDebInfo build (cmake/DebugInfo.cmake).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-arm64}
JOBS=${JOBS:-$(nproc)}
# Unit tests without a kernel feature (no namespaces, seccomp, Landlock, netlink, sockets):
# rules, launch spec, policy and Pod Security, config, the review decoder, the inject goldens, the
# seccomp tables and filters of both architectures.
PORTABLE_TESTS=(common_test launchspec_test policy_test pod_security_test config_test
  review_test inject_test launcher_seccomp_arch_test)

die() { echo "arm64: $*" >&2; exit 1; }
for tool in aarch64-linux-gnu-g++ qemu-aarch64-static readelf; do
  command -v "$tool" >/dev/null || die "$tool not found (scripts/install-deps.sh --arm64)"
done

cd "$root"
cmake -S . -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
  -DJK_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" -j"$JOBS" jailkeeper-launch jailkeeper-webhook "${PORTABLE_TESTS[@]}"

launcher="$build/launcher/jailkeeper-launch"
webhook="$build/webhook/jailkeeper-webhook"
for bin in "$launcher" "$webhook"; do
  machine=$(readelf -h "$bin" | sed -n 's/^ *Machine: *//p')
  [[ $machine == AArch64 ]] || die "$bin: machine is '$machine', not AArch64"
done
if readelf -l "$launcher" | grep -q 'Requesting program interpreter'; then
  die "$launcher is dynamically linked; it must run in any agent image"
fi
# Both run on arm64 (the webhook with the arm64 shared libraries from multiarch): version, a
# rule decision each way, and an offline injection compared with the native golden output.
qemu=(qemu-aarch64-static)
"${qemu[@]}" "$launcher" version
"${qemu[@]}" "$webhook" version
rule='method=GET domain=example.com'
"${qemu[@]}" "$launcher" explain --allow "$rule" GET https://example.com/x >/dev/null ||
  die "jailkeeper-launch explain: an allowed request was not allowed"
rc=0
"${qemu[@]}" "$launcher" explain --allow "$rule" POST https://example.com/x >/dev/null || rc=$?
((rc == 1)) || die "jailkeeper-launch explain: a denied request exited $rc, not 1"
golden=tests/fixtures/inject/agent-pod-inventory
"${qemu[@]}" "$webhook" inject -f deploy/examples/agent-pod.yaml \
  --nodes deploy/examples/nodes.json | diff -u "$golden/want.out" - ||
  die "jailkeeper-webhook inject differs from $golden/want.out"
echo "arm64: launcher and webhook run under qemu (version, explain, inject = golden)"

# Each test binary once under qemu (not ctest's one process per test: qemu's start-up, ~1 s,
# times 550 tests). Output only for a binary that fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0
failed=()
for t in "${PORTABLE_TESTS[@]}"; do
  if "${qemu[@]}" "$build/tests/unit/$t" --gtest_brief=1 >"$log" 2>&1; then
    n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?\.$/\1/p' "$log")
    [[ -n $n ]] || { cat "$log"; die "$t: no gtest summary"; }
    echo "arm64: $t: $n passed"
    passed=$((passed + n))
  else
    cat "$log"
    failed+=("$t")
  fi
done
((${#failed[@]} == 0)) || die "failed under qemu: ${failed[*]}"
echo "arm64: ${#PORTABLE_TESTS[@]} test binaries under qemu-aarch64: $passed passed, 0 failed"
