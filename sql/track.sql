--
-- track: a user's own events table feeds ingestion (projects 1201-1299).
--
SET client_min_messages = notice;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- what a project's catalog holds: names, last seen, volume per day
CREATE FUNCTION track_volume(p bigint) RETURNS TABLE (name text, last_seen_at timestamptz, day date, events bigint)
LANGUAGE sql AS $$
    SELECT d.name, d.last_seen_at, v.day, v.events
    FROM event_definitions.definitions d
    LEFT JOIN event_definitions.daily_volume v ON v.project_id = d.project_id AND v.definition_id = d.id
    WHERE d.project_id = p ORDER BY d.name, v.day
$$;
CREATE FUNCTION track_counters(t regclass) RETURNS TABLE (events_seen bigint, names_rejected bigint, backfilled_rows bigint, backfilled boolean)
LANGUAGE sql AS $$
    SELECT events_seen, names_rejected, backfilled_rows, backfilled
    FROM event_definitions.tracked_tables WHERE events = t
$$;

CREATE TABLE track_events (
    id      bigserial PRIMARY KEY,
    project bigint,
    event   text,
    ts      timestamptz
);

-- argument checks
SELECT event_definitions.track('track_events', NULL, 'event');
SELECT event_definitions.track('track_events', 'project', 'event', project_id => 1201);
SELECT event_definitions.track('track_events', 'nope', 'event');
SELECT event_definitions.track('track_events', 'project', 'nope');
SELECT event_definitions.track('track_events', 'project', 'event', 'nope');
SELECT event_definitions.track('track_events', 'event', 'event');
SELECT event_definitions.track('track_events', 'project', 'id');
SELECT event_definitions.track('track_events', 'project', 'event', 'project');
SELECT event_definitions.track('track_events', NULL, 'event', project_id => 0);
SELECT event_definitions.track(NULL, 'project', 'event');
SELECT event_definitions.track('track_events', 'project', NULL);
SELECT event_definitions.untrack(NULL);
CREATE VIEW track_view AS SELECT * FROM track_events;
SELECT event_definitions.track('track_view', 'project', 'event');
DROP VIEW track_view;
CREATE TEMP TABLE track_temp (project bigint, event text);
SELECT event_definitions.track('track_temp', 'project', 'event');
SELECT event_definitions.untrack('track_events');

-- rows already in the table before track(): backfill's work, not the trigger's
INSERT INTO track_events (project, event, ts) VALUES
    (1201, 'old', '2026-01-01 10:00+00'), (1201, 'old', '2026-01-02 10:00+00'),
    (1201, 'both', '2026-01-01 11:00+00');
SELECT event_definitions.track('track_events', 'project', 'event', 'ts');
SELECT event_definitions.track('track_events', 'project', 'event', 'ts');
SELECT events, project_column, event_column, seen_at_column, project_id, events_seen, names_rejected,
       backfilled_rows, backfilled
FROM event_definitions.tracked_tables;
SELECT * FROM track_volume(1201);

-- multi-row INSERT: one ingest for the statement, several projects
INSERT INTO track_events (project, event, ts) VALUES
    (1201, 'signup', '2026-03-01 10:00+00'), (1201, 'signup', '2026-03-01 12:00+00'),
    (1201, 'signup', '2026-03-02 09:00+00'), (1201, 'both', '2026-03-01 08:00+00'),
    (1202, 'signup', '2026-03-05 10:00+00');
SELECT * FROM track_volume(1201);
SELECT * FROM track_volume(1202);
SELECT * FROM track_counters('track_events');

-- INSERT ... SELECT and COPY
INSERT INTO track_events (project, event, ts)
SELECT 1202, 'pageview', '2026-03-05 00:00+00'::timestamptz + i * interval '1 minute'
FROM generate_series(1, 100) i;
COPY track_events (project, event, ts) FROM STDIN;
1202	copied	2026-03-06 10:00:00+00
1202	copied	2026-03-06 11:00:00+00
1202	pageview	2026-03-07 10:00:00+00
\.
SELECT * FROM track_volume(1202);
SELECT * FROM track_counters('track_events');

-- names the catalog rejects are skipped and counted, one WARNING per
-- statement; the insert itself succeeds
INSERT INTO track_events (project, event, ts) VALUES
    (1203, '', '2026-03-01 10:00+00'),
    (1203, repeat('x', 401), '2026-03-01 10:00+00'),
    (1203, E'bad\tname', '2026-03-01 10:00+00'),
    (1203, NULL, '2026-03-01 10:00+00'),
    (NULL, 'no project', '2026-03-01 10:00+00'),
    (0, 'zero project', '2026-03-01 10:00+00'),
    (1203, 'infinite', 'infinity'),
    (1203, 'fine', '2026-03-01 10:00+00'),
    (1203, '$$plugin_metrics', '2026-03-01 10:00+00');
COPY track_events (project, event, ts) FROM STDIN;
1203	\N	2026-03-01 10:00:00+00
1203	fine	2026-03-01 11:00:00+00
\.
SELECT * FROM track_volume(1203);
SELECT * FROM track_counters('track_events');
SELECT count(*) FROM track_events WHERE project = 1203 OR project IS NULL OR project = 0;

-- seen_at NULL means now
INSERT INTO track_events (project, event, ts) VALUES (1204, 'untimed', NULL);
SELECT name, last_seen_at BETWEEN now() - interval '1 hour' AND now() AS recent, day = (now() AT TIME ZONE 'UTC')::date AS today, events
FROM track_volume(1204);

-- a rolled-back insert leaves no trace: no definition, no volume, no count
BEGIN;
INSERT INTO track_events (project, event, ts) VALUES (1205, 'rolled back', '2026-03-01 10:00+00');
SELECT count(*) FROM event_definitions.definitions WHERE project_id = 1205;
ROLLBACK;
SELECT count(*) FROM event_definitions.definitions WHERE project_id = 1205;
BEGIN;
INSERT INTO track_events (project, event, ts) VALUES (1205, 'kept', '2026-03-01 10:00+00');
SAVEPOINT s;
INSERT INTO track_events (project, event, ts) VALUES (1205, 'rolled back', '2026-03-01 10:00+00');
ROLLBACK TO SAVEPOINT s;
COMMIT;
SELECT * FROM track_volume(1205);
SELECT * FROM track_counters('track_events');

-- UPDATE of the event column is a new sighting; other updates are not
UPDATE track_events SET event = 'renamed event' WHERE project = 1205;
UPDATE track_events SET ts = ts + interval '1 day' WHERE project = 1205;
SELECT * FROM track_volume(1205);

-- backfill: the rows written before track() once; those the trigger
-- counted are not counted again; a rerun counts nothing
SET client_min_messages = warning;
CALL event_definitions.backfill('track_events', batch_size => 0);
CALL event_definitions.backfill('track_events');
SELECT * FROM track_volume(1201);
SELECT * FROM track_counters('track_events');
SET client_min_messages = notice;
CALL event_definitions.backfill('track_events');
SELECT * FROM track_volume(1201);

-- rows written earlier in track()'s own transaction are backfilled, rows
-- written after it in that transaction are the trigger's
BEGIN;
CREATE TABLE track_same (project bigint, event text, ts timestamptz);
INSERT INTO track_same VALUES (1208, 'same', '2026-01-01 10:00+00');
SELECT event_definitions.track('track_same', 'project', 'event', 'ts');
INSERT INTO track_same VALUES (1208, 'same', '2026-01-02 10:00+00');
COMMIT;
SET client_min_messages = warning;
CALL event_definitions.backfill('track_same');
SET client_min_messages = notice;
SELECT * FROM track_volume(1208);
SELECT * FROM track_counters('track_same');
DROP TABLE track_same;

-- renaming a tracked column is followed; dropping it, changing its type
-- or dropping a tracking trigger is refused
ALTER TABLE track_events RENAME COLUMN event TO event_name;
SELECT event_column FROM event_definitions.tracked_tables WHERE events = 'track_events'::regclass;
INSERT INTO track_events (project, event_name, ts) VALUES (1206, 'after rename', '2026-03-01 10:00+00');
SELECT * FROM track_volume(1206);
ALTER TABLE track_events DROP COLUMN event_name;
ALTER TABLE track_events DROP COLUMN ts;
ALTER TABLE track_events ALTER COLUMN project TYPE numeric;
ALTER TABLE track_events ALTER COLUMN event_name TYPE varchar(500);
DROP TRIGGER ed_track_insert ON track_events;
ALTER TABLE track_events ADD COLUMN extra int;
ALTER TABLE track_events DROP COLUMN extra;
INSERT INTO track_events (project, event_name, ts) VALUES (1206, 'after alter', '2026-03-01 10:00+00');
SELECT * FROM track_volume(1206);

-- untrack: triggers gone, catalog row gone, what was ingested stays
SELECT event_definitions.untrack('track_events');
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'track_events'::regclass;
SELECT count(*) FROM event_definitions.tracked_tables;
INSERT INTO track_events (project, event_name, ts) VALUES (1206, 'untracked', '2026-03-01 10:00+00');
SELECT * FROM track_volume(1206);
SELECT event_definitions.untrack('track_events');
ALTER TABLE track_events DROP COLUMN event_name;

-- one project for every row; varchar events, timestamp without time zone (UTC)
CREATE TABLE track_fixed (event varchar(100), at timestamp);
SELECT event_definitions.track('track_fixed', NULL, 'event', 'at', project_id => 1207);
INSERT INTO track_fixed VALUES ('fixed', '2026-03-01 23:30'), ('fixed', '2026-03-02 00:30');
SELECT * FROM track_volume(1207);
-- dropping a tracked table forgets it
DROP TABLE track_fixed;
SELECT count(*) FROM event_definitions.tracked_relations;

-- partitioned tables: rows through the root and straight into a partition,
-- partitions created or attached later, sub-partitions; a detached
-- partition is no longer tracked
CREATE TABLE track_parts (project int, event text, ts timestamptz) PARTITION BY LIST (project);
CREATE TABLE track_parts_1 PARTITION OF track_parts FOR VALUES IN (1211);
INSERT INTO track_parts VALUES (1211, 'before', '2026-02-01 10:00+00');
SELECT event_definitions.track('track_parts', 'project', 'event', 'ts');
SELECT event_definitions.track('track_parts_1', 'project', 'event', 'ts');
CREATE TABLE track_parts_2 PARTITION OF track_parts FOR VALUES IN (1212);
CREATE TABLE track_parts_3 (project int, event text, ts timestamptz);
ALTER TABLE track_parts ATTACH PARTITION track_parts_3 FOR VALUES IN (1213);
CREATE TABLE track_parts_4 PARTITION OF track_parts FOR VALUES IN (1214) PARTITION BY RANGE (ts);
CREATE TABLE track_parts_4a PARTITION OF track_parts_4 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT c.relname, t.tgname, t.tgnargs FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relname LIKE 'track_parts%' ORDER BY 1, 2;
INSERT INTO track_parts VALUES
    (1211, 'root', '2026-03-01 10:00+00'), (1212, 'root', '2026-03-01 10:00+00'),
    (1213, 'root', '2026-03-01 10:00+00'), (1214, 'root', '2026-03-01 10:00+00');
INSERT INTO track_parts_1 VALUES (1211, 'direct', '2026-03-01 10:00+00');
INSERT INTO track_parts_3 VALUES (1213, 'direct', '2026-03-01 10:00+00');
INSERT INTO track_parts_4 VALUES (1214, 'direct', '2026-03-01 10:00+00');
INSERT INTO track_parts_4a VALUES (1214, 'direct', '2026-03-01 10:00+00');
SELECT * FROM track_volume(1211);
SELECT * FROM track_volume(1212);
SELECT * FROM track_volume(1213);
SELECT * FROM track_volume(1214);
SELECT * FROM track_counters('track_parts');
ALTER TABLE track_parts DETACH PARTITION track_parts_3;
INSERT INTO track_parts_3 VALUES (1213, 'detached', '2026-03-01 10:00+00');
SELECT * FROM track_volume(1213);
DROP TRIGGER ed_track_insert ON track_parts_3;
DROP TRIGGER ed_track_insert ON track_parts_2;
ALTER TABLE track_parts RENAME COLUMN event TO what;
SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relname IN ('track_parts', 'track_parts_4a') AND t.tgname = 'ed_track_insert' ORDER BY 1;
INSERT INTO track_parts VALUES (1212, 'renamed', '2026-03-01 10:00+00');
SELECT * FROM track_volume(1212);
SET client_min_messages = warning;
CALL event_definitions.backfill('track_parts', 1);
SET client_min_messages = notice;
SELECT * FROM track_volume(1211);
SELECT * FROM track_counters('track_parts');
DROP TABLE track_parts_2;
SELECT count(*) FROM event_definitions.tracked_tables WHERE events = 'track_parts'::regclass;
SELECT event_definitions.untrack('track_parts');
SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relname LIKE 'track_parts%' AND t.tgname LIKE 'ed_track%';
DROP TABLE track_parts, track_parts_3;

-- privileges, with real roles: only the owner (or a member of the owning
-- role, or a superuser) tracks, untracks or backfills; tracked_tables
-- shows a role its own tables only; inserting needs no grant on the catalog
CREATE ROLE regress_ed_track_owner;
CREATE ROLE regress_ed_track_other;
CREATE ROLE regress_ed_track_member IN ROLE regress_ed_track_owner;
GRANT USAGE ON SCHEMA event_definitions TO regress_ed_track_owner, regress_ed_track_other;
GRANT EXECUTE ON FUNCTION event_definitions.track(regclass, name, name, name, bigint),
    event_definitions.untrack(regclass) TO regress_ed_track_owner, regress_ed_track_other;
GRANT EXECUTE ON PROCEDURE event_definitions.backfill(regclass, integer)
    TO regress_ed_track_owner, regress_ed_track_other;
GRANT SELECT ON event_definitions.tracked_tables TO regress_ed_track_owner, regress_ed_track_other;
CREATE TABLE track_owned (project bigint, event text);
ALTER TABLE track_owned OWNER TO regress_ed_track_owner;
CREATE TABLE track_super (project bigint, event text);
INSERT INTO track_owned VALUES (1221, 'owned before');
SET ROLE regress_ed_track_other;
SELECT event_definitions.track('track_owned', 'project', 'event');
SELECT * FROM event_definitions.tracked_relations;
RESET ROLE;
SET ROLE regress_ed_track_owner;
SELECT event_definitions.track('track_super', 'project', 'event');
SELECT event_definitions.track('track_owned', 'project', 'event');
SELECT events FROM event_definitions.tracked_tables;
SELECT * FROM event_definitions.definitions;
RESET ROLE;
SELECT event_definitions.track('track_super', 'project', 'event');
SELECT events FROM event_definitions.tracked_tables ORDER BY 1;
GRANT INSERT ON track_owned TO regress_ed_track_other;
SET ROLE regress_ed_track_other;
INSERT INTO track_owned VALUES (1221, 'from other');
SELECT count(*) FROM track_owned;
SELECT events FROM event_definitions.tracked_tables;
CALL event_definitions.backfill('track_owned');
SELECT event_definitions.untrack('track_owned');
RESET ROLE;
SET ROLE regress_ed_track_member;
SET client_min_messages = warning;
CALL event_definitions.backfill('track_owned');
SET client_min_messages = notice;
SELECT events, events_seen, backfilled_rows, backfilled FROM event_definitions.tracked_tables;
RESET ROLE;
SELECT name, events FROM track_volume(1221);
-- a caller restricted by claims to other projects cannot track into one
SELECT set_config('request.jwt.claims', '{"scopes": ["*"], "project_ids": [1299]}', false);
CREATE TABLE track_claims (event text);
SELECT event_definitions.track('track_claims', NULL, 'event', project_id => 1222);
SELECT set_config('request.jwt.claims', '', false);
SET ROLE regress_ed_track_member;
SELECT event_definitions.untrack('track_owned');
RESET ROLE;
SELECT event_definitions.untrack('track_super');
DROP TABLE track_owned, track_super, track_claims;
REVOKE ALL ON SCHEMA event_definitions FROM regress_ed_track_owner, regress_ed_track_other;
REVOKE ALL ON FUNCTION event_definitions.track(regclass, name, name, name, bigint),
    event_definitions.untrack(regclass) FROM regress_ed_track_owner, regress_ed_track_other;
REVOKE ALL ON PROCEDURE event_definitions.backfill(regclass, integer)
    FROM regress_ed_track_owner, regress_ed_track_other;
REVOKE ALL ON event_definitions.tracked_tables FROM regress_ed_track_owner, regress_ed_track_other;
DROP ROLE regress_ed_track_member, regress_ed_track_owner, regress_ed_track_other;
DROP TABLE track_events;
DROP FUNCTION track_volume(bigint), track_counters(regclass);
