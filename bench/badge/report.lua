-- report.lua - wrk hook for the badge benchmark: prints one machine-readable summary line when the run
-- ends (requests, bytes, errors, latency percentiles), so the entry script need not parse wrk's text.
-- Only done() is defined: wrk keeps its fast path for sending requests and reading responses.

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d " ..
    "p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
