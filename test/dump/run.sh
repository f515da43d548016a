#!/usr/bin/env bash
# pg_dump / pg_restore keep user data (SPEC section 1): every table of the
# extension is registered with pg_extension_config_dump.  Fill a database
# through the API, dump it, restore it into a fresh database, and compare
# what the API answers in both.  Also checks that DROP EXTENSION leaves
# nothing behind.  Runs against the cluster in the libpq environment.
set -euo pipefail

src=ed_dump_src
dst=ed_dump_dst
dumpfile=$(mktemp)
passed=0
failed=0
trap 'rm -f "$dumpfile"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" >/dev/null 2>&1 || true' EXIT

q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$1" -c "$2"; }
check() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1"
		echo "  expected: $2"
		echo "  got:      $3"
		failed=$((failed + 1))
	fi
}

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" 2>/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$src" <<'SQL'
CREATE EXTENSION event_definitions CASCADE;
INSERT INTO event_definitions.users (id, first_name, email) VALUES (1, 'Ada', 'ada@example.com');
SET event_definitions.user_id = 1;
SELECT event_definitions.ingest(1, ARRAY['$pageview', 'signup', 'checkout', '$pageview'],
    ARRAY[now(), now() - interval '1 day', now() - interval '2 days', now()]);
SELECT event_definitions.ingest(2, ARRAY['other_project']);
SELECT event_definitions.update(1, (event_definitions.list(1, names => '{signup}')->'results'->0->>'id')::uuid,
    '{"description": "Signed up", "tags": ["growth"], "verified": true, "owner": 1}');
SELECT event_definitions.delete(1, (event_definitions.list(1, names => '{checkout}')->'results'->0->>'id')::uuid);
SELECT event_definitions.record_query_usage(1, ARRAY['signup', 'signup']);
-- 1.1: a planned definition (created_at null), bulk changes, a restore
SELECT event_definitions."create"(1, 'planned', '{"primary_property": "url"}');
SELECT event_definitions.bulk_update_tags(1, ARRAY[(event_definitions.by_name(1, 'signup')->>'id')::uuid,
    (event_definitions.by_name(1, '$pageview')->>'id')::uuid], 'add', ARRAY['bulk']);
SELECT event_definitions.bulk_update_verified(1, ARRAY[(event_definitions.by_name(1, '$pageview')->>'id')::uuid], true);
SELECT event_definitions.ingest(1, ARRAY['restored']);
SELECT event_definitions.delete(1, (event_definitions.by_name(1, 'restored')->>'id')::uuid);
SELECT event_definitions.restore(1, (SELECT item_id FROM event_definitions.activity_log
    WHERE activity = 'deleted' ORDER BY seq DESC LIMIT 1));
SQL

pg_dump -Fc -d "$src" -f "$dumpfile"
pg_restore -d "$dst" "$dumpfile"

check "the restored database is at version 1.1" "$(q "$src" "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions'")" \
	"$(q "$dst" "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions'")"
for call in "list(1)" "list(2)" "list(1, search => 'sign')" "list(1, ordering => 'created_at')" "activity(1)" \
	"by_name(1, 'planned')" "primary_properties(1)"; do
	check "$call is the same after restore" \
		"$(q "$src" "SELECT event_definitions.$call")" "$(q "$dst" "SELECT event_definitions.$call")"
done
check "metrics are the same after restore" \
	"$(q "$src" "SELECT event_definitions.metrics(1, (event_definitions.list(1, names => '{signup}')->'results'->0->>'id')::uuid)")" \
	"$(q "$dst" "SELECT event_definitions.metrics(1, (event_definitions.list(1, names => '{signup}')->'results'->0->>'id')::uuid)")"
check "project_stats is the same after restore" \
	"$(q "$src" "SELECT string_agg(format('%s:%s', project_id, n), ',' ORDER BY project_id) FROM (SELECT project_id, sum(definitions) AS n FROM event_definitions.project_stats GROUP BY 1) s")" \
	"$(q "$dst" "SELECT string_agg(format('%s:%s', project_id, n), ',' ORDER BY project_id) FROM (SELECT project_id, sum(definitions) AS n FROM event_definitions.project_stats GROUP BY 1) s")"
check "a planned definition keeps a null created_at through dump and restore" "null" \
	"$(q "$dst" "SELECT event_definitions.by_name(1, 'planned')->'created_at'")"
check "1.1 writes work after restore" "1" \
	"$(q "$dst" "SELECT jsonb_array_length(event_definitions.bulk_update_tags(1, ARRAY[(event_definitions.by_name(1, 'planned')->>'id')::uuid], 'add', ARRAY['after'])->'updated')")"
check "writes work after restore" "1" \
	"$(q "$dst" "SELECT event_definitions.ingest(1, ARRAY['after_restore'])")"
q "$dst" "SELECT event_definitions.delete(1, (event_definitions.list(1, names => '{after_restore}')->'results'->0->>'id')::uuid)" >/dev/null
check "activity entries keep increasing after restore" "deleted" \
	"$(q "$dst" "SELECT event_definitions.activity(1, page_limit => 1)->'results'->0->>'activity'")"

# the restored extension is the same set of objects (functions, ACLs,
# comments, tables, constraints, indexes, triggers, pg_dump config)
here="$(cd "$(dirname "$0")" && pwd)"
check "the catalog of the restored extension is the one dumped" \
	"$(psql -X -q -v ON_ERROR_STOP=1 -d "$src" -f "$here/../upgrade/catalog.sql" | md5sum)" \
	"$(psql -X -q -v ON_ERROR_STOP=1 -d "$dst" -f "$here/../upgrade/catalog.sql" | md5sum)"

q "$dst" "DROP EXTENSION event_definitions" >/dev/null
# the schema itself is made by CREATE EXTENSION from the control file and
# PostgreSQL does not let it be a member: it stays, empty
check "DROP EXTENSION leaves nothing in the schema" "0" \
	"$(q "$dst" "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'event_definitions'::regnamespace)
	                  + (SELECT count(*) FROM pg_proc WHERE pronamespace = 'event_definitions'::regnamespace)
	                  + (SELECT count(*) FROM pg_type WHERE typnamespace = 'event_definitions'::regnamespace)")"
check "DROP EXTENSION leaves no function behind" "0" \
	"$(q "$dst" "SELECT count(*) FROM pg_proc WHERE proname IN ('list', 'retrieve', 'ingest', 'definitions_changed') AND pronamespace::regnamespace::text = 'event_definitions'")"
check "CREATE EXTENSION works again after DROP" "0" \
	"$(q "$dst" "CREATE EXTENSION event_definitions CASCADE; SELECT (event_definitions.list(1)->>'count')")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
