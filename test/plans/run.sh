#!/usr/bin/env bash
# Plans that do not depend on statistics.  One table holds many projects,
# and most of them are missing from pg_stats at any time (new, or grown
# since the last ANALYZE).  Load the same names into project 1, ANALYZE,
# then into project 2 without ANALYZE (autovacuum is off for the tables of
# this database), and time every API call on both in the same run.  A call
# fails when project 2 takes more than PLANS_MAX_RATIO (default 3) times as
# long as project 1.  Each call is warmed up, then the best of
# PLANS_REPEAT runs counts; times under PLANS_FLOOR_MS count as that floor,
# so that noise on calls of a millisecond does not decide.
# Runs against the cluster in the libpq environment, in a database of its
# own.  Prints "N passed, M failed".
#   PLANS_SIZE       names per project (default 50000)
set -euo pipefail

db=${PLANS_DB:-ed_plans}
size=${PLANS_SIZE:-50000}
max_ratio=${PLANS_MAX_RATIO:-3}
repeat=${PLANS_REPEAT:-2}
floor_ms=${PLANS_FLOOR_MS:-3}
passed=0
failed=0
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT

# The statements are what is measured: the in-memory name index stays out
# of it (whether one exists yet depends on the background worker's timing,
# not on plans; the index's own correctness is test/index_stress).
export PGOPTIONS="${PGOPTIONS:-} -c event_definitions.name_index_memory=0"
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$db" "$@"; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
q >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION event_definitions CASCADE;
ALTER TABLE event_definitions.definitions SET (autovacuum_enabled = false);
ALTER TABLE event_definitions.daily_volume SET (autovacuum_enabled = false);
ALTER TABLE event_definitions.query_usage SET (autovacuum_enabled = false);
ALTER TABLE event_definitions.activity_log SET (autovacuum_enabled = false);
ALTER TABLE event_definitions.project_stats SET (autovacuum_enabled = false);
CREATE FUNCTION load(p bigint) RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN
    PERFORM event_definitions.ingest(p,
        array_agg(format('event_%s_%s', i % 97, i) ORDER BY i),
        array_agg(timestamptz '2026-01-01' + (i % 60) * interval '1 day' ORDER BY i))
    FROM generate_series(1, $size) i;
    -- some curated definitions, so that activity has entries
    PERFORM event_definitions.update(p, d.id, '{"description": "curated", "tags": ["t"]}')
    FROM event_definitions.definitions d
    WHERE d.project_id = p AND d.name LIKE 'event\_5\_%' AND length(d.name) < 12;
    PERFORM event_definitions.record_query_usage(p,
        array_agg(format('event_%s_%s', i % 97, i))) FROM generate_series(1, 1000) i;
END \$\$;
-- best time of n runs of a statement, in milliseconds
CREATE FUNCTION best_ms(sql text, n int) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE
    best float8;
    t timestamptz;
BEGIN
    EXECUTE sql;	-- warm-up
    FOR i IN 1..n LOOP
        t := clock_timestamp();
        EXECUTE sql;
        best := least(best, extract(epoch FROM clock_timestamp() - t) * 1000);
    END LOOP;
    RETURN best;
END \$\$;
SELECT load(1);
ANALYZE;
SELECT load(2);
SQL

# a list of 2000 names; $ID is a known id of the project
names="(SELECT array_agg(format('event_%s_%s', i % 97, i)) FROM generate_series(1, 4000, 2) i)"
declare -a calls=(
	"list(\$P)"
	"list(\$P, page_limit => 5000)"
	"list(\$P, page_offset => 45000)"
	"list(\$P, ordering => 'name', page_offset => 9000)"
	"list(\$P, ordering => '-last_seen_at', page_limit => 1000)"
	"list(\$P, names => $names)"
	"list(\$P, names => $names, page_limit => 5000)"
	"list(\$P, names => ARRAY['event_1_1', 'event_2_2'])"
	"list(\$P, search => 'event_1')"
	"list(\$P, search => 'event_1', page_limit => 5000)"
	"list(\$P, tags => ARRAY['t'])"
	"list(\$P, exclude_stale => true)"
	"list(\$P, excluded_properties => $names, page_limit => 1000)"
	"list(\$P, event_type => 'event_custom', exclude_hidden => true, verified => false)"
	"activity(\$P)"
	"activity(\$P, '\$ID')"
	"update(\$P, '\$ID', '{\"description\": \"again\"}')"
	"activity(\$P, page_offset => 20)"
	"changes(\$P)"
	"changes(\$P, since_seq => 10, page_limit => 5000)"
	"retrieve(\$P, '\$ID')"
	"metrics(\$P, '\$ID')"
	"record_query_usage(\$P, $names)"
	"ingest(\$P, $names)"
)

declare -a ids
for p in 1 2; do
	ids[p]=$(q -c "SELECT event_definitions.list($p, names => '{event_7_7}')->'results'->0->>'id'")
done
time_call() {
	local sql=${1//\$P/$2}
	sql=${sql//\$ID/${ids[$2]}}
	q -c "SELECT round(best_ms(\$q\$SELECT event_definitions.$sql\$q\$, $repeat)::numeric, 2)"
}

for call in "${calls[@]}"; do
	start_s=$SECONDS
	label=${call//"$names"/<2000 names>}
	t1=$(time_call "$call" 1)
	t2=$(time_call "$call" 2)
	verdict=$(awk -v a="$t1" -v b="$t2" -v f="$floor_ms" -v r="$max_ratio" \
		'BEGIN { if (a < f) a = f; if (b < f) b = f; print (b > r * a) ? "slow" : "ok" }')
	if [ "$verdict" = ok ]; then
		echo "ok - $label: analyzed $t1 ms, un-analyzed $t2 ms ($((SECONDS - start_s)) s)"
		passed=$((passed + 1))
	else
		echo "not ok - $label: analyzed $t1 ms, un-analyzed $t2 ms (over ${max_ratio}x)"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
