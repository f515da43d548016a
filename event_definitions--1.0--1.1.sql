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

-- == hardening: plans ==

-- Plans must not depend on which projects the last ANALYZE sampled.  With
-- statistics on project_id, a project missing from them (new, or grown
-- since) is estimated at one row, every index on project_id looks equally
-- cheap, and a lookup by (project_id, name) can walk the whole project in
-- the recency index instead of probing the unique key.  Without them every
-- project is estimated alike, from the table's size, so the unique keys win
-- their lookups whatever was analyzed.  Statistics gathered before this
-- version are dropped too: ANALYZE leaves a column's old row in place when
-- the column is no longer analyzed.
ALTER TABLE event_definitions.definitions ALTER COLUMN project_id SET STATISTICS 0;
ALTER TABLE event_definitions.activity_log ALTER COLUMN project_id SET STATISTICS 0;
DELETE FROM pg_catalog.pg_statistic s
USING pg_catalog.pg_attribute a
WHERE a.attrelid = s.starelid AND a.attnum = s.staattnum AND a.attname = 'project_id'
  AND s.starelid IN ('event_definitions.definitions'::pg_catalog.regclass,
                     'event_definitions.activity_log'::pg_catalog.regclass);

-- == new functions: by_name, primary_properties, bulk updates, restore ==

-- == tracked tables: track, untrack, backfill ==

-- == packaging: version, comments ==
