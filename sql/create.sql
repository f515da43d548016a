--
-- create: planned events, the patch argument, duplicate and invalid names.
-- Project 101.
--
RESET event_definitions.user_id;

-- A planned event: never seen, every field at its default.  id and
-- updated_at vary per run; they are checked apart from the rest.  created_at
-- is null until the first event is ingested (1.1).
BEGIN;
SELECT event_definitions."create"(101, 'signup') AS r \gset
SELECT jsonb_pretty(:'r'::jsonb - 'id' - 'created_at' - 'updated_at');
SELECT (:'r'::jsonb->>'id')::uuid IS NOT NULL AS has_uuid,
       :'r'::jsonb->'created_at' = 'null' AS created_at_null,
       (:'r'::jsonb->>'updated_at')::timestamptz = now() AS updated_now;
COMMIT;

-- it is stored: retrieve returns exactly what create returned
SELECT event_definitions.retrieve(101, (:'r'::jsonb->>'id')::uuid) = :'r'::jsonb AS same;

-- A patch is applied as by update, with the acting user in the *_by fields.
-- Read-only keys ("name", "id", "is_action", ...) are ignored.
SET event_definitions.user_id = 1;
BEGIN;
SELECT event_definitions."create"(101, 'checkout', '{
    "description": "Completed checkout",
    "owner": 2,
    "tags": [" Revenue", "core", "revenue "],
    "verified": true,
    "post_to_slack": true,
    "default_columns": ["amount", "currency"],
    "enforcement_mode": "reject",
    "primary_property": "amount",
    "name": "ignored",
    "id": "00000000-0000-0000-0000-000000000000",
    "is_action": true,
    "last_seen_at": "2020-01-01T00:00:00Z"
}') AS r \gset
SELECT jsonb_pretty(:'r'::jsonb - 'id' - 'created_at' - 'updated_at' - 'verified_at');
SELECT (:'r'::jsonb->>'id')::uuid <> '00000000-0000-0000-0000-000000000000' AS id_generated,
       :'r'::jsonb->'created_at' = 'null' AS created_at_null,
       (:'r'::jsonb->>'verified_at')::timestamptz = now() AS verified_now,
       (:'r'::jsonb->>'updated_at')::timestamptz = now() AS updated_now;
COMMIT;
RESET event_definitions.user_id;

-- hidden can be set at creation too
SELECT event_definitions."create"(101, 'internal_ping', '{"hidden": true}')->'hidden' AS hidden;

-- An explicit SQL NULL patch is the same as none
SELECT event_definitions."create"(101, 'null_patch', NULL)->'description' AS description;

-- A duplicate name is 23505 (HTTP 409) and changes nothing
SELECT event_definitions."create"(101, 'signup');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(101, 'checkout', '{"description": "other"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(101, names => ARRAY['checkout'])->'results'->0->>'description' AS description;

-- Names are compared bytewise: case and trailing spaces make other names
SELECT event_definitions."create"(101, 'Signup')->>'name' AS name;
SELECT event_definitions."create"(101, 'signup ')->>'name' AS name;

-- The same name in another project is another definition
SELECT event_definitions."create"(191, 'signup')->>'name' AS name;
SELECT (event_definitions.list(101, names => ARRAY['signup'])->'results'->0->>'id') <>
       (event_definitions.list(191, names => ARRAY['signup'])->'results'->0->>'id') AS distinct_ids;

-- Names: 1 to 400 characters (not bytes), no control characters
SELECT char_length(event_definitions."create"(101, repeat('n', 400))->>'name') AS len;
SELECT char_length(event_definitions."create"(101, repeat('é', 400))->>'name') AS len;
SELECT event_definitions."create"(101, '$pageview ü 🎉 %_\')->>'name' AS name;
SELECT event_definitions."create"(101, '');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(101, repeat('n', 401));
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(101, repeat('é', 401));
SELECT event_definitions."create"(101, E'tab\there');
SELECT event_definitions."create"(101, E'new\nline');
SELECT event_definitions."create"(101, E'del\x7f');
SELECT event_definitions."create"(101, E'line\u2028sep');
SELECT event_definitions."create"(101, E'c1\u0085ctl');
SELECT event_definitions."create"(101, NULL);
\echo :LAST_ERROR_SQLSTATE

-- An invalid patch is refused before anything is written
SELECT event_definitions."create"(101, 'bad_patch', '{"colour": "red"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(101, 'bad_patch', '{"verified": true, "hidden": true}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(101, 'bad_patch', '{"owner": 999}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(101, 'bad_patch', '["description"]');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(101, 'bad_patch', '{"tags": ["ok", " "]}');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS bad_patch_rows
FROM event_definitions.definitions WHERE project_id = 101 AND name = 'bad_patch';

-- What project 101 holds now
SELECT r->'name' AS name, r->'last_seen_at' AS last_seen_at
FROM jsonb_array_elements(event_definitions.list(101, ordering => 'name')->'results') AS r
WHERE char_length(r->>'name') < 50;
SELECT event_definitions.list(101)->'count' AS count;

-- The first ingested event sets created_at (ingestion's now, not the event
-- time); later events and updates leave it; updated_at stays the create's.
SELECT (event_definitions."create"(101, 'planned_then_seen')->>'updated_at') AS planned_updated_at \gset
BEGIN;
SELECT event_definitions.ingest(101, ARRAY['planned_then_seen'], ARRAY['2020-01-01 00:00:00+00']::timestamptz[]) AS created;
SELECT (r->>'created_at')::timestamptz = now() AS created_now,
       r->>'updated_at' = :'planned_updated_at' AS updated_at_kept,
       r->'last_seen_at' AS last_seen_at
FROM event_definitions.by_name(101, 'planned_then_seen') AS r;
COMMIT;
SELECT event_definitions.by_name(101, 'planned_then_seen')->>'created_at' AS first_created_at \gset
SELECT event_definitions.ingest(101, ARRAY['planned_then_seen']) AS created;
SELECT event_definitions.by_name(101, 'planned_then_seen')->>'created_at' = :'first_created_at' AS created_at_kept;
-- a name first seen by ingestion gets created_at at once
BEGIN;
SELECT event_definitions.ingest(101, ARRAY['seen_first']) AS created;
SELECT (event_definitions.by_name(101, 'seen_first')->>'created_at')::timestamptz = now() AS created_now;
COMMIT;
