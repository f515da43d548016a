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

/*
 * Users linked to projects.  The host application fills it, like the users
 * directory.  A caller restricted to projects (a project_ids claim, or role
 * grants) sees the records of, and may set as owner, only the users linked
 * to the project of the call.
 */
CREATE TABLE event_definitions.user_projects (
    project_id bigint NOT NULL CHECK (project_id > 0),
    user_id    bigint NOT NULL REFERENCES event_definitions.users (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, user_id)
);
-- deleting a user finds its links
CREATE INDEX user_projects_user_idx ON event_definitions.user_projects (user_id);
SELECT pg_catalog.pg_extension_config_dump('event_definitions.user_projects', '');
REVOKE ALL ON event_definitions.user_projects FROM PUBLIC;

/*
 * Per-role project grants: the boundary for roles that run SQL themselves
 * (claims are a setting any session may change).  A role with at least one
 * row here may use only the projects it lists, with the scope it lists
 * ('write' includes 'read'), whatever its claims say.  Checked for the
 * session's login role and for the current role (SET ROLE) on every call.
 * Roles are stored as regrole, so pg_dump writes their names.
 */
CREATE TABLE event_definitions.role_grants (
    project_id bigint NOT NULL CHECK (project_id > 0),
    role       regrole NOT NULL,
    scope      text NOT NULL CHECK (scope IN ('read', 'write')),
    PRIMARY KEY (project_id, role)
);
-- "has this role any grant": the check made on every call
CREATE INDEX role_grants_role_idx ON event_definitions.role_grants (role);
SELECT pg_catalog.pg_extension_config_dump('event_definitions.role_grants', '');
REVOKE ALL ON event_definitions.role_grants FROM PUBLIC;

CREATE FUNCTION event_definitions.changes(
    project_id bigint,
    since_seq bigint DEFAULT 0,
    page_limit bigint DEFAULT 100)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_changes';

COMMENT ON FUNCTION event_definitions.changes(bigint, bigint, bigint) IS
'The change feed: the activity entries of a project after position since_seq, oldest first, each with its "seq": {results, next_seq}. Pass next_seq back as since_seq to read on. NOTIFY event_definitions carries {project_id, seq} only; it is a hint to call this. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.grant_project(role regrole, project_id bigint, scope text DEFAULT 'read')
RETURNS void
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_grant_project';

COMMENT ON FUNCTION event_definitions.grant_project(regrole, bigint, text) IS
'Let role use project_id with scope read or write (write includes read); replaces the role''s earlier grant on that project. Once a role has a grant, every call it makes is limited to its granted projects, whatever its JWT claims say. For the extension owner; not granted to PUBLIC.';

CREATE FUNCTION event_definitions.revoke_project(role regrole, project_id bigint DEFAULT NULL)
RETURNS integer
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_revoke_project';

COMMENT ON FUNCTION event_definitions.revoke_project(regrole, bigint) IS
'Remove role''s grant on project_id and return the number of grants removed. The last grant of a role cannot be revoked this way (that would lift its restriction): without project_id, every grant of the role goes and the role is no longer limited by grants. For the extension owner; not granted to PUBLIC.';

REVOKE ALL ON FUNCTION event_definitions.changes(bigint, bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions.grant_project(regrole, bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions.revoke_project(regrole, bigint) FROM PUBLIC;
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

-- A user's own events table, tracked: its inserts feed ingestion through
-- statement triggers (src/track.c).  One row per tracked table (always a
-- root: its partitions are tracked with it), with the snapshot that tells
-- the rows written before track() (what backfill counts) from the later
-- ones (what the trigger counts), and where backfill stands.
CREATE TABLE event_definitions.tracked_relations (
    relid             regclass PRIMARY KEY,
    project_column    name,
    event_column      name NOT NULL,
    seen_at_column    name,
    project_id        bigint CHECK (project_id > 0),
    tracked_at        timestamptz NOT NULL DEFAULT now(),
    boundary_system   bigint NOT NULL,
    boundary_xmin     xid8 NOT NULL,
    boundary_xmax     xid8 NOT NULL,
    boundary_xip      xid8[] NOT NULL,
    -- track()'s own transaction and command: its earlier rows are old rows
    boundary_xid      xid8,
    boundary_cid      integer NOT NULL DEFAULT 0,
    backfill_relid    oid,
    backfill_block    bigint NOT NULL DEFAULT 0 CHECK (backfill_block >= 0),
    backfill_rows     bigint NOT NULL DEFAULT 0,
    backfill_rejected bigint NOT NULL DEFAULT 0,
    backfill_done_at  timestamptz,
    CONSTRAINT tracked_relations_project_check
        CHECK ((project_column IS NULL) <> (project_id IS NULL))
);

-- The counters of a tracked table, one row per backend slot: concurrent
-- inserters add to their own row and never wait for each other.
CREATE TABLE event_definitions.tracked_counters (
    relid          regclass NOT NULL,
    slot           integer NOT NULL,
    events_seen    bigint NOT NULL DEFAULT 0,
    names_rejected bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (relid, slot)
);

SELECT pg_catalog.pg_extension_config_dump('event_definitions.tracked_relations', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.tracked_counters', '');
REVOKE ALL ON event_definitions.tracked_relations, event_definitions.tracked_counters FROM PUBLIC;

-- What a role granted SELECT sees: the tables it owns (or is a member of
-- the owner of).
CREATE VIEW event_definitions.tracked_tables WITH (security_barrier) AS
SELECT r.relid AS events,
       r.project_column,
       r.event_column,
       r.seen_at_column,
       r.project_id,
       r.tracked_at,
       coalesce(c.events_seen, 0)::bigint AS events_seen,
       (coalesce(c.names_rejected, 0) + r.backfill_rejected)::bigint AS names_rejected,
       r.backfill_rows AS backfilled_rows,
       r.backfill_done_at IS NOT NULL AS backfilled,
       r.backfill_done_at AS backfilled_at
FROM event_definitions.tracked_relations r
JOIN pg_catalog.pg_class k ON k.oid = r.relid
LEFT JOIN (SELECT t.relid, sum(t.events_seen) AS events_seen, sum(t.names_rejected) AS names_rejected
           FROM event_definitions.tracked_counters t GROUP BY t.relid) c ON c.relid = r.relid
WHERE pg_catalog.pg_has_role(k.relowner, 'USAGE');
COMMENT ON VIEW event_definitions.tracked_tables IS
'The tracked tables that the current role owns: columns, and counters: events_seen (rows ingested by the trigger), names_rejected (rows skipped: invalid or NULL name, NULL or non-positive project, infinite time; by the trigger and by backfill), backfilled_rows (rows ingested by backfill), backfilled (backfill has finished).';
-- granted to nobody by default, like everything else here (README)
REVOKE ALL ON event_definitions.tracked_tables FROM PUBLIC;

CREATE FUNCTION event_definitions.tracked_changed() RETURNS trigger
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_tracked_changed';
COMMENT ON FUNCTION event_definitions.tracked_changed() IS
'Internal: the statement trigger that track() puts on a tracked table and its partitions; ingests the new rows.';

CREATE FUNCTION event_definitions.tracked_ddl() RETURNS event_trigger
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_tracked_ddl';
COMMENT ON FUNCTION event_definitions.tracked_ddl() IS
'Internal: after CREATE TABLE and ALTER TABLE, follows renames of tracked columns, checks their types, and tracks new partitions of tracked tables.';

CREATE FUNCTION event_definitions.tracked_dropped() RETURNS event_trigger
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_tracked_dropped';
COMMENT ON FUNCTION event_definitions.tracked_dropped() IS
'Internal: refuses to drop a tracked column or a tracking trigger, and forgets dropped tracked tables.';

CREATE EVENT TRIGGER event_definitions_tracked_ddl ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION event_definitions.tracked_ddl();
CREATE EVENT TRIGGER event_definitions_tracked_dropped ON sql_drop
    EXECUTE FUNCTION event_definitions.tracked_dropped();

CREATE FUNCTION event_definitions.track(
    events regclass,
    project_column name,
    event_column name,
    seen_at_column name DEFAULT NULL,
    project_id bigint DEFAULT NULL)
RETURNS void
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_track';
COMMENT ON FUNCTION event_definitions.track(regclass, name, name, name, bigint) IS
'Track a table of events: from now on every INSERT, COPY and UPDATE of the event column ingests its rows in the same transaction (one batch per statement). project_column names the project of each row, or is null when project_id gives one project for all rows; seen_at_column null means now(). Partitions, present and future, are tracked with the table. Only the table''s owner or a superuser. Rows already in the table are ingested by CALL event_definitions.backfill().';

CREATE FUNCTION event_definitions.untrack(events regclass)
RETURNS void
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_untrack';
COMMENT ON FUNCTION event_definitions.untrack(regclass) IS
'Stop tracking a table: removes its triggers and its row in tracked_tables; definitions and counts already ingested stay. Only the table''s owner or a superuser.';

-- A procedure (it commits after every batch), so it runs as its caller:
-- transaction control is not allowed in SECURITY DEFINER procedures.  It
-- reads the table with the caller's rights and writes the catalog as the
-- extension's owner with a pinned search_path (src/backfill.c).
CREATE PROCEDURE event_definitions.backfill(events regclass, batch_size integer DEFAULT 100000)
LANGUAGE C
AS 'MODULE_PATHNAME', 'event_definitions_backfill';
COMMENT ON PROCEDURE event_definitions.backfill(regclass, integer) IS
'Ingest the rows a tracked table held before track(), batch_size rows at a time, committing after each batch and reporting progress in a NOTICE. Resumes where a cancelled run stopped; rerunning it counts nothing twice. Only the table''s owner or a superuser.';

REVOKE ALL ON FUNCTION event_definitions.tracked_changed(), event_definitions.tracked_ddl(),
    event_definitions.tracked_dropped(), event_definitions.track(regclass, name, name, name, bigint),
    event_definitions.untrack(regclass) FROM PUBLIC;
REVOKE ALL ON PROCEDURE event_definitions.backfill(regclass, integer) FROM PUBLIC;

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
-- project_stats is commented by the name index section, which changed it
COMMENT ON TABLE event_definitions.activity_log IS
'One entry per create, update and delete of a definition, written in the same transaction; entries survive the definition.';
-- the tables of the hardening and tracked tables sections
COMMENT ON TABLE event_definitions.user_projects IS
'Users linked to projects, filled by the host application: a caller restricted to projects sees, and may set as owner, only the users linked to the project of the call.';
COMMENT ON TABLE event_definitions.role_grants IS
'Per-role project grants (grant_project, revoke_project): a role with a row here may use only the projects listed, with the scope listed, whatever its claims say.';
COMMENT ON TABLE event_definitions.tracked_relations IS
'One row per tracked table (track): its columns, the snapshot that separates the rows backfill counts from those the trigger counts, and where backfill stands.';
COMMENT ON TABLE event_definitions.tracked_counters IS
'Counters of the tracked tables, one row per table and backend slot, summed by the view tracked_tables.';
