/* event_definitions_proxy--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION event_definitions_proxy UPDATE TO '1.2'" to load this file. \quit

/*
 * Version 1.2 routes the API functions that event_definitions 1.2 adds,
 * with route() of version 1.1.  One section per concern.
 */

-- == property definitions ==

-- == event schemas and enforcement ==

/*
 * The schema functions of event_definitions 1.2, routed like those of 1.1:
 * each runs on the shard owning project_id with the caller's claims, path
 * and acting user, and the shard's error comes back with its SQLSTATE.  A
 * property group, its attachments and its events live in their project,
 * so every call stays on one shard, in one transaction there.
 *
 * route() of the 1.1 script was dropped when that script was done; this
 * section makes its own copy, which also takes the result type
 * (property_group_delete returns void, as delete does); it is dropped at
 * the end of the script, after the last section that uses it.
 */
CREATE FUNCTION event_definitions_proxy.route_schema_call(
    fn text,            -- the function
    params text,        -- its parameters after project_id, with their defaults
    result text,        -- its result type: jsonb or void
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
    call text;
BEGIN
    FOREACH p IN ARRAY string_to_array(params, ', ') LOOP
        names := names || split_part(p, ' ', 1);
        typed := typed || split_part(p, ' DEFAULT ', 1);
        types := types || regexp_replace(split_part(p, ' DEFAULT ', 1), '^\S+\s+', '');
    END LOOP;
    EXECUTE format($f$
CREATE FUNCTION event_definitions_proxy.%1$I(
    claims text, path text, acting_user text, project_id bigint, %2$s)
RETURNS %4$s
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.%1$I(g.pid, %3$s) AS %1$I
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$$f$, fn, array_to_string(typed, ', '), array_to_string(names, ', '), result);
    call := format($c$event_definitions_proxy.%1$I(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        %1$I.project_id, %2$s)$c$, fn,
        (SELECT string_agg(format('%I.%I', fn, n), ', ' ORDER BY o)
           FROM unnest(names) WITH ORDINALITY AS x(n, o)));
    EXECUTE format($f$
CREATE FUNCTION event_definitions.%1$I(project_id bigint, %2$s)
RETURNS %3$s
LANGUAGE plpgsql %4$s SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    %5$s;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);%6$s
END
$$$f$, fn, params, result, volatility,
        CASE WHEN result = 'void' THEN 'PERFORM ' ELSE 'RETURN ' END || call,
        CASE WHEN result = 'void' THEN '' ELSE E'\n    RETURN NULL;' END);
    EXECUTE format('COMMENT ON FUNCTION event_definitions.%I(bigint, %s) IS %L',
                   fn, array_to_string(types, ', '), comment);
    EXECUTE format('REVOKE ALL ON FUNCTION event_definitions.%I(bigint, %s) FROM PUBLIC',
                   fn, array_to_string(types, ', '));
    EXECUTE format('REVOKE ALL ON FUNCTION event_definitions_proxy.%I(text, text, text, bigint, %s) FROM PUBLIC',
                   fn, array_to_string(types, ', '));
END
$route$;

SELECT event_definitions_proxy.route_schema_call('property_group_create',
'name text, properties jsonb DEFAULT ''[]''::jsonb, description text DEFAULT ''''::text', 'jsonb', 'VOLATILE PARALLEL UNSAFE',
'Create a property group: a named, reusable list of typed properties, properties being an array of {"name", "property_type" (String, Numeric, Boolean, DateTime or Object), "is_required" (default false), "description"}. Returns the group. SQLSTATE 23505 (HTTP 409) when the project has a group of that name or a property is listed twice, 22023 for an unknown property_type. Needs scope event_definition:write.');
SELECT event_definitions_proxy.route_schema_call('property_group_retrieve', 'id uuid', 'jsonb', 'STABLE PARALLEL RESTRICTED',
'The property group with this id: {id, name, description, properties, events, created_at, created_by, updated_at, updated_by}; SQLSTATE PT404 (HTTP 404) when there is none. Needs scope event_definition:read.');
SELECT event_definitions_proxy.route_schema_call('property_group_update', 'id uuid, patch jsonb', 'jsonb', 'VOLATILE PARALLEL UNSAFE',
'Change a property group (PATCH semantics): name, description, and properties, which replace the group''s properties as a whole. Every event the group is attached to gets a new schema_version, enforced from the next statement after the commit. Returns the group. Needs scope event_definition:write.');
SELECT event_definitions_proxy.route_schema_call('property_group_delete', 'id uuid', 'void', 'VOLATILE PARALLEL UNSAFE',
'Delete a property group: it leaves the schema of every event it was attached to. SQLSTATE PT404 (HTTP 404) when there is none. Needs scope event_definition:write.');
SELECT event_definitions_proxy.route_schema_call('property_group_list',
'search text DEFAULT NULL::text, page_limit bigint DEFAULT 100, page_offset bigint DEFAULT 0', 'jsonb', 'STABLE PARALLEL RESTRICTED',
'The property groups of a project by name, each with its properties and the events it is attached to: a page {count, next, previous, results}. search keeps the groups whose name contains it, ignoring case. Needs scope event_definition:read.');
SELECT event_definitions_proxy.route_schema_call('schema_attach', 'event_id uuid, group_id uuid', 'jsonb', 'VOLATILE PARALLEL UNSAFE',
'Add a property group to the schema of an event definition; returns the event''s schema as event_schema does. SQLSTATE 23505 (HTTP 409) when the group is already added, PT404 (HTTP 404) when the event or the group does not exist. Needs scope event_definition:write.');
SELECT event_definitions_proxy.route_schema_call('schema_detach', 'event_id uuid, group_id uuid', 'jsonb', 'VOLATILE PARALLEL UNSAFE',
'Remove a property group from the schema of an event definition; returns the event''s schema as event_schema does. SQLSTATE PT404 (HTTP 404) when the group is not attached to the event. Needs scope event_definition:write.');
SELECT event_definitions_proxy.route_schema_call('event_schema', 'event_id uuid', 'jsonb', 'STABLE PARALLEL RESTRICTED',
'The schema of an event definition, the union of its property groups: {event, event_id, schema_version, schema_hash, property_groups, properties: [{name, types, required, description}], conflicts: [{name, types}]}. A property whose groups disagree on its type is listed in conflicts and not checked. SQLSTATE PT404 (HTTP 404) when the event does not exist. Needs scope event_definition:read.');
SELECT event_definitions_proxy.route_schema_call('validate', 'name text, properties jsonb', 'jsonb', 'STABLE PARALLEL RESTRICTED',
'Check an event''s properties against the schema of the event named name, whatever its enforcement_mode: {valid, errors: [{property, reason (missing_required or type_mismatch), expected_types, actual_value}]}, with PostHog''s coercion rules. SQLSTATE PT404 (HTTP 404) when the project has no event of that name, 22023 when properties is not an object. Needs scope event_definition:read.');
SELECT event_definitions_proxy.route_schema_call('violations',
'id uuid DEFAULT NULL::uuid, since timestamp with time zone DEFAULT NULL::timestamp with time zone, page_limit bigint DEFAULT 100, page_offset bigint DEFAULT 0',
'jsonb', 'STABLE PARALLEL RESTRICTED',
'Schema violations counted at ingestion, of a project or of one event definition (id), on the UTC day of since and later: a page {count, next, previous, results: [{event, event_id, property, reason, day, count, samples}]}, newest day first; samples holds up to five distinct values of the day, each cut to 64 characters. Needs scope event_definition:read.');

/*
 * list gains has_violations: the router's list is made again with the
 * core's new signature, keeping the grants the administrator gave on the
 * old one (and pg_dump's view of them), as the core's update does.
 */
DO $list$
DECLARE
    old_acl pg_catalog.aclitem[];
    fresh_acl pg_catalog.aclitem[];
    new_list pg_catalog.oid;
    r record;
BEGIN
    SELECT p.proacl INTO old_acl FROM pg_catalog.pg_proc p
     WHERE p.oid = 'event_definitions.list(bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint)'::pg_catalog.regprocedure;
    DROP FUNCTION event_definitions.list(bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint);
    DROP FUNCTION event_definitions_proxy.list(text, text, text, bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint);
    PERFORM event_definitions_proxy.route_schema_call('list',
        'search text DEFAULT NULL::text, event_type text DEFAULT ''event''::text, exclude_hidden boolean DEFAULT false, '
        'exclude_stale boolean DEFAULT false, verified boolean DEFAULT NULL::boolean, tags text[] DEFAULT NULL::text[], '
        'names text[] DEFAULT NULL::text[], excluded_properties text[] DEFAULT NULL::text[], ordering text DEFAULT NULL::text, '
        'page_limit bigint DEFAULT 100, page_offset bigint DEFAULT 0, has_violations boolean DEFAULT NULL::boolean',
        'jsonb', 'STABLE PARALLEL RESTRICTED',
        'List the event definitions of a project: a page {count, next, previous, results, count_is_capped}. Filters: search (every white-space separated term is a case-insensitive substring of the name), event_type (event, all, action_event, event_custom, event_posthog), exclude_hidden, exclude_stale (last seen over 30 days ago), verified, tags (any of), names (exactly), excluded_properties, has_violations (schema violations counted in the last 30 UTC days, or none). ordering: comma-separated keys among name, last_seen_at, last_seen_at::date, created_at, created_at::date, "-" for descending; default -last_seen_at::date,name. Needs scope event_definition:read.');
    new_list := 'event_definitions.list(bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint, boolean)'::pg_catalog.regprocedure;
    SELECT p.proacl INTO fresh_acl FROM pg_catalog.pg_proc p WHERE p.oid = new_list;
    FOR r IN SELECT a.grantee, a.is_grantable FROM pg_catalog.aclexplode(old_acl) a
              WHERE a.privilege_type = 'EXECUTE'
                AND a.grantee <> (SELECT p.proowner FROM pg_catalog.pg_proc p WHERE p.oid = new_list)
              ORDER BY a.grantee
    LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO %s%s', new_list::pg_catalog.regprocedure,
                                  CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE r.grantee::pg_catalog.regrole::pg_catalog.text END,
                                  CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
    UPDATE pg_catalog.pg_init_privs i SET initprivs = fresh_acl
     WHERE i.objoid = new_list AND i.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objsubid = 0;
END
$list$;

-- the shards' metrics and update say more in 1.2: only the comments change
COMMENT ON FUNCTION event_definitions.metrics(bigint, uuid) IS
'Usage of an event definition over the last 30 UTC days: {query_usage_30_day, volume_30_day, violations_30_day}. Needs scope event_definition:read.';
COMMENT ON FUNCTION event_definitions.update(bigint, uuid, jsonb) IS
'Change an event definition (PATCH semantics): only the keys present in patch change. Writable: description, owner, tags, verified, hidden, post_to_slack, default_columns, enforcement_mode (allow, warn or reject), primary_property. Returns the new definition. Needs scope event_definition:write.';


-- == typed code generation ==

/*
 * codegen and codegen_status, routed with the schema section's
 * route_schema_call (made there, dropped here, after its last use): the
 * catalog a file is generated from lives in one project, on one shard.
 */
SELECT event_definitions_proxy.route_schema_call('codegen',
'language text, names text[] DEFAULT NULL::text[]', 'jsonb', 'STABLE PARALLEL RESTRICTED',
'Generated code that types the capture calls of the project''s events: {content, language, event_count, schema_hash, generator_version}. language: typescript (over posthog-js), golang (over posthog-go''s client), python (over posthog-python) or jsonschema (one JSON Schema per event, accepting what validate accepts). The events are the definitions whose name does not start with $, plus $pageview, $pageleave and $screen, in name order (or only those of names), hidden ones left out; each typed by the union of its property groups, an open map without one. content is the same bytes for the same catalog; schema_hash is PostHog''s. SQLSTATE 22023 (HTTP 400) for another language, or for more events than event_definitions.codegen_max_events. Needs scope event_definition:read.');
SELECT event_definitions_proxy.route_schema_call('codegen_status',
'schema_hash text, names text[] DEFAULT NULL::text[], content text DEFAULT NULL::text', 'jsonb', 'STABLE PARALLEL RESTRICTED',
'Whether a file generated by codegen (with these names) is current: {current, event_count, schema_hash, changed_events, generator_version}. current: schema_hash is the catalog''s. changed_events: given the file''s content, the events added, removed or changed since, [{event, change}] by name; without it, [] when current and null otherwise. SQLSTATE 22023 (HTTP 400) for a malformed schema_hash or content. Needs scope event_definition:read.');

DROP FUNCTION event_definitions_proxy.route_schema_call(text, text, text, text, text);
