--
-- limits: page_limit of list and changes is bounded by
-- event_definitions.max_page_limit
-- (22023 naming the setting), and a page that cannot fit in a jsonb fails
-- up front with 54000.  Project 302.
--
SELECT event_definitions.ingest(302, ARRAY['p302_a', 'p302_b', 'p302_c']);

-- the default bound: 10000
SHOW event_definitions.max_page_limit;
SELECT event_definitions.list(302, page_limit => 10001);
SELECT event_definitions.list(302, page_limit => 9223372036854775807);
SELECT jsonb_array_length(event_definitions.list(302, page_limit => 10000)->'results') AS n;
SELECT event_definitions.changes(302, page_limit => 10001);
SELECT event_definitions.changes(302, page_limit => 10000) AS changes;

-- a smaller bound applies at once
SET event_definitions.max_page_limit = 2;
SELECT event_definitions.list(302, page_limit => 3);
SELECT jsonb_array_length(event_definitions.list(302, page_limit => 2)->'results') AS n;
SELECT event_definitions.changes(302, page_limit => 3);
SELECT event_definitions.changes(302, page_limit => 2) AS changes;
-- activity is not bounded by it
SELECT event_definitions.activity(302, page_limit => 3)->>'count' AS activity_count;

-- 0: no bound
SET event_definitions.max_page_limit = 0;
SELECT jsonb_array_length(event_definitions.list(302, page_limit => 9223372036854775807)->'results') AS n;
SELECT event_definitions.changes(302, page_limit => 9223372036854775807) AS changes;
RESET event_definitions.max_page_limit;

-- out of range values are refused by the setting itself
SET event_definitions.max_page_limit = -1;

-- only a superuser (or a role granted SET on it) changes the bound
CREATE ROLE ed_limits_user;
SET ROLE ed_limits_user;
SET event_definitions.max_page_limit = 0;
RESET ROLE;
DROP ROLE ed_limits_user;

-- a page that cannot fit in a jsonb fails before any row is read: with a
-- count of a billion (made up in project_stats, whose slots an unfiltered
-- list adds up for its count) the call fails at once, though the project
-- has three rows
BEGIN;
UPDATE event_definitions.project_stats SET definitions = CASE slot WHEN 0 THEN 1000000000 ELSE 0 END
WHERE project_id = 302;
INSERT INTO event_definitions.project_stats (project_id, slot, definitions)
VALUES (302, 0, 1000000000) ON CONFLICT DO NOTHING;
SET LOCAL event_definitions.max_page_limit = 0;
SELECT event_definitions.list(302, page_limit => 9223372036854775807);
ROLLBACK;
BEGIN;
UPDATE event_definitions.project_stats SET definitions = 1000000000 WHERE project_id = 302;
SET LOCAL event_definitions.max_page_limit = 0;
-- a page that fits is answered (the rows that exist)
SELECT jsonb_array_length(event_definitions.list(302, page_limit => 600000)->'results') AS n;
ROLLBACK;

