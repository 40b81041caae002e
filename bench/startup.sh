#!/usr/bin/env bash
# Start-up of the service as shipped, beside the variants that show where its time goes, and beside the floor:
# an empty Spring Boot web application (bench/startup-floor) built and started the same way. Writes
# bench/results/<date>-startup.md.
#
#   bench/startup.sh            (RUNS=5 starts per row; SKIP_BUILD=true uses the jar already in target/)
#
# Each row is the median of RUNS starts up to the first 200 from /internal/health, with the CPU time the process
# had used and its resident memory at that moment. The mariadb rows start on an empty database each time (the
# migrations included) on a private MariaDB server (bench/private_mariadb.py), removed at the end.
# With ASYNC_PROFILER=<libasyncProfiler.so> one more start per mode runs under async-profiler's wall-clock
# sampler and the main thread's largest frames are written under the table.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
PORT=${PORT:-7191}
DB_NAME=deploy_startup
# shellcheck source=bench/common.sh
. bench/common.sh
start_private_mariadb

# The floor, extracted and trained by the same launch.sh (it ignores the service's arguments).
flock /tmp/deploy-mvn.lock ./mvnw -B -q -f bench/startup-floor/pom.xml -DskipTests package
FLOOR=$(mktemp -d)/app
java -Djarmode=tools -jar bench/startup-floor/target/startup-floor-1.jar extract --destination "$FLOOR" \
  --application-filename app.jar >/dev/null
cp deploy/jvm.options deploy/launch.sh "$FLOOR/"
JAVA=$JAVA25 "$FLOOR/launch.sh" train >/dev/null

# measure NAME MODE LAUNCH [JAVA_OPTS]: RUNS starts; appends "| NAME | ms | cpu ms | MB |".
ROWS=()
measure() {
  local name=$1 mode=$2 launch=$3 ms=() cpu=() rss=() i
  for ((i = 0; i < RUNS; i++)); do
    [ "$mode" = memory ] || sql -e "DROP DATABASE IF EXISTS $DB_NAME"
    JAVA_OPTS=${4:-} start_service "$mode" "$DB_NAME" "$launch"
    ms+=("$STARTUP_MS")
    cpu+=("$(awk '{print ($14 + $15) * 10}' "/proc/$PID/stat")")
    rss+=("$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$PID/status")")
    stop_service
  done
  ROWS+=("| $name | $(median "${ms[@]}") | $(median "${cpu[@]}") | $(median "${rss[@]}") |")
  echo "  $name: ${ms[*]} ms"
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

PROFILES=""
# profile MODE: one shipped start under async-profiler; the main thread's frames holding 3 % or more of its time.
profile() {
  local out
  out=$(mktemp)
  [ "$1" = memory ] || sql -e "DROP DATABASE IF EXISTS $DB_NAME"
  JAVA_OPTS="-agentpath:$ASYNC_PROFILER=start,event=wall,interval=5ms,threads,collapsed,file=$out" \
    start_service "$1" "$DB_NAME" shipped
  stop_service
  PROFILES+=$'\n'"### $1: start-up ${STARTUP_MS} ms under the profiler"$'\n\n```\n'
  PROFILES+=$(python3 bench/profile_summary.py "$out" 3)
  PROFILES+=$'\n```\n'
  rm -f "$out"
}

for mode in memory mariadb; do
  echo "== $mode"
  measure "$mode, as shipped (launch.sh: Java 25, AOT cache)" $mode shipped
  measure "$mode, as shipped with C1 only (-XX:TieredStopAtLevel=1)" $mode shipped -XX:TieredStopAtLevel=1
  measure "$mode, plain java -jar on Java 25 (no cache)" $mode plain25
  [ -z "${ASYNC_PROFILER:-}" ] || profile $mode
done
echo "== floor"
SHIP_SERVICE=$SHIP
SHIP=$FLOOR
measure "floor: empty Spring Boot web application, as shipped" memory shipped
SHIP=$SHIP_SERVICE

file="$RESULTS/$(date -u +%Y-%m-%d)-startup.md"
[ ! -e "$file" ] || file="$RESULTS/$(date -u +%Y-%m-%d-%H%M)-startup.md"
{
  echo "# Start-up: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`bench/startup.sh\` (median of $RUNS starts per row${ASYNC_PROFILER:+, profiled with async-profiler})."
  echo "JVM options: deploy/jvm.options ($(grep -v '^#' deploy/jvm.options | grep . | tr '\n' ' ')), plus what deploy/launch.sh adds on Java 25."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $("$JAVA25" -version 2>&1 | head -1), otherwise idle."
  echo
  echo "| start | to the first 200, ms | CPU used by then, ms | resident then, MB |"
  echo "|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  [ -z "$PROFILES" ] || { echo; echo "## Where the main thread's time goes (wall clock)"; echo "$PROFILES"; }
} >"$file"
echo "wrote $file"
