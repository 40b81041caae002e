# shellcheck shell=bash
# Shared by bench/run.sh and bench/fleet.sh (sourced, not run): the private MariaDB, the service started as
# shipped, and clean-up on exit. The sourcing script sets PORT and, before calling start_private_mariadb, may
# leave MODES=memory to skip the database.

BASE=http://127.0.0.1:$PORT
export BENCH_LUA=$PWD/bench/lua ADMIN_TOKEN=bench-admin NODE_TOKEN=bench-node INTERNAL_TOKEN=bench-internal
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAVA17=${JAVA17:-java}
# The driver settings the service ships with (time zone, timeouts, batching), on the benchmark's own server.
SHIPPED_URL_PARAMETERS=$(sed -n 's/^spring\.datasource\.url=[^?]*?//p' src/main/resources/application.properties)
RESULTS=bench/results
LOG=$(mktemp -d)/bench
mkdir -p "$RESULTS"

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
if [ "${SKIP_BUILD:-false}" != true ]; then
  # The machine's Maven lock: other builds on these cores wait rather than skew the figures.
  flock /tmp/deploy-mvn.lock ./mvnw -B -q -DskipTests package
fi
JAR=$(find target -maxdepth 1 -name 'fun-ai-studio-deploy-*.jar' ! -name '*original*' | head -1)

PID=""
stop_service() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID"
    wait "$PID" 2>/dev/null || true
  fi
  PID=""
}
PRIVATE_DB_PID=""
db_env=""
cleanup() {
  stop_service
  if [ -n "$PRIVATE_DB_PID" ]; then
    kill "$PRIVATE_DB_PID" 2>/dev/null || true  # it stops its server and removes its directory
    wait "$PRIVATE_DB_PID" 2>/dev/null || true
    PRIVATE_DB_PID=""
  fi
  [ -z "$db_env" ] || rm -f "$db_env" "$db_env.tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# A MariaDB server of the benchmark's own (bench/private_mariadb.py: a fresh data directory in a temporary
# directory, a free port on 127.0.0.1), removed at the end, on failure and on Ctrl-C too.
PRIVATE_DB_PORT=""
start_private_mariadb() {
  db_env=$(mktemp)
  python3 bench/private_mariadb.py serve "$db_env" &
  PRIVATE_DB_PID=$!
  until [ -s "$db_env" ]; do
    kill -0 "$PRIVATE_DB_PID" 2>/dev/null || { echo "the private MariaDB did not start" >&2; exit 1; }
    sleep 0.1
  done
  # shellcheck disable=SC1090 # written by private_mariadb.py
  . "$db_env"
  echo "private MariaDB on 127.0.0.1:$PRIVATE_DB_PORT, data in $PRIVATE_DB_DIR"
}
sql() { mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$PRIVATE_DB_PORT" -uroot -N -B "$@"; }

# The jar extracted and trained as the Dockerfile does it.
SHIP=$(mktemp -d)/app
java -Djarmode=tools -jar "$JAR" extract --destination "$SHIP" --application-filename app.jar >/dev/null
cp deploy/jvm.options deploy/launch.sh "$SHIP/"
JAVA=$JAVA25 "$SHIP/launch.sh" train >/dev/null

# start_service MODE DB_NAME [shipped|plain17|plain25] [SERVICE ARGS...]: starts the service, as shipped unless
# told otherwise (JAVA_OPTS, if set, goes to launch.sh), and sets STARTUP_MS to the milliseconds until the first
# 200 from /internal/health.
STARTUP_MS=""
start_service() {
  local mode=$1 db_name=$2 launch=(env JAVA="$JAVA25" JAVA_OPTS="${JAVA_OPTS:-}" "$SHIP/launch.sh")
  case "${3:-shipped}" in
    plain17) launch=("$JAVA17" @deploy/jvm.options -jar "$JAR") ;;
    plain25) launch=("$JAVA25" @deploy/jvm.options -jar "$JAR") ;;
  esac
  local args=(--server.port="$PORT" --deploy.admin.token="$ADMIN_TOKEN"
    --deploy.runtime-node-registry.shared-secret="$NODE_TOKEN" --deploy.internal-api.shared-secret="$INTERNAL_TOKEN"
    # Seeded nodes must stay HEALTHY through the whole run, heartbeating or not.
    --deploy.runtime-node-registry.heartbeat-stale-seconds=3600 "${@:4}")
  if [ "$mode" = mariadb ]; then
    args+=(--deploy.runtime.persistence.enabled=true
      "--spring.datasource.url=jdbc:mysql://127.0.0.1:$PRIVATE_DB_PORT/$db_name?$SHIPPED_URL_PARAMETERS")
  fi
  local start
  start=$(date +%s%3N)
  "${launch[@]}" "${args[@]}" >"$LOG-$mode.log" 2>&1 &
  PID=$!
  until curl -sf "$BASE/internal/health" >/dev/null; do
    kill -0 "$PID" 2>/dev/null || { echo "service died; see $LOG-$mode.log" >&2; exit 1; }
    sleep 0.02
  done
  STARTUP_MS=$(($(date +%s%3N) - start))
}

# field NAME LINE: the value of NAME=... in a RESULT line.
field() { sed -E "s/.* $1=([0-9.a-z]+).*/\1/" <<<"$2"; }
