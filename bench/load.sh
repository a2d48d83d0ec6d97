#!/usr/bin/env bash
# Load test: jailkeeper-webhook vs nginx (static answer) over TLS keep-alive, same review body.
# Usage: bench/load.sh BUILD_DIR      (make bench runs: bench/load.sh build)
#
# Both servers run pinned to one core (SERVER_CPU), each measured alone; wrk runs on another
# (CLIENT_CPU). Per round: webhook at full load (wrk), webhook at half its full rate (paced,
# open loop: paced_client), nginx at full load (wrk). The summary reports the median over the rounds, the per-request CPU time of each
# server (from /proc/PID/stat, so it holds even when other work shares the core), the webhook's
# peak RSS (VmHWM), the heap allocations per request of each server (bench/malloc_count.c,
# preloaded into both) and where the time goes (review_micro: parse, decode, mutate, encode).
# Everything listens on 127.0.0.1 only; certificates and configs live in a temp dir that is
# removed on exit, with both servers stopped, also on failure or Ctrl-C.
set -euo pipefail

readonly ROUNDS="${JK_BENCH_ROUNDS:-3}"
readonly SECONDS_PER_RUN="${JK_BENCH_SECONDS:-8}"
readonly WARMUP_SECONDS="${JK_BENCH_WARMUP:-2}"
readonly CONNECTIONS="${JK_BENCH_CONNECTIONS:-16}"
readonly SERVER_CPU="${JK_BENCH_SERVER_CPU:-0}"
readonly CLIENT_CPU="${JK_BENCH_CLIENT_CPU:-1}"
readonly HOST=127.0.0.1

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "${BENCH_DIR}")"
readonly BENCH_DIR REPO_DIR
[[ $# -eq 1 ]] || { echo "usage: bench/load.sh BUILD_DIR" >&2; exit 2; }
BUILD_DIR="$(cd "$1" && pwd)" || { echo "load.sh: no build dir $1" >&2; exit 2; }
readonly BUILD_DIR
readonly WEBHOOK="${BUILD_DIR}/webhook/jailkeeper-webhook"
readonly MICRO="${BUILD_DIR}/bench/review_micro"
readonly PACED="${BUILD_DIR}/bench/paced_client"
# Preloaded into both servers: counts every malloc/calloc/realloc (bench/malloc_count.c).
readonly MALLOC_COUNT="${BUILD_DIR}/bench/libjk_malloc_count.so"
readonly NODES="${REPO_DIR}/tests/fixtures/golden/nodes.json"
readonly REVIEW="${BENCH_DIR}/fixtures/review.json"

TMP=""
WEBHOOK_PID=""
NGINX_PID=""
NGINX_PIDS=()  # master + worker

die() { echo "load.sh: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }

cleanup() {
  local rc=$?
  [[ -n "${WEBHOOK_PID}" ]] && kill "${WEBHOOK_PID}" 2>/dev/null && wait "${WEBHOOK_PID}" 2>/dev/null
  [[ -n "${NGINX_PID}" ]] && kill "${NGINX_PID}" 2>/dev/null && wait "${NGINX_PID}" 2>/dev/null
  if [[ ${rc} -ne 0 && -n "${TMP}" ]]; then
    for log in "${TMP}"/webhook.log "${TMP}"/nginx-error.log; do
      [[ -s "${log}" ]] && { echo "--- tail ${log}" >&2; tail -n 5 "${log}" >&2; }
    done
  fi
  [[ -n "${TMP}" ]] && rm -rf "${TMP}"
  exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  local t
  for t in wrk nginx openssl curl jq taskset ss awk; do
    command -v "${t}" >/dev/null || die "missing tool: ${t} (apt-get install wrk nginx-light ...)"
  done
  [[ -x "${WEBHOOK}" ]] || die "no ${WEBHOOK}: build with -DJK_BUILD_BENCH=ON first"
  [[ -x "${MICRO}" ]] || die "no ${MICRO}: configure with -DJK_BUILD_BENCH=ON"
  [[ -x "${PACED}" ]] || die "no ${PACED}: configure with -DJK_BUILD_BENCH=ON"
  [[ -f "${MALLOC_COUNT}" ]] || die "no ${MALLOC_COUNT}: configure with -DJK_BUILD_BENCH=ON"
  [[ $(nproc) -ge 2 ]] || die "needs 2 CPUs (server and client pinned apart)"
}

make_certs() {
  openssl ecparam -name prime256v1 -genkey -noout -out "${TMP}/tls.key" 2>/dev/null
  openssl req -x509 -new -key "${TMP}/tls.key" -days 1 -subj "/CN=${HOST}" \
    -addext "subjectAltName=IP:${HOST}" -out "${TMP}/tls.crt" 2>/dev/null
  chmod 600 "${TMP}/tls.key"
}

# A port nobody listens on (nginx cannot report an ephemeral port back).
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 20000))
    ss -Htln "sport = :${port}" | grep -q . || { echo "${port}"; return; }
  done
  die "no free port found"
}

start_webhook() {
  local port
  port="$(free_port)"
  printf 'server:\n  workerThreads: 1\n' >"${TMP}/config.yaml"
  # --log-level warn keeps the per-review info line out of the measurement (and hides the
  # "listening" line), so the port is chosen here and readiness is polled.
  JK_MALLOC_COUNT_FILE="${TMP}/webhook.allocs" LD_PRELOAD="${MALLOC_COUNT}" \
    taskset -c "${SERVER_CPU}" "${WEBHOOK}" serve --config "${TMP}/config.yaml" \
    --listen "${HOST}:${port}" --metrics-listen "${HOST}:$(free_port)" \
    --tls-cert "${TMP}/tls.crt" --tls-key "${TMP}/tls.key" --nodes "${NODES}" \
    --log-level warn 2>"${TMP}/webhook.log" &
  WEBHOOK_PID=$!
  WEBHOOK_URL="https://${HOST}:${port}/mutate"
  wait_for_url "${WEBHOOK_URL}" "${WEBHOOK_PID}" webhook
}

wait_for_url() {  # URL PID NAME
  for _ in $(seq 100); do
    curl -sS -o /dev/null --cacert "${TMP}/tls.crt" -d '{}' "$1" 2>/dev/null && return
    kill -0 "$2" 2>/dev/null || die "$3 exited during startup"
    sleep 0.1
  done
  die "$3 did not start"
}

# The webhook's real answer to the review; nginx returns a body of the same size.
capture_answer() {
  curl -sS --fail --cacert "${TMP}/tls.crt" -H 'Content-Type: application/json' \
    --data-binary "@${TMP}/body.json" -o "${TMP}/answer.json" "${WEBHOOK_URL}" ||
    die "webhook did not answer the review"
  jq -e '.response.allowed == true and .response.patchType == "JSONPatch"' "${TMP}/answer.json" \
    >/dev/null || die "expected an allowed review with a patch, got: $(head -c 300 "${TMP}/answer.json")"
}

write_nginx_conf() {  # TLS_PORT HTTP_PORT
  # nginx expands $ and \ in the return text: replace them (size stays the same).
  local text
  # shellcheck disable=SC2020  # three single characters, each replaced by S
  text="$(tr "\$'\\\\" 'SSS' <"${TMP}/answer.json")"
  # One configuration token holds at most 4 KiB: the answer is set in parts, returned whole.
  local sets="" refs="" i
  for ((i = 0; i * 4000 < ${#text}; i++)); do
    sets+="      set \$jk_answer_${i} '${text:i*4000:4000}';"$'\n'
    refs+="\${jk_answer_${i}}"
  done
  mkdir -p "${TMP}/nginx"
  cat >"${TMP}/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid ${TMP}/nginx.pid;
error_log ${TMP}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${TMP}/nginx/body;
  proxy_temp_path ${TMP}/nginx/proxy;
  fastcgi_temp_path ${TMP}/nginx/fastcgi;
  scgi_temp_path ${TMP}/nginx/scgi;
  uwsgi_temp_path ${TMP}/nginx/uwsgi;
  keepalive_requests 100000000;
  keepalive_timeout 90s;
  server {
    listen ${HOST}:$1 ssl;
    listen ${HOST}:$2;
    ssl_certificate ${TMP}/tls.crt;
    ssl_certificate_key ${TMP}/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    client_body_buffer_size 16k;
    client_max_body_size 1m;
    location = /mutate {
      default_type application/json;
${sets}      return 200 '${refs}';
    }
  }
}
EOF
}

start_nginx() {
  local tls_port http_port
  tls_port="$(free_port)"
  http_port="$(free_port)"
  write_nginx_conf "${tls_port}" "${http_port}"
  JK_MALLOC_COUNT_FILE="${TMP}/nginx.allocs" LD_PRELOAD="${MALLOC_COUNT}" \
    taskset -c "${SERVER_CPU}" nginx -p "${TMP}/nginx" -e "${TMP}/nginx-error.log" \
    -c "${TMP}/nginx.conf" &
  NGINX_PID=$!
  NGINX_URL="https://${HOST}:${tls_port}/mutate"
  NGINX_HTTP_URL="http://${HOST}:${http_port}/mutate"
  wait_for_url "${NGINX_URL}" "${NGINX_PID}" nginx
  read -ra NGINX_PIDS <<<"${NGINX_PID} $(ps -o pid= --ppid "${NGINX_PID}" | tr '\n' ' ')"
}

# CPU seconds (user + system) used so far by PID and its children threads/processes.
cpu_ticks() {  # PID...
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/${pid}/stat")))
  done
  echo "${total}"
}

# Heap allocations so far by the server whose counter file is $1 (webhook or nginx).
allocations() { od -An -t u8 -N 8 "${TMP}/$1.allocs" | tr -d ' '; }

# Runs wrk (RATE 0) or paced_client; prints "JKBENCH ... cpu_us_per_req=X allocs_per_req=Y".
# Args: URL SECONDS RATE(0=max) SERVER(webhook|nginx) SERVER_PIDS...
run_wrk() {
  local url=$1 secs=$2 rate=$3 server=$4
  shift 4
  local before after line allocs_before allocs_after
  allocs_before="$(allocations "${server}")"
  before="$(cpu_ticks "$@")"
  if ((rate == 0)); then
    line="$(JK_BENCH_BODY="${TMP}/body.json" taskset -c "${CLIENT_CPU}" \
      wrk -t1 -c"${CONNECTIONS}" -d"${secs}s" --timeout 5s -s "${BENCH_DIR}/post.lua" "${url}" |
      grep '^JKBENCH')" || die "wrk failed against ${url}"
  else  # open loop at a fixed rate, microsecond schedule (bench/paced_client.cpp)
    line="$(taskset -c "${CLIENT_CPU}" "${PACED}" "${url}" "${TMP}/body.json" "${rate}" "${secs}" \
      "${CONNECTIONS}" | grep '^JKBENCH')" || die "paced_client failed against ${url}"
  fi
  after="$(cpu_ticks "$@")"
  allocs_after="$(allocations "${server}")"
  # run_wrk runs in a subshell: its children's CPU time is wrk's (plus a grep). `times` must
  # not run in a pipe or $(...) (a fork starts with no children's time).
  times >"${TMP}/times"
  awk -v line="${line}" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    -v client="$(tail -n 1 "${TMP}/times")" -v allocs=$((allocs_after - allocs_before)) 'BEGIN {
    n = split(line, kv, /[ =]/); for (i = 2; i < n; i += 2) f[kv[i]] = kv[i + 1]
    split(client, t, /[ms ]+/); client_s = t[1] * 60 + t[2] + t[3] * 60 + t[4]
    n = f["requests"] > 0 ? f["requests"] : 1
    printf "%s cpu_us_per_req=%.1f server_core_pct=%.0f client_core_pct=%.0f allocs_per_req=%.1f\n",
      line, ticks / hz * 1e6 / n, ticks / hz / f["seconds"] * 100, client_s / f["seconds"] * 100,
      allocs / n
  }'
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

run_micro() {
  note "micro benchmarks (review_micro, CPU ${SERVER_CPU})"
  taskset -c "${SERVER_CPU}" "${MICRO}" --benchmark_min_time=0.3 --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_format=csv >"${TMP}/micro.csv" 2>"${TMP}/micro.err" ||
    die "review_micro failed: $(tail -n 3 "${TMP}/micro.err")"
  # name, CPU us, heap allocations per iteration (the "allocs" counter column, when reported).
  awk -F, '/^name,/ { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); if ($i == "allocs") ac = i }; next }
      $1 ~ /_median"?$/ { gsub(/"/, "", $1); sub(/^BM_/, "", $1); sub(/_median$/, "", $1);
      printf "%s %.1f %s\n", $1, $4 / 1000, (ac && $ac != "" ? sprintf("%.0f", $ac) : "-") }' \
    "${TMP}/micro.csv" >"${TMP}/micro.txt"
  [[ -s "${TMP}/micro.txt" ]] || die "review_micro produced no results"
}

micro() { awk -v k="$1" '$1 == k {print $2}' "${TMP}/micro.txt"; }
allocs() { awk -v k="$1" '$1 == k {print $3}' "${TMP}/micro.txt"; }

tls_info() {  # URL -> "TLSv1.3 TLS_AES_256_GCM_SHA384"
  local hostport=${1#https://}
  openssl s_client -connect "${hostport%%/*}" </dev/null 2>/dev/null |
    awk '/^New,/ {sub(/,$/, "", $2); print $2, $NF; exit}'
}

rss_kib() { awk '/^VmHWM:/ {print $2}' "/proc/${WEBHOOK_PID}/status"; }

main() {
  check_tools
  TMP="$(mktemp -d /tmp/jk-bench.XXXXXX)"
  make_certs
  jq -cj . "${REVIEW}" >"${TMP}/body.json"
  note "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  note "load: $(cut -d' ' -f1-3 /proc/loadavg); body $(wc -c <"${TMP}/body.json") bytes; ${ROUNDS} rounds x ${SECONDS_PER_RUN}s, wrk -t1 -c${CONNECTIONS}"
  run_micro
  start_webhook
  capture_answer
  start_nginx
  note "webhook ${WEBHOOK_URL} (pid ${WEBHOOK_PID}), nginx ${NGINX_URL} (pid ${NGINX_PID}); answer $(wc -c <"${TMP}/answer.json") bytes"
  note "TLS: nginx $(tls_info "${NGINX_URL}"), webhook $(tls_info "${WEBHOOK_URL}")"
  note "warm-up ${WARMUP_SECONDS}s each"
  run_wrk "${WEBHOOK_URL}" "${WARMUP_SECONDS}" 0 webhook "${WEBHOOK_PID}" >/dev/null
  run_wrk "${NGINX_URL}" "${WARMUP_SECONDS}" 0 nginx "${NGINX_PIDS[@]}" >/dev/null

  local -a wh=() half=() ng=()
  local r line rate
  for ((r = 1; r <= ROUNDS; r++)); do
    line="$(run_wrk "${WEBHOOK_URL}" "${SECONDS_PER_RUN}" 0 webhook "${WEBHOOK_PID}")"; wh+=("${line}")
    note "round ${r} webhook max:  ${line#JKBENCH }"
    rate="$(awk -v r="$(field rps "${line}")" 'BEGIN {printf "%d", r / 2}')"
    line="$(run_wrk "${WEBHOOK_URL}" "${SECONDS_PER_RUN}" "${rate}" webhook "${WEBHOOK_PID}")"; half+=("${line}")
    note "round ${r} webhook @${rate}/s: ${line#JKBENCH }"
    line="$(run_wrk "${NGINX_URL}" "${SECONDS_PER_RUN}" 0 nginx "${NGINX_PIDS[@]}")"; ng+=("${line}")
    note "round ${r} nginx max:    ${line#JKBENCH }"
  done
  local plain
  plain="$(run_wrk "${NGINX_HTTP_URL}" "${SECONDS_PER_RUN}" 0 nginx "${NGINX_PIDS[@]}")"
  note "nginx plain HTTP (no TLS): ${plain#JKBENCH }"
  summary "$(rss_kib)" "${plain}"
}

med() {  # KEY LINES...
  local key=$1
  shift
  local l out=""
  for l in "$@"; do out+="$(field "${key}" "${l}") "; done
  median <<<"${out}"
}

summary() {
  local rss=$1 plain=$2
  local w_rps w_p50 w_p99 w_cpu w_pct w_cl h_rps h_p50 h_p99 n_rps n_p50 n_p99 n_cpu n_pct n_cl
  local p_cpu errs w_allocs n_allocs h_stalls l
  w_rps=$(med rps "${wh[@]}"); w_p50=$(med p50_us "${wh[@]}"); w_p99=$(med p99_us "${wh[@]}")
  w_cpu=$(med cpu_us_per_req "${wh[@]}"); w_pct=$(med server_core_pct "${wh[@]}")
  w_cl=$(med client_core_pct "${wh[@]}")
  h_rps=$(med rps "${half[@]}"); h_p50=$(med p50_us "${half[@]}"); h_p99=$(med p99_us "${half[@]}")
  # Rounds whose slowest answer took >= 50 ms: on the 2-vCPU CI-class VMs paced runs of any
  # server (nginx too) now and then stall ~100 ms at once (bench/README.md, issue 17 third pass).
  h_stalls=0
  for l in "${half[@]}"; do
    if (($(field max_us "${l}") >= 50000)); then h_stalls=$((h_stalls + 1)); fi
  done
  n_rps=$(med rps "${ng[@]}"); n_p50=$(med p50_us "${ng[@]}"); n_p99=$(med p99_us "${ng[@]}")
  n_cpu=$(med cpu_us_per_req "${ng[@]}"); n_pct=$(med server_core_pct "${ng[@]}")
  n_cl=$(med client_core_pct "${ng[@]}")
  p_cpu=$(field cpu_us_per_req "${plain}")
  w_allocs=$(med allocs_per_req "${wh[@]}"); n_allocs=$(med allocs_per_req "${ng[@]}")
  errs=0
  for l in "${wh[@]}" "${half[@]}" "${ng[@]}"; do
    errs=$((errs + $(field socket_errors "${l}") + $(field non2xx "${l}")))
  done
  awk -v w_rps="${w_rps}" -v w_p50="${w_p50}" -v w_p99="${w_p99}" -v w_cpu="${w_cpu}" -v w_pct="${w_pct}" -v w_cl="${w_cl}" \
    -v h_rps="${h_rps}" -v h_p50="${h_p50}" -v h_p99="${h_p99}" -v h_stalls="${h_stalls}" \
    -v n_rps="${n_rps}" -v n_p50="${n_p50}" -v n_p99="${n_p99}" -v n_cpu="${n_cpu}" -v n_pct="${n_pct}" -v n_cl="${n_cl}" \
    -v p_cpu="${p_cpu}" -v w_allocs="${w_allocs}" -v n_allocs="${n_allocs}" -v rss="${rss}" -v errs="${errs}" -v rounds="${ROUNDS}" \
    -v parse="$(micro ArenaParse)" -v nl_parse="$(micro JsonParse)" -v decode="$(micro DecodeReview)" \
    -v decode_mf="$(micro DecodeReviewManagedFields)" -v mutate="$(micro Mutate)" \
    -v dump="$(micro PatchDump)" -v encode="$(micro EncodeResponse)" \
    -v handler="$(micro ReviewHandler)" -v handler_info="$(micro ReviewHandlerInfoLog)" \
    -v handler_allocs="$(allocs ReviewHandler)" -v handler_mf="$(micro ReviewHandlerManagedFields)" '
  function verdict(ok) { return ok ? "met" : "MISSED" }
  BEGIN {
    ratio = w_rps / n_rps
    printf "\n=== jailkeeper-webhook vs nginx (TLS keep-alive, 1 core each, median of %d rounds)\n", rounds
    printf "%-34s %12s %12s %10s\n", "", "webhook", "nginx", "ratio"
    printf "%-34s %12.0f %12.0f %10.3f   target >= 0.25 (stretch 0.35): %s\n", "requests/s (max)", w_rps, n_rps, ratio, verdict(ratio >= 0.25)
    printf "%-34s %12.1f %12.1f %10.3f   (ratio of 1/CPU: the rate ratio on an idle core)\n", "server CPU us/request", w_cpu, n_cpu, n_cpu / w_cpu
    printf "%-34s %12.0f %12.0f   (< 95: core shared with other work, or client-bound)\n", "server core use % (max load)", w_pct, n_pct
    printf "%-34s %12.0f %12.0f   (wrk; < 95 with server < 95: other work on the cores)\n", "client core use % (max load)", w_cl, n_cl
    printf "%-34s %12.1f %12.1f   (whole process: malloc/calloc/realloc, OpenSSL too)\n", "heap allocations/request", w_allocs, n_allocs
    printf "%-34s %12.0f %12.0f\n", "p50 latency us (max load)", w_p50, n_p50
    printf "%-34s %12.0f %12.0f\n", "p99 latency us (max load)", w_p99, n_p99
    printf "%-34s %12.0f\n", "half-rate: requests/s achieved", h_rps
    printf "%-34s %12.0f   (paced_client: from when each request was due)\n", "half-rate: p50 latency us", h_p50
    printf "%-34s %12.0f %25s target < 2000 us: %s\n", "half-rate: p99 latency us", h_p99, "", verdict(h_p99 < 2000)
    printf "%-34s %12s   (rounds whose slowest answer took >= 50 ms)\n", "half-rate: rounds with a stall", h_stalls " of " rounds
    printf "%-34s %12.1f %25s target < 40 MiB: %s\n", "webhook peak RSS MiB (VmHWM)", rss / 1024, "", verdict(rss < 40 * 1024)
    printf "%-34s %12d\n", "socket errors + non-2xx", errs
    printf "\n=== where the webhook time goes (CPU us per request)\n"
    printf "%-44s %8.1f\n", "TLS + HTTP (nginx static answer)", n_cpu
    printf "%-44s %8.1f\n", "  of which TLS (nginx TLS - nginx plain HTTP)", n_cpu - p_cpu
    printf "%-44s %8.1f\n", "webhook server CPU per request (measured)", w_cpu
    printf "%-44s %8.1f\n", "  outside the handler (TLS, Beast, asio, cache)", w_cpu - handler
    printf "%-44s %8.1f\n", "  handler (review_micro ReviewHandler)", handler
    printf "%-44s %8.1f\n", "    JSON parse (Boost.JSON into the arena)", parse
    printf "%-44s %8.1f\n", "      (for reference: nlohmann::json::parse)", nl_parse
    printf "%-44s %8.1f\n", "    decode beyond the parse (envelope + pod)", decode - parse
    printf "%-44s %8.1f\n", "    deciding + patch building (inject::mutate)", mutate
    printf "%-44s %8.1f\n", "    serialising (patch dump + response)", dump + encode
    printf "%-44s %8.1f\n", "    rest (metrics, clock, result moves)", handler - decode - mutate - dump - encode
    printf "%-44s %8.1f\n", "    + info log line (not in the load test)", handler_info - handler
    printf "%-44s %8s\n", "  heap allocations per review (handler)", handler_allocs
    printf "%-44s %8.1f\n", "  handler, same review + 6.3 KB managedFields", handler_mf
    printf "\nCeiling (webhook/nginx rate) on this machine:\n"
    printf "  nginx-grade transport + the parse alone:      %.0f/(%.0f+%.0f) = %.2f\n", n_cpu, n_cpu, parse, n_cpu / (n_cpu + parse)
    printf "  nginx-grade transport + the current handler: %.0f/(%.0f+%.0f) = %.2f\n", n_cpu, n_cpu, handler, n_cpu / (n_cpu + handler)
  }'
}

main
