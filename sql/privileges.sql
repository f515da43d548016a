--
-- privileges: nothing is usable by PUBLIC; a read-only and a read-write
-- role get what the README grants; JWT claims (scopes, project_ids,
-- user_id) narrow what a call may do.  Projects 206..209.
--
SELECT event_definitions.ingest(206, ARRAY['p206_a', 'p206_b'], ARRAY['2020-01-02 12:00Z', '2020-01-01 12:00Z']::timestamptz[]);
SELECT event_definitions.ingest(207, ARRAY['p207_a'], ARRAY['2020-01-01 12:00Z']::timestamptz[]);
SELECT (event_definitions.list(206, names => ARRAY['p206_a'])->'results'->0->>'id')::uuid AS id206 \gset
SELECT (event_definitions.list(207)->'results'->0->>'id')::uuid AS id207 \gset

-- err(sql): run sql as the current role, return its SQLSTATE and message
-- with uuids masked
CREATE FUNCTION pg_temp.err(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM,
        '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g');
END $$;
-- calls(): one call of every function of the schema, with NULL arguments
CREATE VIEW pg_temp.calls AS
SELECT p.proname AS fn,
       format('SELECT event_definitions.%I(%s)', p.proname,
              (SELECT string_agg('NULL::' || format_type(t, NULL), ', ')
               FROM unnest(p.proargtypes::oid[]) AS t)) AS sql
FROM pg_proc p WHERE p.pronamespace = 'event_definitions'::regnamespace;
-- tables(): every table and sequence of the schema
CREATE VIEW pg_temp.tables AS
SELECT c.relname, c.relkind FROM pg_class c
WHERE c.relnamespace = 'event_definitions'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S');
GRANT SELECT ON pg_temp.calls, pg_temp.tables TO PUBLIC;
-- err_with(claims, sql): err(sql) with request.jwt.claims set to claims
CREATE FUNCTION pg_temp.err_with(claims text, sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('request.jwt.claims', claims, false);
    RETURN pg_temp.err(sql);
END $$;

--
-- PUBLIC has no privilege on the schema, its functions, tables or sequences
--
SELECT has_schema_privilege('public', 'event_definitions', 'USAGE') AS schema_usage,
       has_schema_privilege('public', 'event_definitions', 'CREATE') AS schema_create;
SELECT count(*) AS functions,
       count(*) FILTER (WHERE has_function_privilege('public', p.oid, 'EXECUTE')) AS executable_by_public
FROM pg_proc p WHERE p.pronamespace = 'event_definitions'::regnamespace;
SELECT count(*) AS relations,
       count(*) FILTER (WHERE EXISTS (SELECT FROM aclexplode(c.relacl) a WHERE a.grantee = 0)) AS granted_to_public
FROM pg_class c
WHERE c.relnamespace = 'event_definitions'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S');

CREATE ROLE regress_ed_nobody;
CREATE ROLE regress_ed_reader;
CREATE ROLE regress_ed_writer IN ROLE regress_ed_reader;

-- a fresh role cannot even look into the schema
SET ROLE regress_ed_nobody;
SELECT event_definitions.list(206);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM event_definitions.definitions;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- with USAGE on the schema, still every function and every table is refused
GRANT USAGE ON SCHEMA event_definitions TO regress_ed_nobody;
SET ROLE regress_ed_nobody;
SELECT fn, pg_temp.err(sql) AS result FROM pg_temp.calls ORDER BY fn;
SELECT relname, pg_temp.err(format('SELECT FROM event_definitions.%I', relname)) AS result
FROM pg_temp.tables ORDER BY relname;
SELECT pg_temp.err('INSERT INTO event_definitions.users (id) VALUES (42)') AS insert_user;
RESET ROLE;

--
-- the README's read-only and read-write roles
--
GRANT USAGE ON SCHEMA event_definitions TO regress_ed_reader;
GRANT EXECUTE ON FUNCTION event_definitions.list, event_definitions.retrieve,
                          event_definitions.metrics, event_definitions.activity TO regress_ed_reader;
GRANT EXECUTE ON FUNCTION event_definitions."create", event_definitions.update,
                          event_definitions.delete, event_definitions.ingest,
                          event_definitions.record_query_usage TO regress_ed_writer;

-- the reader reads ...
SET ROLE regress_ed_reader;
SELECT jsonb_path_query_array(event_definitions.list(206), '$.results[*].name') AS names;
SELECT event_definitions.retrieve(206, :'id206')->>'name' AS name;
SELECT event_definitions.metrics(206, :'id206') AS metrics;
SELECT event_definitions.activity(206)->'count' AS activity_count;
-- ... but writes nothing, and reads no table directly
SELECT event_definitions.update(206, :'id206', '{"description": "reader"}');
\echo :LAST_ERROR_SQLSTATE
SELECT fn, pg_temp.err(sql) AS result FROM pg_temp.calls
WHERE fn IN ('create', 'update', 'delete', 'ingest', 'record_query_usage') ORDER BY fn;
SELECT * FROM event_definitions.definitions;
\echo :LAST_ERROR_SQLSTATE
SELECT relname, pg_temp.err(format('SELECT FROM event_definitions.%I', relname)) AS result
FROM pg_temp.tables ORDER BY relname;
RESET ROLE;

-- the writer reads and writes through the functions only
SET ROLE regress_ed_writer;
SELECT event_definitions.ingest(208, ARRAY['w_seen'], ARRAY['2020-01-01 12:00Z']::timestamptz[]) AS created;
SELECT (event_definitions."create"(208, 'w_planned')->>'id')::uuid AS w_id \gset
SELECT event_definitions.update(208, :'w_id', '{"description": "by writer"}')->>'description' AS description;
SELECT event_definitions.record_query_usage(208, ARRAY['w_seen', 'w_planned']) AS counted;
SELECT event_definitions.delete(208, :'w_id');
SELECT jsonb_path_query_array(event_definitions.list(208), '$.results[*].name') AS names;
SELECT * FROM event_definitions.definitions;
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.err('INSERT INTO event_definitions.definitions (project_id, name) VALUES (208, ''direct'')') AS direct_insert;
SELECT pg_temp.err('UPDATE event_definitions.project_stats SET definitions = 0') AS direct_update;
SELECT pg_temp.err('DELETE FROM event_definitions.activity_log') AS direct_delete;

--
-- claims: scopes and project_ids (still as the writer, who may run everything)
--
-- read scope on project 206: reads work ...
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read"], "project_ids": [206]}', false);
SELECT event_definitions.list(206)->'count' AS count;
SELECT event_definitions.retrieve(206, :'id206')->>'name' AS name;
SELECT event_definitions.metrics(206, :'id206') AS metrics;
SELECT event_definitions.activity(206)->'count' AS activity_count;
-- ... writes fail, naming the missing scope
SELECT event_definitions.update(206, :'id206', '{"description": "x"}');
\echo :LAST_ERROR_SQLSTATE
SELECT f, pg_temp.err(s) AS result
FROM (VALUES ('create', 'SELECT event_definitions."create"(206, ''nope'')'),
             ('delete', format('SELECT event_definitions.delete(206, %L)', :'id206')),
             ('ingest', 'SELECT event_definitions.ingest(206, ARRAY[''nope''])'),
             ('record_query_usage', 'SELECT event_definitions.record_query_usage(206, ARRAY[''p206_a''])')) AS v(f, s);
-- ... and another project is refused, for every function
SELECT event_definitions.list(207);
\echo :LAST_ERROR_SQLSTATE
SELECT f, pg_temp.err(s) AS result
FROM (VALUES ('retrieve', format('SELECT event_definitions.retrieve(207, %L)', :'id207')),
             ('metrics', format('SELECT event_definitions.metrics(207, %L)', :'id207')),
             ('activity', 'SELECT event_definitions.activity(207)')) AS v(f, s);
-- access is checked before the arguments: no hint from argument errors
SELECT pg_temp.err('SELECT event_definitions.list(207, page_limit => 0, ordering => ''bogus'')') AS other_project;
SELECT pg_temp.err('SELECT event_definitions.update(206, ''00000000-0000-4000-8000-0000000000aa'', ''{"bogus": 1}'')') AS missing_scope;
-- nothing was written
SELECT event_definitions.list(206)->'count' AS count;

-- write scope implies read
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:write"], "project_ids": [206, 209]}', false);
SELECT event_definitions.list(206)->'count' AS count;
SELECT event_definitions.update(206, :'id206', '{"description": "written"}')->>'description' AS description;
SELECT event_definitions.ingest(209, ARRAY['p209_a']) AS created;
SELECT pg_temp.err('SELECT event_definitions.list(207)') AS other_project;
SELECT pg_temp.err('SELECT event_definitions.ingest(207, ARRAY[''p207_b''])') AS other_project_write;

-- "*" allows everything; without project_ids every project
SELECT set_config('request.jwt.claims', '{"scopes": ["*"]}', false);
SELECT event_definitions.list(207)->'count' AS count;
SELECT event_definitions.update(207, :'id207', '{"description": "star"}')->>'description' AS description;

-- no matching scope: an empty list, other scopes, wrong case
SELECT c, pg_temp.err_with(c, 'SELECT event_definitions.list(206)') AS result
FROM unnest(ARRAY['{"scopes": []}', '{"scopes": ["event_definition:READ", "event_definition", "insight:read"]}',
                  '{"scopes": ["event_definition:read "]}']) AS c;

-- claims without scopes: ordinary privileges decide, project_ids still apply
SELECT set_config('request.jwt.claims', '{"project_ids": [206], "role": "regress_ed_writer"}', false);
SELECT event_definitions.update(206, :'id206', '{"description": "no scopes"}')->>'description' AS description;
SELECT pg_temp.err('SELECT event_definitions.list(207)') AS other_project;
-- project ids may be given as strings
SELECT set_config('request.jwt.claims', '{"project_ids": ["206"]}', false);
SELECT event_definitions.list(206)->'count' AS count;
-- empty claims are no claims
SELECT set_config('request.jwt.claims', '', false);
SELECT event_definitions.list(207)->'count' AS count;
RESET ROLE;

-- claims never grant privileges: the reader still cannot write
SET ROLE regress_ed_reader;
SELECT set_config('request.jwt.claims', '{"scopes": ["*"]}', false);
SELECT pg_temp.err(format('SELECT event_definitions.update(206, %L, ''{}'')', :'id206')) AS reader_update;
SELECT event_definitions.list(206)->'count' AS count;
SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;

--
-- the acting user: the user_id claim, else event_definitions.user_id
--
SET ROLE regress_ed_writer;
SET event_definitions.user_id = 1;
SELECT event_definitions.update(206, :'id206', '{"description": "by setting"}')->'updated_by'->'id' AS updated_by;
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:write"], "project_ids": [206], "user_id": 2}', false);
-- user 2 is not linked to project 206 (event_definitions.user_projects): a
-- caller limited by project_ids sees its id only
SELECT d->'updated_by'->'id' AS updated_by, d->'updated_by'->>'first_name' AS first_name
FROM event_definitions.update(206, :'id206', '{"description": "by claim"}') AS d;
SELECT event_definitions.activity(206, :'id206')->'results'->0->'user'->'id' AS activity_user;
-- a user id given as a string, and one missing from the users directory
SELECT set_config('request.jwt.claims', '{"user_id": "3"}', false);
SELECT event_definitions.update(206, :'id206', '{"description": "by 3"}')->'updated_by'->'id' AS updated_by;
SELECT set_config('request.jwt.claims', '{"user_id": 99}', false);
SELECT event_definitions.update(206, :'id206', '{"verified": true}') -> 'verified_by' AS verified_by;
-- a null user_id claim falls back to the setting
SELECT set_config('request.jwt.claims', '{"user_id": null}', false);
SELECT event_definitions.update(206, :'id206', '{"description": "null claim"}')->'updated_by'->'id' AS updated_by;

-- malformed claims are refused
SELECT c, pg_temp.err_with(c, 'SELECT event_definitions.list(206)') AS result
FROM unnest(ARRAY['[]', '"scopes"', '{"scopes": "event_definition:read"}', '{"project_ids": 206}']) AS c;
SELECT c, pg_temp.err_with(c, format('SELECT event_definitions.update(206, %L, ''{}'')', :'id206')) AS result
FROM unnest(ARRAY['{"user_id": -1}', '{"user_id": "abc"}', '{"user_id": 1.5}', '{"user_id": true}']) AS c;

SELECT set_config('request.jwt.claims', '', false);
RESET event_definitions.user_id;
RESET ROLE;

DROP OWNED BY regress_ed_nobody, regress_ed_reader, regress_ed_writer;
DROP ROLE regress_ed_nobody, regress_ed_writer, regress_ed_reader;
