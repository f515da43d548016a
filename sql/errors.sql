--
-- errors: every argument error of list and activity, and the SQLSTATE of
-- each error class of the contract (PostgREST maps it to the HTTP status):
-- PT404, 23505, 42501 (see privileges), 22023 and 22P02.  Project 205.
--
SELECT event_definitions.ingest(205, ARRAY['known'], ARRAY['2020-01-01 12:00Z']::timestamptz[]);
SELECT (event_definitions.list(205)->'results'->0->>'id')::uuid AS known_id \gset

--
-- project_id: required and positive, for every function
--
SELECT event_definitions.list(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(0);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(-5);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.retrieve(NULL, :'known_id');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.retrieve(0, :'known_id');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.activity(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.activity(-1);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(0, 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(-9223372036854775808, ARRAY['x']);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.metrics(NULL, :'known_id');
\echo :LAST_ERROR_SQLSTATE

--
-- list: page bounds
--
SELECT event_definitions.list(205, page_limit => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, page_limit => -9223372036854775808);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, page_offset => -1);
\echo :LAST_ERROR_SQLSTATE

-- list: event_type, exactly one of the five values
SELECT event_definitions.list(205, event_type => 'custom');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, event_type => 'EVENT');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, event_type => '');
\echo :LAST_ERROR_SQLSTATE

-- list: ordering
SELECT event_definitions.list(205, ordering => 'popularity');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, ordering => '-name,,created_at');
\echo :LAST_ERROR_SQLSTATE

-- list: tags must be normalizable like stored tags
SELECT event_definitions.list(205, tags => ARRAY['ok', '   ']);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, tags => ARRAY[repeat('t', 256)]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, tags => ARRAY[repeat('t', 255)])->'count' AS longest_tag_is_fine;

-- list: array arguments must be one-dimensional and without NULL elements
SELECT event_definitions.list(205, tags => ARRAY['a', NULL]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, tags => ARRAY[['a', 'b'], ['c', 'd']]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, names => ARRAY[NULL, 'known']);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, names => ARRAY[['known'], ['x']]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, excluded_properties => ARRAY['known', NULL, NULL]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, excluded_properties => '{{a},{b}}');
\echo :LAST_ERROR_SQLSTATE

-- list: huge arguments are fine (they just match nothing)
SELECT event_definitions.list(205, search => repeat('k', 1000000))->'count' AS count;
SELECT event_definitions.list(205, names => ARRAY[repeat('k', 1000000), 'known'])->'count' AS count;
SELECT event_definitions.list(205, excluded_properties => ARRAY[repeat('k', 1000000)])->'count' AS count;
-- NULL optional arguments mean their default
SELECT event_definitions.list(205, search => NULL, event_type => NULL, exclude_hidden => NULL, exclude_stale => NULL,
                              verified => NULL, tags => NULL, names => NULL, excluded_properties => NULL,
                              ordering => NULL, page_limit => NULL, page_offset => NULL)->'count' AS count;

--
-- activity: page bounds and id
--
SELECT event_definitions.activity(205, page_limit => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.activity(205, page_offset => -1);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.activity(205, 'not-a-uuid');
\echo :LAST_ERROR_SQLSTATE

--
-- 22P02: malformed uuid (PostgreSQL's own input error, before the call)
--
SELECT event_definitions.retrieve(205, 'not-a-uuid');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, '1234', '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.delete(205, '');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.metrics(205, '00000000-0000-4000-8000-00000000000g');
\echo :LAST_ERROR_SQLSTATE

-- a required id must not be null
SELECT event_definitions.retrieve(205, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.delete(205, NULL);
\echo :LAST_ERROR_SQLSTATE

--
-- PT404: no definition with that id in that project
--
SELECT event_definitions.retrieve(205, '00000000-0000-4000-8000-0000000000aa');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, '00000000-0000-4000-8000-0000000000aa', '{"description": "x"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.delete(205, '00000000-0000-4000-8000-0000000000aa');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.metrics(205, '00000000-0000-4000-8000-0000000000aa');
\echo :LAST_ERROR_SQLSTATE
-- an id of another project is reported exactly like a missing one
CREATE FUNCTION pg_temp.err(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM,
        '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g');
END $$;
SELECT f, pg_temp.err(format('SELECT event_definitions.%s(295, %L%s)', f, :'known_id',
                             CASE f WHEN 'update' THEN ', ''{}''' ELSE '' END)) AS error
FROM unnest(ARRAY['retrieve', 'update', 'delete', 'metrics']) AS f;
SELECT pg_temp.err('SELECT event_definitions.retrieve(295, ''00000000-0000-4000-8000-0000000000aa'')') AS missing_error;
-- the definition is still there in its own project
SELECT event_definitions.retrieve(205, :'known_id')->>'name' AS name;

--
-- 23505: create with a name that exists in the project
--
SELECT event_definitions."create"(205, 'known');
\echo :LAST_ERROR_SQLSTATE
-- names compare bytewise: another case is another name
SELECT event_definitions."create"(205, 'KNOWN')->>'name' AS name;

--
-- 22023: invalid names, patches and batches
--
SELECT event_definitions."create"(205, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(205, '');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(205, repeat('n', 401));
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(205, E'line\nbreak');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(205, 'bad' || chr(133));
\echo :LAST_ERROR_SQLSTATE
-- 400 characters are fine, also when they take 800 bytes
SELECT length(event_definitions."create"(205, repeat('é', 400))->>'name') AS name_length;
SELECT event_definitions.update(205, :'known_id', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', '[]');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', '{"colour": "red"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', '{"hidden": "yes"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', '{"verified": true, "hidden": true}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', '{"verified": null}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', '{"owner": 999}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', '{"tags": ["ok", " "]}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(205, 'with bad patch', '{"enforcement_mode": "block"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(205, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(205, ARRAY['a', NULL]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(205, ARRAY[['a', 'b'], ['c', 'd']]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(205, ARRAY['a', 'b'], ARRAY[now()]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(205, ARRAY['a', repeat('n', 1000000)]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(205, ARRAY['a'], ARRAY['infinity']::timestamptz[]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.record_query_usage(205, NULL);
\echo :LAST_ERROR_SQLSTATE
-- nothing of the failed batches was applied
SELECT event_definitions.list(205, names => ARRAY['a', 'b', 'c', 'd', 'x', 'with bad patch'])->'count' AS count;

--
-- values echoed in messages are cut to 64 characters (megabyte arguments
-- must not make megabyte log lines), at a character boundary
--
SELECT event_definitions.list(205, ordering => repeat('x', 1000000));
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, ordering => 'name' || repeat(',-name', 200000));
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, ordering => repeat('é', 1000000) || ',,');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, event_type => repeat('é', 1000000));
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', jsonb_build_object(repeat('k', 1000000), 1));
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(205, :'known_id', jsonb_build_object('enforcement_mode', repeat('m', 1000000)));
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(205, repeat('n', 1000000));
\echo :LAST_ERROR_SQLSTATE
-- exactly 64 characters are quoted whole
SELECT event_definitions.list(205, event_type => repeat('é', 64));
\echo :LAST_ERROR_SQLSTATE
-- a name far too long is refused before it is read (no 1 GB scratch array)
SELECT event_definitions."create"(205, 'é' || repeat(repeat('a', 100), 2700000));
\echo :LAST_ERROR_SQLSTATE
-- only the quoted start of a name decides whether it is quoted
SELECT event_definitions."create"(205, repeat('é', 100) || E'\n');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions."create"(205, E'\t' || repeat('é', 100));
\echo :LAST_ERROR_SQLSTATE

--
-- invalid UTF-8 cannot even become a text argument
--
SELECT event_definitions.ingest(205, ARRAY[convert_from('\xc328'::bytea, 'UTF8')]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.list(205, search => E'\xff');
\echo :LAST_ERROR_SQLSTATE
