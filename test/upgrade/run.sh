#!/usr/bin/env bash
# Upgrade test, the way pg_stat_statements tests its versions: database A
# installs event_definitions 1.0, is filled through the 1.0 functions (served
# by the current library), and is updated with ALTER EXTENSION ... UPDATE TO
# '1.1'; its data and every 1.1 function are checked; then it is updated to
# the current version.  Database C installs 1.1 and is updated to the
# current version.  Database B installs the current version fresh.  Then
# the catalog objects of A and C (catalog.sql: functions with signatures,
# volatility, security, settings, comments and ACLs; tables, columns,
# constraints, indexes, triggers, sequences, the pg_dump config) must each
# be identical to B's; any difference is printed and fails the test.  Runs
# against the cluster in the libpq environment.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
a=ed_upgrade_a
b=ed_upgrade_b
c=ed_upgrade_c
current=$(sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\\([^']*\\)'.*/\\1/p" "$here/../../event_definitions.control")
tmp=$(mktemp -d)
passed=0
failed=0
trap 'rm -rf "$tmp"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $a" -c "DROP DATABASE IF EXISTS $b" -c "DROP DATABASE IF EXISTS $c" >/dev/null 2>&1 || true' EXIT

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

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $a" -c "DROP DATABASE IF EXISTS $b" -c "DROP DATABASE IF EXISTS $c" \
	-c "CREATE DATABASE $a" -c "CREATE DATABASE $b" -c "CREATE DATABASE $c" 2>/dev/null

# --- A: 1.0, filled through the 1.0 functions
psql -X -q -v ON_ERROR_STOP=1 -d "$a" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION event_definitions VERSION '1.0' CASCADE;
INSERT INTO event_definitions.users (id, first_name, email) VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', NULL);
SET event_definitions.user_id = 1;
SELECT event_definitions.ingest(1, ARRAY['$pageview', 'signup', 'checkout', '$pageview'],
    ARRAY['2024-05-01 10:00:00+00', '2024-05-02 10:00:00+00', '2024-05-03 10:00:00+00', '2024-05-04 10:00:00+00']::timestamptz[]);
SELECT event_definitions.ingest(2, ARRAY['other_project']);
SELECT event_definitions."create"(1, 'planned_in_1_0', '{"description": "Planned", "tags": ["Plan"], "primary_property": "url"}');
SELECT event_definitions.update(1, (event_definitions.list(1, names => '{signup}')->'results'->0->>'id')::uuid,
    '{"description": "Signed up", "tags": ["growth"], "verified": true, "owner": 2, "primary_property": "plan"}');
SELECT event_definitions.delete(1, (event_definitions.list(1, names => '{checkout}')->'results'->0->>'id')::uuid);
SELECT event_definitions.record_query_usage(1, ARRAY['signup', 'signup']);
SQL
check "A is at version 1.0" "1.0" "$(q "$a" "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions'")"
# the library serves 1.0 with 1.0's behaviour: create stamps created_at
check "1.0 create sets created_at" "f" \
	"$(q "$a" "SELECT event_definitions.list(1, names => '{planned_in_1_0}')->'results'->0->'created_at' = 'null'")"
check "1.0 has none of the 1.1 functions" "0" \
	"$(q "$a" "SELECT count(*) FROM pg_proc WHERE pronamespace = 'event_definitions'::regnamespace AND proname IN ('by_name', 'primary_properties', 'bulk_update_tags', 'bulk_update_verified', 'restore')")"
# deleting a missing id fails with PT404 in 1.0 as well (the fix is in the library)
check "1.0 delete of a missing id is PT404" "PT404" \
	"$(psql -X -q -At -d "$a" -v VERBOSITY=sqlstate -c "SELECT event_definitions.delete(1, gen_random_uuid())" 2>&1 | sed 's/^ERROR: *//')"

reads="list(1) list(2) list(1,search=>'sign') list(1,ordering=>'-created_at') activity(1) activity(2)"
for call in $reads; do
	q "$a" "SELECT event_definitions.$call" >"$tmp/before.$call"
done
signup_metrics="SELECT event_definitions.metrics(1, (event_definitions.list(1, names => '{signup}')->'results'->0->>'id')::uuid)"
q "$a" "$signup_metrics" >"$tmp/before.metrics"
counts="SELECT (SELECT count(*) FROM event_definitions.definitions) || '/' || (SELECT count(*) FROM event_definitions.activity_log) || '/' || (SELECT string_agg(format('%s:%s', project_id, n), ',' ORDER BY project_id) FROM (SELECT project_id, sum(definitions) AS n FROM event_definitions.project_stats GROUP BY 1) s)"
q "$a" "$counts" >"$tmp/before.counts"

# --- A: update to 1.1
q "$a" "ALTER EXTENSION event_definitions UPDATE TO '1.1'" >/dev/null
check "A is at version 1.1 after the update" "1.1" "$(q "$a" "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions'")"
for call in $reads; do
	check "$call is the same after the update" "$(cat "$tmp/before.$call")" "$(q "$a" "SELECT event_definitions.$call")"
done
check "metrics are the same after the update" "$(cat "$tmp/before.metrics")" "$(q "$a" "$signup_metrics")"
check "row counts and per-project definition counts are the same after the update" "$(cat "$tmp/before.counts")" "$(q "$a" "$counts")"

# --- A: every 1.1 function on the updated data
check "by_name renders as list" "t" \
	"$(q "$a" "SELECT event_definitions.by_name(1, 'signup') = event_definitions.list(1, names => '{signup}')->'results'->0")"
check "by_name of a missing name is PT404" "PT404" \
	"$(psql -X -q -At -d "$a" -v VERBOSITY=sqlstate -c "SELECT event_definitions.by_name(1, 'nope')" 2>&1 | sed 's/^ERROR: *//')"
check "primary_properties" '{"primary_properties": {"signup": "plan", "planned_in_1_0": "url"}}' \
	"$(q "$a" "SELECT event_definitions.primary_properties(1)")"
check "bulk_update_tags" '[["growth", "web"], ["web"]]' \
	"$(q "$a" "SELECT jsonb_path_query_array(event_definitions.bulk_update_tags(1, ARRAY[(event_definitions.by_name(1, 'signup')->>'id')::uuid, (event_definitions.by_name(1, '\$pageview')->>'id')::uuid], 'add', ARRAY['Web']), '\$.updated[*].tags')")"
check "bulk_update_verified" '[true]' \
	"$(q "$a" "SELECT jsonb_path_query_array(event_definitions.bulk_update_verified(1, ARRAY[(event_definitions.by_name(1, 'signup')->>'id')::uuid, (event_definitions.by_name(1, '\$pageview')->>'id')::uuid], true), '\$.updated[*].verified')")"
check "restore of a definition deleted under 1.0" "checkout" \
	"$(q "$a" "SELECT event_definitions.restore(1, (SELECT item_id FROM event_definitions.activity_log WHERE activity = 'deleted'))->>'name'")"
check "1.1 create leaves created_at null" "null" \
	"$(q "$a" "SELECT event_definitions.\"create\"(1, 'planned_in_1_1')->'created_at'")"
check "ingest sets created_at of a planned definition" "f" \
	"$(q "$a" "SELECT event_definitions.ingest(1, ARRAY['planned_in_1_1']); SELECT event_definitions.by_name(1, 'planned_in_1_1')->'created_at' = 'null'" | tail -1)"

# --- A at 1.1, served by this library: 1.1's rules (event schemas are 1.2)
check "1.1 refuses enforcement_mode warn, with 1.1's hint" 'ERROR:  invalid value for "enforcement_mode": "warn"|HINT:  Use "allow" or "reject".' \
	"$(psql -X -q -At -d "$a" -c "SELECT event_definitions.update(1, (event_definitions.by_name(1, 'signup')->>'id')::uuid, '{\"enforcement_mode\": \"warn\"}')" 2>&1 | paste -sd'|')"
check "1.1 metrics have no violations_30_day" "f" \
	"$(q "$a" "SELECT event_definitions.metrics(1, (event_definitions.by_name(1, 'signup')->>'id')::uuid) ? 'violations_30_day'")"
# an administrator's grant on list, which 1.2 makes again, must survive
q "$a" "DO \$\$BEGIN CREATE ROLE ed_upgrade_list_reader; EXCEPTION WHEN duplicate_object THEN NULL; END\$\$" >/dev/null
q "$a" "GRANT EXECUTE ON FUNCTION event_definitions.list TO ed_upgrade_list_reader" >/dev/null
q "$a" "UPDATE event_definitions.definitions SET enforcement_mode = 'reject' WHERE project_id = 1 AND name = 'planned_in_1_0'" >/dev/null

# --- A: update to the current version
for call in $reads; do
	q "$a" "SELECT event_definitions.$call" >"$tmp/before.$call"
done
q "$a" "$counts" >"$tmp/before.counts"
q "$a" "ALTER EXTENSION event_definitions UPDATE" >/dev/null
check "A is at version $current after the second update" "$current" "$(q "$a" "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions'")"
for call in $reads; do
	check "$call is the same after the update to $current" "$(cat "$tmp/before.$call")" "$(q "$a" "SELECT event_definitions.$call")"
done
check "row counts and per-project definition counts are the same after the update to $current" "$(cat "$tmp/before.counts")" "$(q "$a" "$counts")"

# --- A: the 1.2 schema functions on the updated data
check "the grant on list survived the update" "t" \
	"$(q "$a" "SELECT has_function_privilege('ed_upgrade_list_reader', 'event_definitions.list(bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint, boolean)', 'EXECUTE')")"
check "pg_dump still dumps the grant on list (not taken for the extension's own)" "1" \
	"$(pg_dump -s -d "$a" | grep -c '^GRANT ALL ON FUNCTION event_definitions.list(.*) TO ed_upgrade_list_reader;$')"
q "$a" "REVOKE EXECUTE ON FUNCTION event_definitions.list FROM ed_upgrade_list_reader; DROP ROLE ed_upgrade_list_reader" >/dev/null
check "an enforcement_mode stored by 1.0 and 1.1 is kept" "reject" \
	"$(q "$a" "SELECT event_definitions.by_name(1, 'planned_in_1_0')->>'enforcement_mode'")"
check "enforcement_mode warn is accepted" "warn" \
	"$(q "$a" "SELECT event_definitions.update(1, (event_definitions.by_name(1, 'signup')->>'id')::uuid, '{\"enforcement_mode\": \"warn\"}')->>'enforcement_mode'")"
check "a property group attached to an upgraded definition validates its events" \
	'[{"reason": "missing_required", "property": "plan", "actual_value": null, "expected_types": ["String"]}]' \
	"$(q "$a" "SELECT event_definitions.schema_attach(1, (event_definitions.by_name(1, 'signup')->>'id')::uuid,
	            (event_definitions.property_group_create(1, 'account', '[{\"name\": \"plan\", \"property_type\": \"String\", \"is_required\": true}]')->>'id')::uuid);
	          SELECT event_definitions.validate(1, 'signup', '{}')->'errors'" | tail -1)"
check "metrics have violations_30_day" "0" \
	"$(q "$a" "SELECT event_definitions.metrics(1, (event_definitions.by_name(1, 'signup')->>'id')::uuid)->'violations_30_day'")"
check "list filters on has_violations" "0" "$(q "$a" "SELECT event_definitions.list(1, has_violations => true)->'count'")"

# --- C: fresh 1.1, updated to the current version
q "$c" "SET client_min_messages = warning; CREATE EXTENSION event_definitions VERSION '1.1' CASCADE" >/dev/null
q "$c" "ALTER EXTENSION event_definitions UPDATE" >/dev/null
check "C is at version $current" "$current" "$(q "$c" "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions'")"

# --- B: fresh, current version
q "$b" "SET client_min_messages = warning; CREATE EXTENSION event_definitions CASCADE" >/dev/null
check "B is at version $current" "$current" "$(q "$b" "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions'")"

# --- the catalogs of A and C must be identical to B's
psql -X -q -v ON_ERROR_STOP=1 -d "$a" -f "$here/catalog.sql" >"$tmp/catalog.a"
psql -X -q -v ON_ERROR_STOP=1 -d "$b" -f "$here/catalog.sql" >"$tmp/catalog.b"
psql -X -q -v ON_ERROR_STOP=1 -d "$c" -f "$here/catalog.sql" >"$tmp/catalog.c"
# the comparison must see the objects it compares
check "the catalog listing sees the 1.1 functions" "5" \
	"$(grep -cE '^function event_definitions\.(by_name|primary_properties|bulk_update_tags|bulk_update_verified|restore)\(' "$tmp/catalog.b" || true)"
check "the catalog listing sees tables, columns, constraints, indexes and triggers" "ok" \
	"$(for k in relation column constraint index trigger config member function sequence; do grep -q "^$k " "$tmp/catalog.b" || echo "no $k"; done | paste -sd, - | sed 's/^$/ok/')"
for from in a c; do
	label=$([ "$from" = a ] && echo "updated 1.0 ($a)" || echo "updated 1.1 ($c)")
	if diff -u --label "$label" --label "fresh $current ($b)" "$tmp/catalog.$from" "$tmp/catalog.b" >"$tmp/catalog.diff"; then
		echo "ok - $label and fresh $current have identical catalogs ($(wc -l <"$tmp/catalog.$from") objects)"
		passed=$((passed + 1))
	else
		echo "not ok - $label and fresh $current differ:"
		sed 's/^/  /' "$tmp/catalog.diff"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
