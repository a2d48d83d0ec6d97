#!/usr/bin/env bash
# Proxy benchmark: throughput (MB/s, one large download) and p50 latency of small requests on a
# kept-alive connection, direct vs through jailkeeper's proxy (jk_proxy_harness) vs tinyproxy,
# for plain HTTP and HTTPS (jailkeeper intercepts; tinyproxy can only tunnel CONNECT).
#   bench/proxy_bench.sh BUILD_DIR      (needs jk_proxy_harness built; nginx, curl, openssl)
# Knobs: JK_BENCH_BLOB_MB (512), JK_BENCH_REQUESTS (2000), JK_BENCH_ROUNDS (3).
set -euo pipefail
build=${1:?usage: bench/proxy_bench.sh BUILD_DIR}
harness=$build/tests/unit/jk_proxy_harness
blob_mb=${JK_BENCH_BLOB_MB:-512}
requests=${JK_BENCH_REQUESTS:-2000}
rounds=${JK_BENCH_ROUNDS:-3}
[[ -x $harness ]] || { echo "build jk_proxy_harness first (ninja -C $build jk_proxy_harness)" >&2; exit 2; }
command -v tinyproxy >/dev/null || { apt-get install -y tinyproxy >/dev/null || exit 2; }
command -v nginx >/dev/null || { apt-get install -y nginx-light >/dev/null || exit 2; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Test-time certificates: a CA and a leaf for localhost/127.0.0.1 (nothing is kept).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" \
  -out "$work/ca.pem" -days 1 -subj /CN=bench-ca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/leaf.key" \
  -out "$work/leaf.csr" -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/leaf.ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -set_serial 1 \
  -days 1 -extfile "$work/leaf.ext" -out "$work/leaf.pem" 2>/dev/null

mkdir -p "$work/www"
head -c "${blob_mb}M" /dev/urandom > "$work/www/blob"
echo ok > "$work/www/small"
chmod 755 "$work" "$work/www"  # nginx workers (not root) read the files
http_port=$(free_port); https_port=$(free_port); tiny_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off; sendfile on; keepalive_requests 1000000; keepalive_timeout 600;
  server { listen 127.0.0.1:$http_port; root $work/www; }
  server { listen 127.0.0.1:$https_port ssl; root $work/www;
           ssl_certificate $work/leaf.pem; ssl_certificate_key $work/leaf.key; }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
printf 'Port %s\nListen 127.0.0.1\nTimeout 600\nMaxClients 100\nLogLevel Critical\n' "$tiny_port" \
  > "$work/tinyproxy.conf"
tinyproxy -d -c "$work/tinyproxy.conf" 2>/dev/null & pids+=($!)
mkdir -p "$work/jk"
# --log-level warn: denials only in the audit log (allowed requests would add one write each).
"$harness" --dir "$work/jk" --allow domain=127.0.0.1 --allow domain=localhost \
  --upstream-ca "$work/ca.pem" --log-level warn ${JK_BENCH_PROXY_THREADS:+--threads $JK_BENCH_PROXY_THREADS} > "$work/jk.out" & pids+=($!)
until grep -q '^CA ' "$work/jk.out" 2>/dev/null; do sleep 0.1; done
jk_port=$(awk '/^LISTENING/ {print $2}' "$work/jk.out")
until curl -s -o /dev/null "http://127.0.0.1:$http_port/small"; do sleep 0.1; done
until curl -s -o /dev/null -x "http://127.0.0.1:$tiny_port" "http://127.0.0.1:$http_port/small"; do sleep 0.1; done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# throughput URL CURL_ARGS... -> MB/s (median of rounds)
throughput() {
  local url=$1; shift
  for _ in $(seq "$rounds"); do
    curl -sS -o /dev/null -w '%{speed_download}\n' "$@" "$url"
  done | median | awk '{printf "%.0f", $1 / 1e6}'
}
# latency URL CURL_ARGS... -> p50 microseconds of $requests GETs on one kept-alive connection
latency() {
  local url=$1; shift
  for _ in $(seq "$requests"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done \
    > "$work/urls.cfg"
  curl -sS -K "$work/urls.cfg" -w '%{time_total}\n' "$@" | tail -n +2 | median |
    awk '{printf "%.0f", $1 * 1e6}'
}

jk=(-x "http://127.0.0.1:$jk_port")
tiny=(-x "http://127.0.0.1:$tiny_port")
jkca=$(awk '/^CA / {print $2}' "$work/jk.out")
plain=http://127.0.0.1:$http_port
tls=https://localhost:$https_port
transparent=(--connect-to "localhost:$https_port:127.0.0.1:$jk_port" --cacert "$jkca")

row() {  # row NAME URL CURL_ARGS...
  local name=$1 url=$2; shift 2
  printf '| %s | %s | %s |\n' "$name" "$(throughput "$url/blob" "$@")" "$(latency "$url/small" "$@")"
}
echo "blob ${blob_mb} MiB, ${requests} kept-alive requests, median of ${rounds} downloads"
echo
echo "| path | MB/s | p50 µs |"
echo "| --- | ---: | ---: |"
row "HTTP direct" "$plain"
row "HTTP via jailkeeper" "$plain" "${jk[@]}"
row "HTTP via tinyproxy" "$plain" "${tiny[@]}"
row "HTTPS direct" "$tls" --cacert "$work/ca.pem"
row "HTTPS via jailkeeper CONNECT (intercepted)" "$tls" "${jk[@]}" --cacert "$jkca"
row "HTTPS via jailkeeper transparent (intercepted)" "$tls" "${transparent[@]}"
row "HTTPS via tinyproxy CONNECT (tunnel only)" "$tls" "${tiny[@]}" --cacert "$work/ca.pem"
