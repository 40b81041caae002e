#!/bin/sh
# Starts fun-ai-studio-deploy the way it ships, from an extracted jar (java -Djarmode=tools -jar ... extract):
#
#   launch.sh [ARGS...]    exec java with jvm.options and, on Java 25 or later, compact object headers and the
#                          AOT cache trained for the persistence mode; ARGS go to the service
#   launch.sh train        (Java 25 or later) writes one AOT cache per persistence mode into aot/
#
# The directory holding this script also holds app.jar, lib/ and jvm.options (the Docker image's /app, the systemd
# unit's /opt/fun-ai-studio-deploy); DEPLOY_HOME overrides it. JAVA names the java binary (default: java);
# JAVA_OPTS, if set, comes after jvm.options and so overrides it (a larger -Xmx, say).
# The persistence mode is DEPLOY_RUNTIME_PERSISTENCE_ENABLED or a --deploy.runtime.persistence.enabled= argument,
# as the service itself reads it.
set -eu

home=${DEPLOY_HOME:-$(cd "$(dirname "$0")" && pwd)}
java=${JAVA:-java}
jar=$home/app.jar

# The feature version from the JDK's release file: no JVM started just to ask.
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release" 2>/dev/null || true)
feature=${feature:-0}

# A cache must be used with the flags it was trained with, so training and running share this list.
set_flags() {
  flags="@$home/jvm.options ${JAVA_OPTS:-}"
  if [ "$feature" -ge 25 ]; then
    # 8-byte object headers: a smaller heap for the same nodes and placements (JEP 519).
    flags="$flags -XX:+UseCompactObjectHeaders"
  fi
}

if [ "${1:-}" = train ]; then
  if [ "$feature" -lt 25 ]; then
    echo "launch.sh train needs Java 25 or later; $java is Java $feature" >&2
    exit 2
  fi
  set_flags
  mkdir -p "$home/aot"
  # A training run starts the context and stops once it is refreshed (before any port opens), then the JVM
  # writes what it loaded and linked (JEP 483) and the method profiles it gathered (JEP 515).
  # The mysql mode trains on an in-memory H2 database in MySQL mode: the same Hibernate, Flyway and Hikari
  # classes, and no database needed where the image is built.
  for mode in memory mysql; do
    persistence=false
    [ $mode = mysql ] && persistence=true
    # shellcheck disable=SC2086 # flags is a list of options
    # The cache is written from metaspace: the service's metaspace cap is too tight for writing it.
    "$java" $flags -XX:MaxMetaspaceSize=512m -XX:AOTCacheOutput="$home/aot/$mode.aot" -Xlog:aot=error -Xlog:cds=error \
      -Dspring.context.exit=onRefresh -jar "$jar" \
      --deploy.admin.token=training --deploy.runtime-node-registry.shared-secret=training \
      --deploy.internal-api.shared-secret=training --deploy.runtime.persistence.enabled=$persistence \
      '--spring.datasource.url=jdbc:h2:mem:training;MODE=MySQL;DATABASE_TO_LOWER=TRUE' \
      --spring.datasource.username=sa --logging.level.root=warn
    echo "trained $home/aot/$mode.aot"
  done
  exit 0
fi

mode=memory
case "${DEPLOY_RUNTIME_PERSISTENCE_ENABLED:-false}" in true | TRUE | True) mode=mysql ;; esac
for arg in "$@"; do
  case "$arg" in
    --deploy.runtime.persistence.enabled=true) mode=mysql ;;
    --deploy.runtime.persistence.enabled=*) mode=memory ;;
  esac
done

set_flags
if [ "$feature" -ge 25 ] && [ -f "$home/aot/$mode.aot" ]; then
  flags="$flags -XX:AOTCache=$home/aot/$mode.aot"
fi
# shellcheck disable=SC2086 # flags is a list of options
exec "$java" $flags -jar "$jar" "$@"
