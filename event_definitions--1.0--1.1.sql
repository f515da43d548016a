/* event_definitions--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION event_definitions UPDATE TO '1.1'" to load this file. \quit

/*
 * Version 1.1.  A fresh 1.1 is 1.0 followed by this script, so an updated
 * 1.0 and a fresh 1.1 are the same (test/upgrade checks it).  Sections in
 * the order they were added; each says what it is for.
 */

-- == name index: change log, counters, cold-path trigram index ==

/*
 * Counters without a writer lock.  In 1.0 every writer of a project locked
 * its one project_stats row, so writers of a project ran one at a time.
 * From 1.1 the exact definition count is the sum of a few slot rows: a
 * writer adds its +1/-1 to the slot of its backend (1..16), slot 0 holds
 * what a recount found, and readers add them up.  Writers of different
 * definitions never wait for each other; the name index no longer needs a
 * generation (it follows name_changes below).
 */
ALTER TABLE event_definitions.project_stats
    DROP CONSTRAINT project_stats_pkey,
    DROP CONSTRAINT project_stats_definitions_check,
    DROP COLUMN generation,
    ADD COLUMN slot integer NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 16),
    ADD PRIMARY KEY (project_id, slot);
COMMENT ON TABLE event_definitions.project_stats IS
'Derived: the exact number of definitions of a project is the sum of its slot rows. Writers add to the slot of their backend; recount() and writes made outside the API rewrite slot 0. Rebuilt by recount() after a restore that bypassed triggers.';

/*
 * The change log of the name index.  Every write that changes what the
 * index holds (a definition created or deleted, its last-seen day moved,
 * hidden or verified flipped) adds the name here in the same transaction,
 * with its transaction id.  A reader whose index was built from snapshot
 * S0 re-reads, in its own snapshot, only the names written by transactions
 * S0 may not have seen (xid >= S0's xmin), so keeping an index current
 * costs work proportional to the change, not to the project.  A row with
 * a null name says "everything may have changed" (TRUNCATE).  Rows older
 * than every index that still needs them are trimmed (trimmed_below).
 */
CREATE TABLE event_definitions.name_changes (
    project_id bigint NOT NULL CHECK (project_id > 0),
    xid        xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    name       text COLLATE "C"
);
CREATE INDEX name_changes_project_xid_idx ON event_definitions.name_changes (project_id, xid);
COMMENT ON TABLE event_definitions.name_changes IS
'Derived: names whose index-visible state (existence, last-seen day, hidden, verified) changed, with the writing transaction; read by the name index to apply changes incrementally, trimmed as indexes are rebuilt.';

CREATE TABLE event_definitions.name_change_horizon (
    project_id    bigint PRIMARY KEY CHECK (project_id > 0),
    trimmed_below xid8 NOT NULL
);
COMMENT ON TABLE event_definitions.name_change_horizon IS
'Derived: per project, the transaction id below which name_changes was trimmed; an index built from an older snapshot can no longer be brought up to date and is rebuilt.';

/*
 * The cold path: until an in-memory index exists (after a restart, for a
 * project not yet indexed, with the index turned off), search runs in SQL
 * with each term as a LIKE on lower(name); this trigram index, led by the
 * project, serves it (pg_trgm and btree_gin, both contrib).
 */
CREATE INDEX definitions_name_trgm_idx ON event_definitions.definitions
    USING gin (project_id, lower(name) gin_trgm_ops);

-- Kept exact by recount(): for administrators after restores that bypass
-- triggers (pg_restore --data-only --disable-triggers).
CREATE FUNCTION event_definitions.recount(project_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_recount';
COMMENT ON FUNCTION event_definitions.recount(bigint) IS
'Recount the definitions of one project (or of every project when project_id is null) and invalidate its name index; returns the number of projects recounted. For administrators, after a restore that bypassed triggers.';
REVOKE ALL ON FUNCTION event_definitions.recount(bigint) FROM PUBLIC;
REVOKE ALL ON TABLE event_definitions.name_changes, event_definitions.name_change_horizon FROM PUBLIC;

CREATE FUNCTION event_definitions.name_index_status(project_id bigint)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_name_index_status';
COMMENT ON FUNCTION event_definitions.name_index_status(bigint) IS
'How the in-memory name index of a project stands, seen from this session: {mode (shared, local or off), built, build_requested, names, bytes, build_id, overlay_names}. For operators; needs scope event_definition:read.';
REVOKE ALL ON FUNCTION event_definitions.name_index_status(bigint) FROM PUBLIC;

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
