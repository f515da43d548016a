#!/usr/bin/env bash
# bench/schema.sh: what event schemas cost, in one run.
#
#   bench/schema.sh                      in a throwaway cluster (pg_virtualenv)
#   BENCH_USE_ENV=1 bench/schema.sh      against the cluster in the libpq environment
#
# 1. validate() of one event against a schema of 20 properties (4 of each
#    type, half of them required), BENCH_VALIDATE_CALLS times (default
#    200,000) in one statement, each call with its own properties object;
#    baseline: the same calls for an event without a schema (the lookup of
#    the definition and the call itself).  The difference per call is the
#    cost of checking 20 properties on the compiled schema, which the
#    backend compiled once; a third run with
#    event_definitions.schema_cache_size = 0 compiles for every call.
#    Conforming and failing events are measured apart (a failing one also
#    renders its errors).
# Figures are medians of BENCH_REPEAT runs (default 5), the runs of the four
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

BENCH_DB=${BENCH_DB:-ed_bench_schema}
CALLS=${BENCH_VALIDATE_CALLS:-200000}
REPEAT=${BENCH_REPEAT:-5}
RESULTS=${BENCH_RESULTS:-$here/RESULTS.md}

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$BENCH_DB" "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $BENCH_DB" \
	-c "CREATE DATABASE $BENCH_DB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'" \
	-c "ALTER DATABASE $BENCH_DB SET timezone = 'UTC'"
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null 2>&1 || true' EXIT

q <<'SQL'
CREATE EXTENSION event_definitions CASCADE;
SELECT NULL FROM event_definitions.ingest(1, ARRAY['with_schema', 'without_schema']);
-- 20 properties: 4 of each type, every other one required
SELECT NULL FROM event_definitions.schema_attach(1, (event_definitions.by_name(1, 'with_schema')->>'id')::uuid,
    (event_definitions.property_group_create(1, 'twenty',
        (SELECT jsonb_agg(jsonb_build_object('name', t || '_' || i, 'property_type', t, 'is_required', i % 2 = 0))
         FROM unnest(ARRAY['String', 'Numeric', 'Boolean', 'DateTime', 'Object']) t, generate_series(1, 4) i))->>'id')::uuid);
-- the events: one conforming object of 20 properties (plus 10 the schema
-- does not list), one where every property is wrong; each call adds "n"
CREATE TABLE good AS SELECT jsonb_object_agg(k, v) AS p FROM (
    SELECT t || '_' || i AS k,
           CASE t WHEN 'String' THEN to_jsonb('text ' || i) WHEN 'Numeric' THEN to_jsonb(' ' || (i * 1.5)::text)
                  WHEN 'Boolean' THEN to_jsonb(i % 2 = 0) WHEN 'DateTime' THEN to_jsonb('2024-05-0' || i || 'T10:00:00Z')
                  ELSE jsonb_build_object('i', i) END AS v
    FROM unnest(ARRAY['String', 'Numeric', 'Boolean', 'DateTime', 'Object']) t, generate_series(1, 4) i
    UNION ALL SELECT 'extra_' || i, to_jsonb(i) FROM generate_series(1, 10) i) s;
CREATE TABLE bad AS SELECT jsonb_object_agg(k, v) AS p FROM (
    SELECT t || '_' || i AS k,
           CASE t WHEN 'String' THEN to_jsonb(42) WHEN 'Numeric' THEN to_jsonb('many'::text)
                  WHEN 'Boolean' THEN to_jsonb('yes'::text) WHEN 'DateTime' THEN to_jsonb('soon'::text)
                  ELSE to_jsonb('flat'::text) END AS v
    FROM unnest(ARRAY['String', 'Numeric', 'Boolean', 'DateTime', 'Object']) t, generate_series(1, 4) i) s;
SQL
check=$(q -c "SELECT (SELECT event_definitions.validate(1, 'with_schema', p)->'valid' FROM good),
                     (SELECT jsonb_array_length(event_definitions.validate(1, 'with_schema', p)->'errors') FROM bad)")
[ "$check" = "true|16" ] || { echo "bench/schema.sh: unexpected validation: $check" >&2; exit 1; }

# per call, in microseconds, of CALLS validate() calls in one statement
per_call() {
	local event=$1 table=$2 setting=${3:-}
	local ms
	ms=$(q <<SQL | tail -1
$setting
\\timing on
SELECT count(*) FILTER (WHERE (v->>'valid')::boolean)
FROM $table, generate_series(1, $CALLS) g,
     LATERAL event_definitions.validate(1, '$event', p || jsonb_build_object('n', g)) v;
SQL
)
	ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$ms")
	awk -v ms="$ms" -v n="$CALLS" 'BEGIN { printf "%.3f\n", ms * 1000 / n }'
}
# the four figures, measured in turn REPEAT times (drift of a loaded
# machine hits them alike), then the median of each
log "validate: $CALLS calls per run, $REPEAT runs per figure"
: >"$work/base" >"$work/good" >"$work/bad" >"$work/nocache"
for r in $(seq "$REPEAT"); do
	per_call without_schema good >>"$work/base"
	per_call with_schema good >>"$work/good"
	per_call with_schema bad >>"$work/bad"
	per_call with_schema good "SET event_definitions.schema_cache_size = 0;" >>"$work/nocache"
done
base=$(median <"$work/base")
good=$(median <"$work/good")
bad=$(median <"$work/bad")
nocache=$(median <"$work/nocache")

report=$(cat <<EOF2
### validate() against a schema of 20 properties (bench/schema.sh)

Command: \`$( [ -n "${BENCH_USE_ENV:-}" ] && echo "BENCH_USE_ENV=1 " )bench/schema.sh\` ($CALLS calls per run, median of $REPEAT runs), $(date -u +%Y-%m-%d), $(nproc) cores.

| calls of validate(), per call | µs |
|---|---:|
| event without a schema (baseline: lookup and call) | $base |
| 20 properties, conforming | $good |
| 20 properties, 16 wrong (Strings take anything; errors rendered) | $bad |
| 20 properties, conforming, cache off (compiled per call) | $nocache |
| **checking 20 properties on the cached schema** (conforming - baseline) | **$(awk -v a="$good" -v b="$base" 'BEGIN { printf "%.3f", a - b }')** |
EOF2
)
echo "$report"
if [ -n "$RESULTS" ]; then
	printf '\n%s\n' "$report" >>"$RESULTS"
fi
