#!/usr/bin/env bash
# bench/wrappers.sh: what a call through the wrapper schema of
# scripts/api-wrappers.sql (what PostGraphile 5 serves) costs against the
# same call made directly, in one run.
#
#   bench/wrappers.sh                   in a throwaway cluster (pg_virtualenv)
#   BENCH_USE_ENV=1 bench/wrappers.sh   against the cluster in the libpq environment
#
# In one database with 10,000 definitions in project 1, one backend runs,
# for each operation (retrieve, and list with a search), BENCH_CALLS
# statements (default 2000) directly and BENCH_CALLS through the wrapper,
# alternating, BENCH_ROUNDS times (default 10).  The wrapper adds the same
# work to every function (a SQL function call), so two reads suffice.  Each statement is the one PostGraphile 5 sends (SELECT v::text FROM
# schema.fn($1::int8, ...) AS t(v)), run with EXECUTE so that it is parsed
# and planned every time, as an unnamed statement of the extended protocol
# is.  No client round trip is included: the figures are the server's cost,
# to set against a GraphQL request's whole cost (about 1 ms and more).  It
# prints microseconds per call (median and minimum over the rounds), the
# ratios of the medians and of the minima (the minima hold better on a
# shared machine), and appends the table to BENCH_RESULTS (default
# bench/RESULTS.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
BENCH_PGOPTIONS=${BENCH_PGOPTIONS:-shared_buffers=2GB work_mem=64MB jit=off fsync=off synchronous_commit=off full_page_writes=off}

if [ -z "${BENCH_USE_ENV:-}" ] && [ -z "${BENCH_INNER:-}" ]; then
	opts=()
	for o in $BENCH_PGOPTIONS; do opts+=(-o "$o"); done
	BENCH_INNER=1 exec pg_virtualenv -t -v 15 "${opts[@]}" "$0" "$@"
fi

BENCH_DB=${BENCH_DB:-ed_bench_wrappers}
CALLS=${BENCH_CALLS:-2000}
ROUNDS=${BENCH_ROUNDS:-10}
RESULTS=${BENCH_RESULTS:-$here/RESULTS.md}

q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$BENCH_DB" "$@"; }
psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $BENCH_DB" \
	-c "CREATE DATABASE $BENCH_DB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null 2>&1' EXIT
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION event_definitions CASCADE" \
	-c "SELECT event_definitions.ingest(1, array(SELECT 'event_' || lpad(g::text, 5, '0') FROM generate_series(1, 10000) g))" >/dev/null
(cd "$here/.." && psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -f scripts/api-wrappers.sql >/dev/null)

table=$(q <<SQL
CREATE TEMP TABLE t (n serial, op text, variant text, us float8);
DO \$\$
DECLARE
	id uuid := (event_definitions.by_name(1, 'event_05000') ->> 'id')::uuid;
	ops text[] := ARRAY[
		'retrieve', 'SELECT v::text FROM %s.retrieve(\$1::int8, \$2::uuid) AS t(v)',
		'list (search, 20 per page)', 'SELECT v::text FROM %s.list(\$1::int8, search => ''event_05''::text, page_limit => 20::int8) AS t(v)'];
	t0 timestamptz;
	v text;
BEGIN
	FOR r IN 1..$ROUNDS LOOP
		FOR o IN 1..array_length(ops, 1) / 2 LOOP
			FOREACH v IN ARRAY ARRAY['event_definitions', 'event_definitions_api'] LOOP
				t0 := clock_timestamp();
				FOR i IN 1..$CALLS LOOP
					EXECUTE format(ops[2 * o], v) USING 1, id;
				END LOOP;
				INSERT INTO t (op, variant, us) VALUES (ops[2 * o - 1], v, extract(epoch FROM clock_timestamp() - t0) * 1e6 / $CALLS);
			END LOOP;
		END LOOP;
	END LOOP;
END \$\$;
SELECT format('| %s | %s | %s | %s | %s | %sx | %sx |', op,
	round(percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE variant = 'event_definitions')::numeric, 1),
	round(min(us) FILTER (WHERE variant = 'event_definitions')::numeric, 1),
	round(percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE variant = 'event_definitions_api')::numeric, 1),
	round(min(us) FILTER (WHERE variant = 'event_definitions_api')::numeric, 1),
	round((percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE variant = 'event_definitions_api') /
		   percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE variant = 'event_definitions'))::numeric, 2),
	round((min(us) FILTER (WHERE variant = 'event_definitions_api') /
		   min(us) FILTER (WHERE variant = 'event_definitions'))::numeric, 2))
FROM t GROUP BY op ORDER BY min(n);
SQL
)

load=$(cut -d' ' -f1-3 /proc/loadavg)
out="### Wrapper schema (bench/wrappers.sh)

\`${BENCH_USE_ENV:+BENCH_USE_ENV=1 }bench/wrappers.sh\` ($ROUNDS rounds of $CALLS calls each way, 10,000 definitions), $(date +%F), $(nproc) CPUs, load average $load, $(psql -X -At -d postgres -c 'SHOW server_version')

Microseconds per call in the server, a statement parsed and planned each time (as PostGraphile 5 sends it):

| operation | direct (median) | direct (min) | wrapper (median) | wrapper (min) | wrapper / direct (medians) | wrapper / direct (minima) |
|---|---:|---:|---:|---:|---:|---:|
$table
"
printf '%s\n' "$out"
printf '\n%s\n' "$out" >>"$RESULTS"
