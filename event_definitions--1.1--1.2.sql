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


-- == typed code generation ==
