#!/usr/bin/env bash
# bench/codegen.sh: what typed code generation costs, in one run.
#
#   bench/codegen.sh                      in a throwaway cluster (pg_virtualenv)
#   BENCH_USE_ENV=1 bench/codegen.sh      against the cluster in the libpq environment
#
# For each size of BENCH_CODEGEN_SIZES (default "1000 10000"): a project of
# that many events (a third of the names need mangling), each with 2 or 3
# of 30 property groups attached (10 properties a group, every type, a
# third required, some properties in several groups with other types: 20
# to 30 properties an event), beside as many "$" events, which the
# selection leaves out, and a background project of the same size.  Then:
#
#   baseline   the rows codegen reads, read by SQL: the same join, order
#              and selection, counted (what any generator must read)
#   codegen    each language, the whole file
#   status     codegen_status with the TypeScript file's content (manifest
#              read back and compared), and with the hash alone
#
# Figures are medians of BENCH_REPEAT runs (default 5), the runs of all
# figures taken in turn, printed and appended to BENCH_RESULTS (default
# bench/RESULTS.md; empty: print only).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BENCH_PGOPTIONS=${BENCH_PGOPTIONS:-shared_buffers=1GB work_mem=64MB jit=off fsync=off synchronous_commit=off full_page_writes=off}

if [ -z "${BENCH_USE_ENV:-}" ] && [ -z "${BENCH_INNER:-}" ]; then
	opts=()
	for o in $BENCH_PGOPTIONS; do opts+=(-o "$o"); done
	BENCH_INNER=1 exec pg_virtualenv -t -v 15 "${opts[@]}" "$0" "$@"
fi

BENCH_DB=${BENCH_DB:-ed_bench_codegen}
SIZES=${BENCH_CODEGEN_SIZES:-1000 10000}
REPEAT=${BENCH_REPEAT:-5}
RESULTS=${BENCH_RESULTS-$here/RESULTS.md}
LANGUAGES="typescript golang python jsonschema"

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$BENCH_DB" "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

work=$(mktemp -d)
trap 'rm -rf "$work"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null 2>&1 || true' EXIT

# ms of one statement, from psql's \timing (the file of :'content' read first)
timed() {
	local out
	out=$(q <<SQL | tail -1
SET event_definitions.codegen_max_events = 100000;
\\set content \`cat $work/events.ts\`
\\timing on
$1
SQL
)
	sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out"
}

load() {
	local size=$1
	psql -X -q -v ON_ERROR_STOP=1 -d postgres \
		-c "DROP DATABASE IF EXISTS $BENCH_DB" \
		-c "CREATE DATABASE $BENCH_DB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
	q -v size="$size" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION event_definitions CASCADE;
SET event_definitions.user_id = 1;
-- the events: plain, spaced, dashed, and "$" ones the selection leaves out
SELECT NULL FROM (VALUES (1), (2)) AS v(p), LATERAL event_definitions.ingest(p, (
    SELECT array_agg(CASE i % 3 WHEN 0 THEN 'event_' || i WHEN 1 THEN 'Event ' || i || ' done' ELSE 'event-' || i END)
    FROM generate_series(1, :size) i));
SELECT NULL FROM (VALUES (1), (2)) AS v(p),
    LATERAL event_definitions.ingest(p, (SELECT array_agg('$system_' || i) FROM generate_series(1, :size) i));
-- 30 groups of 10 properties; property k of group g is named prop_<k + g % 5>,
-- so neighbouring groups share names, with the type of their own group
SELECT NULL FROM (VALUES (1), (2)) AS v(p), generate_series(1, 30) g,
    LATERAL event_definitions.property_group_create(p, 'group ' || g, (
        SELECT jsonb_agg(jsonb_build_object(
            'name', 'prop_' || (k + g % 5),
            'property_type', (ARRAY['String', 'Numeric', 'Boolean', 'DateTime', 'Object'])[1 + (k + g) % 5],
            'is_required', (k + g) % 3 = 0))
        FROM generate_series(1, 10) k));
-- 2 or 3 groups an event
SELECT count(event_definitions.schema_attach(d.project_id, d.id, gr.id))
FROM event_definitions.definitions d
CROSS JOIN LATERAL (SELECT (regexp_replace(d.name, '\D', '', 'g'))::int AS i) n
JOIN event_definitions.property_groups gr
  ON gr.project_id = d.project_id
 AND gr.name IN ('group ' || (1 + n.i % 30), 'group ' || (1 + (n.i + 7) % 30),
                 CASE WHEN n.i % 2 = 0 THEN 'group ' || (1 + (n.i + 13) % 30) END)
WHERE d.name NOT LIKE '$%';
ANALYZE;
SQL
}

baseline_sql="SELECT count(*), count(p.name) FROM event_definitions.definitions d
 LEFT JOIN (event_definitions.event_schemas a JOIN event_definitions.property_group_properties p
   ON p.project_id = a.project_id AND p.group_id = a.group_id)
   ON a.project_id = d.project_id AND a.definition_id = d.id
 WHERE d.project_id = 1 AND NOT d.hidden
   AND (NOT starts_with(d.name, '\$') OR d.name IN ('\$pageview', '\$pageleave', '\$screen'))
 ORDER BY 1"

rows=""
for size in $SIZES; do
	log "loading $size events with schemas (and $size \$ events, and a background project)"
	load "$size" >/dev/null
	stats=$(q -c "SELECT (r->>'event_count') || ' ' || length(r->>'content') || ' ' ||
	                     (SELECT count(*) FROM event_definitions.event_schemas s JOIN event_definitions.property_group_properties p
	                        ON p.project_id = s.project_id AND p.group_id = s.group_id WHERE s.project_id = 1)
	              FROM (SELECT event_definitions.codegen(1, 'typescript') AS r) x" -c "SET event_definitions.codegen_max_events = 100000")
	read -r events ts_bytes group_rows <<<"$stats"
	[ "$events" = "$size" ] || { echo "bench/codegen.sh: $events events generated, expected $size" >&2; exit 1; }
	q -c "SET event_definitions.codegen_max_events = 100000" \
	  -c "SELECT event_definitions.codegen(1, 'typescript')" >"$work/ts.json"
	hash=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["schema_hash"])' "$work/ts.json")
	python3 -c 'import json,sys; open(sys.argv[2], "w").write(json.load(open(sys.argv[1]))["content"])' "$work/ts.json" "$work/events.ts"
	for f in base $LANGUAGES status_content status_hash; do : >"$work/$f.$size"; done
	log "$size events: $REPEAT runs of every figure"
	for r in $(seq "$REPEAT"); do
		timed "$baseline_sql;" >>"$work/base.$size"
		for l in $LANGUAGES; do
			timed "SELECT length(event_definitions.codegen(1, '$l')->>'content');" >>"$work/$l.$size"
		done
		timed "SELECT event_definitions.codegen_status(1, '$hash', content => :'content')->'current';" \
			>>"$work/status_content.$size"
		timed "SELECT event_definitions.codegen_status(1, '$hash')->'current';" >>"$work/status_hash.$size"
	done
	base=$(median <"$work/base.$size")
	line="| $size | $group_rows | $base"
	for l in $LANGUAGES; do
		m=$(median <"$work/$l.$size")
		line="$line | $m ($(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.1f", a / b }')x)"
	done
	sc=$(median <"$work/status_content.$size")
	sh=$(median <"$work/status_hash.$size")
	rows="$rows$line | $sc | $sh | $((ts_bytes / 1024)) |"$'\n'
done

report=$(cat <<EOF2
### Typed code generation (bench/codegen.sh)

Command: \`$( [ -n "${BENCH_USE_ENV:-}" ] && echo "BENCH_USE_ENV=1 " )bench/codegen.sh\` (median of $REPEAT runs, ms; in parentheses the ratio to the baseline), $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end.

| events | group rows | baseline: the rows read by SQL | typescript | golang | python | jsonschema | status, with content | status, hash only | TypeScript file, kB |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(printf '%s' "$rows")
EOF2
)
echo "$report"
if [ -n "$RESULTS" ]; then
	printf '\n%s\n' "$report" >>"$RESULTS"
fi
