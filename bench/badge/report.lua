-- report.lua - wrk hook for the badge benchmark: prints one machine-readable summary line when the run
-- ends (requests, bytes, errors, latency percentiles), so the entry script need not parse wrk's text.
--
--   wrk ... -s report.lua URL            one request per write (plain HTTP/1.1)
--   wrk ... -s report.lua URL -- 16      16 pipelined requests per write on each connection
--
-- Without a depth (or with 1) only init() and done() are defined, so wrk keeps its fast path for
-- sending requests. With a depth, init() builds the request once with wrk.format, repeated depth
-- times, and defines request() to return it: wrk then counts the requests in that buffer, sends it in
-- one write and sends the next once every response to it has arrived. wrk records one latency per
-- write, so with a depth the percentiles are those of a whole batch.

init = function(args)
  local depth = tonumber(args[1] or "1")
  if depth and depth > 1 then
    local batch = string.rep(wrk.format(), depth)
    request = function()
      return batch
    end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d " ..
    "p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
