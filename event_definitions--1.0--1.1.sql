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

-- == new functions: by_name, primary_properties, bulk updates, restore ==

-- == tracked tables: track, untrack, backfill ==

-- == packaging: version, comments ==
