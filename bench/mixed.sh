#!/usr/bin/env bash
# bench/mixed.sh: search and list while the catalog changes, against PostHog's
# query shapes, in one run.  One command:
#
#   bench/mixed.sh                        1,000,000 definitions (about 15 minutes)
#   BENCH_MIXED_SIZE=100000 bench/mixed.sh
#
# In a throwaway cluster (pg_virtualenv -t, the library preloaded, the same
# settings as bench/run), project 1 gets N definitions through ingest and the
# baseline (posthog.posthog_eventdefinition, PostHog's table and indexes) the
# same rows (bench/lib.sh, bench/sql/).  Then, for each writer scenario:
#
#   none          nothing writes
#   new 1/s, new 10/s, new 100/s   a third session creates new names
#   day 100/s     it moves known names to a later day
#   flags 1/s     it flips hidden/verified of known names
#
# the writer runs (pgbench --rate, against BOTH sides: every write goes to
# our catalog and to the baseline table) while 2 reader clients run each
# read (common-term, rare-term and two-term search, first list page) for
# BENCH_MIXED_SECS seconds on our side, then on the baseline's; p50/p95/p99
# come from pgbench's per-transaction log.  Then: search with a new
# connection per call (-C) while 10 new names/s arrive; the first search
# after a server restart (median of 3 restarts per side); the memory of 8
# backends that all searched; PATCH with 1 and 2 clients against the
# baseline's UPDATE ... RETURNING; and ingest of disjoint batches by 1 and by
# 4 sessions.  Before the timing, every read is checked to return the same
# count and names as the baseline.  Results: printed, and appended to
# bench/RESULTS.md under "Mixed workload" (BENCH_RESULTS to change the file).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BENCH_PGOPTIONS=${BENCH_PGOPTIONS:-shared_buffers=2GB work_mem=64MB maintenance_work_mem=512MB jit=off fsync=off synchronous_commit=off full_page_writes=off max_wal_size=8GB checkpoint_timeout=30min shared_preload_libraries=event_definitions}

if [ -z "${BENCH_USE_ENV:-}" ] && [ -z "${BENCH_INNER:-}" ]; then
	opts=()
	for o in $BENCH_PGOPTIONS; do opts+=(-o "$o"); done
	BENCH_INNER=1 exec pg_virtualenv -t -v 15 "${opts[@]}" "$0" "$@"
fi

source "$here/lib.sh"
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
SIZE=${BENCH_MIXED_SIZE:-1000000}
SECS=${BENCH_MIXED_SECS:-8}
RESULTS=${BENCH_RESULTS:-$here/RESULTS.md}
BENCH_DB=ed_bench_mixed
work=$(mktemp -d -t ed_mixed.XXXXXX)
out=$work/table.md
cleanup() {
	local j
	for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

datadir=$(psql -X -At -d postgres -c 'SHOW data_directory')
owner=$(stat -c %U "$datadir")
bindir=$(dirname "$PGBENCH")

bench_log "=== mixed workload, $SIZE definitions, $SECS s per run"
bench_create_db
bench_load "$SIZE" 4 20000
bench_psql -c "ANALYZE" >/dev/null

# --- the reads, both sides ---------------------------------------------------
T=posthog.posthog_eventdefinition
declare -a R_NAME R_OURS R_BASE
read_op() { R_NAME+=("$1"); R_OURS+=("$2"); R_BASE+=("$3"); }
read_op "search: common term 'ckout_fai'" \
	"SELECT event_definitions.list(:P, search => 'ckout_fai');" \
	"$(base_page " AND $(ilike ckout_fai)" "$BASE_SEARCH_ORDER" | sed 's/^--;$/;/');"
read_op "search: rare term 'ab12'" \
	"SELECT event_definitions.list(:P, search => 'ab12');" \
	"$(base_page " AND $(ilike ab12)" "$BASE_SEARCH_ORDER" | sed 's/^--;$/;/');"
read_op "search: two terms 'checkout step'" \
	"SELECT event_definitions.list(:P, search => 'checkout step');" \
	"$(base_page " AND $(ilike checkout) AND $(ilike step)" "$BASE_SEARCH_ORDER" | sed 's/^--;$/;/');"
read_op "list: first page" \
	"SELECT event_definitions.list(:P);" \
	"$(base_page "" "$BASE_ORDER" | sed 's/^--;$/;/');"

for i in "${!R_NAME[@]}"; do
	printf '%s\n' "${R_OURS[i]}" >"$work/r$i.ours.sql"
	printf '%s\n' "${R_BASE[i]}" >"$work/r$i.base.sql"
done

# ask for the shared index of project 1 and wait (at most 20 s) until it is built
wait_for_index() {
	bench_psql -c "SELECT event_definitions.list(1, search => 'warm-up')" >/dev/null
	for _ in $(seq 1 20); do
		[ "$(bench_q "SELECT event_definitions.name_index_status(1)->>'built'")" = true ] && return
		sleep 1
	done
}

# same answers before any writer runs
wait_for_index
for i in "${!R_NAME[@]}"; do
	page=${R_BASE[i]#*;$'\n'}
	ours=$(bench_q "SELECT x->>'count' || coalesce(E'\n' || (SELECT string_agg(e->>'name', E'\n' ORDER BY o) FROM jsonb_array_elements(x->'results') WITH ORDINALITY r(e, o)), '') FROM (${R_OURS[i]%;}) s(x)")
	base=$(bench_q "${R_BASE[i]%%;*}; SELECT name FROM (${page%;}) p;")
	compare "${R_NAME[i]} (count $(head -1 <<<"$base"))" "$ours" "$base"
done

# --- writers: one statement per side, run by pgbench --rate --------------------
cat >"$work/w_new.sql" <<'EOF'
\set n random(1, 2000000000)
SELECT event_definitions.ingest(1, ARRAY['mixed_new_' || :client_id || '_' || :n]);
INSERT INTO posthog.posthog_eventdefinition AS d (id, team_id, project_id, name, created_at, last_seen_at)
VALUES (gen_random_uuid(), 1, 1, 'mixed_new_' || :client_id || '_' || :n, now(), now())
ON CONFLICT ((coalesce(project_id, team_id)), name) DO UPDATE SET last_seen_at = greatest(d.last_seen_at, excluded.last_seen_at);
EOF
cat >"$work/w_day.sql" <<EOF
\\set r random(1, $BENCH_NIDS)
\\set d random(1, 300)
SELECT event_definitions.ingest(1, ARRAY[(SELECT d.name FROM event_definitions.definitions d WHERE d.project_id = 1 AND d.id = (SELECT id FROM bench.ids WHERE rn = :r))], ARRAY[now() + :d * interval '1 day']);
UPDATE posthog.posthog_eventdefinition SET last_seen_at = greatest(last_seen_at, now() + :d * interval '1 day') WHERE project_id = 1 AND id = (SELECT id FROM bench.ids WHERE rn = :r);
EOF
cat >"$work/w_flags.sql" <<EOF
\\set r random(1, $BENCH_NIDS)
\\set h random(0, 1)
SELECT event_definitions.update(1, (SELECT id FROM bench.ids WHERE rn = :r), CASE WHEN :h = 1 THEN '{"hidden": true}' ELSE '{"verified": true}' END::jsonb);
UPDATE posthog.posthog_eventdefinition SET hidden = (:h = 1), verified = (:h = 0) WHERE project_id = 1 AND id = (SELECT id FROM bench.ids WHERE rn = :r);
EOF

writer_pid=""
start_writer() {
	local script=$1 rate=$2
	"$PGBENCH" -n -f "$script" --rate "$rate" -T 100000 -c 1 "$BENCH_DB" >"$work/writer.log" 2>&1 &
	writer_pid=$!
	sleep 1
}
stop_writer() {
	[ -n "$writer_pid" ] && kill -TERM "$writer_pid" 2>/dev/null && wait "$writer_pid" 2>/dev/null || true
	writer_pid=""
}

# run_read SCRIPT CLIENTS [OPTIONS] -> "p50 p95 p99 tps" (ms)
run_read() {
	local script=$1 clients=$2 extra=${3:-} dir
	dir=$(mktemp -d -p "$work")
	# shellcheck disable=SC2086
	"$PGBENCH" -n -M prepared $extra -f "$script" -T "$SECS" -c "$clients" -j "$clients" \
		-D P=1 --log --log-prefix="$dir/log" "$BENCH_DB" >"$dir/out" 2>&1 || {
		tail -5 "$dir/out" >&2
		echo "FAILED FAILED FAILED 0"
		return
	}
	cat "$dir"/log.* | awk '{ print $3 }' | sort -n | awk -v tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$dir/out")" '
		{ v[NR] = $1 }
		END { printf "%.2f %.2f %.2f %.0f", v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.95) + 1] / 1000,
		      v[int(NR * 0.99) + 1] / 1000, tps }'
	rm -rf "$dir"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f×", a / b; else printf "n/a" }'; }

{
	printf '\n## Mixed workload: reads while the catalog changes\n\n'
	printf 'Written by `%s` (bench/mixed.sh). %s definitions in project 1 (plus 4 projects of 20,000), ' "${BENCH_COMMAND:-bench/mixed.sh}" "$SIZE"
	printf 'the library preloaded (shared index, background worker). 2 reader clients, %s s per run and side; a third session writes to both sides at the given rate. Latencies in ms from pgbench'\''s per-transaction log; "×" is baseline / ours (>1× = ours faster).\n\n' "$SECS"
	printf -- '- date: %s; machine: %s cores, %s; load average at the start: %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" \
		"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" "$(cut -d' ' -f1-3 /proc/loadavg)"
	printf '| writer | read | ours p50 | ours p95 | ours p99 | baseline p50 | baseline p95 | baseline p99 | × p50 | × p95 |\n'
	printf '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
} >"$out"

declare -A P95_NONE
for scenario in "none:" "new 1/s:w_new:1" "new 10/s:w_new:10" "new 100/s:w_new:100" "day 100/s:w_day:100" "flags 1/s:w_flags:1"; do
	IFS=: read -r label script rate <<<"$scenario"
	for i in "${!R_NAME[@]}"; do
		[ -n "$script" ] && start_writer "$work/$script.sql" "$rate"
		read -r o50 o95 o99 _ <<<"$(run_read "$work/r$i.ours.sql" 2)"
		read -r b50 b95 b99 _ <<<"$(run_read "$work/r$i.base.sql" 2)"
		stop_writer
		[ "$label" = none ] && P95_NONE[$i]=$o95
		bench_log "$(printf '%-10s %-36s ours %7s %7s %7s   baseline %7s %7s %7s' "$label" "${R_NAME[i]}" "$o50" "$o95" "$o99" "$b50" "$b95" "$b99")"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "${R_NAME[i]}" \
			"$o50" "$o95" "$o99" "$b50" "$b95" "$b99" "$(ratio "$b50" "$o50")" "$(ratio "$b95" "$o95")" >>"$out"
	done
done
{
	printf '\nOur p95 under each writer against our own p95 with no writer (target ≤ 2×): '
	for i in "${!R_NAME[@]}"; do printf '%s %s ms; ' "${R_NAME[i]}" "${P95_NONE[$i]}"; done
	printf 'see the rows above.\n'
} >>"$out"

# --- new connection per call, while 10 new names/s arrive ----------------------
{
	printf '\n| new connection per call (-C), 10 new names/s | ours p50 | ours p95 | baseline p50 | baseline p95 | × p50 |\n|---|---:|---:|---:|---:|---:|\n'
} >>"$out"
for i in 0 1; do
	start_writer "$work/w_new.sql" 10
	read -r o50 o95 _ _ <<<"$(run_read "$work/r$i.ours.sql" 2 -C)"
	read -r b50 b95 _ _ <<<"$(run_read "$work/r$i.base.sql" 2 -C)"
	stop_writer
	bench_log "-C ${R_NAME[i]}: ours $o50 $o95 baseline $b50 $b95"
	printf '| %s | %s | %s | %s | %s | %s |\n' "${R_NAME[i]}" "$o50" "$o95" "$b50" "$b95" "$(ratio "$b50" "$o50")" >>"$out"
done

# --- the first search after a restart -------------------------------------------
restart() {
	if [ -n "${PG_CLUSTER_CONF_ROOT:-}" ]; then
		# pg_virtualenv's cluster: its configuration is outside the data directory
		pg_ctlcluster 15 regress stop -m fast >"$work/restart.log" 2>&1 || true
		# the postmaster may still be writing its shutdown checkpoint
		for _ in $(seq 1 120); do
			[ -f "$datadir/postmaster.pid" ] || break
			sleep 0.5
		done
		pg_ctlcluster 15 regress start >>"$work/restart.log" 2>&1 ||
			{ cat "$work/restart.log" >&2; return 1; }
	else
		su "$owner" -c "$bindir/pg_ctl -D '$datadir' -w -m fast restart" >/dev/null 2>&1 ||
			"$bindir/pg_ctl" -D "$datadir" -w -m fast restart >/dev/null
	fi
	for _ in $(seq 1 60); do
		psql -X -q -d postgres -c "SELECT 1" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}
first_ms() {
	# one call in a fresh server: the time psql reports for its statements
	bench_psql -c '\timing on' -c "$1" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' |
		awk '{ s += $1 } END { printf "%.1f", s }'
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
{
	printf '\n| first search after a server restart (median of 3) | ours ms | baseline ms | × |\n|---|---:|---:|---:|\n'
} >>"$out"
for i in 0 1; do
	o=() b=()
	for _ in 1 2 3; do
		restart
		o+=("$(first_ms "${R_OURS[i]//:P/1}")")
		restart
		b+=("$(first_ms "$(sed 's/:P/1/g' "$work/r$i.base.sql" | tr '\n' ' ')")")
	done
	om=$(median3 "${o[@]}") bm=$(median3 "${b[@]}")
	bench_log "after restart ${R_NAME[i]}: ours $om baseline $bm"
	printf '| %s | %s | %s | %s |\n' "${R_NAME[i]}" "$om" "$bm" "$(ratio "$bm" "$om")" >>"$out"
done

# --- memory of 8 backends that searched -----------------------------------------
wait_for_index
mem_of_8() {
	local sql=$1 pids total=0 pid
	for k in 1 2 3 4 5 6 7 8; do
		bench_psql -c "SELECT pg_backend_pid()" -c "$sql" -c "$sql" -c "SELECT pg_sleep(6)" >/dev/null 2>&1 &
	done
	sleep 4
	pids=$(bench_q "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(6)%' AND pid <> pg_backend_pid()")
	for pid in $pids; do
		total=$((total + $(awk '/RssAnon/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)))
	done
	wait
	echo $((total / 1024))
}
ours_mb=$(mem_of_8 "${R_OURS[0]//:P/1}")
base_mb=$(mem_of_8 "$(sed 's/:P/1/g' "$work/r0.base.sql" | tr '\n' ' ')")
index_mb=$(bench_q "SELECT round((event_definitions.name_index_status(1)->>'bytes')::numeric / 1048576)")
bench_log "memory: 8 backends ours private $ours_mb MB + shared index $index_mb MB; baseline private $base_mb MB"
{
	printf '\n| memory of 8 backends that searched (common term) | MB |\n|---|---:|\n'
	printf '| one index of the project (shared, in DSA) | %s |\n' "$index_mb"
	printf '| ours: private memory of the 8 backends (RssAnon, sum) | %s |\n' "$ours_mb"
	printf '| ours: shared index + the private memory beyond the baseline'\''s, against one index | %s |\n' \
		"$(awk -v i="$index_mb" -v p="$ours_mb" -v b="$base_mb" 'BEGIN { e = p - b; if (e < 0) e = 0; printf "%.2f×", (i + e) / i }')"
	printf '| baseline: private memory of the 8 backends (RssAnon, sum) | %s |\n' "$base_mb"
} >>"$out"

# --- writers: PATCH, and ingest by 1 and 4 sessions ------------------------------
cat >"$work/patch.ours.sql" <<EOF
\\set r random(1, $BENCH_NIDS)
SELECT event_definitions.update(1, (SELECT id FROM bench.ids WHERE rn = :r), '{"description": "x"}');
EOF
cat >"$work/patch.base.sql" <<EOF
\\set r random(1, $BENCH_NIDS)
UPDATE posthog.posthog_eventdefinition SET description = 'x', updated_at = now() WHERE project_id = 1 AND id = (SELECT id FROM bench.ids WHERE rn = :r) RETURNING *;
EOF
cat >"$work/ingest.sql" <<'EOF'
SELECT event_definitions.ingest(1, (SELECT array_agg('mixed_ingest_' || :client_id || '_' || (g % 100)) FROM generate_series(1, 10000) g));
EOF
{
	printf '\n| writes | ours p50 ms | ours tps | baseline p50 ms | baseline tps | baseline / ours (p50) |\n|---|---:|---:|---:|---:|---:|\n'
} >>"$out"
for c in 1 2; do
	read -r o50 _ _ otps <<<"$(run_read "$work/patch.ours.sql" "$c")"
	read -r b50 _ _ btps <<<"$(run_read "$work/patch.base.sql" "$c")"
	bench_log "PATCH c=$c: ours $o50 ($otps tps) baseline $b50 ($btps tps)"
	printf '| PATCH (description), %d client(s) | %s | %s | %s | %s | %s |\n' "$c" "$o50" "$otps" "$b50" "$btps" "$(ratio "$b50" "$o50")" >>"$out"
done
read -r i1 _ _ t1 <<<"$(run_read "$work/ingest.sql" 1)"
read -r i4 _ _ t4 <<<"$(run_read "$work/ingest.sql" 4)"
bench_log "ingest: 1 session $t1 batches/s, 4 sessions $t4 batches/s"
{
	printf '\n| ingest, disjoint batches of 10,000 events over 100 names | batches/s | events/s | p50 ms |\n|---|---:|---:|---:|\n'
	printf '| 1 session | %s | %s | %s |\n' "$t1" "$((t1 * 10000))" "$i1"
	printf '| 4 sessions | %s | %s | %s |\n' "$t4" "$((t4 * 10000))" "$i4"
	printf '| 4 sessions / 1 session | %s | | |\n' "$(ratio "$t4" "$t1")"
	printf '\nChecks before the timing: %d passed, %d failed.\n' "$BENCH_PASSED" "$BENCH_FAILED"
} >>"$out"

if [ -f "$RESULTS" ]; then
	# replace an earlier mixed-workload section
	awk '/^## Mixed workload/ { skip = 1 } /^## / && !/^## Mixed workload/ { skip = 0 } !skip' "$RESULTS" >"$work/results"
	cp "$work/results" "$RESULTS"
fi
cat "$out" >>"$RESULTS"
cat "$out"
echo
echo "$BENCH_PASSED passed, $BENCH_FAILED failed"
[ "$BENCH_FAILED" -eq 0 ]
