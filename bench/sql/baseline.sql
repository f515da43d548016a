-- bench/sql/baseline.sql: the baseline table gets exactly our rows, then
-- PostHog's indexes on posthog_eventdefinition: the unique
-- (coalesce(project_id, team_id), name), btree on project_id and team_id,
-- and the trigram GIN on name (index_event_definition_name).  volume_30_day
-- and query_usage_30_day, which PostHog's periodic job stores on the row,
-- are filled from our counters.
\set ON_ERROR_STOP 1

INSERT INTO posthog.posthog_eventdefinition
    (id, team_id, project_id, name, created_at, last_seen_at, volume_30_day,
     query_usage_30_day, description, owner_id, tags, verified, verified_at,
     verified_by_id, hidden, post_to_slack, default_columns, enforcement_mode,
     primary_property, updated_at, updated_by_id)
SELECT d.id, d.project_id, d.project_id, d.name, d.created_at, d.last_seen_at,
       coalesce((SELECT sum(v.events) FROM event_definitions.daily_volume v
                 WHERE v.project_id = d.project_id AND v.definition_id = d.id
                   AND v.day > (now() AT TIME ZONE 'UTC')::date - 30), 0),
       coalesce((SELECT sum(q.queries) FROM event_definitions.query_usage q
                 WHERE q.project_id = d.project_id AND q.definition_id = d.id
                   AND q.day > (now() AT TIME ZONE 'UTC')::date - 30), 0),
       d.description, d.owner_id, d.tags, d.verified, d.verified_at,
       d.verified_by, d.hidden, d.post_to_slack, d.default_columns, d.enforcement_mode,
       d.primary_property, d.updated_at, d.updated_by
FROM event_definitions.definitions d;

CREATE UNIQUE INDEX posthog_eventdefinition_project_name_uniq
    ON posthog.posthog_eventdefinition ((coalesce(project_id, team_id)), name);
CREATE INDEX posthog_eventdefinition_project_id
    ON posthog.posthog_eventdefinition (project_id);
CREATE INDEX posthog_eventdefinition_team_id
    ON posthog.posthog_eventdefinition (team_id);
CREATE INDEX index_event_definition_name
    ON posthog.posthog_eventdefinition USING gin (name gin_trgm_ops);

VACUUM ANALYZE posthog.posthog_eventdefinition;
