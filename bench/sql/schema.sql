-- bench/sql/schema.sql: the benchmark's own objects, in a database created
-- with LOCALE 'C' and TimeZone UTC (see lib.sh), so that the baseline's
-- varchar names sort bytewise like ours and its last_seen_at::date is the
-- UTC day that our last_seen_at::date ordering key uses.
--
--   bench.*          fixture: generated names, id samples, ingest batch
--   posthog.*        the baseline: PostHog's posthog_eventdefinition with
--                    its indexes, holding exactly our rows
\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS event_definitions CASCADE;

CREATE SCHEMA bench;
CREATE SCHEMA posthog;

-- one row per definition to create: the project, a serial number (g), the
-- name and the time of its (single) ingested event
CREATE TABLE bench.fixture (
    project_id bigint NOT NULL,
    g          bigint NOT NULL,
    name       text COLLATE "C" NOT NULL,
    seen_at    timestamptz,          -- null: a planned event, made by create()
    PRIMARY KEY (project_id, g)
);

-- ids of the main project, numbered 1..n, for retrieve/update/metrics
CREATE TABLE bench.ids (rn int PRIMARY KEY, id uuid NOT NULL);
-- the ingest operation: 100 existing names, and a batch of 10,000 events
-- over them (names[i] = name k = 1 + (i * 37) % 100)
CREATE TABLE bench.ingest_names (k int PRIMARY KEY, name text NOT NULL);
CREATE TABLE bench.ingest_batch (names text[] NOT NULL);

/*
 * The baseline.  PostHog keeps the curated fields (description, owner,
 * tags, verified, hidden...) in a sibling table, ee_enterpriseeventdefinition,
 * joined 1:1; here they are columns of the same table, and the queries use
 * the plain "project_id = $1" filter: both choices make the baseline faster,
 * never slower, than PostHog's own.
 */
CREATE TABLE posthog.posthog_eventdefinition (
    id                 uuid PRIMARY KEY,
    team_id            bigint NOT NULL,
    project_id         bigint,
    name               varchar(400) NOT NULL,
    created_at         timestamptz,
    last_seen_at       timestamptz,
    volume_30_day      integer,
    query_usage_30_day integer,
    -- ee_enterpriseeventdefinition
    description        text,
    owner_id           bigint,
    tags               varchar(255)[],
    verified           boolean NOT NULL DEFAULT false,
    verified_at        timestamptz,
    verified_by_id     bigint,
    hidden             boolean NOT NULL DEFAULT false,
    post_to_slack      boolean NOT NULL DEFAULT false,
    default_columns    text[],
    enforcement_mode   varchar(10) NOT NULL DEFAULT 'allow',
    primary_property   varchar(400),
    updated_at         timestamptz,
    updated_by_id      bigint
);
