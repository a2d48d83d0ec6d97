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
# make arm64: Debian's cross compiler, qemu-user-static (the portable unit tests run under it) and
# the arm64 libraries we link (multiarch, `dpkg --add-architecture arm64`). Boost is header-only
# for us and its headers are architecture-independent (libboost1.81-dev is Multi-Arch: same,
# identical files): the cross build uses the host's, no 150 MB second copy.
ARM64_PKGS=(g++-aarch64-linux-gnu qemu-user-static libssl-dev:arm64 libyaml-cpp0.7:arm64
  libgtest-dev:arm64 libgmock-dev:arm64)
# libyaml-cpp-dev is not Multi-Arch: same (its :arm64 would remove the host's): unpacked instead,
# not installed, into this prefix (the cross toolchain file, cmake/aarch64-linux-gnu.cmake, reads it).
ARM64_PREFIX=${JK_ARM64_PREFIX:-/opt/jailkeeper/arm64}
# make bench: peers and load generators measured side by side with ours.
BENCH_PKGS=(libbenchmark-dev wrk nginx-light hyperfine bubblewrap tinyproxy curl python3)

want=("${BUILD_PKGS[@]}")
case "${1:-}" in
  --arm64) want+=("${ARM64_PKGS[@]}") ;;
  --image) want+=("${IMAGE_PKGS[@]}") ;;
  --test) want+=("${TEST_PKGS[@]}" "${IMAGE_PKGS[@]}") ;;
  --bench) want+=("${TEST_PKGS[@]}" "${IMAGE_PKGS[@]}" "${BENCH_PKGS[@]}") ;;
esac

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
updated=0
if [[ ${1:-} == --arm64 ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -q
  updated=1
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}" >&2
  ((updated)) || $SUDO apt-get update -q
  updated=1
  # --no-remove: an arm64 library whose host twin is not co-installable fails here, loudly,
  # instead of apt removing the host's -dev package.
  $SUDO apt-get install -y -q --no-install-recommends --no-remove "${missing[@]}"
  # The downloaded .deb files are not needed once installed: on a CI machine they are ~1.6 GB of
  # the disk that the builds need (a CI run once failed with "No space left on device").
  $SUDO apt-get clean
fi

# The arm64 libyaml-cpp-dev, unpacked into ARM64_PREFIX at the version of the installed runtime.
if [[ ${1:-} == --arm64 ]]; then
  version=$(dpkg-query -W -f='${Version}' libyaml-cpp0.7:arm64)
  stamp="$ARM64_PREFIX/.libyaml-cpp-dev_$version"
  if [[ ! -f $stamp ]]; then
    echo "unpacking libyaml-cpp-dev:arm64 $version into $ARM64_PREFIX" >&2
    ((updated)) || $SUDO apt-get update -q
    work=$(mktemp -d)
    (cd "$work" && $SUDO apt-get download -q -o APT::Sandbox::User=root "libyaml-cpp-dev:arm64=$version")
    $SUDO rm -rf "$ARM64_PREFIX"
    $SUDO mkdir -p "$ARM64_PREFIX"
    $SUDO dpkg-deb -x "$work"/libyaml-cpp-dev_*_arm64.deb "$ARM64_PREFIX"
    rm -rf "$work"
    # Its CMake targets name the shared library beside them: the installed runtime's.
    for so in libyaml-cpp.so.0.7 libyaml-cpp.so.0.7.0; do
      $SUDO ln -sf "/usr/lib/aarch64-linux-gnu/libyaml-cpp.so.0.7.0" \
        "$ARM64_PREFIX/usr/lib/aarch64-linux-gnu/$so"
    done
    $SUDO touch "$stamp"
  fi
fi
