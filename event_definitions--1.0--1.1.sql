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

-- == tracked tables: track, untrack, backfill ==

-- == packaging: version, comments ==

CREATE FUNCTION event_definitions.version()
RETURNS text
LANGUAGE C STABLE PARALLEL SAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_version';
COMMENT ON FUNCTION event_definitions.version() IS
'The version of the loaded event_definitions library.  It serves the installed SQL version (pg_extension.extversion) when that is this version or an older one it still implements; the first API call of each session checks it.';
REVOKE ALL ON FUNCTION event_definitions.version() FROM PUBLIC;

COMMENT ON SCHEMA event_definitions IS
'The event definitions catalog: PostHog''s event-definitions API as SQL functions.  Tables are private; callers use the functions.';
COMMENT ON TABLE event_definitions.users IS
'The users directory (owners, verifiers, editors), filled by the host application.';
COMMENT ON TABLE event_definitions.definitions IS
'One row per event name of a project: when it was first and last seen, and its curated fields.  Written through the API functions and ingest.';
COMMENT ON TABLE event_definitions.daily_volume IS
'Events ingested per definition and UTC day (metrics volume_30_day).  Deleted with their definition.';
COMMENT ON TABLE event_definitions.query_usage IS
'Queries that used a definition, per UTC day (metrics query_usage_30_day).  Deleted with their definition.';
COMMENT ON TABLE event_definitions.project_stats IS
'Derived, per project: the exact number of definitions and a generation that moves with every change the name index depends on.  Not dumped; recounted on restore.';
COMMENT ON TABLE event_definitions.activity_log IS
'One entry per create, update and delete of a definition, written in the same transaction; entries survive the definition.';
