/* event_definitions_proxy--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION event_definitions_proxy" to load this file. \quit

/*
 * The router side of a sharded event_definitions.
 *
 * Schema event_definitions gets the same nine functions as the extension
 * event_definitions (names, argument names, types, defaults, return types,
 * volatility), so psql users and PostgREST cannot tell the router from a
 * single server.  Each is a thin PL/pgSQL wrapper around a PL/Proxy function
 * in schema event_definitions_proxy that runs the real call on the shard
 * owning project_id.  The wrapper exists for two reasons PL/Proxy cannot
 * cover by itself:
 *
 *  - PL/Proxy forwards arguments, not settings.  The wrapper reads
 *    request.jwt.claims, request.path and event_definitions.user_id here and
 *    passes them as three leading hidden arguments; the shard query sets
 *    them with set_config(..., is_local => true) in the same statement as
 *    the call, so they last exactly one call on the pooled connection.
 *  - PL/Proxy re-raises a remote error with its SQLSTATE but prefixes the
 *    message ("fn(n): [db] REMOTE ERROR: ...") and the detail and hint.  The
 *    wrapper strips those prefixes so the caller sees the shard's error
 *    exactly as a single server would raise it.
 *
 * Routing: PL/Proxy runs event_definitions_proxy.partition_of(project_id)
 * and uses hash & (partitions - 1).  The hash is hashint8(project_id):
 * plain integer arithmetic (no byte order, collation or platform
 * dependence), unchanged since PostgreSQL 8.4 and pinned in practice by
 * hash indexes and hash partitioning surviving pg_upgrade.  The table
 * event_definitions_proxy.placement overrides the hash for projects that
 * were moved between shards (scripts/move-project.sh).
 *
 * The cluster is the PL/Proxy SQL/MED server event_definitions_cluster,
 * created by the operator (see the README).
 */

CREATE SCHEMA event_definitions_proxy;
REVOKE ALL ON SCHEMA event_definitions_proxy FROM PUBLIC;
REVOKE ALL ON SCHEMA event_definitions FROM PUBLIC;

COMMENT ON SCHEMA event_definitions_proxy IS
'Routing internals of event_definitions_proxy: placement overrides and the PL/Proxy functions behind schema event_definitions.';

/*
 * Per-project placement overrides.  A project without a row lives on
 * partition hashint8(project_id) & (partitions - 1); a row pins it to a
 * partition (0 .. partitions - 1) instead.  Written by the rebalancing
 * procedure only.
 */
CREATE TABLE event_definitions_proxy.placement (
    project_id bigint PRIMARY KEY CHECK (project_id > 0),
    partition  integer NOT NULL CHECK (partition >= 0),
    moved_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE event_definitions_proxy.placement IS
'Projects pinned to a PL/Proxy partition other than their hash partition (hashint8(project_id) & (partitions - 1)), after a move between shards.';

SELECT pg_catalog.pg_extension_config_dump('event_definitions_proxy.placement', '');
REVOKE ALL ON event_definitions_proxy.placement FROM PUBLIC;

/*
 * The RUN ON function.  Takes a shared transaction-level advisory lock on the
 * project first: a move holds the exclusive lock while it copies, so calls
 * for that project wait for the move and then read the new placement (each
 * statement of a VOLATILE SQL function sees a fresh snapshot in READ
 * COMMITTED).  A NULL project goes to partition 0, whose shard raises the
 * same error a single server would.
 */
CREATE FUNCTION event_definitions_proxy.partition_of(project_id bigint)
RETURNS integer
LANGUAGE sql VOLATILE PARALLEL UNSAFE
AS $$
SELECT pg_catalog.pg_advisory_xact_lock_shared(1162104920, pg_catalog.hashint8($1));
SELECT COALESCE((SELECT p.partition
                   FROM event_definitions_proxy.placement p
                  WHERE p.project_id = $1),
                pg_catalog.hashint8($1),
                0);
$$;

COMMENT ON FUNCTION event_definitions_proxy.partition_of(bigint) IS
'Routing key of a project for PL/Proxy: its placement override, else hashint8(project_id) (PL/Proxy keeps the low bits). Waits while the project is being moved (advisory lock 1162104920, hashint8(project_id)).';

/*
 * Re-raise an error caught from a PL/Proxy call the way the shard raised it:
 * same SQLSTATE, message, detail and hint, without PL/Proxy's prefixes.
 * Errors that did not come from a shard (connection failures, ...) keep
 * their text.
 */
CREATE FUNCTION event_definitions_proxy.reraise(sqlstate text, message text, detail text, hint text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prefix constant text := '^event_definitions_proxy\.[a-z_"]+\(\d+\): \[[^]]*\] REMOTE [^:]+: ';
BEGIN
    IF message ~ prefix THEN
        message := regexp_replace(message, prefix, '');
        detail := regexp_replace(detail, '^Remote detail: ', '');
        hint := regexp_replace(hint, '^Remote hint: ', '');
    END IF;
    IF coalesce(detail, '') <> '' AND coalesce(hint, '') <> '' THEN
        RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = message, DETAIL = detail, HINT = hint;
    ELSIF coalesce(detail, '') <> '' THEN
        RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = message, DETAIL = detail;
    ELSIF coalesce(hint, '') <> '' THEN
        RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = message, HINT = hint;
    ELSE
        RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = message;
    END IF;
END
$$;

COMMENT ON FUNCTION event_definitions_proxy.reraise(text, text, text, text) IS
'Raise a shard error caught by a router wrapper with its original SQLSTATE, message, detail and hint (PL/Proxy prefixes stripped).';

/*
 * The PL/Proxy functions.  Each takes the three forwarded settings first,
 * then the API arguments, and runs one statement on the shard: a subquery
 * that applies the settings for this statement only, then the real call.
 * The subquery holds volatile set_config calls, so PostgreSQL neither
 * flattens it nor drops its columns and evaluates it before the call.
 * Arguments are passed positionally, all of them: the shard leaves
 * arguments at their default out of page links, as for a direct call.
 * Column references use the alias g so PL/Proxy does not take them for
 * arguments.
 */

CREATE FUNCTION event_definitions_proxy.list(
    claims text, path text, acting_user text,
    project_id bigint, search text, event_type text, exclude_hidden boolean,
    exclude_stale boolean, verified boolean, tags text[], names text[],
    excluded_properties text[], ordering text, page_limit bigint, page_offset bigint)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.list(g.pid, search, event_type, exclude_hidden, exclude_stale,
               verified, tags, names, excluded_properties, ordering, page_limit, page_offset) AS list
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions_proxy.retrieve(
    claims text, path text, acting_user text, project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.retrieve(g.pid, id) AS retrieve
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions_proxy."create"(
    claims text, path text, acting_user text, project_id bigint, name text, patch jsonb)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions."create"(g.pid, name, patch) AS "create"
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions_proxy.update(
    claims text, path text, acting_user text, project_id bigint, id uuid, patch jsonb)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.update(g.pid, id, patch) AS update
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions_proxy.delete(
    claims text, path text, acting_user text, project_id bigint, id uuid)
RETURNS void
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.delete(g.pid, id) AS delete
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions_proxy.metrics(
    claims text, path text, acting_user text, project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.metrics(g.pid, id) AS metrics
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions_proxy.activity(
    claims text, path text, acting_user text,
    project_id bigint, id uuid, page_limit bigint, page_offset bigint)
RETURNS jsonb
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.activity(g.pid, id, page_limit, page_offset) AS activity
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions_proxy.ingest(
    claims text, path text, acting_user text,
    project_id bigint, names text[], seen_at timestamptz[])
RETURNS integer
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.ingest(g.pid, names, seen_at) AS ingest
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

CREATE FUNCTION event_definitions_proxy.record_query_usage(
    claims text, path text, acting_user text,
    project_id bigint, names text[], at timestamptz)
RETURNS integer
LANGUAGE plproxy VOLATILE
AS $$
    CLUSTER 'event_definitions_cluster';
    RUN ON event_definitions_proxy.partition_of(project_id);
    SELECT event_definitions.record_query_usage(g.pid, names, at) AS record_query_usage
      FROM (SELECT project_id AS pid,
                   pg_catalog.set_config('request.jwt.claims', coalesce(claims, ''), true) AS c,
                   pg_catalog.set_config('request.path', coalesce(path, ''), true) AS p,
                   pg_catalog.set_config('event_definitions.user_id', coalesce(acting_user, ''), true) AS u) g;
$$;

/*
 * The API: same signatures, defaults, return types and volatility as the
 * extension event_definitions.  SECURITY DEFINER as there: callers need
 * EXECUTE on these functions only; the shards are reached through the user
 * mapping of this extension's owner, and the shard enforces scopes and
 * projects from the forwarded claims.
 */

CREATE FUNCTION event_definitions.list(
    project_id bigint,
    search text DEFAULT NULL,
    event_type text DEFAULT 'event',
    exclude_hidden boolean DEFAULT false,
    exclude_stale boolean DEFAULT false,
    verified boolean DEFAULT NULL,
    tags text[] DEFAULT NULL,
    names text[] DEFAULT NULL,
    excluded_properties text[] DEFAULT NULL,
    ordering text DEFAULT NULL,
    page_limit bigint DEFAULT 100,
    page_offset bigint DEFAULT 0)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.list(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        list.project_id, list.search, list.event_type, list.exclude_hidden, list.exclude_stale,
        list.verified, list.tags, list.names, list.excluded_properties, list.ordering,
        list.page_limit, list.page_offset);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.list(bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint) IS
'List the event definitions of a project: a page {count, next, previous, results, count_is_capped}. Filters: search (every white-space separated term is a case-insensitive substring of the name), event_type (event, all, action_event, event_custom, event_posthog), exclude_hidden, exclude_stale (last seen over 30 days ago), verified, tags (any of), names (exactly), excluded_properties. ordering: comma-separated keys among name, last_seen_at, last_seen_at::date, created_at, created_at::date, "-" for descending; default -last_seen_at::date,name. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.retrieve(project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.retrieve(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        retrieve.project_id, retrieve.id);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.retrieve(bigint, uuid) IS
'The event definition with this id in this project; SQLSTATE PT404 (HTTP 404) when there is none. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions."create"(project_id bigint, name text, patch jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy."create"(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        "create".project_id, "create".name, "create".patch);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions."create"(bigint, text, jsonb) IS
'Create a planned (never seen) event definition, with the writable fields of patch applied as by update; SQLSTATE 23505 (HTTP 409) when the name exists. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.update(project_id bigint, id uuid, patch jsonb)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.update(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        update.project_id, update.id, update.patch);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.update(bigint, uuid, jsonb) IS
'Change an event definition (PATCH semantics): only the keys present in patch change. Writable: description, owner, tags, verified, hidden, post_to_slack, default_columns, enforcement_mode, primary_property. Returns the new definition. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.delete(project_id bigint, id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    PERFORM event_definitions_proxy.delete(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        delete.project_id, delete.id);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
END
$$;

COMMENT ON FUNCTION event_definitions.delete(bigint, uuid) IS
'Delete an event definition for good (its activity entries stay). Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.metrics(project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.metrics(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        metrics.project_id, metrics.id);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.metrics(bigint, uuid) IS
'Usage of an event definition over the last 30 UTC days: {query_usage_30_day, volume_30_day}. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.activity(
    project_id bigint,
    id uuid DEFAULT NULL,
    page_limit bigint DEFAULT 100,
    page_offset bigint DEFAULT 0)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.activity(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        activity.project_id, activity.id, activity.page_limit, activity.page_offset);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.activity(bigint, uuid, bigint, bigint) IS
'The activity log of a project, or of one definition when id is given, newest first: a page {count, next, previous, results}. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.ingest(project_id bigint, names text[], seen_at timestamptz[] DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.ingest(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        ingest.project_id, ingest.names, ingest.seen_at);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.ingest(bigint, text[], timestamptz[]) IS
'Ingest a batch of events: seen_at[i] is the time of names[i] (now when null). Creates missing definitions, moves last_seen_at forward, counts daily volume. Returns the number of definitions created. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.record_query_usage(project_id bigint, names text[], at timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    RETURN event_definitions_proxy.record_query_usage(
        current_setting('request.jwt.claims', true), current_setting('request.path', true),
        current_setting('event_definitions.user_id', true),
        record_query_usage.project_id, record_query_usage.names, record_query_usage.at);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    PERFORM event_definitions_proxy.reraise(st, msg, det, hnt);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION event_definitions.record_query_usage(bigint, text[], timestamptz) IS
'Count one query use, on the UTC day of at, for each element of names that has a definition in the project. Returns the number of elements counted. Needs scope event_definition:write.';

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA event_definitions FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA event_definitions_proxy FROM PUBLIC;
