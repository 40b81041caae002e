#!/usr/bin/env bash
# Builds the jar and runs the reliability drills (bench/drills.py); exits non-zero when one fails.
# They start, stop and remove a MariaDB server of their own (bench/private_mariadb.py); no other is touched.
#   bench/drills.sh [--short] [kill9|outage|partition|overload|badinput|soak|leader|feed ...]   (overload needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-false}" != true ]; then
  ./mvnw -B -q -DskipTests package
fi
exec python3 bench/drills.py "$@"
