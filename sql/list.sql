--
-- list: the page envelope, the default order and every filter.
-- Project 201 holds six definitions seen on different UTC days, one of them
-- "$"-prefixed and one never seen; project 210 holds now()-relative ones for
-- exclude_stale.
--
SELECT event_definitions.ingest(201,
    ARRAY['pageview', '$pageview', 'signup', '$autocapture', 'checkout'],
    ARRAY['2020-01-05 10:00Z', '2020-01-04 10:00Z', '2020-01-03 23:59Z',
          '2020-01-03 00:01Z', '2019-12-31 12:00Z']::timestamptz[]);
-- a planned event: never seen
SELECT event_definitions."create"(201, 'planned') -> 'last_seen_at' AS planned_last_seen_at;

-- curated fields are set through update
SELECT d->>'name' AS name, d->'tags' AS tags, d->'verified' AS verified, d->'hidden' AS hidden
FROM (SELECT event_definitions.update(201, (event_definitions.list(201, names => ARRAY[n])->'results'->0->>'id')::uuid, p) AS d
      FROM (VALUES ('pageview', '{"verified": true, "tags": ["Web", " Core "]}'::jsonb),
                   ('$pageview', '{"hidden": true, "tags": ["web"]}'),
                   ('signup', '{"tags": ["growth"]}'),
                   ('checkout', '{"verified": true}'),
                   ('planned', '{"tags": ["core"], "hidden": true}')) AS v(n, p)) s
ORDER BY name;

-- the page envelope: exactly these keys
SELECT k FROM jsonb_object_keys(event_definitions.list(201)) AS k ORDER BY k;
SELECT r->'count' AS count, r->'next' AS next, r->'previous' AS previous,
       r->'count_is_capped' AS count_is_capped, jsonb_typeof(r->'results') AS results
FROM event_definitions.list(201) AS r;

-- a definition in a page has the keys of retrieve, and the same values
SELECT k FROM jsonb_object_keys(event_definitions.list(201)->'results'->0) AS k ORDER BY k;
SELECT (r - 'id' - 'created_at' - 'updated_at' - 'verified_at') AS first_result,
       r->>'verified_at' IS NOT NULL AS has_verified_at,
       r = event_definitions.retrieve(201, (r->>'id')::uuid) AS same_as_retrieve
FROM (SELECT event_definitions.list(201)->'results'->0 AS r) s;

-- default order: last-seen UTC day, newest first, then name; never seen last
SELECT jsonb_path_query_array(event_definitions.list(201), '$.results[*].name') AS names;

-- event_type: event, all and action_event list everything
SELECT t, r->'count' AS count, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM unnest(ARRAY['event', 'all', 'action_event', 'event_custom', 'event_posthog']) AS t,
     LATERAL event_definitions.list(201, event_type => t) AS r;

-- exclude_hidden leaves out $pageview and planned
SELECT jsonb_path_query_array(event_definitions.list(201, exclude_hidden => true), '$.results[*].name') AS names;
SELECT jsonb_path_query_array(event_definitions.list(201, exclude_hidden => false), '$.results[*].name') AS names;

-- verified: true keeps the verified ones, false the others, null does not filter
SELECT v, r->'count' AS count, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM unnest(ARRAY[true, false, NULL]) AS v,
     LATERAL event_definitions.list(201, verified => v) AS r;

-- tags: any of them, normalized like stored tags (trimmed, lower-cased)
SELECT t::text AS tags, jsonb_path_query_array(event_definitions.list(201, tags => t), '$.results[*].name') AS names
FROM (VALUES (ARRAY['web']), (ARRAY['  WEB ']), (ARRAY['core', 'growth']),
             (ARRAY['Core', 'core']), (ARRAY['nope']), ('{}'::text[])) AS x(t);

-- names: exactly those names (bytewise), unknown names are ignored
SELECT jsonb_path_query_array(event_definitions.list(201, names => ARRAY['signup', '$pageview', 'SIGNUP', 'sign', 'nope']),
                              '$.results[*].name') AS names;
SELECT event_definitions.list(201, names => '{}')->'count' AS no_names;

-- excluded_properties: leaves those names out
SELECT jsonb_path_query_array(event_definitions.list(201, excluded_properties => ARRAY['pageview', 'planned', 'PAGEVIEW']),
                              '$.results[*].name') AS names;
SELECT event_definitions.list(201, excluded_properties => '{}')->'count' AS nothing_excluded;

-- filters combine with AND
SELECT jsonb_path_query_array(event_definitions.list(201, event_type => 'event_custom', exclude_hidden => true,
                                                     tags => ARRAY['web', 'core', 'growth']), '$.results[*].name') AS names;
SELECT jsonb_path_query_array(event_definitions.list(201, verified => false, tags => ARRAY['core', 'growth'],
                                                     excluded_properties => ARRAY['signup']), '$.results[*].name') AS names;
SELECT jsonb_path_query_array(event_definitions.list(201, names => ARRAY['pageview', '$pageview', 'checkout'],
                                                     event_type => 'event_posthog'), '$.results[*].name') AS names;
SELECT event_definitions.list(201, names => ARRAY['pageview'], excluded_properties => ARRAY['pageview'])->'count' AS none;

-- a project without definitions: an empty page
SELECT event_definitions.list(299);

-- exclude_stale: last seen more than 30 days ago is stale, never seen stays
SELECT event_definitions.ingest(210,
    ARRAY['fresh', 'edge_29_days', 'old_31_days', 'ancient'],
    ARRAY[now() - interval '1 day', now() - interval '29 days', now() - interval '31 days',
          '2020-01-01 00:00Z']::timestamptz[]);
SELECT event_definitions."create"(210, 'never_seen') -> 'last_seen_at' AS never_seen_last_seen_at;
SELECT jsonb_path_query_array(event_definitions.list(210), '$.results[*].name') AS all_names;
SELECT jsonb_path_query_array(event_definitions.list(210, exclude_stale => true), '$.results[*].name') AS fresh_names;
SELECT event_definitions.list(210, exclude_stale => true)->'count' AS fresh_count;
SELECT jsonb_path_query_array(event_definitions.list(210, exclude_stale => true, search => 'e_'), '$.results[*].name') AS fresh_searched;

-- every filter gives the same answer with and without the in-memory name index
CREATE TEMP VIEW list_cases AS
SELECT c.label, r->'count' AS count, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM (VALUES
    ('plain',          event_definitions.list(201)),
    ('custom',         event_definitions.list(201, event_type => 'event_custom')),
    ('posthog',        event_definitions.list(201, event_type => 'event_posthog')),
    ('not hidden',     event_definitions.list(201, exclude_hidden => true)),
    ('verified',       event_definitions.list(201, verified => true)),
    ('not verified',   event_definitions.list(201, verified => false, exclude_hidden => true)),
    ('tags',           event_definitions.list(201, tags => ARRAY['web'])),
    ('names',          event_definitions.list(201, names => ARRAY['planned', 'signup'])),
    ('excluded',       event_definitions.list(201, excluded_properties => ARRAY['signup'])),
    ('stale',          event_definitions.list(210, exclude_stale => true)),
    ('limit 2 off 1',  event_definitions.list(201, exclude_hidden => true, page_limit => 2, page_offset => 1))
) AS c(label, r);
SELECT * FROM list_cases;
SET event_definitions.name_index_memory = 0;
SELECT * FROM list_cases;
RESET event_definitions.name_index_memory;

-- a list sees a hide made in between (the name index follows changes)
SELECT event_definitions.update(201, (event_definitions.list(201, names => ARRAY['signup'])->'results'->0->>'id')::uuid,
                                '{"hidden": true}')->'hidden' AS signup_hidden;
SELECT jsonb_path_query_array(event_definitions.list(201, exclude_hidden => true), '$.results[*].name') AS names;
SELECT event_definitions.update(201, (event_definitions.list(201, names => ARRAY['signup'])->'results'->0->>'id')::uuid,
                                '{"hidden": false}')->'hidden' AS signup_hidden;
SELECT jsonb_path_query_array(event_definitions.list(201, exclude_hidden => true), '$.results[*].name') AS names;
