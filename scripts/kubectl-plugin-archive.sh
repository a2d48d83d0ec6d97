#!/usr/bin/env bash
# Builds the kubectl plugin archive the krew manifest (deploy/krew/jailkeeper.yaml) points at:
#   OUT_DIR/kubectl-jailkeeper_linux_amd64.tar.gz  holding  kubectl-jailkeeper, LICENSE
# and prints its sha256. kubectl-jailkeeper is the jailkeeper-webhook binary under the plugin's
# name (it notices the name and says "kubectl jailkeeper" in its help and messages).
# Usage: scripts/kubectl-plugin-archive.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=${1:?BUILD_DIR}
out=${2:?OUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
binary="$build/webhook/jailkeeper-webhook"
[[ -x "$binary" ]] || { echo "kubectl-plugin-archive: $binary not built" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -m 0755 "$binary" "$stage/kubectl-jailkeeper"
if [[ -f "$root/LICENSE" ]]; then
  install -m 0644 "$root/LICENSE" "$stage/LICENSE"
else
  printf 'jailkeeper: see %s\n' "https://github.com/jailkeeper/jailkeeper" > "$stage/LICENSE"
fi
mkdir -p "$out"
archive="$out/kubectl-jailkeeper_linux_amd64.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' -C "$stage" -czf "$archive" \
  kubectl-jailkeeper LICENSE
sha256sum "$archive" | cut -d' ' -f1
