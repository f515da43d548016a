#!/usr/bin/env bash
# bench/track.sh: what tracking a table costs its writers, and how fast
# backfill reads, in one run.
#
#   bench/track.sh                      in a throwaway cluster (pg_virtualenv)
#   BENCH_USE_ENV=1 bench/track.sh      against the cluster in the libpq environment
#
# What it measures, in one database (LOCALE C, TimeZone UTC):
#   1. COPY of BENCH_COPY_ROWS events (default 1,000,000; project 1, 1,000
#      distinct names, times over the last 30 days) from one file into an
#      untracked table and into the same table tracked by
#      event_definitions.track(); BENCH_REPEAT times each (default 3),
#      alternating, each into an empty table; the median of each side.
#   2. BENCH_INSERTS single-row INSERTs (default 10,000) both ways:
#      pgbench -n -M prepared -t N, one client; tps of each side.
#   3. CALL event_definitions.backfill() over BENCH_BACKFILL_ROWS rows
#      (default 10,000,000) written before track(): rows per second.
# Ratios tracked / untracked are printed, and the table is appended to
# BENCH_RESULTS (default bench/RESULTS.md).
#
# Server settings of the throwaway cluster (BENCH_PGOPTIONS) are those of
# bench/run; with BENCH_USE_ENV=1 the cluster's own settings apply.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BENCH_PGOPTIONS=${BENCH_PGOPTIONS:-shared_buffers=2GB work_mem=64MB maintenance_work_mem=512MB jit=off fsync=off synchronous_commit=off full_page_writes=off max_wal_size=8GB checkpoint_timeout=30min}

if [ -z "${BENCH_USE_ENV:-}" ] && [ -z "${BENCH_INNER:-}" ]; then
	opts=()
	for o in $BENCH_PGOPTIONS; do opts+=(-o "$o"); done
	BENCH_INNER=1 exec pg_virtualenv -t -v 15 "${opts[@]}" "$0" "$@"
fi

BENCH_DB=${BENCH_DB:-ed_bench_track}
COPY_ROWS=${BENCH_COPY_ROWS:-1000000}
INSERTS=${BENCH_INSERTS:-10000}
BACKFILL_ROWS=${BENCH_BACKFILL_ROWS:-10000000}
REPEAT=${BENCH_REPEAT:-3}
RESULTS=${BENCH_RESULTS:-$here/RESULTS.md}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$BENCH_DB" "$@"; }
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $BENCH_DB" \
	-c "CREATE DATABASE $BENCH_DB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'" \
	-c "ALTER DATABASE $BENCH_DB SET timezone = 'UTC'"
q <<'SQL'
CREATE EXTENSION event_definitions CASCADE;
CREATE TABLE plain_events (project bigint NOT NULL, event text, ts timestamptz NOT NULL);
CREATE TABLE tracked_events (LIKE plain_events);
SELECT event_definitions.track('tracked_events', 'project', 'event', 'ts');
SQL

log "writing $COPY_ROWS events over 1,000 names to a file"
q -c "COPY (SELECT 1, 'event_' || lpad((1 + (i::bigint * 7919) % 1000)::text, 4, '0'),
	now() - (i % 2592000) * interval '1 second' FROM generate_series(1, $COPY_ROWS) i)
	TO STDOUT" >"$work/events.tsv"

copy_into() {
	local table=$1 t0 t1
	q -c "TRUNCATE $table" -c "CHECKPOINT" >/dev/null
	t0=$(now)
	q -c "\\copy $table FROM '$work/events.tsv'"
	t1=$(now)
	echo "$t1 - $t0" | bc -l
}
for i in $(seq "$REPEAT"); do
	log "COPY round $i of $REPEAT"
	copy_into plain_events >>"$work/copy_plain"
	copy_into tracked_events >>"$work/copy_tracked"
done
copy_plain=$(median <"$work/copy_plain")
copy_tracked=$(median <"$work/copy_tracked")
# every round added the file once more to the counts of the tracked table
check=$(q -c "SELECT sum(v.events) FROM event_definitions.daily_volume v WHERE v.project_id = 1")
[ "$check" = "$((COPY_ROWS * REPEAT))" ] || { echo "FAILED: volume $check, expected $((COPY_ROWS * REPEAT))" >&2; exit 1; }

log "$INSERTS single-row INSERTs each way"
for table in plain_events tracked_events; do
	cat >"$work/$table.pgbench" <<SQL
\\set n random(1, 1000)
INSERT INTO $table VALUES (1, 'event_' || lpad(:n::text, 4, '0'), now());
SQL
	pgbench -n -M prepared -t "$INSERTS" -f "$work/$table.pgbench" "$BENCH_DB" 2>&1 |
		awk '/^tps/ {print $3}' >"$work/tps_$table"
done
tps_plain=$(cat "$work/tps_plain_events")
tps_tracked=$(cat "$work/tps_tracked_events")

log "writing $BACKFILL_ROWS rows, then track() and backfill"
q <<SQL
CREATE TABLE history_events (LIKE plain_events);
INSERT INTO history_events SELECT 2, 'event_' || lpad((1 + (i::bigint * 7919) % 1000)::text, 4, '0'),
	now() - (i % 2592000) * interval '1 second' FROM generate_series(1, $BACKFILL_ROWS) i;
VACUUM ANALYZE history_events;
SELECT event_definitions.track('history_events', 'project', 'event', 'ts');
SQL
t0=$(now)
q -c "CALL event_definitions.backfill('history_events')" 2>"$work/backfill.log"
t1=$(now)
backfill_secs=$(echo "$t1 - $t0" | bc -l)
check=$(q -c "SELECT sum(v.events) FROM event_definitions.daily_volume v WHERE v.project_id = 2")
[ "$check" = "$BACKFILL_ROWS" ] || { echo "FAILED: backfilled volume $check, expected $BACKFILL_ROWS" >&2; exit 1; }
last_notice=$(grep NOTICE "$work/backfill.log" | tail -1 | sed 's/^.*NOTICE: *//')

copy_ratio=$(echo "$copy_tracked / $copy_plain" | bc -l)
insert_ratio=$(echo "$tps_plain / $tps_tracked" | bc -l)
backfill_rate=$(echo "$BACKFILL_ROWS / $backfill_secs" | bc -l)
machine="$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), PostgreSQL $(q -c 'SHOW server_version')"
table=$(
	cat <<MD

### Tracked tables (bench/track.sh)

\`${BENCH_USE_ENV:+BENCH_USE_ENV=1 }bench/track.sh\` (COPY $COPY_ROWS rows x $REPEAT rounds, $INSERTS inserts, backfill of $BACKFILL_ROWS rows), $(date -u +%Y-%m-%d), $machine

| operation | untracked | tracked | tracked / untracked |
|---|---:|---:|---:|
| COPY of $COPY_ROWS events, 1,000 names (median s) | $(printf %.3f "$copy_plain") | $(printf %.3f "$copy_tracked") | $(printf %.2fx "$copy_ratio") |
| single-row INSERT (tps, pgbench -M prepared, 1 client) | $(printf %.0f "$tps_plain") | $(printf %.0f "$tps_tracked") | $(printf %.2fx "$insert_ratio") |

backfill of $BACKFILL_ROWS rows: $(printf %.1f "$backfill_secs") s, $(printf %.0f "$backfill_rate") rows/s (last progress line: $last_notice)
MD
)
echo "$table"
echo "$table" >>"$RESULTS"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" || true
