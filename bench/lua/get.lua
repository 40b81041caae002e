-- A plain GET of the URL given to wrk, with the admin token from the environment when set.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
require "common"
local token = os.getenv("ADMIN_TOKEN")
if token then wrk.headers["X-Admin-Token"] = token end
done = report
