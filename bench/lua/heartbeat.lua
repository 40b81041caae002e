-- Heartbeats over NODES node names (default 1000), bench-node-0 ... with the URLs seed.py gives them.
--   BODY=agent (default): the runtime-agent's body; diskFreePct moves in its second decimal and diskFreeBytes on
--     every beat, as on a busy node. BODY=urls: the URLs alone, for contrast.
--   INTERVAL=s: beats leave on a fixed schedule of NODES / s a second, like a fleet beating every s seconds (fewer
--     only when every connection is still waiting for an answer). THREADS must be wrk's -t.
--   ONCE=true: every node once, as fast as the connections go, then nothing; the RESULT line counts the burst's own
--     duration (burst_ms) instead of wrk's -d. THREADS must be wrk's -t.
-- Otherwise the nodes are walked round and round as fast as the connections go, each thread from its own offset.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
require "common"
local ffi = require "ffi"
ffi.cdef [[
  struct bench_timeval { long tv_sec; long tv_usec; };
  int gettimeofday(struct bench_timeval *tv, void *tz);
]]

local nodes = tonumber(os.getenv("NODES") or "1000")
local agentBody = (os.getenv("BODY") or "agent") == "agent"
local interval = tonumber(os.getenv("INTERVAL") or "0")
local once = os.getenv("ONCE") == "true"
local counter = 0
-- ONCE: this thread's nodes are id, id + THREADS, ...; reserved when a connection may send, then sent, then answered.
local threadCount, share, reserved, sent = 1, 0, 0, 0
answered, started, finished = 0, nil, nil

local timeval = ffi.new("struct bench_timeval")
local function nowMs()
  ffi.C.gettimeofday(timeval, nil)
  return tonumber(timeval.tv_sec) * 1000 + tonumber(timeval.tv_usec) / 1000
end

function init(args)
  counter = id * 7919
  threadCount = tonumber(os.getenv("THREADS") or "2")
  share = math.floor((nodes - id + threadCount - 1) / threadCount)
end

local function body(n, beat)
  if not agentBody then
    return string.format('{"nodeName":"bench-node-%d","agentBaseUrl":"http://127.0.0.1:%d","gatewayBaseUrl":"http://127.0.0.1:%d"}',
        n, 20000 + n, 30000 + n)
  end
  -- Free disk starts between 40 % and 89.99 % and loses 0.01 % a beat, wrapping after 100 beats; 4 KiB go every beat.
  return string.format('{"nodeName":"bench-node-%d","agentBaseUrl":"http://127.0.0.1:%d","gatewayBaseUrl":"http://127.0.0.1:%d",'
      .. '"diskFreePct":%.2f,"diskFreeBytes":%.0f,"containerCount":%d}',
      n, 20000 + n, 30000 + n, (4099 + (n % 50) * 100 - beat % 100) / 100, 2e11 + n * 1e6 - (beat % 1e6) * 4096, n % 40)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-RT-Node-Token"] = os.getenv("NODE_TOKEN")

request = function()
  counter = counter + 1
  local n, beat
  if once then
    sent = sent + 1
    n, beat = id + threadCount * (sent - 1), 0
  else
    n, beat = counter % nodes, math.floor(counter / nodes)
  end
  return wrk.format(nil, "/internal/runtime-nodes/heartbeat", nil, body(n, beat))
end

if interval > 0 then
  -- wrk asks delay() once before each request: each call takes this thread's next slot on the schedule, so the
  -- rate does not sag by the answers' latency.
  local nextSlot
  function delay()
    local now, period = nowMs(), threadCount * interval * 1000 / nodes
    local slot = math.max(nextSlot or now, now - period)
    nextSlot = slot + period
    return math.max(0, slot - now)
  end
elseif once then
  -- wrk asks delay() once before each request, so reserving here gives each connection its own node.
  function delay()
    if reserved < share then
      reserved = reserved + 1
      started = started or nowMs()
      return 0
    end
    return 3600 * 1000
  end

  function response(status, headers, body)
    answered = answered + 1
    if answered == share then
      finished = nowMs()
    end
  end
end

if once then
  done = function(summary, latency, requests)
    local first, last, total, complete = math.huge, 0, 0, true
    for _, thread in ipairs(wrkThreads) do
      local from, to = thread:get("started"), thread:get("finished")
      total = total + thread:get("answered")
      if from and from < first then first = from end
      if to then last = math.max(last, to) else complete = false end
    end
    if not complete then
      last = first + summary.duration / 1000
    end
    write_result(summary, latency, (last - first) / 1000,
        string.format(" burst_ms=%.0f answered=%d complete=%s", last - first, total, tostring(complete)))
  end
else
  done = report
end
