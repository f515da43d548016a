--
-- delete: removes for good, PT404, counters go with the definition, activity
-- entries stay, a re-ingested name gets a new id, NOTIFY after a committed
-- delete.  Projects 104, 184 and 194.
--

SET event_definitions.user_id = 1;
SELECT (event_definitions."create"(104, 'purchase', '{"description": "Bought something", "tags": ["revenue"]}')->>'id')::uuid AS id \gset
SELECT (event_definitions."create"(104, 'refund')->>'id')::uuid AS keep_id \gset
-- give it counters: two events today, one query use
SELECT event_definitions.ingest(104, ARRAY['purchase', 'purchase', 'refund']) AS created;
SELECT event_definitions.record_query_usage(104, ARRAY['purchase']) AS counted;
SELECT event_definitions.metrics(104, :'id') AS metrics;
SELECT event_definitions.update(104, :'id', '{"description": "Bought"}')->'description' AS description;

-- delete returns void
SELECT event_definitions.delete(104, :'id');

-- it is gone: retrieve, update, metrics and a second delete are PT404
SELECT regress.err(format('SELECT event_definitions.retrieve(104, %L)', :'id')) AS retrieve;
SELECT regress.err(format($$SELECT event_definitions.update(104, %L, '{}')$$, :'id')) AS update;
SELECT regress.err(format('SELECT event_definitions.metrics(104, %L)', :'id')) AS metrics;
SELECT regress.err(format('SELECT event_definitions.delete(104, %L)', :'id')) AS delete_again;
SELECT event_definitions.list(104, names => ARRAY['purchase'])->'count' AS listed;

-- its counters went with it; the other definition keeps its own
SELECT (SELECT count(*) FROM event_definitions.daily_volume WHERE project_id = 104 AND definition_id = :'id') AS volume_rows,
       (SELECT count(*) FROM event_definitions.query_usage WHERE project_id = 104 AND definition_id = :'id') AS usage_rows;
SELECT event_definitions.metrics(104, :'keep_id') AS other_metrics;

-- its activity entries survive: deleted, changed, created (newest first)
SELECT e->>'activity' AS activity, e->'detail'->>'name' AS name
FROM jsonb_array_elements(event_definitions.activity(104, :'id')->'results') AS e;

-- ingesting the name again creates a new definition with a new id and no
-- curated fields or counters from the old one
SELECT event_definitions.ingest(104, ARRAY['purchase'], ARRAY['2024-05-01 12:00:00+00']::timestamptz[]) AS created;
SELECT event_definitions.list(104, names => ARRAY['purchase'])->'results'->0 AS r \gset
SELECT :'r'::jsonb->>'id' <> :'id' AS new_id,
       :'r'::jsonb->'description' AS description,
       :'r'::jsonb->'tags' AS tags,
       :'r'::jsonb->'last_seen_at' AS last_seen_at;
SELECT event_definitions.metrics(104, (:'r'::jsonb->>'id')::uuid) AS metrics;
-- and create() with the name works again after a delete
SELECT event_definitions.delete(104, (:'r'::jsonb->>'id')::uuid);
SELECT event_definitions."create"(104, 'purchase')->'last_seen_at' AS last_seen_at;

-- a missing id, and another project's id: PT404, indistinguishable, and
-- the other project's definition is not deleted
SELECT event_definitions.delete(104, '00000000-0000-4000-8000-00000000dead');
\echo :LAST_ERROR_SQLSTATE
SELECT (event_definitions."create"(194, 'purchase')->>'id')::uuid AS other_id \gset
SELECT regress.err(format('SELECT event_definitions.delete(104, %L)', :'other_id')) AS other_project,
       regress.err('SELECT event_definitions.delete(104, gen_random_uuid())') AS missing;
SELECT event_definitions.retrieve(194, :'other_id')->>'name' AS still_there;
-- malformed and missing ids
SELECT event_definitions.delete(104, 'not-a-uuid');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.delete(104, NULL);
\echo :LAST_ERROR_SQLSTATE

-- a rolled-back delete leaves the definition
BEGIN;
SELECT event_definitions.delete(104, :'keep_id');
ROLLBACK;
SELECT event_definitions.retrieve(104, :'keep_id')->>'name' AS name;

--
-- NOTIFY event_definitions after a committed delete, none after a rollback.
-- A second session (dblink) listens: psql would print a varying PID.
--
CREATE EXTENSION dblink;
SELECT dblink_connect('listener', format('dbname=%s port=%s host=%s user=%s',
    current_database(), current_setting('port'),
    split_part(current_setting('unix_socket_directories'), ',', 1), current_user));
SELECT dblink_exec('listener', 'LISTEN event_definitions');
-- notifications(): what the listener received, after a round trip that
-- makes it deliver what it has been signalled
CREATE FUNCTION pg_temp.notifications() RETURNS TABLE (channel text, payload jsonb)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dblink_exec('listener', 'LISTEN event_definitions');
    RETURN QUERY SELECT notify_name, extra::jsonb FROM dblink_get_notify('listener');
END $$;
BEGIN;
SELECT event_definitions.delete(104, :'keep_id');
ROLLBACK;
SELECT * FROM pg_temp.notifications();
SELECT event_definitions.delete(104, :'keep_id');
SELECT channel, payload - 'seq' AS payload,
       (SELECT a.activity || ' ' || a.item_id FROM event_definitions.activity_log a
        WHERE a.project_id = 104 AND a.seq = (payload->>'seq')::bigint)
       = 'deleted ' || :'keep_id' AS seq_matches
FROM pg_temp.notifications();
-- a failed delete: no notification
SELECT regress.err(format('SELECT event_definitions.delete(104, %L)', :'keep_id')) AS delete_again;
SELECT * FROM pg_temp.notifications();
SELECT dblink_disconnect('listener');
DROP EXTENSION dblink;
RESET event_definitions.user_id;

-- Deleting an id that does not exist changes nothing, even in a project with
-- no definitions left: PT404, not a failed check of the definition count
SELECT event_definitions.ingest(184, ARRAY['a']) AS created;
SELECT event_definitions.delete(184, (event_definitions.list(184)->'results'->0->>'id')::uuid);
SELECT regress.err('SELECT event_definitions.delete(184, gen_random_uuid())') AS delete_missing;
SELECT sum(definitions) AS definitions FROM event_definitions.project_stats WHERE project_id = 184;
