--
-- metrics and record_query_usage: query_usage_30_day and volume_30_day over
-- the 30 days before now, zero without data, PT404.  Projects 107 and 197.
--
-- Times here are relative to now(): a day or 28 days back is inside the
-- window, 31 days back and more is outside, whatever the time of day.
--

-- a planned event has no data: zeros
SELECT (event_definitions."create"(107, 'purchase')->>'id')::uuid AS id \gset
SELECT event_definitions.metrics(107, :'id') AS metrics;
SELECT jsonb_typeof(m->'query_usage_30_day') AS query_usage_type,
       jsonb_typeof(m->'volume_30_day') AS volume_type
FROM event_definitions.metrics(107, :'id') AS m;

-- volume_30_day counts ingested events of the last 30 days
SELECT event_definitions.ingest(107,
    ARRAY['purchase', 'purchase', 'purchase', 'purchase', 'purchase', 'purchase', 'signup'],
    ARRAY[now(), now() - interval '1 day', now() - interval '1 day',
          now() - interval '28 days',
          now() - interval '31 days', now() - interval '90 days',
          now()]) AS created;
SELECT event_definitions.metrics(107, :'id') AS metrics;
-- more events add up
SELECT event_definitions.ingest(107, ARRAY['purchase', 'purchase']) AS created;
SELECT event_definitions.metrics(107, :'id') AS metrics;

-- record_query_usage counts one use per element with a definition; unknown
-- names are ignored; the result is the number of elements counted
SELECT event_definitions.record_query_usage(107, ARRAY['purchase', 'purchase', 'unknown', 'signup']) AS counted;
SELECT event_definitions.record_query_usage(107, ARRAY['unknown', 'Purchase']) AS counted;
SELECT event_definitions.record_query_usage(107, ARRAY[]::text[]) AS counted;
SELECT event_definitions.metrics(107, :'id') AS metrics;
-- uses at a given time: inside the window they count, outside they do not
SELECT event_definitions.record_query_usage(107, ARRAY['purchase'], now() - interval '28 days') AS counted;
SELECT event_definitions.record_query_usage(107, ARRAY['purchase'], now() - interval '31 days') AS counted;
SELECT event_definitions.record_query_usage(107, ARRAY['purchase', 'purchase'], at => now() - interval '365 days') AS counted;
SELECT event_definitions.metrics(107, :'id') AS metrics;
-- the other definition has its own counts
SELECT event_definitions.metrics(107, (event_definitions.list(107, names => ARRAY['signup'])->'results'->0->>'id')::uuid) AS signup_metrics;

-- a name of another project is not counted here, nor there
SELECT event_definitions.record_query_usage(197, ARRAY['purchase']) AS counted;
SELECT event_definitions.metrics(107, :'id')->'query_usage_30_day' AS query_usage_30_day;

-- data only older than 30 days: zeros
SELECT event_definitions.ingest(107, ARRAY['old'], ARRAY[now() - interval '45 days']) AS created;
SELECT event_definitions.record_query_usage(107, ARRAY['old'], now() - interval '45 days') AS counted;
SELECT event_definitions.metrics(107, (event_definitions.list(107, names => ARRAY['old'])->'results'->0->>'id')::uuid) AS old_metrics;

-- a rolled-back call counts nothing
BEGIN;
SELECT event_definitions.record_query_usage(107, ARRAY['purchase']) AS counted;
SELECT event_definitions.ingest(107, ARRAY['purchase']) AS created;
SELECT event_definitions.metrics(107, :'id') AS metrics_inside;
ROLLBACK;
SELECT event_definitions.metrics(107, :'id') AS metrics;

-- record_query_usage needs its names
SELECT event_definitions.record_query_usage(107, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.record_query_usage(107, ARRAY['purchase', NULL]);
\echo :LAST_ERROR_SQLSTATE

-- PT404: a missing id, another project's id; 22P02: a malformed id
SELECT event_definitions.metrics(107, '00000000-0000-4000-8000-00000000dead');
\echo :LAST_ERROR_SQLSTATE
SELECT (event_definitions."create"(197, 'purchase')->>'id')::uuid AS other_id \gset
SELECT regress.err(format('SELECT event_definitions.metrics(107, %L)', :'other_id')) AS other_project,
       regress.err('SELECT event_definitions.metrics(107, gen_random_uuid())') AS missing;
SELECT event_definitions.metrics(197, :'other_id') AS other_metrics;
SELECT event_definitions.metrics(107, 'not-a-uuid');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.metrics(107, NULL);
\echo :LAST_ERROR_SQLSTATE
