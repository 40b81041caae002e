-- Shared by every scenario: prints one machine-readable line that run.sh parses.
function report(summary, latency)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
      summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      summary.requests, errors))
end

-- Numbers each wrk thread (the global "id" inside it) so every thread walks its own part of the keys.
local threadNo = 0
function setup(thread)
  thread:set("id", threadNo)
  threadNo = threadNo + 1
end
