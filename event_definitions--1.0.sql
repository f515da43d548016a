/* event_definitions--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION event_definitions" to load this file. \quit

/*
 * Tables.  Every key starts with project_id: it is the sharding key, and
 * every query the C code runs names it.  Nothing here is granted to PUBLIC;
 * callers reach the data through the SECURITY DEFINER functions below,
 * which enforce scopes and project isolation.
 */

-- The users directory: filled by the host application.
CREATE TABLE event_definitions.users (
    id                bigint PRIMARY KEY,
    uuid              uuid NOT NULL DEFAULT gen_random_uuid(),
    distinct_id       text,
    first_name        text NOT NULL DEFAULT '',
    last_name         text NOT NULL DEFAULT '',
    email             text,
    is_email_verified boolean
);

CREATE TABLE event_definitions.definitions (
    project_id       bigint NOT NULL,
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    name             text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz,
    -- UTC day of last_seen_at / created_at: the "::date" ordering keys
    last_seen_day    date GENERATED ALWAYS AS ((last_seen_at AT TIME ZONE 'UTC')::date) STORED,
    created_day      date GENERATED ALWAYS AS ((created_at AT TIME ZONE 'UTC')::date) STORED,
    description      text DEFAULT '',
    owner_id         bigint REFERENCES event_definitions.users (id) ON DELETE SET NULL,
    tags             text[] COLLATE "C" NOT NULL DEFAULT '{}',
    verified         boolean NOT NULL DEFAULT false,
    verified_at      timestamptz,
    verified_by      bigint,
    hidden           boolean NOT NULL DEFAULT false,
    post_to_slack    boolean NOT NULL DEFAULT false,
    default_columns  text[] NOT NULL DEFAULT '{}',
    enforcement_mode text NOT NULL DEFAULT 'allow',
    primary_property text,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       bigint,
    PRIMARY KEY (project_id, id),
    CONSTRAINT definitions_project_name_key UNIQUE (project_id, name),
    CONSTRAINT definitions_project_id_check CHECK (project_id > 0),
    CONSTRAINT definitions_name_check
        CHECK (char_length(name) BETWEEN 1 AND 400 AND name !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]'),
    CONSTRAINT definitions_hidden_verified_check CHECK (NOT (hidden AND verified)),
    CONSTRAINT definitions_enforcement_mode_check
        CHECK (enforcement_mode IN ('allow', 'reject')),
    CONSTRAINT definitions_primary_property_check
        CHECK (char_length(primary_property) BETWEEN 1 AND 400),
    CONSTRAINT definitions_verified_at_check CHECK (verified OR verified_at IS NULL)
);

-- the default list order: recency by day, then name; it also carries the
-- flags the in-memory name index needs, so building one is an index-only scan
CREATE INDEX definitions_recent_idx ON event_definitions.definitions
    (project_id, last_seen_day DESC NULLS LAST, name) INCLUDE (hidden, verified);
CREATE INDEX definitions_owner_idx ON event_definitions.definitions (owner_id)
    WHERE owner_id IS NOT NULL;
-- the tags filter; most definitions have no tags and stay out of it
CREATE INDEX definitions_tags_idx ON event_definitions.definitions USING gin (tags)
    WHERE tags <> '{}';

-- Events ingested per definition and UTC day (metrics.volume_30_day).  The
-- counters go with their definition: deleting it deletes them.
CREATE TABLE event_definitions.daily_volume (
    project_id    bigint NOT NULL,
    definition_id uuid NOT NULL,
    day           date NOT NULL,
    events        bigint NOT NULL CHECK (events >= 0),
    PRIMARY KEY (project_id, definition_id, day),
    FOREIGN KEY (project_id, definition_id)
        REFERENCES event_definitions.definitions (project_id, id) ON DELETE CASCADE
);

-- Queries that used a definition, per UTC day (metrics.query_usage_30_day).
CREATE TABLE event_definitions.query_usage (
    project_id    bigint NOT NULL,
    definition_id uuid NOT NULL,
    day           date NOT NULL,
    queries       bigint NOT NULL CHECK (queries >= 0),
    PRIMARY KEY (project_id, definition_id, day),
    FOREIGN KEY (project_id, definition_id)
        REFERENCES event_definitions.definitions (project_id, id) ON DELETE CASCADE
);

-- One row per project: the exact number of definitions (the count of an
-- unfiltered list) and a generation number that every change to the set of
-- names, their last-seen day, or their hidden/verified flags increases.
-- Writers lock this row first, so writers of one project never deadlock on
-- each other; readers use the generation to validate cached name indexes.
-- It is derived data, so pg_dump leaves it out: restoring definitions
-- recounts it (the statement triggers below).
CREATE TABLE event_definitions.project_stats (
    project_id  bigint PRIMARY KEY CHECK (project_id > 0),
    definitions bigint NOT NULL DEFAULT 0 CHECK (definitions >= 0),
    generation  bigint NOT NULL DEFAULT 0
);

-- Writes to definitions that do not come from the API functions (an
-- administrator's DML, COPY while moving a project, TRUNCATE) recount the
-- projects they touched, so project_stats stays exact whatever the path.
CREATE FUNCTION event_definitions.definitions_changed() RETURNS trigger
LANGUAGE C SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_definitions_changed';
COMMENT ON FUNCTION event_definitions.definitions_changed() IS
'Internal: keeps event_definitions.project_stats exact after writes to definitions made outside the API functions.';

CREATE TRIGGER definitions_inserted AFTER INSERT ON event_definitions.definitions
    REFERENCING NEW TABLE AS ed_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION event_definitions.definitions_changed();
CREATE TRIGGER definitions_updated AFTER UPDATE ON event_definitions.definitions
    REFERENCING OLD TABLE AS ed_old_rows NEW TABLE AS ed_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION event_definitions.definitions_changed();
CREATE TRIGGER definitions_deleted AFTER DELETE ON event_definitions.definitions
    REFERENCING OLD TABLE AS ed_old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION event_definitions.definitions_changed();
CREATE TRIGGER definitions_truncated AFTER TRUNCATE ON event_definitions.definitions
    FOR EACH STATEMENT EXECUTE FUNCTION event_definitions.definitions_changed();

-- The activity log: one entry per create, update and delete.  Entries keep
-- the definition's name and survive its deletion.
CREATE TABLE event_definitions.activity_log (
    project_id bigint NOT NULL CHECK (project_id > 0),
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    item_id    uuid NOT NULL,
    activity   text NOT NULL CHECK (activity IN ('created', 'changed', 'deleted')),
    user_id    bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    detail     jsonb NOT NULL,
    PRIMARY KEY (project_id, seq)
);
CREATE INDEX activity_log_item_idx ON event_definitions.activity_log (project_id, item_id, seq);

SELECT pg_catalog.pg_extension_config_dump('event_definitions.users', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.definitions', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.daily_volume', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.query_usage', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.activity_log', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.activity_log_seq_seq', '');

REVOKE ALL ON ALL TABLES IN SCHEMA event_definitions FROM PUBLIC;
REVOKE ALL ON SCHEMA event_definitions FROM PUBLIC;

/*
 * The API.  Every function is SECURITY DEFINER with a pinned search_path:
 * the tables are private to the extension owner, and the C code checks the
 * caller's scopes and projects (request.jwt.claims) before touching them.
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
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_list';

COMMENT ON FUNCTION event_definitions.list(bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint) IS
'List the event definitions of a project: a page {count, next, previous, results, count_is_capped}. Filters: search (every white-space separated term is a case-insensitive substring of the name), event_type (event, all, action_event, event_custom, event_posthog), exclude_hidden, exclude_stale (last seen over 30 days ago), verified, tags (any of), names (exactly), excluded_properties. ordering: comma-separated keys among name, last_seen_at, last_seen_at::date, created_at, created_at::date, "-" for descending; default -last_seen_at::date,name. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.retrieve(project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_retrieve';

COMMENT ON FUNCTION event_definitions.retrieve(bigint, uuid) IS
'The event definition with this id in this project; SQLSTATE PT404 (HTTP 404) when there is none. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions."create"(project_id bigint, name text, patch jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_create';

COMMENT ON FUNCTION event_definitions."create"(bigint, text, jsonb) IS
'Create a planned (never seen) event definition, with the writable fields of patch applied as by update; SQLSTATE 23505 (HTTP 409) when the name exists. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.update(project_id bigint, id uuid, patch jsonb)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_update';

COMMENT ON FUNCTION event_definitions.update(bigint, uuid, jsonb) IS
'Change an event definition (PATCH semantics): only the keys present in patch change. Writable: description, owner, tags, verified, hidden, post_to_slack, default_columns, enforcement_mode, primary_property. Returns the new definition. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.delete(project_id bigint, id uuid)
RETURNS void
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_delete';

COMMENT ON FUNCTION event_definitions.delete(bigint, uuid) IS
'Delete an event definition for good (its activity entries stay). Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.metrics(project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_metrics';

COMMENT ON FUNCTION event_definitions.metrics(bigint, uuid) IS
'Usage of an event definition over the last 30 UTC days: {query_usage_30_day, volume_30_day}. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.activity(
    project_id bigint,
    id uuid DEFAULT NULL,
    page_limit bigint DEFAULT 100,
    page_offset bigint DEFAULT 0)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_activity';

COMMENT ON FUNCTION event_definitions.activity(bigint, uuid, bigint, bigint) IS
'The activity log of a project, or of one definition when id is given, newest first: a page {count, next, previous, results}. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.ingest(project_id bigint, names text[], seen_at timestamptz[] DEFAULT NULL)
RETURNS integer
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_ingest';

COMMENT ON FUNCTION event_definitions.ingest(bigint, text[], timestamptz[]) IS
'Ingest a batch of events: seen_at[i] is the time of names[i] (now when null). Creates missing definitions, moves last_seen_at forward, counts daily volume. Returns the number of definitions created. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.record_query_usage(project_id bigint, names text[], at timestamptz DEFAULT now())
RETURNS integer
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_record_query_usage';

COMMENT ON FUNCTION event_definitions.record_query_usage(bigint, text[], timestamptz) IS
'Count one query use, on the UTC day of at, for each element of names that has a definition in the project. Returns the number of elements counted. Needs scope event_definition:write.';

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA event_definitions FROM PUBLIC;
