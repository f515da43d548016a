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

-- == new functions: by_name, primary_properties, bulk updates, restore ==
-- Routed like the 1.0 wrappers.  A bulk call names one project, so it runs
-- on one shard, in one transaction there: all or nothing, as on a single
-- server.

CREATE FUNCTION event_definitions_proxy.by_name(
    claims text, path text, acting_user text, project_id bigint, name text)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.by_name(g.pid, name) AS by_name
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions.by_name(project_id bigint, name text)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.by_name(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        by_name.project_id, by_name.name);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.by_name(bigint, text) IS
'The event definition with exactly this name (case-sensitive) in this project, rendered as by retrieve; SQLSTATE PT404 (HTTP 404) when there is none, 22023 for a blank name. Needs scope event_definition:read.';

REVOKE ALL ON FUNCTION event_definitions.by_name(bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions_proxy.by_name(text, text, text, bigint, text) FROM PUBLIC;

CREATE FUNCTION event_definitions_proxy.primary_properties(
    claims text, path text, acting_user text, project_id bigint, names text[])
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.primary_properties(g.pid, names) AS primary_properties
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions.primary_properties(project_id bigint, names text[] DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.primary_properties(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        primary_properties.project_id, primary_properties.names);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.primary_properties(bigint, text[]) IS
'{"primary_properties": {name: primary_property}} for the definitions of this project whose primary_property is set and not blank; names (empty strings ignored) restricts to those names. Needs scope event_definition:read.';

REVOKE ALL ON FUNCTION event_definitions.primary_properties(bigint, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions_proxy.primary_properties(text, text, text, bigint, text[]) FROM PUBLIC;

CREATE FUNCTION event_definitions_proxy.bulk_update_tags(
    claims text, path text, acting_user text, project_id bigint, ids uuid[], action text, tags text[])
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.bulk_update_tags(g.pid, ids, action, tags) AS bulk_update_tags
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions.bulk_update_tags(project_id bigint, ids uuid[], action text, tags text[])
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.bulk_update_tags(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        bulk_update_tags.project_id, bulk_update_tags.ids, bulk_update_tags.action, bulk_update_tags.tags);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.bulk_update_tags(bigint, uuid[], text, text[]) IS
'Add, remove or set (action) tags on 1 to 500 definitions at once, all or nothing: {"updated": [{"id", "tags"}], "skipped": [{"id", "reason"}]}. At most 100 tags, normalized as by update; ids times tags at most 10000. Needs scope event_definition:write.';

REVOKE ALL ON FUNCTION event_definitions.bulk_update_tags(bigint, uuid[], text, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions_proxy.bulk_update_tags(text, text, text, bigint, uuid[], text, text[]) FROM PUBLIC;

CREATE FUNCTION event_definitions_proxy.bulk_update_verified(
    claims text, path text, acting_user text, project_id bigint, ids uuid[], verified boolean)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.bulk_update_verified(g.pid, ids, verified) AS bulk_update_verified
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions.bulk_update_verified(project_id bigint, ids uuid[], verified boolean)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.bulk_update_verified(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        bulk_update_verified.project_id, bulk_update_verified.ids, bulk_update_verified.verified);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.bulk_update_verified(bigint, uuid[], boolean) IS
'Verify or unverify 1 to 500 definitions at once, all or nothing, with the rules of update: {"updated": [{"id", "verified"}], "skipped": [{"id", "reason"}]}; definitions already in that state are left alone and not listed. Needs scope event_definition:write.';

REVOKE ALL ON FUNCTION event_definitions.bulk_update_verified(bigint, uuid[], boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions_proxy.bulk_update_verified(text, text, text, bigint, uuid[], boolean) FROM PUBLIC;

CREATE FUNCTION event_definitions_proxy.restore(
    claims text, path text, acting_user text, project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.restore(g.pid, id) AS restore
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions.restore(project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.restore(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        restore.project_id, restore.id);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.restore(bigint, uuid) IS
'Bring back a deleted event definition from its activity entry: same id, name and curated fields; its counters (volume, query usage) are not recoverable. SQLSTATE PT404 (HTTP 404) when there is no such deleted definition, 23505 (HTTP 409) when the name exists again. Needs scope event_definition:write.';

REVOKE ALL ON FUNCTION event_definitions.restore(bigint, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION event_definitions_proxy.restore(text, text, text, bigint, uuid) FROM PUBLIC;

-- create: the shards' 1.1 create leaves created_at null for a planned
-- definition; the router passes the answer through, only the comment changes
COMMENT ON FUNCTION event_definitions."create"(bigint, text, jsonb) IS
'Create a planned (never seen) event definition, with the writable fields of patch applied as by update; created_at stays null until its first event is ingested. SQLSTATE 23505 (HTTP 409) when the name exists. Needs scope event_definition:write.';
