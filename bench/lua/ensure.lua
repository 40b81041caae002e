-- ensure calls: MODE=hit cycles over APPS seeded appIds (bench-app-0 ...); MODE=new sends appIds never seen.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
require "common"
local apps = tonumber(os.getenv("APPS") or "100000")
local mode = os.getenv("MODE") or "hit"
local run = os.getenv("RUN_ID") or tostring(os.time())
local counter = 0
function init(args)
  counter = id * 104729
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Deploy-Secret"] = os.getenv("INTERNAL_TOKEN")
request = function()
  counter = counter + 1
  local appId
  if mode == "hit" then
    appId = "bench-app-" .. (counter % apps)
  else
    appId = "new-" .. run .. "-" .. id .. "-" .. counter
  end
  return wrk.format(nil, "/internal/placements/ensure", nil, '{"appId":"' .. appId .. '"}')
end
done = report
