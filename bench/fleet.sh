#!/usr/bin/env bash
# Fleet-size benchmark: the same three scenarios at 1,000 and at 100,000 registered nodes, and whether each
# 100,000-node figure stays within 1.5x of its 1,000-node figure. Writes bench/results/<date>-fleet-<mode>.md.
#
#   bench/fleet.sh [memory|mariadb|all]      (default: all)
#
# Scenarios, each after its own JIT warm-up (WARMUP s of the very same load, not measured):
#   list  GET /admin/runtime-nodes/list?limit=500&afterNodeId=<middle of the fleet>: one page of 500 node views
#   place POST /internal/placements/ensure with appIds never seen before: first placements
#   beat  POST /internal/runtime-nodes/heartbeat with the agent's body, walking over every registered node
# Settings (environment): DURATION=15 (s measured), WARMUP=12 (s), THREADS=2, CONNECTIONS=32, PORT=7191,
# JAVA_OPTS (after deploy/jvm.options; none by default), SIZES="1000 100000", SKIP_BUILD=true (use the jar already
# in target/). The service runs as shipped (deploy/launch.sh on Java 25 with its AOT cache), as in bench/run.sh.
# Nodes are seeded fast: in memory by heartbeats (bench/seed.py, 8 connections); on MariaDB by one
# INSERT ... SELECT from seq_0_to_99999 with the same names and URLs the heartbeat script sends, enabled and
# with a fresh heartbeat, so every seeded node is HEALTHY and placeable. The MariaDB server is a private one
# (bench/private_mariadb.py), started and removed here; no other database server is touched.
# wrk runs on the same cores as the service, so compare the two sizes of one run, not figures across machines.
set -euo pipefail
cd "$(dirname "$0")/.."

MODES=${1:-all}
case "$MODES" in
  memory | mariadb | all) ;;
  *) echo "usage: bench/fleet.sh [memory|mariadb|all]" >&2; exit 2 ;;
esac
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-12}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-7191}
SIZES=${SIZES:-1000 100000}
PAGE=500
DB_NAME=deploy_fleet
# The shipped settings: their 384 MB heap holds 100,000 nodes (about 80 MB, see the results) with room to spare.
export JAVA_OPTS=${JAVA_OPTS:-}
# shellcheck source=bench/common.sh
. bench/common.sh
[ "$MODES" = memory ] || start_private_mariadb
JCMD=$(dirname "$(readlink -f "$JAVA25")")/jcmd

# seed MODE COUNT: registers bench-node-0 .. COUNT-1, HEALTHY and placeable, with the URLs heartbeat.lua sends.
seed() {
  local mode=$1 count=$2
  if [ "$mode" = mariadb ]; then
    sql "$DB_NAME" -e "INSERT INTO fun_ai_deploy_runtime_node
        (name, agent_base_url, gateway_base_url, enabled, weight, last_heartbeat_at, create_time, update_time)
      SELECT CONCAT('bench-node-', s.seq), CONCAT('http://127.0.0.1:', 20000 + s.seq),
             CONCAT('http://127.0.0.1:', 30000 + s.seq), 1, 100, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
      FROM seq_0_to_99999 s WHERE s.seq < $count ORDER BY s.seq"
  else
    python3 bench/seed.py "$BASE" nodes "$count"
  fi
  # Walks the list by pages, which also shows the paging answers every node exactly once.
  local placeable
  placeable=$(python3 - "$BASE" "$ADMIN_TOKEN" <<'PY'
import json, sys, urllib.request
base, token, after, placeable = sys.argv[1], sys.argv[2], None, 0
while True:
    url = base + "/admin/runtime-nodes/list?limit=2000" + ("" if after is None else "&afterNodeId=%d" % after)
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"X-Admin-Token": token})))["data"]
    placeable += sum(1 for n in page["items"] if n["placeable"])
    after = page["nextAfterNodeId"]
    if after is None:
        break
print(placeable)
PY
)
  [ "$placeable" = "$count" ] || { echo "expected $count placeable nodes, the list shows $placeable" >&2; exit 1; }
}

thousands() { printf "%s" "$1" | rev | sed -E 's/([0-9]{3})/\1,/g; s/,$//' | rev; }
wrk_cmd() {
  local script=$1 path=$2 seconds=$3
  echo "wrk -t$THREADS -c$CONNECTIONS -d${seconds}s -s bench/lua/$script $BASE$path"
}
# measure NAME SCRIPT PATH [ENV=VALUE...]: a warm-up of the same load, then the measured run. Sets LAST (req/s)
# and LAST_DETAIL (p50, p99, errors).
declare -A FIGURE DETAIL
measure() {
  local key=$1 script=$2 path=$3
  shift 3
  env THREADS="$THREADS" "$@" $(wrk_cmd "$script" "$path" "$WARMUP") >/dev/null
  local line
  line=$(env THREADS="$THREADS" "$@" $(wrk_cmd "$script" "$path" "$DURATION") | grep '^RESULT')
  FIGURE[$key]=$(field rps "$line")
  DETAIL[$key]="p50 $(field p50_ms "$line") ms, p99 $(field p99_ms "$line") ms, errors $(field errors "$line")"
  echo "  $key: ${FIGURE[$key]} req/s, ${DETAIL[$key]}"
}

bench_size() {
  local mode=$1 size=$2
  LOAD[$size]=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "== $mode, $size nodes (load ${LOAD[$size]})"
  [ "$mode" != mariadb ] || sql -e "DROP DATABASE IF EXISTS $DB_NAME"
  # The default max-nodes of 10,000 would refuse the fleet.
  start_service "$mode" "$DB_NAME" shipped --deploy.runtime-node-registry.max-nodes=200000
  local seeded_at
  seeded_at=$(date +%s)
  seed "$mode" "$size"
  echo "  seeded $size nodes in $(($(date +%s) - seeded_at)) s"
  # The JIT compiles the shared request path first.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s "$BASE/internal/health" >/dev/null
  measure "list@$size" get.lua "/admin/runtime-nodes/list?limit=$PAGE&afterNodeId=$((size / 2))"
  measure "place@$size" ensure.lua / MODE=new RUN_ID="$mode$size$(date +%s)"
  measure "beat@$size" heartbeat.lua / NODES="$size"
  RSS[$size]=$(($(ps -o rss= -p "$PID") / 1024))
  # Heap in use after a full collection: what the fleet itself occupies, for the per-node figure.
  "$JCMD" "$PID" GC.run >/dev/null
  HEAP[$size]=$("$JCMD" "$PID" GC.heap_info | awk '/generation/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K,?", "", $(i + 1)); kb += $(i + 1) } } END { printf "%.0f", kb / 1024 }')
  stop_service
}

declare -A RSS HEAP LOAD
bench_mode() {
  local mode=$1
  FIGURE=() DETAIL=() RSS=() HEAP=() LOAD=()
  local small large
  read -r small large <<<"$SIZES"
  bench_size "$mode" "$small"
  bench_size "$mode" "$large"
  local file="$RESULTS/$(date -u +%Y-%m-%d)-fleet-$mode.md"
  # Earlier results stay: a second run on one day gets the time in its name.
  [ ! -e "$file" ] || file="$RESULTS/$(date -u +%Y-%m-%d-%H%M)-fleet-$mode.md"
  {
    echo "# Fleet-size benchmark: $mode, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Command: \`bench/fleet.sh $mode\` at commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' plus uncommitted changes')."
    echo "Each scenario: ${WARMUP} s warm-up of the same load (not measured), then ${DURATION} s measured, wrk -t$THREADS -c$CONNECTIONS."
    echo "JVM options: as shipped (deploy/launch.sh: deploy/jvm.options, on Java 25 compact headers and the AOT cache), then \`JAVA_OPTS=$JAVA_OPTS\`; \`max-nodes=200000\`, \`heartbeat-stale-seconds=3600\`."
    echo "Load average (1, 5, 15 min) as each size started: ${LOAD[$small]} at $(thousands "$small") nodes, ${LOAD[$large]} at $(thousands "$large") nodes."
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $("$JAVA25" -version 2>&1 | head -1); wrk shares the $(nproc) cores with the service (and MariaDB), so figures are for comparing the two fleet sizes of this run."
    echo
    echo "| scenario | $(thousands "$small") nodes | $(thousands "$large") nodes | ratio | target (≤1.5×) | command |"
    echo "|---|---|---|---|---|---|"
    local key name ratio met command
    for key in list place beat; do
      # N is the fleet size of the column.
      case $key in
        list)
          name="a page of $PAGE nodes"
          command="$(wrk_cmd get.lua "/admin/runtime-nodes/list?limit=$PAGE&afterNodeId=<N/2>" "$DURATION")" ;;
        place)
          name="first placement (\`ensure\`, new appIds)"
          command="MODE=new RUN_ID=<unique> $(wrk_cmd ensure.lua / "$DURATION")" ;;
        beat)
          name="heartbeats (agent's body, every node in turn)"
          command="NODES=<N> $(wrk_cmd heartbeat.lua / "$DURATION")" ;;
      esac
      # The ratio is how many times slower the large fleet is: 1,000-node rate over 100,000-node rate.
      ratio=$(awk -v a="${FIGURE[$key@$small]}" -v b="${FIGURE[$key@$large]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 999) }')
      met=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5 ? "met" : "missed") }')
      echo "| $name | ${FIGURE[$key@$small]} req/s (${DETAIL[$key@$small]}) | ${FIGURE[$key@$large]} req/s (${DETAIL[$key@$large]}) | ${ratio}× | $met | \`$command\` |"
    done
    echo
    echo "Memory after the three scenarios: resident ${RSS[$small]} MB at $(thousands "$small") nodes, ${RSS[$large]} MB at $(thousands "$large") nodes;"
    echo "heap in use after a full GC ${HEAP[$small]} MB and ${HEAP[$large]} MB, so about $(awk -v a="${HEAP[$small]}" -v b="${HEAP[$large]}" -v n=$((large - small)) 'BEGIN { printf "%.0f", (b - a) * 1048576 / n }') bytes of heap per node."
  } >"$file"
  echo "  wrote $file"
}

case "$MODES" in
  memory | mariadb) bench_mode "$MODES" ;;
  all) bench_mode memory && bench_mode mariadb ;;
esac
