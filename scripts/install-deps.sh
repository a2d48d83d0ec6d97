#!/usr/bin/env bash
# Installs the Debian 12 packages jailkeeper needs to build, run and test. Idempotent: installs
# only what is missing. Run as root (or with sudo available).
set -euo pipefail

BUILD_PKGS=(build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libssl-dev libyaml-cpp-dev nlohmann-json3-dev openssl)
# containerd + runc: the pod-shape matrix runs patched pods under the real runtime (issue 12).
# prometheus: only for promtool, which lints and unit-tests the chart's alert rules (tests/chart).
TEST_PKGS=(googletest libgmock-dev libbenchmark-dev python3 curl jq clang libclang-rt-14-dev
  libfuzzer-14-dev clang-format unzip nftables iproute2 util-linux git containerd runc prometheus)
# make image (and its test): umoci assembles the OCI image offline; jq names it in index.json.
IMAGE_PKGS=(umoci jq binutils)
# make bench: peers and load generators measured side by side with ours.
BENCH_PKGS=(libbenchmark-dev wrk nginx-light hyperfine bubblewrap tinyproxy curl python3)

want=("${BUILD_PKGS[@]}")
case "${1:-}" in
  --image) want+=("${IMAGE_PKGS[@]}") ;;
  --test) want+=("${TEST_PKGS[@]}" "${IMAGE_PKGS[@]}") ;;
  --bench) want+=("${TEST_PKGS[@]}" "${IMAGE_PKGS[@]}" "${BENCH_PKGS[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

echo "installing: ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
