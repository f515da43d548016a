--
-- claims_encoding: claims carrying escapes that jsonb cannot hold in the
-- database's encoding ("\u0000" anywhere; outside UTF-8 every character
-- beyond ASCII) are judged on their real claims, with no SQLSTATE outside
-- the contract.  Each such escape counts as "?", which no scope, project
-- or user id holds.  The same calls run in a SQL_ASCII, a LATIN1 and a
-- UTF8 database.
--
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS ed_claims_sql_ascii;
DROP DATABASE IF EXISTS ed_claims_latin1;
DROP DATABASE IF EXISTS ed_claims_utf8;
CREATE DATABASE ed_claims_sql_ascii TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C';
CREATE DATABASE ed_claims_latin1 TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C';
CREATE DATABASE ed_claims_utf8 TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';
RESET client_min_messages;

\c ed_claims_sql_ascii
SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database();
SET client_min_messages = warning;
CREATE EXTENSION event_definitions CASCADE;
RESET client_min_messages;
INSERT INTO event_definitions.users (id) VALUES (7);
SELECT event_definitions.ingest(1, ARRAY['seen']);
-- "\u0000" in a claim that is not read: the call goes ahead
SELECT set_config('request.jwt.claims', '{"sub": "a\u0000b", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- characters beyond ASCII, escaped, in a claim that is not read
SELECT set_config('request.jwt.claims', '{"sub": "caf\u00e9 \u20ac \ud83d\ude00", "scopes": ["event_definition:read"], "project_ids": [1]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- in a scope, a project id or a user id, they match nothing
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read\u0000"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:r\u00e9ad"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"project_ids": ["1\u0000"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"user_id": "7\u0000"}', false) IS NOT NULL AS set;
SELECT event_definitions."create"(1, 'planned');
\echo :LAST_ERROR_SQLSTATE
-- ASCII escapes are what they say
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:\u0077rite"], "user_id": "\u0037", "name": "\u00e9"}', false) IS NOT NULL AS set;
SELECT event_definitions."create"(1, 'planned')->'updated_by'->'id' AS updated_by;
-- "\\u0000" is a backslash and "u0000": nothing to replace
SELECT set_config('request.jwt.claims', '{"sub": "\\u0000", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- a lone surrogate is malformed JSON in every encoding
SELECT set_config('request.jwt.claims', '{"sub": "\ud83d", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
RESET request.jwt.claims;

\c ed_claims_latin1
SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database();
SET client_min_messages = warning;
CREATE EXTENSION event_definitions CASCADE;
RESET client_min_messages;
INSERT INTO event_definitions.users (id) VALUES (7);
SELECT event_definitions.ingest(1, ARRAY['seen']);
-- "\u0000" in a claim that is not read: the call goes ahead
SELECT set_config('request.jwt.claims', '{"sub": "a\u0000b", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- characters beyond ASCII, escaped, in a claim that is not read
SELECT set_config('request.jwt.claims', '{"sub": "caf\u00e9 \u20ac \ud83d\ude00", "scopes": ["event_definition:read"], "project_ids": [1]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- in a scope, a project id or a user id, they match nothing
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read\u0000"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:r\u00e9ad"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"project_ids": ["1\u0000"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"user_id": "7\u0000"}', false) IS NOT NULL AS set;
SELECT event_definitions."create"(1, 'planned');
\echo :LAST_ERROR_SQLSTATE
-- ASCII escapes are what they say
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:\u0077rite"], "user_id": "\u0037", "name": "\u00e9"}', false) IS NOT NULL AS set;
SELECT event_definitions."create"(1, 'planned')->'updated_by'->'id' AS updated_by;
-- "\\u0000" is a backslash and "u0000": nothing to replace
SELECT set_config('request.jwt.claims', '{"sub": "\\u0000", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- a lone surrogate is malformed JSON in every encoding
SELECT set_config('request.jwt.claims', '{"sub": "\ud83d", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
RESET request.jwt.claims;

\c ed_claims_utf8
SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database();
SET client_min_messages = warning;
CREATE EXTENSION event_definitions CASCADE;
RESET client_min_messages;
INSERT INTO event_definitions.users (id) VALUES (7);
SELECT event_definitions.ingest(1, ARRAY['seen']);
-- "\u0000" in a claim that is not read: the call goes ahead
SELECT set_config('request.jwt.claims', '{"sub": "a\u0000b", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- characters beyond ASCII, escaped, in a claim that is not read
SELECT set_config('request.jwt.claims', '{"sub": "caf\u00e9 \u20ac \ud83d\ude00", "scopes": ["event_definition:read"], "project_ids": [1]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- in a scope, a project id or a user id, they match nothing
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read\u0000"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:r\u00e9ad"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"project_ids": ["1\u0000"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"user_id": "7\u0000"}', false) IS NOT NULL AS set;
SELECT event_definitions."create"(1, 'planned');
\echo :LAST_ERROR_SQLSTATE
-- ASCII escapes are what they say
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:\u0077rite"], "user_id": "\u0037", "name": "\u00e9"}', false) IS NOT NULL AS set;
SELECT event_definitions."create"(1, 'planned')->'updated_by'->'id' AS updated_by;
-- "\\u0000" is a backslash and "u0000": nothing to replace
SELECT set_config('request.jwt.claims', '{"sub": "\\u0000", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1)->'count' AS count;
-- a lone surrogate is malformed JSON in every encoding
SELECT set_config('request.jwt.claims', '{"sub": "\ud83d", "scopes": ["event_definition:read"]}', false) IS NOT NULL AS set;
SELECT event_definitions.list(1);
\echo :LAST_ERROR_SQLSTATE
RESET request.jwt.claims;

\c :regress_db
DROP DATABASE ed_claims_sql_ascii;
DROP DATABASE ed_claims_latin1;
DROP DATABASE ed_claims_utf8;
