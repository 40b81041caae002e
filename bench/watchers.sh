#!/usr/bin/env bash
# Heartbeats with and without WATCHERS change-feed watches waiting on the same instance, in alternating runs after
# one long warm-up: the watches must leave the heartbeat rate at 0.8x or more of its rate without them (median of
# the runs with against median of the runs without). Writes bench/results/<date>-watchers.md.
#
#   bench/watchers.sh            (settings: WATCHERS=2000, ROUNDS=3, DURATION=15, WARMUP=40, THREADS=2,
#                                 CONNECTIONS=32, PORT=7192, SKIP_BUILD=true to use the jar already in target/)
#
# The service runs as shipped (deploy/launch.sh on Java 25 with its AOT cache, deploy/jvm.options' heap, the
# default deploy.changes.max-waiting) with state in memory; 1,000 nodes send the runtime-agent's heartbeat body
# (bench/lua/heartbeat.lua), which records no change, so the watches stay waiting: what is measured is what
# waiting costs. bench/watchers.py holds the watches (asyncio sockets) on the same 2 cores as wrk and the service;
# each run with watches opens them afresh and closes them after.
set -euo pipefail
cd "$(dirname "$0")/.."

WATCHERS=${WATCHERS:-2000}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-40}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-7192}
# shellcheck source=bench/common.sh
. bench/common.sh

WATCHERS_PID=""
stop_watchers() {
  [ -z "$WATCHERS_PID" ] || { kill "$WATCHERS_PID" 2>/dev/null || true; wait "$WATCHERS_PID" 2>/dev/null || true; }
  WATCHERS_PID=""
}
trap 'stop_watchers; cleanup' EXIT

beats() {
  env THREADS="$THREADS" NODES=1000 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" -s bench/lua/heartbeat.lua "$BASE/" \
    | grep '^RESULT'
}

JCMD=$(dirname "$JAVA25")/jcmd
# The service's heap in use after a full collection, in MB: the serial collector's two generations (DefNew and
# Tenured on Java 25).
heap_mb() {
  "$JCMD" "$PID" GC.run >/dev/null
  "$JCMD" "$PID" GC.heap_info | awk '/^(DefNew|Tenured|def new generation|tenured generation)/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub("K,?", "", v); s += v } }
    END { printf "%.0f", s / 1024 }'
}

# Watches waiting on the service, from its gauge.
waiting() {
  curl -s -H "X-Admin-Token: $ADMIN_TOKEN" "$BASE/actuator/prometheus" \
    | awk '/^deploy_changes_waiting/ { printf "%d", $2 }'
}

start_service memory none shipped
python3 bench/seed.py "$BASE" nodes 1000
echo "== warm-up, $WARMUP s"
beats "$WARMUP" >/dev/null
heap_without=$(heap_mb)

rows=()
without_rps=()
with_rps=()
for ((round = 1; round <= ROUNDS; round++)); do
  echo "== round $round: without watches"
  run=$(beats "$DURATION")
  echo "  $run"
  without_rps+=("$(field rps "$run")")
  rows+=("| $round | none | $(field rps "$run") | $(field p50_ms "$run") | $(field p99_ms "$run") | $(field errors "$run") |")

  echo "== round $round: with $WATCHERS watches waiting"
  python3 bench/watchers.py "$BASE" "$INTERNAL_TOKEN" "$WATCHERS" >"$LOG-watchers.log" 2>&1 &
  WATCHERS_PID=$!
  until grep -q '^open' "$LOG-watchers.log"; do
    kill -0 "$WATCHERS_PID" 2>/dev/null || { cat "$LOG-watchers.log" >&2; exit 1; }
    sleep 0.2
  done
  run=$(beats "$DURATION")
  echo "  $run"
  with_rps+=("$(field rps "$run")")
  rows+=("| $round | $WATCHERS waiting | $(field rps "$run") | $(field p50_ms "$run") | $(field p99_ms "$run") | $(field errors "$run") |")
  [ "$round" -lt "$ROUNDS" ] || heap_with=$(heap_mb)
  still=$(tail -1 "$LOG-watchers.log")
  stop_watchers
  # The service learns that a waiting watch's client went away only when the wait ends (at most the 30 s a
  # watch waits by default); the next run starts once none is left.
  until [ "$(waiting)" = 0 ]; do sleep 1; done
done
rss_kb=$(ps -o rss= -p "$PID")
stop_service

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m_without=$(median "${without_rps[@]}")
m_with=$(median "${with_rps[@]}")
ratio=$(awk -v a="$m_with" -v b="$m_without" 'BEGIN { printf "%.2f", a / b }')
met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) ? "met" : "missed" }')
out="$RESULTS/$(date -u +%Y-%m-%d)-watchers.md"
{
  echo "# Heartbeats with $WATCHERS change-feed watches waiting, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`bench/watchers.sh\` (WATCHERS=$WATCHERS, ROUNDS=$ROUNDS, DURATION=$DURATION s after one WARMUP=$WARMUP s, wrk -t$THREADS -c$CONNECTIONS, 1,000 nodes, the agent's body). Machine: $(nproc) cores. State in memory, the service as shipped ($(grep -- '-Xmx' deploy/jvm.options), deploy.changes.max-waiting as shipped)."
  echo
  echo "| round | watches | heartbeats/s | p50 ms | p99 ms | errors |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Median with / median without: $m_with / $m_without = **${ratio}×** (target 0.8× or more: $met). Watches at the end of the last run: $still."
  echo
  echo "Heap in use after a full collection: $heap_without MB without watches, $heap_with MB with $WATCHERS waiting; resident memory at the end: $((rss_kb / 1024)) MB."
} >"$out"
echo "wrote $out"
