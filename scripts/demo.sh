#!/usr/bin/env bash
# A short tour of event_definitions on the cluster in the libpq environment
# (run it under pg_virtualenv for a throwaway one): ingest a few events,
# list, search, update, retrieve, metrics, activity — printed as JSON.
set -euo pipefail

db=ed_demo
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
run() {
	echo
	echo "-- $1"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -At -c "$2"
}

psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
CREATE EXTENSION event_definitions CASCADE;
INSERT INTO event_definitions.users (id, first_name, last_name, email)
VALUES (1, 'Ada', 'Lovelace', 'ada@example.com');
SQL

run "ingest a batch of 6 events (returns definitions created)" \
	"SELECT event_definitions.ingest(1,
	   ARRAY['\$pageview', 'checkout_started', 'checkout_failed', '\$pageview', 'signup', 'checkout_started'],
	   ARRAY[now() - interval '2 days', now() - interval '1 day', now() - interval '3 hours',
	         now(), now() - interval '40 days', now()]::timestamptz[])"
run "list (default order: last seen day, newest first, then name)" \
	"SELECT jsonb_pretty(jsonb_set(event_definitions.list(1, page_limit => 2), '{results}',
	   (SELECT jsonb_agg(jsonb_build_object('name', r->'name', 'last_seen_at', r->'last_seen_at'))
	      FROM jsonb_array_elements(event_definitions.list(1, page_limit => 2)->'results') r)))"
run "search 'CHECKOUT fail' (every term, case-insensitive)" \
	"SELECT jsonb_pretty(event_definitions.list(1, search => 'CHECKOUT fail') - 'results'
	   || jsonb_build_object('names', jsonb_path_query_array(event_definitions.list(1, search => 'CHECKOUT fail'), '\$.results[*].name')))"
run "update checkout_failed as user 1: describe, tag, verify" \
	"SET event_definitions.user_id = 1;
	 SELECT jsonb_pretty(event_definitions.update(1, (event_definitions.list(1, names => '{checkout_failed}')->'results'->0->>'id')::uuid,
	   '{\"description\": \"Payment was declined\", \"tags\": [\" Payments \", \"checkout\"], \"verified\": true}'))"
run "retrieve it" \
	"SELECT jsonb_pretty(event_definitions.retrieve(1, (event_definitions.list(1, names => '{checkout_failed}')->'results'->0->>'id')::uuid) - 'owner')"
run "record query usage, then metrics" \
	"SELECT event_definitions.record_query_usage(1, ARRAY['checkout_failed', 'checkout_failed']);
	 SELECT jsonb_pretty(event_definitions.metrics(1, (event_definitions.list(1, names => '{checkout_failed}')->'results'->0->>'id')::uuid))"
run "activity log of the project, newest first" \
	"SELECT jsonb_pretty(event_definitions.activity(1, page_limit => 1)->'results'->0->'detail')"

psql -X -q -d postgres -c "DROP DATABASE $db"
echo
echo "demo finished"
