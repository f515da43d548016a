#!/usr/bin/env bash
# A shared name index never outlives the table it was built from: after
# DROP EXTENSION and CREATE EXTENSION in the same database (the same
# project ids, other names), search answers from the new table, not from
# the index of the old one.  Runs against the cluster in the libpq
# environment; meaningful with the library preloaded.
set -euo pipefail
db=ed_index_recreate
passed=0 failed=0
check() {
	if [ "$2" == "$3" ]; then passed=$((passed + 1)); echo "ok - $1"
	else failed=$((failed + 1)); echo "FAIL: $1"; echo "  expected: $2"; echo "  got:      $3"; fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
wait_built() {
	q "SELECT event_definitions.list(1, search => 'x')" >/dev/null
	for _ in $(seq 1 100); do
		[ "$(q "SELECT event_definitions.name_index_status(1)->>'built'")" = true ] && return 0
		[ "$(q "SELECT event_definitions.name_index_status(1)->>'mode'")" != shared ] && return 0
		sleep 0.1
	done
}
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
q "SET client_min_messages = warning; CREATE EXTENSION event_definitions CASCADE"
q "SELECT event_definitions.ingest(1, ARRAY['old_signup', 'old_checkout', 'old_view'])" >/dev/null
wait_built
check "the first table's names are found" "3" "$(q "SELECT event_definitions.list(1, search => 'old')->>'count'")"
q "SET client_min_messages = warning; DROP EXTENSION event_definitions; CREATE EXTENSION event_definitions CASCADE"
q "SELECT event_definitions.ingest(1, ARRAY['new_signup'])" >/dev/null
check "after DROP and CREATE EXTENSION, no name of the old table" "0" "$(q "SELECT event_definitions.list(1, search => 'old')->>'count'")"
check "... and the new one is found" "1" "$(q "SELECT event_definitions.list(1, search => 'signup')->>'count'")"
wait_built
check "once rebuilt, the same" "0 1" "$(q "SELECT (event_definitions.list(1, search => 'old')->>'count') || ' ' || (event_definitions.list(1, search => 'signup')->>'count')")"
sleep 2.5   # the database's index worker exits when idle
psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
