--
-- search: white-space separated terms, all of which must occur in the name,
-- case-insensitively, as plain substrings (%, _ and \ are not wildcards).
-- Project 202.
--
SELECT event_definitions.ingest(202,
    ARRAY['user signed up', 'Sign_Up', 'sign-in', 'signup', 'SIGNUP completed', 'upgrade plan',
          'xsign', 'ésign', '$signup',
          '100% done', '100 percent done', 'a_b', 'axb', 'back\slash', 'backXslash', 'backslash',
          'TAB', 'Tab Closed'],
    ARRAY['2020-01-10 12:00Z', '2020-01-01 12:00Z', '2020-02-01 12:00Z', '2020-01-05 12:00Z', '2020-01-03 12:00Z', '2020-01-04 12:00Z',
          '2020-01-01 12:00Z', '2020-03-01 12:00Z', '2020-01-05 12:00Z',
          '2020-01-01 12:00Z', '2020-01-01 12:00Z', '2020-01-01 12:00Z', '2020-01-01 12:00Z', '2020-01-01 12:00Z', '2020-01-01 12:00Z', '2020-01-01 12:00Z',
          '2020-01-02 12:00Z', '2020-01-02 12:00Z']::timestamptz[]);
SELECT event_definitions."create"(202, 'sign never seen') -> 'last_seen_at' AS last_seen_at;
SELECT event_definitions.update(202, (event_definitions.list(202, names => ARRAY['signup'])->'results'->0->>'id')::uuid,
                                '{"hidden": true}')->'hidden' AS signup_hidden;

-- one term, any case: shorter names first, then the default order
-- (last-seen day, newest first, then name)
SELECT s, r->'count' AS count, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM unnest(ARRAY['sign', 'SIGN', 'SiGn']) AS s, LATERAL event_definitions.list(202, search => s) AS r;

-- several terms: every one must occur, in any order, anywhere in the name
SELECT s, jsonb_path_query_array(event_definitions.list(202, search => s), '$.results[*].name') AS names
FROM unnest(ARRAY['sign up', 'UP sign', 'sign  up completed', 'signup sign up', 'sign nomatch', 'sign in',
                  'p', 'gn ig']) AS s;

-- any white space separates terms; leading and trailing white space is ignored
SELECT jsonb_path_query_array(event_definitions.list(202, search => E' \t sign\n\r up \f '), '$.results[*].name') AS names;

-- only white space (or nothing) means no search: every definition, default order
SELECT length(s) AS search_length, r->'count' AS count,
       jsonb_path_query_array(r, '$.results[*].name') = jsonb_path_query_array(event_definitions.list(202), '$.results[*].name')
           AS same_as_no_search
FROM unnest(ARRAY['', ' ', E'\t\n\r\f  ']) AS s, LATERAL event_definitions.list(202, search => s) AS r;

-- %, _ and \ are ordinary characters, not LIKE wildcards or escapes
SELECT s, jsonb_path_query_array(event_definitions.list(202, search => s), '$.results[*].name') AS names
FROM unnest(ARRAY['%', '100%', '% d', '_', 'a_b', '_b', 'a_', '\', 'k\s', 'k\', '\s', 'back\slash', '%%', '__']) AS s;

-- length counts characters, not bytes: 'ésign' (5 characters, 6 bytes) before 'signup'
SELECT jsonb_path_query_array(event_definitions.list(202, search => 'sign', exclude_hidden => true), '$.results[*].name') AS names;

-- a search combines with the other filters (AND)
SELECT jsonb_path_query_array(event_definitions.list(202, search => 'sign', event_type => 'event_posthog'), '$.results[*].name') AS posthog;
SELECT jsonb_path_query_array(event_definitions.list(202, search => 'sign', event_type => 'event_custom', exclude_hidden => true), '$.results[*].name') AS custom_visible;
SELECT jsonb_path_query_array(event_definitions.list(202, search => 'sign up', names => ARRAY['Sign_Up', 'signup', 'sign-in']), '$.results[*].name') AS named;
SELECT jsonb_path_query_array(event_definitions.list(202, search => 'sign', excluded_properties => ARRAY['xsign', 'ésign']), '$.results[*].name') AS excluded;
SELECT jsonb_path_query_array(event_definitions.list(202, search => 'sign', exclude_stale => true), '$.results[*].name') AS not_stale;

-- an explicit ordering replaces the shorter-first order, even the default one
SELECT o, jsonb_path_query_array(event_definitions.list(202, search => 'sign', ordering => o), '$.results[*].name') AS names
FROM unnest(ARRAY['name', '-last_seen_at::date,name', '-last_seen_at::date', 'last_seen_at']) AS o;

-- the count is exact and independent of the page; pages split the same order
SELECT r->'count' AS count, r->>'next' AS next, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM event_definitions.list(202, search => 'sign', page_limit => 3) AS r;
SELECT r->'count' AS count, r->>'previous' AS previous, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM event_definitions.list(202, search => 'sign', page_limit => 3, page_offset => 3) AS r;
SELECT r->'count' AS count, r->'results' AS results FROM event_definitions.list(202, search => 'sign', page_offset => 50) AS r;

-- a term longer than every name, and a very long search, match nothing
SELECT event_definitions.list(202, search => repeat('sign', 200))->'count' AS count;
SELECT event_definitions.list(202, search => repeat('x', 1000000))->'count' AS count;

-- the same answers without the in-memory name index (plain SQL path)
CREATE TEMP VIEW search_cases AS
SELECT c.label, r->'count' AS count, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM (VALUES
    ('sign',         event_definitions.list(202, search => 'SIGN')),
    ('sign up',      event_definitions.list(202, search => 'up sign')),
    ('percent',      event_definitions.list(202, search => '100%')),
    ('underscore',   event_definitions.list(202, search => 'a_b')),
    ('backslash',    event_definitions.list(202, search => 'k\s')),
    ('posthog',      event_definitions.list(202, search => 'sign', event_type => 'event_posthog')),
    ('visible',      event_definitions.list(202, search => 'sign', exclude_hidden => true)),
    ('not verified', event_definitions.list(202, search => 'sign', verified => false)),
    ('ordered',      event_definitions.list(202, search => 'sign', ordering => '-last_seen_at::date')),
    ('page 2',       event_definitions.list(202, search => 'sign', page_limit => 3, page_offset => 3))
) AS c(label, r);
SELECT * FROM search_cases;
SET event_definitions.name_index_memory = 0;
SELECT * FROM search_cases;
RESET event_definitions.name_index_memory;

-- searches follow changes: a newer last-seen day, a new name, a write in
-- the same transaction, and its rollback
SELECT jsonb_path_query_array(event_definitions.list(202, search => 'sign', page_limit => 3), '$.results[*].name') AS names;
SELECT event_definitions.ingest(202, ARRAY['xsign'], ARRAY['2020-04-01 12:00Z']::timestamptz[]) AS created;
SELECT jsonb_path_query_array(event_definitions.list(202, search => 'sign', page_limit => 3), '$.results[*].name') AS names;
SELECT event_definitions.ingest(202, ARRAY['newsign'], ARRAY['2020-04-01 12:00Z']::timestamptz[]) AS created;
SELECT r->'count' AS count, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM event_definitions.list(202, search => 'sign', page_limit => 3) AS r;
BEGIN;
SELECT event_definitions.update(202, (event_definitions.list(202, names => ARRAY['xsign'])->'results'->0->>'id')::uuid,
                                '{"hidden": true}')->'hidden' AS xsign_hidden;
SELECT event_definitions.ingest(202, ARRAY['in_tx_sign']) AS created;
SELECT r->'count' AS count, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM event_definitions.list(202, search => 'SIGN', exclude_hidden => true, page_limit => 3) AS r;
SELECT event_definitions.list(202, search => 'in_tx')->'count' AS in_tx_count;
ROLLBACK;
SELECT r->'count' AS count, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM event_definitions.list(202, search => 'SIGN', exclude_hidden => true, page_limit => 3) AS r;
SELECT event_definitions.list(202, search => 'in_tx')->'count' AS in_tx_count;
