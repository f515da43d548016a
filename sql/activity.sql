--
-- activity: one log entry per create, update and delete, in the same
-- transaction; changes list only changed fields; entries survive deletion;
-- newest first; paging; per definition and per project.  Project 105.
--

-- changes(page): the entries of an activity page, one row per change (or
-- one row for an entry without changes), users by id, timestamps masked
CREATE FUNCTION pg_temp.changes(page jsonb)
RETURNS TABLE (entry bigint, activity text, user_id jsonb, name text,
               field text, action text, before jsonb, after jsonb)
LANGUAGE sql STABLE AS $$
    SELECT e.n, e.v->>'activity', e.v->'user'->'id', e.v->'detail'->>'name',
           c->>'field', c->>'action',
           CASE WHEN c->>'field' LIKE '%\_at' THEN regress.t(c->'before') ELSE c->'before' END,
           CASE WHEN c->>'field' LIKE '%\_at' THEN regress.t(c->'after') ELSE c->'after' END
    FROM jsonb_array_elements(page->'results') WITH ORDINALITY AS e(v, n)
    LEFT JOIN LATERAL jsonb_array_elements(e.v->'detail'->'changes') AS c ON true
    ORDER BY e.n
$$;

-- create, as user 1
SET event_definitions.user_id = 1;
SELECT (event_definitions."create"(105, 'signup', '{"description": "Signed up", "tags": ["Growth", "web"], "owner": 2}')->>'id')::uuid AS id \gset
SELECT * FROM pg_temp.changes(event_definitions.activity(105, :'id'));

-- update, as user 2: description is unchanged, so only tags and verified are
-- listed, with the real tags before
SET event_definitions.user_id = 2;
SELECT event_definitions.update(105, :'id', '{"description": "Signed up", "tags": ["web", "core"], "verified": true}')->'tags' AS tags;
SELECT * FROM pg_temp.changes(event_definitions.activity(105, :'id', page_limit => 1));
-- an update that changes nothing still logs an entry, without changes
SELECT event_definitions.update(105, :'id', '{"description": "Signed up"}')->'description' AS description;
SELECT * FROM pg_temp.changes(event_definitions.activity(105, :'id', page_limit => 1));
-- every kind of field, including nulls and booleans turned off
SELECT event_definitions.update(105, :'id', '{"owner": null, "hidden": true, "post_to_slack": true, "default_columns": ["plan"], "enforcement_mode": "reject", "primary_property": "plan", "description": null}')->'hidden' AS hidden;
SELECT * FROM pg_temp.changes(event_definitions.activity(105, :'id', page_limit => 1));

-- ingestion is not logged (last_seen_at moves, no entry)
SELECT event_definitions.ingest(105, ARRAY['signup'], ARRAY['2024-02-01 10:00:00+00']::timestamptz[]) AS created;
SELECT event_definitions.activity(105, :'id')->'count' AS count;

-- in the same transaction: a rolled-back update or create leaves no entry,
-- a failed one neither
BEGIN;
SELECT event_definitions.update(105, :'id', '{"description": "rolled back"}')->'description' AS description;
SELECT event_definitions.activity(105, :'id')->'count' AS count_inside;
ROLLBACK;
SELECT event_definitions.activity(105, :'id')->'count' AS count_after_rollback;
BEGIN;
SELECT event_definitions."create"(105, 'never')->'name' AS name;
ROLLBACK;
SELECT event_definitions.update(105, :'id', '{"description": 1}');
SELECT event_definitions.update(105, :'id', '{"verified": true, "hidden": true}');
SELECT event_definitions.activity(105)->'count' AS project_count;

-- a second definition, with no acting user: its entries have user null
RESET event_definitions.user_id;
SELECT (event_definitions."create"(105, 'login')->>'id')::uuid AS id2 \gset
SELECT * FROM pg_temp.changes(event_definitions.activity(105, :'id2'));

-- delete, as user 1: every non-empty field is logged as deleted, with its
-- value before (last_seen_at from the ingest above)
SET event_definitions.user_id = 1;
BEGIN;
SELECT event_definitions.delete(105, :'id');
ROLLBACK;
SELECT event_definitions.activity(105, :'id')->'count' AS count_after_rolled_back_delete;
SELECT event_definitions.delete(105, :'id');
SELECT * FROM pg_temp.changes(event_definitions.activity(105, :'id', page_limit => 1));

-- the entries survive the deletion, newest first
SELECT * FROM pg_temp.changes(event_definitions.activity(105, :'id')) WHERE field IS NULL OR field = 'name' OR action = 'changed';

-- the shape of an entry
SELECT event_definitions.activity(105, :'id', page_limit => 1)->'results'->0 AS e \gset
SELECT jsonb_pretty(:'e'::jsonb - 'id' - 'item_id' - 'created_at' - 'detail');
SELECT (:'e'::jsonb->>'id')::uuid <> :'id' AS own_id,
       :'e'::jsonb->>'item_id' = :'id' AS item_id_is_definition,
       (:'e'::jsonb->>'created_at') ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$' AS created_at_format,
       (:'e'::jsonb->>'created_at')::timestamptz <= now() AS created_at_past,
       jsonb_typeof(:'e'::jsonb->'detail'->'changes') AS changes_type;
-- created_at of the entries is the transaction time of each change, newest first
SELECT bool_and(a >= b) AS newest_first
FROM (SELECT (r->>'created_at')::timestamptz AS a,
             lead((r->>'created_at')::timestamptz) OVER (ORDER BY n) AS b
      FROM jsonb_array_elements(event_definitions.activity(105)->'results') WITH ORDINALITY AS x(r, n)) s
WHERE b IS NOT NULL;

-- per project: the entries of both definitions, newest first
SELECT entry, activity, name FROM pg_temp.changes(event_definitions.activity(105))
GROUP BY entry, activity, name ORDER BY entry;

-- paging: count, next and previous links (the uuid masked)
CREATE FUNCTION pg_temp.page(page jsonb) RETURNS TABLE (count jsonb, n int, next text, previous text)
LANGUAGE sql AS $$
    SELECT page->'count', jsonb_array_length(page->'results'),
           regexp_replace(page->>'next', '[0-9a-f-]{36}', '<id>'),
           regexp_replace(page->>'previous', '[0-9a-f-]{36}', '<id>')
$$;
SELECT * FROM pg_temp.page(event_definitions.activity(105, :'id', page_limit => 2));
SELECT * FROM pg_temp.page(event_definitions.activity(105, :'id', page_limit => 2, page_offset => 2));
SELECT * FROM pg_temp.page(event_definitions.activity(105, :'id', page_limit => 2, page_offset => 3));
SELECT * FROM pg_temp.page(event_definitions.activity(105, :'id', page_limit => 2, page_offset => 10));
SELECT * FROM pg_temp.page(event_definitions.activity(105, page_limit => 3, page_offset => 1));
SELECT entry, activity, name FROM pg_temp.changes(event_definitions.activity(105, :'id', page_limit => 2, page_offset => 2))
GROUP BY entry, activity, name ORDER BY entry;
SET request.path = '/rpc/activity';
SELECT * FROM pg_temp.page(event_definitions.activity(105, page_limit => 3, page_offset => 3));
RESET request.path;
SELECT event_definitions.activity(105, :'id', page_limit => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.activity(105, :'id', page_offset => -1);
\echo :LAST_ERROR_SQLSTATE

-- the log is per project: another project sees none of these entries
SELECT * FROM pg_temp.page(event_definitions.activity(195, :'id'));
SELECT * FROM pg_temp.page(event_definitions.activity(195));
RESET event_definitions.user_id;
