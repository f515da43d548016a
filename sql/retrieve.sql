--
-- retrieve: one definition by id, PT404 for missing ids and for ids of other
-- projects, 22P02 for malformed ids.  Projects 102 and 192.
--

SELECT event_definitions."create"(102, 'pageview', '{"description": "A page was viewed", "owner": 3, "tags": ["web"]}') AS created \gset
SELECT (:'created'::jsonb->>'id')::uuid AS id \gset
SELECT event_definitions."create"(192, 'pageview') AS other \gset
SELECT (:'other'::jsonb->>'id')::uuid AS other_id \gset

-- retrieve returns the definition as create rendered it, with the owner as
-- the seven-key user object
SELECT event_definitions.retrieve(102, :'id') = :'created'::jsonb AS same_as_created;
SELECT jsonb_pretty(event_definitions.retrieve(102, :'id') - 'id' - 'created_at' - 'updated_at');
SELECT event_definitions.retrieve(102, :'id')->>'id' = :'id' AS same_id;
-- named arguments, as PostgREST calls it
SELECT event_definitions.retrieve(project_id => 102, id => :'id')->>'name' AS name;

-- timestamps are ISO 8601 UTC with "Z", microseconds only when non-zero
UPDATE event_definitions.definitions SET last_seen_at = '2020-01-01 22:56:00+00'
WHERE project_id = 102 AND id = :'id';
SELECT event_definitions.retrieve(102, :'id')->'last_seen_at' AS last_seen_at;
UPDATE event_definitions.definitions SET last_seen_at = '2020-01-01 22:56:00.123456+00'
WHERE project_id = 102 AND id = :'id';
SELECT event_definitions.retrieve(102, :'id')->'last_seen_at' AS last_seen_at;
UPDATE event_definitions.definitions SET last_seen_at = '2020-01-01 22:56:00.1+00'
WHERE project_id = 102 AND id = :'id';
SELECT event_definitions.retrieve(102, :'id')->'last_seen_at' AS last_seen_at;
-- a planned definition has no created_at yet (1.1); updated_at is set
SELECT event_definitions.retrieve(102, :'id')->'created_at' AS created_at;
SELECT (event_definitions.retrieve(102, :'id')->>'updated_at') ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$' AS updated_at_format;

-- an id that does not exist: PT404 (HTTP 404)
SELECT event_definitions.retrieve(102, '00000000-0000-4000-8000-00000000dead');
\echo :LAST_ERROR_SQLSTATE

-- an id that exists only in another project is indistinguishable from a
-- missing one: same SQLSTATE, same message
SELECT regress.err(format('SELECT event_definitions.retrieve(102, %L)', :'other_id')) AS other_project,
       regress.err($$SELECT event_definitions.retrieve(102, gen_random_uuid())$$) AS missing;
SELECT regress.err(format('SELECT event_definitions.retrieve(192, %L)', :'id')) AS other_project;
-- each project still sees its own
SELECT event_definitions.retrieve(192, :'other_id')->>'name' AS name;

-- a malformed uuid is 22P02 (HTTP 400)
SELECT event_definitions.retrieve(102, 'not-a-uuid');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.retrieve(102, '00000000-0000-4000-8000-0000000000');
\echo :LAST_ERROR_SQLSTATE

-- a missing id argument
SELECT event_definitions.retrieve(102, NULL);
\echo :LAST_ERROR_SQLSTATE
