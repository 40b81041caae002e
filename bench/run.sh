#!/usr/bin/env bash
# Benchmarks the service on this machine and writes bench/results/<date>-<mode>.md.
#
#   bench/run.sh [memory|mariadb|all]      (default: all)
#
# Settings (environment): DURATION=15 (s per scenario), WARMUP=5 (s, not measured), THREADS=2, CONNECTIONS=32,
# PORT=7190, SKIP_BUILD=true (use the jar already in target/), JAVA25 (a Java 25 java binary, default Temurin's
# under /usr/lib/jvm), JAVA17 (default: java).
# The service runs as shipped: the jar extracted and started by deploy/launch.sh on Java 25 with deploy/jvm.options
# and the AOT caches launch.sh trains, as the Docker image and the systemd unit run it. Start-up from a plain
# `java -jar` on Java 17 and on Java 25 (same jvm.options, no cache) is measured beside it.
# For the mariadb mode (and all) it starts its own MariaDB server (bench/private_mariadb.py: a fresh data
# directory in a temporary directory, a free port on 127.0.0.1) and removes it at the end, on failure and
# on Ctrl-C too; no other database server is touched.
# wrk runs on the same 2 cores as the service, so every figure is relative to the ceiling scenario
# (GET /internal/health) measured in the same run; the ratio is the number to compare.
set -euo pipefail
cd "$(dirname "$0")/.."

MODES=${1:-all}
case "$MODES" in
  memory | mariadb | all) ;;
  *) echo "usage: bench/run.sh [memory|mariadb|all]" >&2; exit 2 ;;
esac
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-7190}
DB_NAME=deploy_bench
# The JVM's own heap sizing on this machine (a quarter and a 64th of the RAM), same collector: the "unconstrained
# heap" the shipped settings' heartbeat rate is compared with.
UNCONSTRAINED_HEAP="-Xms$(($(free -m | awk '/Mem:/ {print $2}') / 64))m -Xmx$(($(free -m | awk '/Mem:/ {print $2}') / 4))m"
# shellcheck source=bench/common.sh
. bench/common.sh
[ "$MODES" = memory ] || start_private_mariadb

# b2's 10,000 nodes come on top of the others.
SERVICE_ARGS=(--deploy.runtime-node-registry.max-nodes=20000)
# start MODE [shipped|plain17|plain25|unconstrained]: start_service with this benchmark's database and settings.
start() {
  if [ "${2:-}" = unconstrained ]; then
    JAVA_OPTS="$UNCONSTRAINED_HEAP" start_service "$1" "$DB_NAME" shipped "${SERVICE_ARGS[@]}"
  else
    start_service "$1" "$DB_NAME" "${2:-shipped}" "${SERVICE_ARGS[@]}"
  fi
}

ROWS=()
CEILING=""
LAST_RPS="" LAST_P99=""
# wrk_result SCRIPT PATH SECONDS [ENV=VALUE...]: one wrk run; prints its RESULT line.
wrk_result() {
  local script=$1 path=$2 seconds=$3
  shift 3
  env THREADS="$THREADS" "$@" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" -s "bench/lua/$script" "$BASE$path" | grep '^RESULT'
}
# run_wrk NAME SCRIPT PATH [ENV=VALUE...]: a warm-up, then the measured run; appends a result row. A paced run
# (INTERVAL=...) sends what it is told to, so its ratio to the ceiling means nothing and is left out.
run_wrk() {
  local name=$1 script=$2 path=$3
  shift 3
  wrk_result "$script" "$path" "$WARMUP" "$@" >/dev/null
  local line rps p50 p99 errors ratio
  line=$(wrk_result "$script" "$path" "$DURATION" "$@")
  rps=$(field rps "$line")
  p50=$(field p50_ms "$line")
  p99=$(field p99_ms "$line")
  errors=$(field errors "$line")
  [ -z "$CEILING" ] && CEILING=$rps
  if [[ " $* " == *" INTERVAL="* ]]; then
    ratio="paced"
  else
    ratio="$(ratio "$rps" "$CEILING")×"
  fi
  ROWS+=("| $name | $rps | $p50 | $p99 | $errors | $ratio |")
  LAST_RPS=$rps LAST_P99=$p99
  echo "  $name: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors, $ratio"
}

get_json() { curl -sf -H "X-Admin-Token: $ADMIN_TOKEN" "$BASE$1"; }
post_json() { curl -sf -H "X-Admin-Token: $ADMIN_TOKEN" -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
node_id() { get_json /admin/runtime-nodes/list | python3 -c "import json,sys; print(next(n['nodeId'] for n in json.load(sys.stdin)['data'] if n['name'] == '$1'))"; }

warm_heartbeats() {
  local body
  for body in agent urls agent urls; do
    wrk_result heartbeat.lua / "$WARMUP" NODES=1000 BODY=$body >/dev/null
  done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# target_row TARGET MEASURED CONDITION: a row of the targets table; CONDITION is an awk expression.
target_row() {
  local met=missed
  awk "BEGIN { exit !($3) }" && met=met
  echo "| $1 | $2 | $met |"
}


bench_mode() {
  local mode=$1
  ROWS=()
  CEILING=""
  echo "== $mode"
  if [ "$mode" = mariadb ]; then
    sql -e "DROP DATABASE IF EXISTS $DB_NAME"
  fi
  # Start-up on an empty database each time (the migrations included): plain jars first, then as shipped.
  local variant startup_ms
  declare -A startup=()
  for variant in plain17 plain25 shipped; do
    if [ "$mode" = mariadb ]; then
      sql -e "DROP DATABASE IF EXISTS $DB_NAME"
    fi
    start "$mode" "$variant"
    startup[$variant]=$STARTUP_MS
    [ $variant = shipped ] || stop_service
  done
  startup_ms=${startup[shipped]}
  echo "  start-up: $startup_ms ms as shipped, ${startup[plain17]} ms plain on Java 17, ${startup[plain25]} ms plain on Java 25"

  # The JIT compiles the shared request path first, so the ceiling is not measured on a cold server.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s "$BASE/internal/health" >/dev/null
  run_wrk "a. ceiling: GET /internal/health" get.lua /internal/health
  python3 bench/seed.py "$BASE" nodes 100
  run_wrk "d. ensure, first placements over 100 nodes" ensure.lua / MODE=new RUN_ID="$mode$(date +%s)"
  if [ "$mode" = mariadb ]; then
    # 100,000 placements spread over the 100 seeded nodes, in SQL batches rather than 100,000 calls.
    sql "$DB_NAME" -e "INSERT INTO fun_ai_deploy_runtime_placement (app_id, node_id, last_active_at, create_time, update_time)
      SELECT CONCAT('bench-app-', s.seq), n.id, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
      FROM seq_0_to_99999 s JOIN fun_ai_deploy_runtime_node n ON n.name = CONCAT('bench-node-', s.seq % 100)"
  else
    python3 bench/seed.py "$BASE" apps 100000
  fi
  run_wrk "c. ensure, hits over 100,000 placed apps" ensure.lua / MODE=hit APPS=100000
  # Both bodies warm up before either is measured: the JIT compiles the figures' parsing and the URL-only path
  # apart, and a 5 s warm-up left the first-measured body cold.
  warm_heartbeats
  run_wrk "b. heartbeats over 1,000 nodes, the agent's body" heartbeat.lua / NODES=1000
  local agent_rps=$LAST_RPS agent_p99=$LAST_P99
  run_wrk "b-url-only. heartbeats over 1,000 nodes, URLs only (for contrast)" heartbeat.lua / NODES=1000 BODY=urls
  local urls_rps=$LAST_RPS
  run_wrk "e. admin list, 1,000 nodes" get.lua /admin/runtime-nodes/list

  post_json /admin/runtime-nodes/upsert '{"name":"bench-source","agentBaseUrl":"http://127.0.0.1:1","gatewayBaseUrl":"http://127.0.0.1:2"}' >/dev/null
  post_json /admin/runtime-nodes/upsert '{"name":"bench-target","agentBaseUrl":"http://127.0.0.1:3","gatewayBaseUrl":"http://127.0.0.1:4"}' >/dev/null
  # Reassign and drain need healthy nodes.
  for hb in '{"nodeName":"bench-source","agentBaseUrl":"http://127.0.0.1:1","gatewayBaseUrl":"http://127.0.0.1:2"}' \
    '{"nodeName":"bench-target","agentBaseUrl":"http://127.0.0.1:3","gatewayBaseUrl":"http://127.0.0.1:4"}'; do
    curl -sf -H "X-RT-Node-Token: $NODE_TOKEN" -H 'Content-Type: application/json' -d "$hb" \
      "$BASE/internal/runtime-nodes/heartbeat" >/dev/null
  done
  local source target
  source=$(node_id bench-source)
  target=$(node_id bench-target)

  if [ "$mode" = mariadb ]; then
    post_json /admin/runtime-nodes/upsert '{"name":"bench-big","agentBaseUrl":"http://127.0.0.1:5","gatewayBaseUrl":"http://127.0.0.1:6"}' >/dev/null
    local big
    big=$(node_id bench-big)
    for ((chunk = 0; chunk < 10; chunk++)); do
      sql "$DB_NAME" -e "INSERT INTO fun_ai_deploy_runtime_placement (app_id, node_id, last_active_at, create_time, update_time)
        SELECT CONCAT('big-', LPAD(s.seq + $chunk * 100000, 7, '0')), $big, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
        FROM seq_0_to_99999 s"
    done
    run_wrk "f. placements, first page of 1,000,000 (limit 200)" get.lua "/admin/runtime-nodes/placements?nodeId=$big&limit=200"
    run_wrk "f. placements, last page of 1,000,000 (afterAppId)" get.lua "/admin/runtime-nodes/placements?nodeId=$big&limit=200&afterAppId=big-0999799"
    run_wrk "f. placements, last page of 1,000,000 (offset, for contrast)" get.lua "/admin/runtime-nodes/placements?nodeId=$big&limit=200&offset=999800"
    sql "$DB_NAME" -e "INSERT INTO fun_ai_deploy_runtime_placement (app_id, node_id, last_active_at, create_time, update_time)
      SELECT CONCAT('drain-app-', s.seq), $source, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM seq_0_to_99999 s"
  else
    python3 bench/seed.py "$BASE" pin 100000 "$source"
  fi
  local drain_ms
  drain_ms=$(python3 bench/drain.py "$BASE" "$source" "$target")
  echo "  g. drain of 100,000 apps: $drain_ms ms"

  local rss_mb histogram
  rss_mb=$(($(ps -o rss= -p "$PID") / 1024))
  echo "  h. resident memory after the load: $rss_mb MB"
  # Taken after the reading above: the histogram collects the heap first.
  histogram=$("$(dirname "$(readlink -f "$JAVA25")")/jcmd" "$PID" GC.class_histogram | sed -n '2,18p')

  # b2, last because it restarts the service: a fleet of 10,000 agents at their default 60 s interval, then every
  # one of them at once right after a restart, as when the control plane comes back. In memory the restart forgets
  # the nodes, so there the burst registers them all again.
  python3 bench/seed.py "$BASE" nodes 10000
  run_wrk "b2. 10,000 nodes beating every 60 s" heartbeat.lua / NODES=10000 INTERVAL=60
  stop_service
  start "$mode"
  local burst burst_ms burst_line
  # One pass and no warm-up: a warm-up would be the burst itself. -d only has to outlast it.
  burst=$(wrk_result heartbeat.lua / "$DURATION" NODES=10000 ONCE=true)
  burst_ms=$(field burst_ms "$burst")
  burst_line="$burst_ms ms for $(field answered "$burst") of 10,000 ($(field rps "$burst") req/s, p50 $(field p50_ms "$burst") ms, p99 $(field p99_ms "$burst") ms, errors $(field errors "$burst"))"
  [ "$(field complete "$burst")" = true ] || burst_line="unfinished within $DURATION s: $burst_line"
  echo "  b2. burst after a restart: $burst_line"
  stop_service

  # The same heartbeats with the JVM's own heap sizing, holding the same placements, against scenario b.
  start "$mode" unconstrained
  [ "$mode" = mariadb ] || python3 bench/seed.py "$BASE" apps 100000
  warm_heartbeats
  run_wrk "b-unconstrained. scenario b with the JVM's own heap sizing ($UNCONSTRAINED_HEAP)" heartbeat.lua / NODES=1000
  local unconstrained_rps=$LAST_RPS
  stop_service

  local file="$RESULTS/$(date -u +%Y-%m-%d)-$mode.md"
  # Earlier results stay: a second run on one day gets the time in its name.
  [ ! -e "$file" ] || file="$RESULTS/$(date -u +%Y-%m-%d-%H%M)-$mode.md"
  {
    echo "# Benchmark: $mode, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Command: \`bench/run.sh $mode\` (wrk -t$THREADS -c$CONNECTIONS, ${WARMUP} s warm-up then ${DURATION} s measured per scenario)."
    echo "JVM options: deploy/jvm.options ($(grep -v '^#' deploy/jvm.options | grep . | tr '\n' ' ')), plus \`-XX:+UseCompactObjectHeaders\` and the AOT cache on Java 25 (deploy/launch.sh)."
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $("$JAVA25" -version 2>&1 | head -1) (shipped), $("$JAVA17" -version 2>&1 | head -1) (plain 17), $(uname -m); wrk shares the cores with the service."
    echo
    echo "| scenario | requests/s | p50 ms | p99 ms | errors | ratio to ceiling |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "| measure | value |"
    echo "|---|---|"
    echo "| h. start-up to the first 200, as shipped (\`deploy/launch.sh\`: Java 25, AOT cache) | $startup_ms ms |"
    echo "| h. start-up to the first 200, plain \`java @deploy/jvm.options -jar\` on Java 17 | ${startup[plain17]} ms |"
    echo "| h. start-up to the first 200, plain \`java @deploy/jvm.options -jar\` on Java 25 | ${startup[plain25]} ms |"
    echo "| g. drain of 100,000 apps (limit 2000 per call) | $drain_ms ms |"
    echo "| h. resident memory after the load (before b2) | $rss_mb MB |"
    echo "| b2. burst right after a restart: every one of 10,000 nodes once | $burst_line |"
    echo
    echo "## Against issue 10's targets"
    echo
    echo "| target | measured | met |"
    echo "|---|---|---|"
    local startup_target=2000 rss_target=256
    [ "$mode" = mariadb ] && startup_target=4000 rss_target=320
    target_row "agent heartbeats ≥ 0.8× URL-only" "$(ratio "$agent_rps" "$urls_rps")×" "$(ratio "$agent_rps" "$urls_rps") >= 0.8"
    target_row "agent heartbeats p99 < 25 ms" "$agent_p99 ms" "$agent_p99 < 25"
    target_row "drain of 100,000 apps < 3 s" "$drain_ms ms" "$drain_ms < 3000"
    target_row "start-up as shipped < $startup_target ms" "$startup_ms ms" "$startup_ms < $startup_target"
    target_row "resident memory < $rss_target MB" "$rss_mb MB" "$rss_mb < $rss_target"
    target_row "heartbeats ≥ 0.9× of an unconstrained heap" "$(ratio "$agent_rps" "$unconstrained_rps")×" \
      "$(ratio "$agent_rps" "$unconstrained_rps") >= 0.9"
    echo
    echo "## Heap histogram after the load, largest consumers (jcmd GC.class_histogram)"
    echo
    echo '```'
    echo "$histogram"
    echo '```'
  } >"$file"
  echo "  wrote $file"
}

case "$MODES" in
  memory | mariadb) bench_mode "$MODES" ;;
  all) bench_mode memory && bench_mode mariadb ;;
esac
