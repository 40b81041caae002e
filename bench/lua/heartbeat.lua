-- Heartbeats rotating over NODES node names (default 1000); each thread starts at its own offset.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
require "common"
local nodes = tonumber(os.getenv("NODES") or "1000")
local counter = 0
function init(args)
  counter = id * 7919
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-RT-Node-Token"] = os.getenv("NODE_TOKEN")
request = function()
  counter = counter + 1
  local n = counter % nodes
  local body = string.format(
    '{"nodeName":"bench-node-%d","agentBaseUrl":"http://127.0.0.1:%d","gatewayBaseUrl":"http://127.0.0.1:%d"}',
    n, 20000 + n, 30000 + n)
  return wrk.format(nil, "/internal/runtime-nodes/heartbeat", nil, body)
end
done = report
