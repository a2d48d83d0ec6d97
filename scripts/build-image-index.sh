#!/usr/bin/env bash
# `make image-multiarch`: the multi-architecture image, one OCI image index naming an amd64 and
# an arm64 image, assembled offline like `make image` (no registry, no engine).
#
#   scripts/build-image-index.sh BUILD BUILD_ARM64      (make image-multiarch: build build-arm64)
#
# Runs scripts/build-image.sh on each build (BUILD: the native amd64 build, BUILD_ARM64: the
# cross build of scripts/arm64.sh), then merges the two layouts. Output (fixed paths, printed):
#   BUILD/image-multiarch/jailkeeper.oci.tar  index.json -> one image index (named like the
#                                            single-arch image: ghcr.io/jailkeeper/jailkeeper:
#                                            VERSION) -> the two image manifests, each with its
#                                            platform (linux/amd64, linux/arm64)
#   BUILD/image-multiarch/oci/               the same layout as a directory
# Each platform's manifest is byte for byte the one `make image` builds for that architecture,
# so a node pulls the launcher and webhook of its own CPU by the index (`skopeo copy --all
# oci-archive:… docker://REGISTRY/…`, `ctr images import --all-platforms`): the webhook needs
# no architecture logic. Both builds must come from the same revision.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -eq 2 ]] || { echo "usage: $0 BUILD BUILD_ARM64" >&2; exit 2; }
die() { echo "build-image-index: $*" >&2; exit 1; }
builds=("$(cd "$1" && pwd)" "$(cd "$2" && pwd)")
want_archs=(amd64 arm64)
out="${builds[0]}/image-multiarch"
layout="$out/oci"

# Same version and revision, or the index would mix two releases.
infos=()
for b in "${builds[@]}"; do
  [[ -f $b/build-info.env ]] || die "$b/build-info.env missing (build it first)"
  infos+=("$(cat "$b/build-info.env")")
done
[[ ${infos[0]} == "${infos[1]}" ]] ||
  die "the builds differ in version/revision: ${infos[0]//$'\n'/ } vs ${infos[1]//$'\n'/ }"
# shellcheck source=/dev/null
source "${builds[0]}/build-info.env"
REPOSITORY="ghcr.io/jailkeeper/jailkeeper"
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct "${REVISION%-dirty}" 2>/dev/null ||
  date +%s)}
export SOURCE_DATE_EPOCH=$epoch  # both images and the index: one timestamp

rm -rf "$out"
mkdir -p "$layout/blobs/sha256"
descriptors=()
for i in 0 1; do
  "$root/scripts/build-image.sh" "${builds[i]}" >/dev/null
  single="${builds[i]}/image/oci"
  manifest=$(jq -c '.manifests[0]' "$single/index.json")
  digest=$(jq -r '.digest' <<<"$manifest")
  config=$(jq -r '.config.digest' "$single/blobs/sha256/${digest#sha256:}")
  arch=$(jq -r '.architecture' "$single/blobs/sha256/${config#sha256:}")
  [[ $arch == "${want_archs[i]}" ]] || die "${builds[i]} is $arch, expected ${want_archs[i]}"
  cp -p "$single"/blobs/sha256/* "$layout/blobs/sha256/"
  descriptors+=("$(jq -c --arg arch "$arch" \
    '{mediaType, digest, size, platform: {architecture: $arch, os: "linux"}}' <<<"$manifest")")
done

# The image index: the two manifests, and the labels the images carry as its annotations.
annotations=$(jq -c '.annotations | with_entries(select(.key | startswith("org.opencontainers.image.")))
  | del(.["org.opencontainers.image.ref.name"])' \
  "${builds[0]}/image/oci/blobs/sha256/$(jq -r '.manifests[0].digest' \
    "${builds[0]}/image/oci/index.json" | cut -d: -f2)")
index=$(printf '%s\n' "${descriptors[@]}" | jq -cs --argjson a "$annotations" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: ., annotations: $a}')
printf '%s' "$index" >"$out/index.blob"
index_digest="sha256:$(sha256sum "$out/index.blob" | cut -d' ' -f1)"
index_size=$(stat -c %s "$out/index.blob")
mv "$out/index.blob" "$layout/blobs/sha256/${index_digest#sha256:}"
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
jq -cn --arg d "$index_digest" --argjson s "$index_size" --arg tag "$VERSION" \
  --arg name "$REPOSITORY:$VERSION" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
      annotations: {"org.opencontainers.image.ref.name": $tag, "io.containerd.image.name": $name}}]}' \
  >"$layout/index.json"
chmod -R a+rX "$layout"
find "$layout" -exec touch -h -d "@$epoch" {} +
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$layout" \
  -cf "$out/jailkeeper.oci.tar" oci-layout index.json blobs

size=$(du -k "$out/jailkeeper.oci.tar" | cut -f1)
echo "image index $REPOSITORY:$VERSION (linux/amd64 + linux/arm64, revision $REVISION, index $index_digest, ${size} KiB)"
echo "$out/jailkeeper.oci.tar"
