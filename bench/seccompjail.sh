#!/usr/bin/env bash
# seccompjail benchmark: cost per connect (bare, seccompjail and nsjail, blocking and
# non-blocking) and start time of `true` (bare, seccompjail, nsjail, bwrap --unshare-net).
# The jails run through their test harnesses (stand-in proxies, no CA/proxy start-up).
#   bench/seccompjail.sh BUILD_DIR      (BUILD_DIR has tests/integration/jk_seccompjail_harness)
# Knobs: JK_BENCH_CONNECTS (5000 per run), JK_BENCH_ROUNDS (3), JK_BENCH_STARTS (300).
set -euo pipefail
build=${1:?usage: bench/seccompjail.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
harness=$build/tests/integration/jk_seccompjail_harness
nsjail=$build/tests/integration/jk_nsjail_harness
have_nsjail=false
if [[ -x "$nsjail" ]] && "$nsjail" -- /bin/true 2>/dev/null; then have_nsjail=true; fi
connects=${JK_BENCH_CONNECTS:-5000}
rounds=${JK_BENCH_ROUNDS:-3}
starts=${JK_BENCH_STARTS:-300}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

cc -O2 -o "$work/connect" "$here/seccompjail_connect.c"
# A listener that accepts and closes as fast as Python can; it doubles as the stand-in proxy
# (the harness writes one "ORIG ..." line first, which is ignored).
python3 - "$work/port" <<'PY' &
import socket, sys
s = socket.create_server(("127.0.0.1", 0), backlog=4096)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    c.close()
PY
pids+=($!)
while [ ! -s "$work/port" ]; do sleep 0.05; done
port=$(cat "$work/port")

echo "== connect cost ($connects connects per run, $rounds rounds)"
for round in $(seq "$rounds"); do
  for mode in block nonblock; do
    echo "round $round bare        $mode: $("$work/connect" "$port" "$connects" "$mode")"
    echo "round $round seccompjail $mode: $("$harness" --proxy "$port" -- "$work/connect" "$port" "$connects" "$mode")"
    if $have_nsjail; then  # redirected by nf_tables to the harness's relay, any port will do
      echo "round $round nsjail      $mode: $("$nsjail" -- "$work/connect" "$port" "$connects" "$mode")"
    fi
  done
done

echo "== start time of true ($starts runs each)"
commands=(-n bare "/bin/true" -n seccompjail "$harness --proxy $port -- /bin/true")
if $have_nsjail; then commands+=(-n "nsjail (userns)" "$nsjail -- /bin/true"); fi
if command -v bwrap >/dev/null; then
  commands+=(-n "bwrap --unshare-net" "bwrap --unshare-net --ro-bind / / /bin/true")
fi
hyperfine -N --warmup 20 --runs "$starts" --export-json "$work/start.json" "${commands[@]}" \
  >/dev/null 2>&1
python3 - "$work/start.json" <<'PY'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    t = sorted(r["times"])
    print("%-22s median %.2f ms  p90 %.2f ms" % (r["command"], statistics.median(t) * 1e3,
                                                t[int(len(t) * 0.9)] * 1e3))
PY
