--
-- packaging: the library's version matches the installed SQL version, a
-- version the library does not serve is refused with a hint, and the
-- schema and every table are documented.  Project 301.
--

-- the library serves the version installed by CREATE EXTENSION
SELECT event_definitions.version() = extversion AS library_matches_sql
FROM pg_catalog.pg_extension WHERE extname = 'event_definitions';

-- an installed version the library does not serve: the first call of the
-- session refuses it (this session has made no call yet)
BEGIN;
UPDATE pg_catalog.pg_extension SET extversion = '9.9' WHERE extname = 'event_definitions';
SAVEPOINT s;
SELECT event_definitions.list(301);
ROLLBACK TO SAVEPOINT s;
-- refused again: a failed check is not remembered as passed
SELECT event_definitions.retrieve(301, '00000000-0000-4000-8000-000000000001');
ROLLBACK;
-- back to the installed version: the same session works
SELECT event_definitions.list(301)->>'count' AS count;

-- documented: the schema and every table of the extension
SELECT obj_description('event_definitions'::regnamespace, 'pg_namespace') IS NOT NULL
    AS schema_commented;
SELECT c.relname AS table_without_comment
FROM pg_catalog.pg_class c
WHERE c.relnamespace = 'event_definitions'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
  AND obj_description(c.oid, 'pg_class') IS NULL
ORDER BY 1;

-- version() is not for PUBLIC, like every other function of the extension
SELECT has_function_privilege('public', 'event_definitions.version()', 'EXECUTE')
    AS public_can_execute;
