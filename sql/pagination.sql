--
-- pagination: count, next/previous links, page bounds and walking all pages.
-- Project 204 holds 300 definitions ev_001 .. ev_300 over seven UTC days
-- plus a few with names that need percent-encoding.
--
SELECT event_definitions.ingest(204,
    array_agg(format('ev_%s', lpad(i::text, 3, '0')) ORDER BY i),
    array_agg(timestamptz '2020-01-01 12:00Z' + (i % 7) * interval '1 day' ORDER BY i))
FROM generate_series(1, 300) AS i;

-- without request.path the links are relative to nothing: they start with "?"
SELECT r->'count' AS count, r->>'next' AS next, r->>'previous' AS previous,
       jsonb_array_length(r->'results') AS n
FROM event_definitions.list(204) AS r;

-- behind PostgREST, request.path comes first
SELECT set_config('request.path', '/rpc/list', false);

-- first, middle and last page with the default limit of 100
SELECT o AS page_offset, r->'count' AS count, r->>'next' AS next, r->>'previous' AS previous,
       jsonb_array_length(r->'results') AS n,
       r->'results'->0->>'name' AS first, r->'results'->-1->>'name' AS last
FROM unnest(ARRAY[0, 100, 200]) AS o, LATERAL event_definitions.list(204, page_offset => o) AS r;

-- next is null exactly when page_offset + page_limit >= count
SELECT o AS page_offset, l AS page_limit, r->>'next' AS next, jsonb_array_length(r->'results') AS n
FROM (VALUES (249, 50), (250, 50), (251, 50), (0, 299), (0, 300), (0, 301), (299, 1), (298, 1)) AS v(o, l),
     LATERAL event_definitions.list(204, page_limit => l, page_offset => o) AS r;

-- previous is null at offset 0 and has no page_offset when it would be <= 0
SELECT o AS page_offset, l AS page_limit, r->>'previous' AS previous
FROM (VALUES (0, 10), (1, 10), (9, 10), (10, 10), (11, 10), (17, 7), (50, 100), (100, 100)) AS v(o, l),
     LATERAL event_definitions.list(204, page_limit => l, page_offset => o) AS r;

-- an offset at or past the end: no results, the true count, a way back
SELECT o AS page_offset, r->'count' AS count, r->'results' AS results, r->>'next' AS next, r->>'previous' AS previous
FROM unnest(ARRAY[300, 301, 1000]::bigint[]) AS o, LATERAL event_definitions.list(204, page_offset => o) AS r;
SELECT r->'count' AS count, r->'results' AS results, r->>'next' AS next, r->>'previous' AS previous
FROM event_definitions.list(204, page_offset => 9223372036854775807) AS r;
-- a filtered list past its end keeps its own count
SELECT r->'count' AS count, r->'results' AS results, r->>'previous' AS previous
FROM event_definitions.list(204, search => 'ev_1', page_offset => 500) AS r;

-- no upper bound on page_limit once event_definitions.max_page_limit is 0
-- (its default bound is tested in limits)
SET event_definitions.max_page_limit = 0;
SELECT r->'count' AS count, r->>'next' AS next, r->>'previous' AS previous, jsonb_array_length(r->'results') AS n
FROM event_definitions.list(204, page_limit => 9223372036854775807) AS r;
SELECT r->>'next' AS next, r->>'previous' AS previous, jsonb_array_length(r->'results') AS n
FROM event_definitions.list(204, page_limit => 9223372036854775807, page_offset => 299) AS r;
RESET event_definitions.max_page_limit;

-- pages of 7 together give every definition once, in the one-page order
SELECT count(*) AS n, count(DISTINCT name) AS distinct_names,
       array_agg(name ORDER BY o, i) = ARRAY(SELECT jsonb_array_elements_text(
           jsonb_path_query_array(event_definitions.list(204, page_limit => 300), '$.results[*].name'))) AS same_order
FROM generate_series(0, 299, 7) AS o,
     LATERAL jsonb_array_elements_text(jsonb_path_query_array(
         event_definitions.list(204, page_limit => 7, page_offset => o), '$.results[*].name')) WITH ORDINALITY AS x(name, i);

-- following next from the first page visits every page once
WITH RECURSIVE pages(n, page_offset, next) AS (
    SELECT 1, 0::bigint, event_definitions.list(204, page_limit => 40)->>'next'
  UNION ALL
    SELECT n + 1, substring(next FROM 'page_offset=(\d+)')::bigint,
           event_definitions.list(204, page_limit => 40,
                                  page_offset => substring(next FROM 'page_offset=(\d+)')::bigint)->>'next'
    FROM pages WHERE next IS NOT NULL
)
SELECT n, page_offset, next FROM pages ORDER BY n;

-- the links of a filtered, ordered page keep its arguments
SELECT r->'count' AS count, r->>'next' AS next, r->>'previous' AS previous,
       jsonb_path_query_array(r, '$.results[*].name') AS names
FROM event_definitions.list(204, search => 'ev_1', ordering => '-name', page_limit => 4, page_offset => 4) AS r;

-- every non-default argument goes into the links, percent-encoded;
-- arguments at their default are left out
SELECT event_definitions.ingest(204, ARRAY['a b&c=d?e/f', 'x+y#z%', 'ünï "q" ''s'' {}, \'],
                                ARRAY['2020-02-01 12:00Z', '2020-02-01 12:00Z', '2020-02-01 12:00Z']::timestamptz[]);
SELECT r->'count' AS count, r->>'next' AS next, r->>'previous' AS previous,
       jsonb_path_query_array(r, '$.results[*].name') AS names
FROM event_definitions.list(204,
        search => 'a b&c=d?e/f',
        event_type => 'event_custom',
        exclude_hidden => true,
        exclude_stale => false,
        verified => false,
        tags => NULL,
        names => ARRAY['a b&c=d?e/f', 'x+y#z%', 'ünï "q" ''s'' {}, \', 'ev_001'],
        excluded_properties => ARRAY['ev_002', 'a,b'],
        ordering => '-last_seen_at::date,name',
        page_limit => 1,
        page_offset => 1) AS r;
SELECT r->>'previous' AS previous
FROM event_definitions.list(204, search => 'ü "', exclude_stale => true, verified => true, tags => ARRAY['Core', 'a b'],
                            event_type => 'all', page_offset => 5) AS r;
-- at their defaults, arguments are not repeated
SELECT r->>'next' AS next
FROM event_definitions.list(204, event_type => 'event', exclude_hidden => false, exclude_stale => false,
                            page_limit => 100, page_offset => 0) AS r;

-- request.path is used as given; an empty one gives links starting with "?"
SELECT set_config('request.path', '/api/v2/rpc/list', false);
SELECT event_definitions.list(204, page_limit => 1, page_offset => 1)->>'next' AS next;
SELECT set_config('request.path', '', false);
SELECT event_definitions.list(204, page_limit => 1, page_offset => 1)->>'next' AS next;

-- the same pages with and without the in-memory name index
SELECT set_config('request.path', '/rpc/list', false);
CREATE TEMP VIEW pagination_cases AS
SELECT c.label, r->'count' AS count, r->>'next' AS next, r->>'previous' AS previous,
       r->'results'->0->>'name' AS first, r->'results'->-1->>'name' AS last
FROM (VALUES
    ('plain',           event_definitions.list(204, page_offset => 150, page_limit => 50)),
    ('deep',            event_definitions.list(204, page_offset => 20000)),
    ('search',          event_definitions.list(204, search => 'ev_2', page_offset => 10, page_limit => 20)),
    ('search past end', event_definitions.list(204, search => 'ev_2', page_offset => 100, page_limit => 20)),
    ('custom',          event_definitions.list(204, event_type => 'event_custom', page_offset => 280, page_limit => 20)),
    ('not verified',    event_definitions.list(204, verified => false, page_offset => 299, page_limit => 20))
) AS c(label, r);
SELECT * FROM pagination_cases;
SET event_definitions.name_index_memory = 0;
SELECT * FROM pagination_cases;
RESET event_definitions.name_index_memory;

-- page bounds: page_limit >= 1 and page_offset >= 0
SELECT event_definitions.list(204, page_limit => 0);
SELECT event_definitions.list(204, page_limit => -1);
SELECT event_definitions.list(204, page_offset => -1);
SELECT event_definitions.list(204, page_offset => -9223372036854775808);

SELECT set_config('request.path', '', false);
