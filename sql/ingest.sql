--
-- ingest: batches, seen_at pairing, last_seen_at never moving backwards,
-- curated fields untouched, validation with nothing applied, $$plugin_metrics,
-- the return value, daily volume per UTC day.  Projects 106 and 196.
--

-- seen(project): name and last_seen_at of every definition of a project.
-- Every fixed time in this file is before 2025; later ones came from now()
-- (no seen_at) and are shown as "<recent>".
CREATE FUNCTION pg_temp.seen(p bigint) RETURNS TABLE (name jsonb, last_seen_at jsonb)
LANGUAGE sql AS $$
    SELECT r->'name',
           CASE WHEN (r->>'last_seen_at')::timestamptz > '2025-01-01' THEN '"<recent>"'
                ELSE r->'last_seen_at' END
    FROM jsonb_array_elements(event_definitions.list(p, ordering => 'name')->'results') AS r
    WHERE char_length(r->>'name') < 50
$$;

-- volume(project): the daily counters of a project
CREATE FUNCTION pg_temp.volume(p bigint) RETURNS TABLE (name jsonb, day text, events bigint)
LANGUAGE sql AS $$
    SELECT to_jsonb(d.name), to_char(v.day, 'YYYY-MM-DD'), v.events
    FROM event_definitions.daily_volume v
    JOIN event_definitions.definitions d ON d.project_id = v.project_id AND d.id = v.definition_id
    WHERE v.project_id = p AND char_length(d.name) < 50
    ORDER BY d.name, v.day
$$;

-- a batch: seen_at[i] goes with names[i]; each new name gets its newest time
-- in the batch; the result is the number of definitions created
SELECT event_definitions.ingest(106,
    ARRAY['pageview', 'click', 'pageview', 'click', 'pageview'],
    ARRAY['2024-03-01 10:00:00+00', '2024-03-01 09:00:00+00',
          '2024-03-02 08:30:00+00', '2024-03-01 09:30:00.5+00',
          '2024-03-01 23:59:59+00']::timestamptz[]) AS created;
SELECT * FROM pg_temp.seen(106);
SELECT * FROM pg_temp.volume(106);

-- known names: last_seen_at = greatest(old, newest), never backwards; the
-- volume counts every element on the UTC day of its time
SELECT event_definitions.ingest(106,
    ARRAY['pageview', 'click'],
    ARRAY['2024-01-01 00:00:00+00', '2024-03-05 12:00:00+00']::timestamptz[]) AS created;
SELECT * FROM pg_temp.seen(106);
SELECT * FROM pg_temp.volume(106);

-- the UTC day counts, not the session's time zone
SET TIME ZONE 'America/New_York';
SELECT event_definitions.ingest(106,
    ARRAY['late', 'late', 'late'],
    ARRAY['2024-03-01 21:00:00-05', '2024-03-01 18:59:59-05', '2024-03-01 19:00:00-05']::timestamptz[]) AS created;
RESET TIME ZONE;
SELECT * FROM pg_temp.seen(106) WHERE name = '"late"';
SELECT * FROM pg_temp.volume(106) WHERE name = '"late"';

-- a mix of new and known names: only the new ones are counted in the result
SELECT event_definitions.ingest(106, ARRAY['click', 'scroll', 'hover', 'scroll'],
    ARRAY['2024-03-06 00:00:00+00', '2024-03-06 00:00:00+00', '2024-03-06 00:00:00+00', '2024-03-06 00:00:01+00']::timestamptz[]) AS created;
-- an empty batch
SELECT event_definitions.ingest(106, ARRAY[]::text[]) AS created;
SELECT event_definitions.ingest(106, '{}', '{}') AS created;

-- no seen_at, or a null element: now.  New definitions get created_at = now.
BEGIN;
SELECT event_definitions.ingest(106, ARRAY['now_a', 'now_b', 'pageview'],
    ARRAY[NULL, '2024-03-03 00:00:00+00', NULL]::timestamptz[]) AS created;
SELECT event_definitions.ingest(106, ARRAY['now_c']) AS created;
SELECT r->>'name' AS name,
       regress.t(r->'last_seen_at') AS last_seen_at,
       regress.t(r->'created_at') AS created_at,
       r->'updated_at' = r->'created_at' AS updated_is_created
FROM jsonb_array_elements(event_definitions.list(106, names => ARRAY['now_a', 'now_b', 'now_c', 'pageview'], ordering => 'name')->'results') AS r;
SELECT name, day = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS today, events
FROM pg_temp.volume(106) WHERE day > '2024-12-31';
COMMIT;

-- ingestion never touches curated fields, and logs no activity
SET event_definitions.user_id = 1;
SELECT (event_definitions.list(106, names => ARRAY['click'])->'results'->0->>'id')::uuid AS click_id \gset
SELECT event_definitions.update(106, :'click_id', '{"description": "Clicked", "owner": 2, "tags": ["ui"], "verified": true, "post_to_slack": true, "default_columns": ["x"], "enforcement_mode": "reject", "primary_property": "x"}') AS before \gset
SELECT event_definitions.activity(106, :'click_id')->'count' AS entries;
SELECT event_definitions.ingest(106, ARRAY['click'], ARRAY['2024-04-01 00:00:00+00']::timestamptz[]) AS created;
SELECT event_definitions.retrieve(106, :'click_id') AS after \gset
SELECT :'after'::jsonb->'last_seen_at' AS last_seen_at,
       (:'after'::jsonb - 'last_seen_at') = (:'before'::jsonb - 'last_seen_at') AS rest_unchanged,
       event_definitions.activity(106, :'click_id')->'count' AS entries;
-- a planned event (created, never seen) gets its last_seen_at from ingestion
SELECT (event_definitions."create"(106, 'planned', '{"description": "Planned"}')->>'id')::uuid AS planned_id \gset
SELECT event_definitions.ingest(106, ARRAY['planned'], ARRAY['2024-04-02 00:00:00+00']::timestamptz[]) AS created;
SELECT r->'last_seen_at' AS last_seen_at, r->'description' AS description
FROM event_definitions.retrieve(106, :'planned_id') AS r;
RESET event_definitions.user_id;

-- $$plugin_metrics is skipped: no definition, no volume, not counted
SELECT event_definitions.ingest(106, ARRAY['$$plugin_metrics', 'after_plugin', '$$plugin_metrics'],
    ARRAY['2024-03-07 00:00:00+00', '2024-03-07 00:00:00+00', '2024-03-07 00:00:00+00']::timestamptz[]) AS created;
SELECT event_definitions.ingest(106, ARRAY['$$plugin_metrics']) AS created;
SELECT * FROM pg_temp.seen(106) WHERE name::text LIKE '%plugin%';
SELECT * FROM pg_temp.volume(106) WHERE name::text LIKE '%plugin%';

-- names are exact: case, spaces and the $ prefix make other names
SELECT event_definitions.ingest(106, ARRAY['Click', 'click ', '$click'],
    ARRAY['2024-03-08 00:00:00+00', '2024-03-08 00:00:00+00', '2024-03-08 00:00:00+00']::timestamptz[]) AS created;

-- the same names in another project are other definitions
SELECT event_definitions.ingest(196, ARRAY['click', 'pageview'],
    ARRAY['2020-01-01 00:00:00+00', '2020-01-01 00:00:00+00']::timestamptz[]) AS created;
SELECT * FROM pg_temp.seen(196);
SELECT * FROM pg_temp.seen(106) WHERE name IN ('"click"', '"pageview"');

--
-- errors: nothing of the batch is applied
--
SELECT count(*) AS counters_before, sum(events) AS events_before
FROM event_definitions.daily_volume WHERE project_id = 106 \gset
-- arrays of different lengths
SELECT event_definitions.ingest(106, ARRAY['new_1', 'click'], ARRAY['2024-05-01 00:00:00+00']::timestamptz[]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(106, ARRAY['new_1'], ARRAY['2024-05-01 00:00:00+00', '2024-05-01 00:00:00+00']::timestamptz[]);
-- an invalid name, named by its position
SELECT event_definitions.ingest(106, ARRAY['new_1', 'click', ''], ARRAY['2024-05-01 00:00:00+00', '2024-05-01 00:00:00+00', '2024-05-01 00:00:00+00']::timestamptz[]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(106, ARRAY['new_1', repeat('x', 401), 'click']);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(106, ARRAY['new_1', 'click', NULL]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.ingest(106, ARRAY[E'bad\nname', 'new_1']);
\echo :LAST_ERROR_SQLSTATE
-- an invalid name is refused even beside $$plugin_metrics
SELECT event_definitions.ingest(106, ARRAY['$$plugin_metrics', '']);
-- a 400-character name is fine
SELECT event_definitions.ingest(106, ARRAY[repeat('x', 400)], ARRAY['2024-05-01 00:00:00+00']::timestamptz[]) AS created;
-- names must be given
SELECT event_definitions.ingest(106, NULL);
\echo :LAST_ERROR_SQLSTATE
-- nothing of the failed batches was applied
SELECT * FROM pg_temp.seen(106) WHERE name = '"new_1"';
SELECT count(*) = :counters_before + 1 AS one_more_counter,
       sum(events) = :events_before + 1 AS one_more_event
FROM event_definitions.daily_volume WHERE project_id = 106;
SELECT * FROM pg_temp.seen(106) WHERE name = '"click"';

-- the final state of project 106
SELECT * FROM pg_temp.seen(106);
SELECT * FROM pg_temp.volume(106) WHERE day < '2025-01-01';
