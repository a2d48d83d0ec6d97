-- wrk script: POST the AdmissionReview in $JK_BENCH_BODY to every connection.
-- With $JK_BENCH_RATE > 0 the requests are paced to that total rate (requests/s) on a shared
-- schedule: each connection, after its response, waits for the next free slot (1/rate apart).
-- wrk's delay() has millisecond granularity; the schedule absorbs the rounding, so the average
-- rate is right and each request may move by < 1 ms. Latency is measured from the write, so the
-- wait is not counted. done() prints one machine-readable "JKBENCH" line.

local body_file = assert(os.getenv("JK_BENCH_BODY"), "JK_BENCH_BODY not set")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()

local rate = tonumber(os.getenv("JK_BENCH_RATE") or "0") or 0

if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } jk_timespec;
    int clock_gettime(int clk_id, jk_timespec *tp);
  ]]
  local kClockMonotonic = 1
  local kMaxLagMs = 50  -- after a stall, restart the schedule instead of bursting to catch up
  local ts = ffi.new("jk_timespec")
  local function now_ms()
    ffi.C.clock_gettime(kClockMonotonic, ts)
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval_ms = 1000 / rate
  local next_slot = nil

  function delay()
    local now = now_ms()
    if next_slot == nil or next_slot < now - kMaxLagMs then next_slot = now end
    next_slot = next_slot + interval_ms
    local wait = next_slot - now
    if wait < 0 then return 0 end
    return math.floor(wait + 0.5)
  end
end

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
