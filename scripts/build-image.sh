#!/usr/bin/env bash
# `make image`: the jailkeeper image as an OCI image archive, assembled offline from the binaries
# in BUILD (default: build) with umoci: no registry, no base image, no container engine.
#
#   scripts/build-image.sh [BUILD]
#
# Output (fixed paths, printed at the end):
#   BUILD/image/jailkeeper.oci.tar  the OCI archive (oci-layout, index.json, blobs/): `ctr images
#                                   import`, `skopeo copy oci-archive:…`, `docker load`
#   BUILD/image/oci/                the same layout as a directory
# The index names the image ghcr.io/jailkeeper/jailkeeper:VERSION (the chart's default image).
#
# Contents, as the Dockerfile's runtime stage (tests/integration/test_image.py keeps them in step):
#   /jailkeeper-webhook, and /usr/local/bin/jailkeeper-webhook -> /jailkeeper-webhook (the chart's
#     `command: [jailkeeper-webhook]`); stripped
#   /jailkeeper-launch: static and stripped (the injected init container runs
#     `/jailkeeper-launch install /jailkeeper/bin` to copy it into agent pods)
#   the webhook's shared libraries (ldd), at the paths ldd names; the Debian package record of
#     each (/var/lib/dpkg/status.d/PKG, the layout distroless uses, so image scanners see the
#     versions), its copyright file, and /etc/os-release naming the Debian release they are from
#   /etc/passwd and /etc/group with root and nonroot (65532), /home/nonroot, /tmp
# Config: user 65532:65532, entrypoint /jailkeeper-webhook, cmd serve, PATH; config labels and
# manifest annotations org.opencontainers.image.{source,version,revision,title}, with the version
# and revision the binaries were built with (BUILD/build-info.env, cmake/Revision.cmake).
# Reproducible: every timestamp is SOURCE_DATE_EPOCH (default: the commit's time), so the same
# binaries give the same image digest.
#
# Runs as root: the layer records the staged files' owners (root, and 65532 for /home/nonroot).
# The image's architecture is the binaries' (amd64 or arm64). An arm64 build on an x86_64 host
# (scripts/arm64.sh) is stripped with aarch64-linux-gnu-strip and its libraries are the ones
# arm64's dynamic loader maps under qemu-user, from this machine's multiarch packages
# (scripts/install-deps.sh --arm64); STRIP overrides the strip program.
set -euo pipefail

SOURCE_URL="https://github.com/jailkeeper/jailkeeper"
REPOSITORY="ghcr.io/jailkeeper/jailkeeper"
TITLE="jailkeeper"
IMAGE_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
NONROOT=65532

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
webhook="$build/webhook/jailkeeper-webhook"
launcher="$build/launcher/jailkeeper-launch"

die() { echo "build-image: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (the image layer records file owners; sudo make image)"
for tool in umoci jq readelf dpkg-query tar; do
  command -v "$tool" >/dev/null ||
    die "$tool not found (scripts/install-deps.sh --image installs it)"
done
for bin in "$webhook" "$launcher"; do
  [[ -x $bin ]] || die "$bin is not built (make build)"
done
# The launcher runs inside arbitrary agent images: it must not need their libc.
if readelf -l "$launcher" | grep -q 'Requesting program interpreter'; then
  die "$launcher is dynamically linked; the image needs the static release build (not ASan/fuzz)"
fi
[[ -f $build/build-info.env ]] || die "$build/build-info.env missing (make build writes it)"
# shellcheck source=/dev/null
source "$build/build-info.env"  # VERSION, REVISION: what the binaries report in `version`

machine_of() { readelf -h "$1" | sed -n 's/^ *Machine: *//p'; }
case $(machine_of "$webhook") in
  "Advanced Micro Devices X86-64") arch=amd64 ;;
  AArch64) arch=arm64 ;;
  *) die "$webhook: unknown machine $(machine_of "$webhook")" ;;
esac
[[ $(machine_of "$launcher") == "$(machine_of "$webhook")" ]] ||
  die "$launcher and $webhook are built for different machines"
host_arch=$(dpkg --print-architecture)
# The webhook's shared libraries as its own architecture's loader resolves them (ldd's format).
if [[ $arch == "$host_arch" ]]; then
  STRIP=${STRIP:-strip}
  list_libraries() { ldd "$1"; }
elif [[ $arch == arm64 ]]; then
  STRIP=${STRIP:-aarch64-linux-gnu-strip}
  loader=/lib/ld-linux-aarch64.so.1
  command -v qemu-aarch64-static >/dev/null && [[ -e $loader ]] ||
    die "an arm64 image on $host_arch needs qemu-aarch64-static and $loader (scripts/install-deps.sh --arm64)"
  list_libraries() { qemu-aarch64-static "$loader" --list "$1"; }
else
  die "cannot assemble a $arch image on a $host_arch host"
fi
command -v "$STRIP" >/dev/null || die "$STRIP not found"
# The time of the commit the binaries were built from (a -dirty build: of its base commit).
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct "${REVISION%-dirty}" 2>/dev/null ||
  date +%s)}
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)

out="$build/image"
rm -rf "$out"
rootfs="$out/rootfs"
mkdir -p "$rootfs/usr/local/bin" "$rootfs/etc" "$rootfs/var/lib/dpkg/status.d" \
  "$rootfs/usr/share/doc" "$rootfs/home/nonroot" "$rootfs/tmp"

# ---- binaries ------------------------------------------------------------------------------
"$STRIP" -o "$rootfs/jailkeeper-webhook" "$webhook"
"$STRIP" -o "$rootfs/jailkeeper-launch" "$launcher"
chmod 0755 "$rootfs/jailkeeper-webhook" "$rootfs/jailkeeper-launch"
ln -s /jailkeeper-webhook "$rootfs/usr/local/bin/jailkeeper-webhook"

# ---- the webhook's shared libraries, with their package records -----------------------------
mapfile -t libs < <(list_libraries "$webhook" |
  awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
((${#libs[@]} > 0)) || die "the $arch loader named no libraries for $webhook"
# dpkg's file lists name either the path or its merged-/usr alias; one lookup for all (it reads
# every package's file list).
alias_of() { if [[ $1 == /usr/* ]]; then echo "${1#/usr}"; else echo "/usr$1"; fi; }
queries=()
for lib in "${libs[@]}"; do queries+=("$lib" "$(alias_of "$lib")"); done
owners=$(dpkg-query -S "${queries[@]}" 2>/dev/null || true)  # "pkg:arch: /path" per line found
for lib in "${libs[@]}"; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
  pkg=$(awk -v a="$lib" -v b="$(alias_of "$lib")" \
    '$NF == a || $NF == b { sub(/:$/, "", $1); print $1; exit }' <<<"$owners")
  [[ -n $pkg ]] || die "$lib: no Debian package owns it"
  name=${pkg%%:*}
  dpkg-query -s "$pkg" >"$rootfs/var/lib/dpkg/status.d/$name"
  if [[ -f /usr/share/doc/$name/copyright ]]; then
    mkdir -p "$rootfs/usr/share/doc/$name"
    cp "/usr/share/doc/$name/copyright" "$rootfs/usr/share/doc/$name/"
  fi
done
# shellcheck source=/dev/null
(source /etc/os-release &&
  printf 'PRETTY_NAME="jailkeeper (%s libraries)"\nNAME="%s"\nID=%s\nVERSION_ID="%s"\n' \
    "$PRETTY_NAME" "$NAME" "$ID" "$VERSION_ID" &&
  printf 'VERSION_CODENAME=%s\n' "${VERSION_CODENAME:-}") >"$rootfs/etc/os-release"

# ---- users (as distroless/cc-debian12:nonroot has them) -------------------------------------
{ echo "root:x:0:0:root:/root:/sbin/nologin"
  echo "nonroot:x:$NONROOT:$NONROOT:nonroot:/home/nonroot:/sbin/nologin"; } >"$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:%s:\n' "$NONROOT" >"$rootfs/etc/group"
chown "$NONROOT:$NONROOT" "$rootfs/home/nonroot"
chmod 0700 "$rootfs/home/nonroot"
chmod 1777 "$rootfs/tmp"
find "$rootfs" -exec touch -h -d "@$epoch" {} +

# ---- the OCI layout ------------------------------------------------------------------------
layout="$out/oci"
image="$layout:$VERSION"
umoci init --layout "$layout"
umoci new --image "$image"
# The layer is written by GNU tar (umoci 0.4.7's `insert` leaves the tar stream without its end
# blocks); sorted names, numeric owners and one mtime make it reproducible.
(cd "$rootfs" && tar --sort=name --format=gnu --numeric-owner --mtime="@$epoch" \
  -cf "$out/layer.tar" -- *)
umoci raw add-layer --image "$image" --history.created "$created" \
  --history.created_by "scripts/build-image.sh (binaries, libraries, users)" "$out/layer.tar"
rm "$out/layer.tar"
labels=()
for kv in "org.opencontainers.image.source=$SOURCE_URL" \
  "org.opencontainers.image.version=$VERSION" "org.opencontainers.image.revision=$REVISION" \
  "org.opencontainers.image.title=$TITLE"; do
  labels+=(--config.label "$kv" --manifest.annotation "$kv")
done
umoci config --image "$image" --no-history --created "$created" --architecture "$arch" --os linux \
  --config.user "$NONROOT:$NONROOT" --config.entrypoint /jailkeeper-webhook --config.cmd serve \
  --config.env "PATH=$IMAGE_PATH" "${labels[@]}"
umoci gc --layout "$layout"
# The full name for `ctr images import` / `docker load` (the tag alone is ref.name).
jq -c --arg name "$REPOSITORY:$VERSION" \
  '.manifests[0].annotations["io.containerd.image.name"] = $name' "$layout/index.json" \
  >"$out/index.json" && mv "$out/index.json" "$layout/index.json"
chmod -R a+rX "$layout"
find "$layout" -exec touch -h -d "@$epoch" {} +
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$layout" \
  -cf "$out/jailkeeper.oci.tar" oci-layout index.json blobs
rm -rf "$rootfs"

digest=$(jq -r '.manifests[0].digest' "$layout/index.json")
size=$(du -k "$out/jailkeeper.oci.tar" | cut -f1)
echo "image $REPOSITORY:$VERSION ($arch, revision $REVISION, manifest $digest, ${size} KiB)"
echo "$out/jailkeeper.oci.tar"
