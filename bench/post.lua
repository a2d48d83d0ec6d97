-- wrk script: POST the AdmissionReview in $JK_BENCH_BODY to every connection, as fast as the
-- server answers (bench/load.sh's full-load runs; paced runs use paced_client.cpp, whose
-- schedule is not rounded to wrk's millisecond timer). done() prints one machine-readable
-- "JKBENCH" line.

local body_file = assert(os.getenv("JK_BENCH_BODY"), "JK_BENCH_BODY not set")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "JKBENCH requests=%d seconds=%.3f rps=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f " ..
    "p999_us=%.0f max_us=%.0f socket_errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
