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

-- == change feed; new functions: by_name, primary_properties, bulk updates, restore ==
-- Routed like the 1.0 wrappers, written once: route() makes, for one API
-- function, the PL/Proxy function that runs it on the shard owning
-- project_id with the caller's claims, path and acting user, and the API
-- function of the core's signature that calls it and re-raises the shard's
-- error with its SQLSTATE; then the comment and the revokes.  A bulk call
-- names one project, so it runs on one shard, in one transaction there:
-- all or nothing, as on a single server.

CREATE FUNCTION event_definitions_proxy.route(
    fn text,            -- the function
    params text,        -- its parameters after project_id, with their defaults
    volatility text,    -- the API function's volatility and parallel label
    comment text)       -- the core's comment
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $route$
DECLARE
    p text;
    names text[] := '{}';
    typed text[] := '{}';       -- "name type", without defaults
    types text[] := '{}';
BEGIN
    FOREACH p IN ARRAY string_to_array(params, ', ') LOOP
        names := names || split_part(p, ' ', 1);
        typed := typed || split_part(p, ' DEFAULT ', 1);
        types := types || regexp_replace(split_part(p, ' DEFAULT ', 1), '^\S+\s+', '');
    END LOOP;
    EXECUTE format($f$
CREATE FUNCTION event_definitions_proxy.%1$I(
    claims text, path text, acting_user text, project_id bigint, %2$s)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.%1$I(g.pid, %3$s) AS %1$I
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$$f$, fn, array_to_string(typed, ', '), array_to_string(names, ', '));
    EXECUTE format($f$
CREATE FUNCTION event_definitions.%1$I(project_id bigint, %2$s)
RETURNS jsonb
LANGUAGE plpgsql %3$s SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.%1$I(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        %1$I.project_id, %4$s);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$$f$, fn, params, volatility,
        (SELECT string_agg(format('%I.%I', fn, n), ', ' ORDER BY o)
           FROM unnest(names) WITH ORDINALITY AS x(n, o)));
    EXECUTE format('COMMENT ON FUNCTION event_definitions.%I(bigint, %s) IS %L',
                   fn, array_to_string(types, ', '), comment);
    EXECUTE format('REVOKE ALL ON FUNCTION event_definitions.%I(bigint, %s) FROM PUBLIC',
                   fn, array_to_string(types, ', '));
    EXECUTE format('REVOKE ALL ON FUNCTION event_definitions_proxy.%I(text, text, text, bigint, %s) FROM PUBLIC',
                   fn, array_to_string(types, ', '));
END
$route$;

-- the change feed
SELECT event_definitions_proxy.route('changes', 'since_seq bigint DEFAULT 0, page_limit bigint DEFAULT 100',
'STABLE PARALLEL RESTRICTED',
'The change feed: the activity entries of a project after position since_seq, oldest first, each with its "seq": {results, next_seq}. Pass next_seq back as since_seq to read on. NOTIFY event_definitions carries {project_id, seq} only; it is a hint to call this. Needs scope event_definition:read.');
-- the five functions of issue 9
SELECT event_definitions_proxy.route('by_name', 'name text', 'STABLE PARALLEL RESTRICTED',
'The event definition with exactly this name (case-sensitive) in this project, rendered as by retrieve; SQLSTATE PT404 (HTTP 404) when there is none, 22023 for a blank name. Needs scope event_definition:read.');
SELECT event_definitions_proxy.route('primary_properties', 'names text[] DEFAULT NULL', 'STABLE PARALLEL RESTRICTED',
'{"primary_properties": {name: primary_property}} for the definitions of this project whose primary_property is set and not blank; names (empty strings ignored) restricts to those names. Needs scope event_definition:read.');
SELECT event_definitions_proxy.route('bulk_update_tags', 'ids uuid[], action text, tags text[]', 'VOLATILE PARALLEL UNSAFE',
'Add, remove or set (action) tags on 1 to 500 definitions at once, all or nothing: {"updated": [{"id", "tags"}], "skipped": [{"id", "reason"}]}. At most 100 tags, normalized as by update; ids times tags at most 10000. Needs scope event_definition:write.');
SELECT event_definitions_proxy.route('bulk_update_verified', 'ids uuid[], verified boolean', 'VOLATILE PARALLEL UNSAFE',
'Verify or unverify 1 to 500 definitions at once, all or nothing, with the rules of update: {"updated": [{"id", "verified"}], "skipped": [{"id", "reason"}]}; definitions already in that state are left alone and not listed. Needs scope event_definition:write.');
SELECT event_definitions_proxy.route('restore', 'id uuid', 'VOLATILE PARALLEL UNSAFE',
'Bring back a deleted event definition from its activity entry: same id, name and curated fields; its counters (volume, query usage) are not recoverable. SQLSTATE PT404 (HTTP 404) when there is no such deleted definition, 23505 (HTTP 409) when the name exists again. Needs scope event_definition:write.');

DROP FUNCTION event_definitions_proxy.route(text, text, text, text);

-- create: the shards' 1.1 create leaves created_at null for a planned
-- definition; the router passes the answer through, only the comment changes
COMMENT ON FUNCTION event_definitions."create"(bigint, text, jsonb) IS
'Create a planned (never seen) event definition, with the writable fields of patch applied as by update; created_at stays null until its first event is ingested. SQLSTATE 23505 (HTTP 409) when the name exists. Needs scope event_definition:write.';
