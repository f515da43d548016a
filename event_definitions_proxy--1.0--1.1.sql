/* event_definitions_proxy--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION event_definitions_proxy UPDATE TO '1.1'" to load this file. \quit

/*
 * Version 1.1 routes the API functions that event_definitions 1.1 adds,
 * the same way as the nine of 1.0.  Sections in the order they were added.
 * The administrative functions of the core (grant_project, revoke_project)
 * are not routed: role grants are per database, so the operator runs them
 * on each shard.
 */

-- == change feed ==

CREATE FUNCTION event_definitions_proxy.changes(
    claims text, path text, acting_user text,
    project_id bigint, since_seq bigint, page_limit bigint)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.changes(g.pid, since_seq, page_limit) AS changes
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions.changes(
    project_id bigint,
    since_seq bigint DEFAULT 0,
    page_limit bigint DEFAULT 100)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.changes(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        changes.project_id, changes.since_seq, changes.page_limit);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.changes(bigint, bigint, bigint) IS
'The change feed: the activity entries of a project after position since_seq, oldest first, each with its "seq": {results, next_seq}. Pass next_seq back as since_seq to read on. NOTIFY event_definitions carries {project_id, seq} only; it is a hint to call this. Needs scope event_definition:read.';

REVOKE ALL ON FUNCTION event_definitions_proxy.changes(text, text, text, bigint, bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions.changes(bigint, bigint, bigint) FROM PUBLIC;
