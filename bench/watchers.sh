#!/usr/bin/env bash
# Heartbeats without, with, and again without WATCHERS watches of the change feed waiting on the same instance:
# the watches must leave the heartbeat rate at 0.8x or more of its rate without them (the better of the two runs
# without). Writes bench/results/<date>-watchers.md. As shipped, at most deploy.changes.max-waiting (500) watches
# wait at once; more need that setting and heap to match (about 90 KB each).
#
#   bench/watchers.sh            (settings: WATCHERS=500, DURATION=15, WARMUP=12, THREADS=2, CONNECTIONS=32,
#                                 PORT=7192, SKIP_BUILD=true to use the jar already in target/)
#
# The service runs as shipped (deploy/launch.sh on Java 25 with its AOT cache) with state in memory; 1,000 nodes
# send the runtime-agent's heartbeat body (bench/lua/heartbeat.lua), which records no change, so the watches stay
# waiting: what is measured is what waiting costs. bench/watchers.py holds the watches (asyncio sockets) on the
# same 2 cores as wrk and the service.
set -euo pipefail
cd "$(dirname "$0")/.."

WATCHERS=${WATCHERS:-500}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-12}
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

start_service memory none shipped
python3 bench/seed.py "$BASE" nodes 1000
echo "== without watches"
beats "$WARMUP" >/dev/null
without=$(beats "$DURATION")
echo "  $without"

python3 bench/watchers.py "$BASE" "$INTERNAL_TOKEN" "$WATCHERS" >"$LOG-watchers.log" 2>&1 &
WATCHERS_PID=$!
until grep -q '^open' "$LOG-watchers.log"; do
  kill -0 "$WATCHERS_PID" 2>/dev/null || { cat "$LOG-watchers.log" >&2; exit 1; }
  sleep 0.2
done
echo "== with $WATCHERS watches waiting"
beats "$WARMUP" >/dev/null
with=$(beats "$DURATION")
echo "  $with"
still=$(tail -1 "$LOG-watchers.log")
stop_watchers
# Without again, so a JIT or machine drift between the two first runs shows instead of passing for the watches'
# cost: the ratio is against the better of the two runs without.
echo "== without watches, again"
sleep 2
again=$(beats "$DURATION")
echo "  $again"
stop_service

best=$(awk -v a="$(field rps "$without")" -v b="$(field rps "$again")" 'BEGIN { print (a > b) ? a : b }')
ratio=$(awk -v a="$(field rps "$with")" -v b="$best" 'BEGIN { printf "%.2f", a / b }')
met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) ? "met" : "missed" }')
out="$RESULTS/$(date -u +%Y-%m-%d)-watchers.md"
{
  echo "# Heartbeats with $WATCHERS change-feed watches waiting, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`bench/watchers.sh\` (WATCHERS=$WATCHERS, DURATION=$DURATION s after WARMUP=$WARMUP s, wrk -t$THREADS -c$CONNECTIONS, 1,000 nodes, the agent's body). Machine: $(nproc) cores. State in memory, the service as shipped."
  echo
  echo "| | heartbeats/s | p50 ms | p99 ms | errors |"
  echo "|---|---|---|---|---|"
  echo "| no watches | $(field rps "$without") | $(field p50_ms "$without") | $(field p99_ms "$without") | $(field errors "$without") |"
  echo "| $WATCHERS watches waiting | $(field rps "$with") | $(field p50_ms "$with") | $(field p99_ms "$with") | $(field errors "$with") |"
  echo "| no watches, again | $(field rps "$again") | $(field p50_ms "$again") | $(field p99_ms "$again") | $(field errors "$again") |"
  echo
  echo "Ratio with / the better run without: **${ratio}×** (target 0.8× or more: $met). Watches at the end: $still."
} >"$out"
echo "wrote $out"
