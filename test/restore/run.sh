#!/usr/bin/env bash
# Counts stay exact after every documented restore path (issue: a data-only
# restore with --disable-triggers left project_stats empty, and list said
# "count: 0" over rows it returned, then "count: 1" after one ingest).
# Paths: full dump/restore, data-only, data-only with --disable-triggers,
# and pg_dump -t of the definitions table alone; after each, list's count
# must equal the rows, before and after a write, and recount() must agree.
# Runs against the cluster in the libpq environment.
set -euo pipefail
src=ed_restore_src
passed=0 failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"; for d in $src ed_restore_full ed_restore_data ed_restore_notrig ed_restore_table; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done' EXIT
check() {
	if [ "$2" == "$3" ]; then passed=$((passed + 1)); echo "ok - $1"
	else failed=$((failed + 1)); echo "FAIL: $1"; echo "  expected: $2"; echo "  got:      $3"; fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
fresh() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1
	[ "${2:-}" = empty ] || q "$1" "SET client_min_messages = warning; CREATE EXTENSION event_definitions CASCADE" >/dev/null
}
# the count of list and of its own rows, for an unfiltered and a paged call
counts() {
	q "$1" "SELECT (event_definitions.list(1, page_limit => 1000)->>'count') || ' ' ||
	               jsonb_array_length(event_definitions.list(1, page_limit => 1000)->'results') || ' ' ||
	               (event_definitions.list(1, page_limit => 2, page_offset => 4)->>'count')"
}
fresh $src
q $src "SELECT event_definitions.ingest(1, ARRAY['a', 'b', 'c', 'd', 'e'])" >/dev/null
q $src "SELECT event_definitions.ingest(2, ARRAY['x', 'y'])" >/dev/null
want="5 5 5"
check "source counts" "$want" "$(counts $src)"

pg_dump -Fc -d $src -f "$work/full.dump"
fresh ed_restore_full empty
pg_restore -d ed_restore_full "$work/full.dump" 2>/dev/null || true
check "full restore: count equals rows" "$want" "$(counts ed_restore_full)"

pg_dump -Fc --data-only -d $src -f "$work/data.dump"
fresh ed_restore_data
pg_restore --data-only -d ed_restore_data "$work/data.dump"
check "data-only restore: count equals rows" "$want" "$(counts ed_restore_data)"

fresh ed_restore_notrig
pg_restore --data-only --disable-triggers -d ed_restore_notrig "$work/data.dump"
check "data-only restore with --disable-triggers: count equals rows" "$want" "$(counts ed_restore_notrig)"
q ed_restore_notrig "SELECT event_definitions.ingest(1, ARRAY['f'])" >/dev/null
check "... and after one ingest" "6 6 6" "$(counts ed_restore_notrig)"
check "recount(1) recounts one project" "1" "$(q ed_restore_notrig "SELECT event_definitions.recount(1)")"
check "... and its count agrees" "6" "$(q ed_restore_notrig "SELECT sum(definitions) FROM event_definitions.project_stats WHERE project_id = 1")"
check "recount() of every project" "2" "$(q ed_restore_notrig "SELECT event_definitions.recount()")"

pg_dump -Fc --data-only -t event_definitions.definitions -d $src -f "$work/table.dump"
fresh ed_restore_table
pg_restore --data-only --disable-triggers -d ed_restore_table "$work/table.dump"
check "pg_dump -t definitions, restored without triggers: count equals rows" "$want" "$(counts ed_restore_table)"
q ed_restore_table "SELECT event_definitions.delete(1, (SELECT id FROM event_definitions.definitions WHERE project_id = 1 AND name = 'a'))" >/dev/null
check "... and after one delete" "4 4 4" "$(counts ed_restore_table)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
