-- wrk script for benchmarks/load.py: one page, read again and again; prints one RESULT line.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT %d %d %.2f %.2f %d\n",
    summary.requests,
    summary.duration,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout
  ))
end
