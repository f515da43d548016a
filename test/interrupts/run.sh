#!/usr/bin/env bash
# Long calls can be cancelled.  A call that works through a big argument
# in C (checking, decoding, copying millions of names) must notice a
# cancel or statement_timeout while it does, not seconds later when it
# next runs SQL.  Each call gets a batch of INTERRUPTS_NAMES names (stored
# in a table first, so that building the argument is not part of the
# call, whose detoasting happens inside it) and statement_timeout = INTERRUPTS_TIMEOUT_MS; it must fail with
# 57014 within INTERRUPTS_MAX_MS.  Runs against the cluster in the libpq
# environment, in a database of its own.  Prints "N passed, M failed".
set -euo pipefail

db=${INTERRUPTS_DB:-ed_interrupts}
n=${INTERRUPTS_NAMES:-5000000}
timeout_ms=${INTERRUPTS_TIMEOUT_MS:-300}
max_ms=${INTERRUPTS_MAX_MS:-1500}
passed=0
failed=0
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT

q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$db" "$@"; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
q >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION event_definitions CASCADE;
CREATE TABLE batch AS SELECT array_agg('n' || i) AS names FROM generate_series(1, $n) i;
SQL

for call in \
	"ingest(1, b.names)" \
	"record_query_usage(1, b.names)" \
	"list(1, names => b.names)" \
	"list(1, excluded_properties => b.names)" \
	"list(1, tags => b.names)"; do
	out=$(psql -X -q -d "$db" -c '\set VERBOSITY sqlstate' -c '\timing on' \
		-c "SET statement_timeout = $timeout_ms" \
		-c "SELECT event_definitions.$call IS NULL FROM batch b" 2>&1 || true)
	state=$(echo "$out" | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' | head -1)
	ms=$(echo "$out" | sed -n 's/^Time: \([0-9]*\).*/\1/p' | tail -1)
	state=${state:-none}
	ms=${ms:-0}
	if [ "$state" = 57014 ] && [ "$ms" -le "$max_ms" ]; then
		echo "ok - $call cancelled after $ms ms (timeout $timeout_ms ms)"
		passed=$((passed + 1))
	else
		echo "not ok - $call: $state after $ms ms (expected 57014 within $max_ms ms)"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
