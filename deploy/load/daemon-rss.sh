#!/usr/bin/env bash
# The daemon's memory under load, with the JVM options it ships with (deploy/jvm.options): ten policies
# every second (deploy/load/runsweep.conf) beside a writer of 60 transactions a second (pgbench -R 60,
# deploy/load/writer.sql), for three minutes. Prints the process's resident set size (RSS) once a second,
# then its peak, mean and last, and the job runs by outcome.
#
#   mvn -B -DskipTests package
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGPASSWORD=... PGDATABASE=rss_load deploy/load/daemon-rss.sh [SECONDS] [MEMORY]
#
# The database must exist and may be filled: the script seeds Prefect's schema and 5,000 runs. MEMORY (default
# 384m, the Kubernetes manifest's limit) stands in for the container's memory limit (-XX:MaxRAM), which is what
# -XX:MaxRAMPercentage takes its share of; "host" leaves the JVM to size itself from the host's memory. JVM_OPTIONS_FILE (default deploy/jvm.options) measures other
# options, e.g. an empty file for the JVM's defaults. Needs pgbench (PostgreSQL's client tools) and curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-180}"
memory="${2:-384m}"
port="${LOAD_METRICS_PORT:-19464}"
jar=app/target/runsweep.jar
options="${JVM_OPTIONS_FILE:-deploy/jvm.options}"
url="jdbc:postgresql://${PGHOST:-127.0.0.1}:${PGPORT:-5432}/${PGDATABASE:?set PGDATABASE}?user=${PGUSER:-postgres}"
export RUNSWEEP_DATABASE_PASSWORD="${PGPASSWORD:-}"
work="$(mktemp -d)"
daemon=""
trap 'kill "$daemon" 2>/dev/null || true; rm -rf "$work"' EXIT

limit=()
[ "$memory" = host ] || limit=("-XX:MaxRAM=$memory")
java -jar "$jar" seed --preset prefect --url "$url${PGPASSWORD:+&password=$PGPASSWORD}" --flow-runs 5000 --days 120 >/dev/null
RUNSWEEP_DATABASE_URL="$url" LOAD_METRICS_PORT="$port" \
  java "@$options" "${limit[@]}" -jar "$jar" daemon --config deploy/load/runsweep.conf \
  2>"$work/daemon.log" &
daemon=$!
until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 1; done

pgbench -n -R 60 -T "$seconds" -f deploy/load/writer.sql >"$work/pgbench.log" 2>&1 &
writer=$!
for ((i = 1; i <= seconds; i++)); do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")
  echo "$i $rss" >>"$work/rss"
  sleep 1
done
wait "$writer"

echo "RSS over ${seconds} s, KiB: $(awk '{s+=$2; if ($2>m) m=$2; l=$2} END {printf "peak %d, mean %d, last %d", m, s/NR, l}' "$work/rss")"
echo "writer: $(grep -E '^tps' "$work/pgbench.log" | head -1)"
curl -fs "http://127.0.0.1:$port/metrics" | awk '/^runsweep_job_runs_total/ {
  match($0, /outcome="[a-z_]+"/); o = substr($0, RSTART + 9, RLENGTH - 10); n[o] += $2 }
  END { for (o in n) printf "job runs %s: %d\n", o, n[o] }'
kill -TERM "$daemon"
wait "$daemon" || true
