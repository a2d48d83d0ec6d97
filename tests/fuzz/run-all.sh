#!/usr/bin/env bash
# Runs every fuzz target for N seconds, seeded with the project's fixtures. Fails on a crash.
#   tests/fuzz/run-all.sh BUILD_DIR [SECONDS]   (FUZZ_JOBS: targets at once, default nproc)
set -euo pipefail
build=${1:?build dir}
seconds=${2:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seed() {  # seed TARGET FILES...
  local dir="$work/$1"
  mkdir -p "$dir"
  shift
  for f in "$@"; do [[ -f "$f" ]] && cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-12)"; done
  return 0
}
shopt -s nullglob
reviews=("$root"/tests/fixtures/reviews/*.json "$root"/tests/fixtures/k8s/admission-review-*.json
         "$root"/deploy/examples/review.json "$root"/bench/fixtures/review.json)
seed review_fuzz "${reviews[@]}"
seed json_arena_fuzz "${reviews[@]}" "$root"/tests/fixtures/k8s/pod-every-field.json
seed node_list_fuzz "$root"/tests/fixtures/golden/nodes.json "$root"/deploy/examples/nodes.json "$root"/tests/fixtures/k8s/node-every-field.json
seed launch_spec_fuzz
seed rules_fuzz
seed config_fuzz "$root"/deploy/examples/config.yaml "$root"/tests/fixtures/golden/*/config.yaml
seed yaml_fuzz "$root"/deploy/examples/*.yaml

# Targets added by tests/fuzz/*.cmake seed from tests/fuzz/seeds/<target>/ when it exists.
targets=()
for exe in "$build"/tests/fuzz/*_fuzz; do
  [[ -x "$exe" ]] || continue
  target=$(basename "$exe")
  targets+=("$target")
  [[ -d "$root/tests/fuzz/seeds/$target" ]] && seed "$target" "$root/tests/fuzz/seeds/$target"/*
  mkdir -p "$work/$target"
done
[[ ${#targets[@]} -gt 0 ]] || { echo "fuzz: no targets in $build/tests/fuzz"; exit 1; }
# FUZZ_JOBS targets at a time (default: one per core); each still gets `seconds` of its own.
jobs_max=${FUZZ_JOBS:-$(nproc)}
run_one() {
  local target=$1 status=0
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "$work/$target" 2>"$work/$target.log" || status=$?
  echo "$status" >"$work/$target.status"
}
for target in "${targets[@]}"; do
  echo "fuzz: $target for ${seconds}s"
  run_one "$target" &
  while (($(jobs -rp | wc -l) >= jobs_max)); do wait -n || true; done
done
wait
failed=0
for target in "${targets[@]}"; do
  if [[ "$(cat "$work/$target.status" 2>/dev/null)" != 0 ]]; then
    tail -50 "$work/$target.log"
    echo "fuzz: $target FAILED"
    failed=1
    continue
  fi
  echo "$target: $(grep -E 'stat::number_of_executed_units' "$work/$target.log" || true)"
done
((failed == 0)) || exit 1
echo "fuzz: all targets ran clean"
