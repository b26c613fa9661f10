-- wrk script: POST one fixed chat request per call and print one machine-readable RESULT line.
--   BENCH_BODY     path of the JSON request body (required)
--   BENCH_API_KEY  bearer token (every target gets one; default sk-mock)
-- The URL given to wrk carries the path. No response() callback on purpose: parsing every
-- response in Lua costs client CPU on a 2-core machine; wrk counts non-2xx/3xx in errors.status.

local path = assert(os.getenv("BENCH_BODY"), "BENCH_BODY must name the request body file")
local f = assert(io.open(path, "rb"))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_API_KEY") or "sk-mock")

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f "
      .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
