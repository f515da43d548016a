--
-- restore (1.1): a deleted definition comes back from its "deleted" entry,
-- same id and curated fields, counters lost; PT404, 23505; activity;
-- project isolation.  Projects 603 and 693.
--
-- the same with detail and hint
CREATE FUNCTION pg_temp.err_full(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    det text; hnt text;
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RETURN regexp_replace(SQLSTATE || ': ' || SQLERRM || E'\nDETAIL: ' || det || E'\nHINT: ' || hnt,
        '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g');
END $$;

INSERT INTO event_definitions.users (id, first_name) VALUES (60301, 'Leaving');
SET event_definitions.user_id = 1;
SELECT (event_definitions."create"(603, 'checkout', '{"description": "Checked out", "owner": 2, "tags": ["Revenue", "web"], "post_to_slack": true, "default_columns": ["z", "a"], "enforcement_mode": "reject", "primary_property": "amount"}')->>'id')::uuid AS id \gset
SELECT event_definitions.ingest(603, ARRAY['checkout', 'checkout'], ARRAY['2024-05-01 10:00:00+00', '2024-05-02 11:00:00.5+00']::timestamptz[]) AS created;
SELECT event_definitions.record_query_usage(603, ARRAY['checkout']) AS counted;
SELECT event_definitions.update(603, :'id', '{"verified": true}')->'verified' AS verified;
SELECT event_definitions.retrieve(603, :'id') AS before_delete \gset
SELECT event_definitions.delete(603, :'id');
SELECT count(*) AS definitions FROM event_definitions.definitions WHERE project_id = 603;

-- restore: same id, name and curated fields, rendered as retrieve renders it
SET event_definitions.user_id = 3;
SELECT event_definitions.restore(603, :'id') AS restored \gset
SELECT :'restored'::jsonb = event_definitions.retrieve(603, :'id') AS same_as_retrieve,
       :'restored'::jsonb = event_definitions.by_name(603, 'checkout') AS same_as_by_name;
-- what differs from before the delete: only updated_at and updated_by
SELECT key, :'before_delete'::jsonb->key AS before, value AS after
FROM jsonb_each(:'restored'::jsonb)
WHERE value <> :'before_delete'::jsonb->key AND key NOT IN ('updated_at')
ORDER BY key;
SELECT (:'restored'::jsonb->>'updated_at')::timestamptz > (:'before_delete'::jsonb->>'updated_at')::timestamptz AS updated_at_moved;
-- counters were deleted with it and are not recoverable
SELECT event_definitions.metrics(603, :'id') AS metrics;
SELECT event_definitions.list(603)->'count' AS count;
-- the log: deleted, then created with restored_from naming the deleted entry
SELECT a.activity, a.user_id, a.detail->'restored_from' = to_jsonb(
           (SELECT d.id::text FROM event_definitions.activity_log d
            WHERE d.project_id = 603 AND d.item_id = :'id' AND d.activity = 'deleted')) AS restored_from_deleted_entry
FROM event_definitions.activity_log a WHERE a.project_id = 603 AND a.item_id = :'id'
ORDER BY a.seq DESC LIMIT 2;
SELECT string_agg(c->>'field', ', ') AS created_fields
FROM event_definitions.activity_log a, jsonb_array_elements(a.detail->'changes') c
WHERE a.project_id = 603 AND a.item_id = :'id' AND a.activity = 'created' AND a.detail ? 'restored_from';

-- restoring again: it is not deleted any more
SELECT pg_temp.err_full(format('SELECT event_definitions.restore(603, %L)', :'id')) AS restore_again;
-- an id never seen; the id in another project
SELECT regress.err('SELECT event_definitions.restore(603, ''00000000-0000-4000-8000-00000000dead'')') AS missing;
SELECT regress.err(format('SELECT event_definitions.restore(693, %L)', :'id')) AS other_project;
SELECT event_definitions.restore(603, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.restore(603, 'not-a-uuid');
\echo :LAST_ERROR_SQLSTATE

-- the owner comes back only if the user still exists; a planned definition
-- comes back without created_at; hidden comes back
SELECT (event_definitions."create"(603, 'planned', '{"owner": 60301, "hidden": true, "description": null}')->>'id')::uuid AS planned \gset
SELECT event_definitions.delete(603, :'planned');
DELETE FROM event_definitions.users WHERE id = 60301;
SELECT r->'owner' AS owner, r->'hidden' AS hidden, r->'created_at' AS created_at,
       r->'last_seen_at' AS last_seen_at, r->'description' AS description
FROM event_definitions.restore(603, :'planned') AS r;

-- the name exists again (ingested since): 23505 with a hint, nothing written
SELECT event_definitions.delete(603, :'id');
SELECT event_definitions.ingest(603, ARRAY['checkout']) AS created;
SELECT count(*) AS log_entries FROM event_definitions.activity_log WHERE project_id = 603 \gset
SELECT pg_temp.err_full(format('SELECT event_definitions.restore(603, %L)', :'id')) AS name_taken;
SELECT count(*) = :log_entries AS nothing_logged FROM event_definitions.activity_log WHERE project_id = 603;
-- once the new one is deleted, the old one can come back
SELECT event_definitions.delete(603, (event_definitions.by_name(603, 'checkout')->>'id')::uuid);
SELECT event_definitions.restore(603, :'id')->>'id' = :'id' AS restored;

-- scopes and projects
BEGIN;
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read"]}', true);
SELECT event_definitions.restore(603, :'id');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"scopes": ["*"], "project_ids": [693]}', true);
SELECT event_definitions.restore(603, :'id');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN READ ONLY;
SELECT event_definitions.restore(603, :'id');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- the project's count follows
SELECT sum(definitions) AS definitions FROM event_definitions.project_stats WHERE project_id = 603;
SELECT event_definitions.list(603)->'count' AS count;
