#!/usr/bin/env bash
# Jail start-up time: `true` bare, under bwrap --unshare-net (peer), under nsjail (with and
# without a user namespace, through the test harness = start_nsjail + DNS stub + relay, without
# the proxy/CA), and under the real jailkeeper-launch (nsjail, landjail) when they run here.
# Median of JK_BENCH_RUNS (default 300) runs after 30 warm-ups, hyperfine -N (no shell).
#   bench/jail_start.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: bench/jail_start.sh BUILD_DIR}
runs=${JK_BENCH_RUNS:-300}
harness="$build/tests/integration/jk_nsjail_harness"
launch="$build/launcher/jailkeeper-launch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

commands=(-n bare "/bin/true")
if command -v bwrap >/dev/null; then
  commands+=(-n "bwrap --unshare-net" "bwrap --unshare-net --ro-bind / / /bin/true")
fi
if [[ -x "$harness" ]] && "$harness" -- /bin/true; then
  commands+=(-n "nsjail (userns)" "$harness -- /bin/true")
  commands+=(-n "nsjail (no userns)" "$harness --no-user-namespace -- /bin/true")
fi
for jail in nsjail landjail; do
  if [[ -x "$launch" ]] && "$launch" --jail-type "$jail" -- /bin/true 2>/dev/null; then
    commands+=(-n "jailkeeper-launch $jail" "$launch --jail-type $jail -- /bin/true")
  fi
done

hyperfine -N --warmup 30 --runs "$runs" --export-json "$work/result.json" "${commands[@]}" >&2
python3 - "$work/result.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print("| command | median | mean ± σ | min |")
print("| --- | ---: | ---: | ---: |")
for r in results:
    ms = lambda s: f"{s * 1000:.2f} ms"
    print(f"| {r['command']} | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'])} | {ms(r['min'])} |")
PY
