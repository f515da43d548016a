/* event_definitions--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION event_definitions UPDATE TO '1.1'" to load this file. \quit

/*
 * Version 1.1.  A fresh 1.1 is 1.0 followed by this script, so an updated
 * 1.0 and a fresh 1.1 are the same (test/upgrade checks it).  Sections in
 * the order they were added; each says what it is for.
 */

-- == name index: change log, counters, cold-path trigram index ==

-- == hardening: change feed, users by project, role grants, recount ==

-- == new functions: by_name, primary_properties, bulk updates, restore ==

-- A planned definition (made by create) has no created_at until its first
-- event is ingested; ingestion fills it (the default stays for new names).
ALTER TABLE event_definitions.definitions ALTER COLUMN created_at DROP NOT NULL;

-- create leaves created_at null from 1.1 on: its own C symbol, so a 1.0
-- installation running this library keeps the 1.0 behaviour
CREATE OR REPLACE FUNCTION event_definitions."create"(project_id bigint, name text, patch jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_create_v1_1';

COMMENT ON FUNCTION event_definitions."create"(bigint, text, jsonb) IS
'Create a planned (never seen) event definition, with the writable fields of patch applied as by update; created_at stays null until its first event is ingested. SQLSTATE 23505 (HTTP 409) when the name exists. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.by_name(project_id bigint, name text)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_by_name';

COMMENT ON FUNCTION event_definitions.by_name(bigint, text) IS
'The event definition with exactly this name (case-sensitive) in this project, rendered as by retrieve; SQLSTATE PT404 (HTTP 404) when there is none, 22023 for a blank name. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.primary_properties(project_id bigint, names text[] DEFAULT NULL)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_primary_properties';

COMMENT ON FUNCTION event_definitions.primary_properties(bigint, text[]) IS
'{"primary_properties": {name: primary_property}} for the definitions of this project whose primary_property is set and not blank; names (empty strings ignored) restricts to those names. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.bulk_update_tags(project_id bigint, ids uuid[], action text, tags text[])
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_bulk_update_tags';

COMMENT ON FUNCTION event_definitions.bulk_update_tags(bigint, uuid[], text, text[]) IS
'Add, remove or set (action) tags on 1 to 500 definitions at once, all or nothing: {"updated": [{"id", "tags"}], "skipped": [{"id", "reason"}]}. At most 100 tags, normalized as by update; ids times tags at most 10000. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.bulk_update_verified(project_id bigint, ids uuid[], verified boolean)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_bulk_update_verified';

COMMENT ON FUNCTION event_definitions.bulk_update_verified(bigint, uuid[], boolean) IS
'Verify or unverify 1 to 500 definitions at once, all or nothing, with the rules of update: {"updated": [{"id", "verified"}], "skipped": [{"id", "reason"}]}; definitions already in that state are left alone and not listed. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.restore(project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_restore';

COMMENT ON FUNCTION event_definitions.restore(bigint, uuid) IS
'Bring back a deleted event definition from its activity entry: same id, name and curated fields; its counters (volume, query usage) are not recoverable. SQLSTATE PT404 (HTTP 404) when there is no such deleted definition, 23505 (HTTP 409) when the name exists again. Needs scope event_definition:write.';

REVOKE ALL ON FUNCTION event_definitions.by_name(bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions.primary_properties(bigint, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions.bulk_update_tags(bigint, uuid[], text, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions.bulk_update_verified(bigint, uuid[], boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions.restore(bigint, uuid) FROM PUBLIC;


-- == tracked tables: track, untrack, backfill ==

-- == packaging: version, comments ==
