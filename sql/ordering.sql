--
-- ordering: every key ascending and descending, the default, name as the
-- final tie-break, where nulls go, and UTC-day grouping.  Project 203.
--
-- UTC days must not depend on the session's time zone
SET timezone = 'America/Los_Angeles';

-- created in this order, one transaction each, so created_at increases
SELECT event_definitions.ingest(203, ARRAY['c_noon'], ARRAY['2020-01-02 12:00Z']::timestamptz[]);
SELECT event_definitions.ingest(203, ARRAY['e_next'], ARRAY['2020-01-03 00:30Z']::timestamptz[]);
SELECT event_definitions."create"(203, 'never_b') -> 'last_seen_at' AS last_seen_at;
SELECT event_definitions.ingest(203, ARRAY['a_morning'], ARRAY['2020-01-02 08:00Z']::timestamptz[]);
SELECT event_definitions.ingest(203, ARRAY['d_prev'], ARRAY['2020-01-01 23:30Z']::timestamptz[]);
SELECT event_definitions."create"(203, 'never_a') -> 'last_seen_at' AS last_seen_at;
-- 2020-01-01 21:00 in Los Angeles, but 2020-01-02 in UTC
SELECT event_definitions.ingest(203, ARRAY['f_late'], ARRAY['2020-01-02 05:00Z']::timestamptz[]);
SELECT event_definitions.ingest(203, ARRAY['b_evening'], ARRAY['2020-01-02 22:00Z']::timestamptz[]);

-- the fixtures, in creation order
SELECT jsonb_path_query_array(event_definitions.list(203, ordering => 'created_at'), '$.results[*].name') AS by_creation;
SELECT r->>'name' AS name, r->>'last_seen_at' AS last_seen_at
FROM jsonb_array_elements(event_definitions.list(203, ordering => 'name')->'results') AS r;

-- default (null or empty): -last_seen_at::date,name; never seen last
SELECT o, jsonb_path_query_array(event_definitions.list(203, ordering => o), '$.results[*].name') AS names
FROM (VALUES (NULL), (''), ('-last_seen_at::date,name'), ('-last_seen_at::date')) AS v(o);

-- every key, ascending (nulls first) and descending (nulls last);
-- name is the final key when absent
SELECT o, jsonb_path_query_array(event_definitions.list(203, ordering => o), '$.results[*].name') AS names
FROM unnest(ARRAY['name', '-name',
                  'last_seen_at', '-last_seen_at',
                  'last_seen_at::date', '-last_seen_at::date',
                  'created_at', '-created_at',
                  'created_at::date', '-created_at::date']) AS o;

-- several keys, in the order given; an explicit name key is not appended again
SELECT o, jsonb_path_query_array(event_definitions.list(203, ordering => o), '$.results[*].name') AS names
FROM unnest(ARRAY['-last_seen_at::date,-name', 'last_seen_at::date,-created_at',
                  '-last_seen_at::date,created_at', 'created_at::date,-last_seen_at',
                  '-name,last_seen_at', ' -last_seen_at::date , name ']) AS o;

-- the same orders with filters, with and without the in-memory name index
CREATE TEMP VIEW ordering_cases AS
SELECT c.label, jsonb_path_query_array(r, '$.results[*].name') AS names
FROM (VALUES
    ('default',          event_definitions.list(203, exclude_hidden => true)),
    ('default page',     event_definitions.list(203, verified => false, page_limit => 3, page_offset => 2)),
    ('-last_seen_at',    event_definitions.list(203, exclude_hidden => true, ordering => '-last_seen_at')),
    ('last_seen_at',     event_definitions.list(203, event_type => 'event_custom', ordering => 'last_seen_at')),
    ('-name',            event_definitions.list(203, search => '_', ordering => '-name')),
    ('search default',   event_definitions.list(203, search => '_')),
    ('search explicit',  event_definitions.list(203, search => '_', ordering => '-last_seen_at::date,name'))
) AS c(label, r);
SELECT * FROM ordering_cases;
SET event_definitions.name_index_memory = 0;
SELECT * FROM ordering_cases;
RESET event_definitions.name_index_memory;

-- ordering is reflected in the page links
SELECT set_config('request.path', '/rpc/list', false);
SELECT r->>'next' AS next FROM event_definitions.list(203, ordering => '-last_seen_at,name', page_limit => 2) AS r;

-- errors: an unknown key is named; empty items are refused
SELECT event_definitions.list(203, ordering => 'foo');
SELECT event_definitions.list(203, ordering => 'name,-foo');
SELECT event_definitions.list(203, ordering => 'NAME');
SELECT event_definitions.list(203, ordering => 'last_seen_at::timestamp');
SELECT event_definitions.list(203, ordering => '+name');
SELECT event_definitions.list(203, ordering => '-');
SELECT event_definitions.list(203, ordering => '--name');
SELECT event_definitions.list(203, ordering => 'name,');
SELECT event_definitions.list(203, ordering => ',name');
SELECT event_definitions.list(203, ordering => 'name,,created_at');
SELECT event_definitions.list(203, ordering => ',');

RESET timezone;
