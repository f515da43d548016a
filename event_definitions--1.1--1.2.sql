/* event_definitions--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION event_definitions UPDATE TO '1.2'" to load this file. \quit

/*
 * Version 1.2.  A fresh 1.2 is 1.0 followed by the 1.0 -> 1.1 script and
 * this one, so an updated 1.0 or 1.1 and a fresh 1.2 are the same
 * (test/upgrade checks it).  One section per concern, each saying what it
 * is for; a section touches only its own objects.
 */

-- == name index: capacity, replicas, operators' view ==

-- == writes: tracked tables, the change feed, two-phase commit, grants ==

-- == property definitions ==

-- == event schemas and enforcement ==

/*
 * Event schemas.  A property group is a named, reusable list of typed
 * properties; attaching groups to an event definition gives the event a
 * schema (the union of its groups), and the definition's enforcement_mode
 * says what ingestion does with an event that does not conform: allow
 * (nothing is checked), warn (the event is kept and its violations are
 * counted) or reject (the violations are counted and the event is not
 * applied).  Every key starts with project_id.
 *
 * A change to a group, to its properties or to an attachment bumps the
 * schema_version of every event it affects, in the same transaction
 * (src/schema/schema_writes.c).  Validation compiles an event's schema
 * once per backend and reuses it while the event's schema_versions row is
 * the one it compiled (version and the row's xmin, read in the statement's
 * snapshot), so a committed change is enforced by the next statement of
 * every backend.  The versions live in their own table rather than in
 * definitions: a schema change never waits for ingestion's row locks on
 * the definitions it upserts, and ingestion never waits for it.
 *
 * Writers of one group serialize on the group's row (its revision moves
 * with every change to the group or its attachments), then lock the
 * versions of the events they bump in definition_id order.
 */
CREATE TABLE event_definitions.property_groups (
    project_id  bigint NOT NULL CHECK (project_id > 0),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    name        text COLLATE "C" NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  bigint,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  bigint,
    revision    bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (project_id, id),
    CONSTRAINT property_groups_project_name_key UNIQUE (project_id, name),
    CONSTRAINT property_groups_name_check
        CHECK (char_length(name) BETWEEN 1 AND 400 AND name !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]')
);

CREATE TABLE event_definitions.property_group_properties (
    project_id    bigint NOT NULL,
    group_id      uuid NOT NULL,
    name          text COLLATE "C" NOT NULL,
    property_type text NOT NULL,
    is_required   boolean NOT NULL DEFAULT false,
    description   text NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, group_id, name),
    FOREIGN KEY (project_id, group_id)
        REFERENCES event_definitions.property_groups (project_id, id) ON DELETE CASCADE,
    CONSTRAINT property_group_properties_type_check
        CHECK (property_type IN ('String', 'Numeric', 'Boolean', 'DateTime', 'Object')),
    CONSTRAINT property_group_properties_name_check
        CHECK (char_length(name) BETWEEN 1 AND 400 AND name !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]')
);

-- Which groups make up which event's schema.
CREATE TABLE event_definitions.event_schemas (
    project_id    bigint NOT NULL,
    definition_id uuid NOT NULL,
    group_id      uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, definition_id, group_id),
    FOREIGN KEY (project_id, definition_id)
        REFERENCES event_definitions.definitions (project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, group_id)
        REFERENCES event_definitions.property_groups (project_id, id) ON DELETE CASCADE
);
-- the events of a group (list, bumps, deletes of groups)
CREATE INDEX event_schemas_group_idx ON event_definitions.event_schemas (project_id, group_id);

-- One row per event that ever had a group attached: its schema_version.
CREATE TABLE event_definitions.schema_versions (
    project_id     bigint NOT NULL,
    definition_id  uuid NOT NULL,
    schema_version bigint NOT NULL CHECK (schema_version > 0),
    PRIMARY KEY (project_id, definition_id),
    FOREIGN KEY (project_id, definition_id)
        REFERENCES event_definitions.definitions (project_id, id) ON DELETE CASCADE
);

/*
 * Violations counted at ingestion, per event, UTC day, property and
 * reason, with the first five distinct values seen that day (each cut to
 * 64 characters).  A statement writes one row per distinct key.  They go
 * with their definition.
 */
CREATE TABLE event_definitions.schema_violations (
    project_id    bigint NOT NULL,
    definition_id uuid NOT NULL,
    day           date NOT NULL,
    property      text COLLATE "C" NOT NULL,
    reason        text NOT NULL,
    violations    bigint NOT NULL,
    samples       text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (project_id, definition_id, day, property, reason),
    FOREIGN KEY (project_id, definition_id)
        REFERENCES event_definitions.definitions (project_id, id) ON DELETE CASCADE,
    CONSTRAINT schema_violations_reason_check
        CHECK (reason IN ('missing_required', 'type_mismatch')),
    CONSTRAINT schema_violations_violations_check CHECK (violations > 0),
    CONSTRAINT schema_violations_samples_check CHECK (cardinality(samples) <= 5)
);
-- violations of a whole project since a day
CREATE INDEX schema_violations_day_idx ON event_definitions.schema_violations (project_id, day);

SELECT pg_catalog.pg_extension_config_dump('event_definitions.property_groups', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.property_group_properties', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.event_schemas', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.schema_versions', '');
SELECT pg_catalog.pg_extension_config_dump('event_definitions.schema_violations', '');
REVOKE ALL ON event_definitions.property_groups, event_definitions.property_group_properties,
    event_definitions.event_schemas, event_definitions.schema_versions,
    event_definitions.schema_violations FROM PUBLIC;

COMMENT ON TABLE event_definitions.property_groups IS
'Property groups: named, reusable lists of typed properties (property_group_create). revision moves with every change to the group or its attachments; writers of a group serialize on its row.';
COMMENT ON TABLE event_definitions.property_group_properties IS
'The properties of a property group: name, property_type (String, Numeric, Boolean, DateTime, Object), is_required, description. Replaced as a whole by property_group_update.';
COMMENT ON TABLE event_definitions.event_schemas IS
'Which property groups are attached to which event definition (schema_attach, schema_detach): an event''s schema is the union of its groups.';
COMMENT ON TABLE event_definitions.schema_versions IS
'The schema_version of each event definition that ever had a group attached, bumped in the same transaction as every change to its schema; compiled schemas are cached per backend by it.';
COMMENT ON TABLE event_definitions.schema_violations IS
'Schema violations counted at ingestion, per event, UTC day, property and reason, with up to five sample values (violations()). Deleted with their definition.';

/*
 * enforcement_mode gains 'warn'.  The constraint is replaced NOT VALID:
 * every stored value ('allow' or 'reject') satisfies the wider check, so
 * nothing needs to be read, and the update holds the table's lock for a
 * catalog change only, not for a scan of every definition.  New rows and
 * updates are checked as before.
 */
ALTER TABLE event_definitions.definitions
    DROP CONSTRAINT definitions_enforcement_mode_check,
    ADD CONSTRAINT definitions_enforcement_mode_check
        CHECK (enforcement_mode IN ('allow', 'warn', 'reject')) NOT VALID;


/*
 * The schema API.  Conventions of the other functions: C, named
 * parameters, jsonb results, scopes event_definition:read and
 * event_definition:write, project isolation in the C code.
 */
CREATE FUNCTION event_definitions.property_group_create(
    project_id bigint,
    name text,
    properties jsonb DEFAULT '[]',
    description text DEFAULT '')
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_property_group_create';
COMMENT ON FUNCTION event_definitions.property_group_create(bigint, text, jsonb, text) IS
'Create a property group: a named, reusable list of typed properties, properties being an array of {"name", "property_type" (String, Numeric, Boolean, DateTime or Object), "is_required" (default false), "description"}. Returns the group. SQLSTATE 23505 (HTTP 409) when the project has a group of that name or a property is listed twice, 22023 for an unknown property_type. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.property_group_retrieve(project_id bigint, id uuid)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_property_group_retrieve';
COMMENT ON FUNCTION event_definitions.property_group_retrieve(bigint, uuid) IS
'The property group with this id: {id, name, description, properties, events, created_at, created_by, updated_at, updated_by}; SQLSTATE PT404 (HTTP 404) when there is none. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.property_group_update(project_id bigint, id uuid, patch jsonb)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_property_group_update';
COMMENT ON FUNCTION event_definitions.property_group_update(bigint, uuid, jsonb) IS
'Change a property group (PATCH semantics): name, description, and properties, which replace the group''s properties as a whole. Every event the group is attached to gets a new schema_version, enforced from the next statement after the commit. Returns the group. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.property_group_delete(project_id bigint, id uuid)
RETURNS void
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_property_group_delete';
COMMENT ON FUNCTION event_definitions.property_group_delete(bigint, uuid) IS
'Delete a property group: it leaves the schema of every event it was attached to. SQLSTATE PT404 (HTTP 404) when there is none. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.property_group_list(
    project_id bigint,
    search text DEFAULT NULL,
    page_limit bigint DEFAULT 100,
    page_offset bigint DEFAULT 0)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_property_group_list';
COMMENT ON FUNCTION event_definitions.property_group_list(bigint, text, bigint, bigint) IS
'The property groups of a project by name, each with its properties and the events it is attached to: a page {count, next, previous, results}. search keeps the groups whose name contains it, ignoring case. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.schema_attach(project_id bigint, event_id uuid, group_id uuid)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_schema_attach';
COMMENT ON FUNCTION event_definitions.schema_attach(bigint, uuid, uuid) IS
'Add a property group to the schema of an event definition; returns the event''s schema as event_schema does. SQLSTATE 23505 (HTTP 409) when the group is already added, PT404 (HTTP 404) when the event or the group does not exist. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.schema_detach(project_id bigint, event_id uuid, group_id uuid)
RETURNS jsonb
LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_schema_detach';
COMMENT ON FUNCTION event_definitions.schema_detach(bigint, uuid, uuid) IS
'Remove a property group from the schema of an event definition; returns the event''s schema as event_schema does. SQLSTATE PT404 (HTTP 404) when the group is not attached to the event. Needs scope event_definition:write.';

CREATE FUNCTION event_definitions.event_schema(project_id bigint, event_id uuid)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_event_schema';
COMMENT ON FUNCTION event_definitions.event_schema(bigint, uuid) IS
'The schema of an event definition, the union of its property groups: {event, event_id, schema_version, schema_hash, property_groups, properties: [{name, types, required, description}], conflicts: [{name, types}]}. A property whose groups disagree on its type is listed in conflicts and not checked. SQLSTATE PT404 (HTTP 404) when the event does not exist. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.validate(project_id bigint, name text, properties jsonb)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_validate';
COMMENT ON FUNCTION event_definitions.validate(bigint, text, jsonb) IS
'Check an event''s properties against the schema of the event named name, whatever its enforcement_mode: {valid, errors: [{property, reason (missing_required or type_mismatch), expected_types, actual_value}]}, with PostHog''s coercion rules. SQLSTATE PT404 (HTTP 404) when the project has no event of that name, 22023 when properties is not an object. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.violations(
    project_id bigint,
    id uuid DEFAULT NULL,
    since timestamptz DEFAULT NULL,
    page_limit bigint DEFAULT 100,
    page_offset bigint DEFAULT 0)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_violations';
COMMENT ON FUNCTION event_definitions.violations(bigint, uuid, timestamptz, bigint, bigint) IS
'Schema violations counted at ingestion, of a project or of one event definition (id), on the UTC day of since and later: a page {count, next, previous, results: [{event, event_id, property, reason, day, count, samples}]}, newest day first; samples holds up to five distinct values of the day, each cut to 64 characters. Needs scope event_definition:read.';

/*
 * list gains has_violations: a new signature, so the function is made
 * again, bound to its own C symbol; the new parameter comes last so that
 * positional calls of 1.1 mean the same.  Dropping a function drops its
 * grants, and the administrator's GRANT EXECUTE to the PostgREST role
 * must survive the update: they are read before the drop and given again.
 * Grants made by an extension script count as the extension's own
 * (pg_init_privs), which pg_dump would then leave out, so the recorded
 * initial privileges are set back to those of a fresh installation.
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
        page_offset bigint DEFAULT 0,
        has_violations boolean DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'event_definitions_list_v1_2';
    COMMENT ON FUNCTION event_definitions.list(bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint, boolean) IS
'List the event definitions of a project: a page {count, next, previous, results, count_is_capped}. Filters: search (every white-space separated term is a case-insensitive substring of the name), event_type (event, all, action_event, event_custom, event_posthog), exclude_hidden, exclude_stale (last seen over 30 days ago), verified, tags (any of), names (exactly), excluded_properties, has_violations (schema violations counted in the last 30 UTC days, or none). ordering: comma-separated keys among name, last_seen_at, last_seen_at::date, created_at, created_at::date, "-" for descending; default -last_seen_at::date,name. Needs scope event_definition:read.';
    REVOKE ALL ON FUNCTION event_definitions.list(bigint, text, text, boolean, boolean, boolean, text[], text[], text[], text, bigint, bigint, boolean) FROM PUBLIC;
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

COMMENT ON FUNCTION event_definitions.metrics(bigint, uuid) IS
'Usage of an event definition over the last 30 UTC days: {query_usage_30_day, volume_30_day, violations_30_day}. Needs scope event_definition:read.';
COMMENT ON FUNCTION event_definitions.update(bigint, uuid, jsonb) IS
'Change an event definition (PATCH semantics): only the keys present in patch change. Writable: description, owner, tags, verified, hidden, post_to_slack, default_columns, enforcement_mode (allow, warn or reject), primary_property. Returns the new definition. Needs scope event_definition:write.';

REVOKE ALL ON FUNCTION event_definitions.property_group_create(bigint, text, jsonb, text),
    event_definitions.property_group_retrieve(bigint, uuid),
    event_definitions.property_group_update(bigint, uuid, jsonb),
    event_definitions.property_group_delete(bigint, uuid),
    event_definitions.property_group_list(bigint, text, bigint, bigint),
    event_definitions.schema_attach(bigint, uuid, uuid),
    event_definitions.schema_detach(bigint, uuid, uuid),
    event_definitions.event_schema(bigint, uuid),
    event_definitions.validate(bigint, text, jsonb),
    event_definitions.violations(bigint, uuid, timestamptz, bigint, bigint)
    FROM PUBLIC;

-- == typed code generation ==

/*
 * Typed code generation: PostHog's typescript/, golang/ and python/
 * actions of the event definitions API, and JSON Schema.  Conventions of
 * the other functions: C, named parameters, jsonb results, read scope
 * event_definition:read, project isolation in the C code.  Both read the
 * catalog and write nothing: the same catalog gives the same bytes.
 */
CREATE FUNCTION event_definitions.codegen(
    project_id bigint,
    language text,
    names text[] DEFAULT NULL)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_codegen';
COMMENT ON FUNCTION event_definitions.codegen(bigint, text, text[]) IS
'Generated code that types the capture calls of the project''s events: {content, language, event_count, schema_hash, generator_version}. language: typescript (over posthog-js), golang (over posthog-go''s client), python (over posthog-python) or jsonschema (one JSON Schema per event, accepting what validate accepts). The events are the definitions whose name does not start with $, plus $pageview, $pageleave and $screen, in name order (or only those of names), hidden ones left out; each typed by the union of its property groups, an open map without one. content is the same bytes for the same catalog; schema_hash is PostHog''s. SQLSTATE 22023 (HTTP 400) for another language, or for more events than event_definitions.codegen_max_events. Needs scope event_definition:read.';

CREATE FUNCTION event_definitions.codegen_status(
    project_id bigint,
    schema_hash text,
    names text[] DEFAULT NULL,
    content text DEFAULT NULL)
RETURNS jsonb
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'event_definitions_codegen_status';
COMMENT ON FUNCTION event_definitions.codegen_status(bigint, text, text[], text) IS
'Whether a file generated by codegen (with these names) is current: {current, event_count, schema_hash, changed_events, generator_version}. current: schema_hash is the catalog''s. changed_events: given the file''s content, the events added, removed or changed since, [{event, change}] by name; without it, [] when current and null otherwise. SQLSTATE 22023 (HTTP 400) for a malformed schema_hash or content. Needs scope event_definition:read.';

REVOKE ALL ON FUNCTION event_definitions.codegen(bigint, text, text[]),
    event_definitions.codegen_status(bigint, text, text[], text)
    FROM PUBLIC;
