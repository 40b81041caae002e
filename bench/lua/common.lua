-- Shared by every scenario: prints one machine-readable line that run.sh parses.
function report(summary, latency)
  write_result(summary, latency, summary.duration / 1e6, "")
end

-- The RESULT line over the given seconds (wrk's own duration, or a burst's when it ended sooner), with extra fields.
function write_result(summary, latency, seconds, extra)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d%s\n",
      summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      summary.requests, errors, extra))
end

-- Numbers each wrk thread (the global "id" inside it) so every thread walks its own part of the keys, and keeps
-- the threads so done() can read what they counted.
local threadNo = 0
wrkThreads = {}
function setup(thread)
  thread:set("id", threadNo)
  threadNo = threadNo + 1
  table.insert(wrkThreads, thread)
end
