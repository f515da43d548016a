--
-- change_feed: NOTIFY event_definitions carries only a position in the
-- activity log ({"project_id", "seq"}); changes() reads the entries after a
-- position, with scopes and projects checked like every read, so neither a
-- listener nor a forger learns or causes more than a re-read.  Projects
-- 260..261.
--
SET event_definitions.user_id = 1;
-- seq values depend on the tests before: show them relative to this base
SELECT coalesce(pg_sequence_last_value('event_definitions.activity_log_seq_seq'), 0) AS base \gset

-- psql would print the notifying backend's PID, which varies, so a second
-- session (dblink) listens and the payloads are read with dblink_get_notify.
CREATE EXTENSION dblink;
SELECT dblink_connect('listener', format('dbname=%s port=%s host=%s user=%s',
    current_database(), current_setting('port'),
    split_part(current_setting('unix_socket_directories'), ',', 1), current_user));
SELECT dblink_exec('listener', 'LISTEN event_definitions');
-- notifications(): what the listener received, after a round trip that
-- makes it deliver what it has been signalled
CREATE FUNCTION pg_temp.notifications() RETURNS TABLE (channel text, payload text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dblink_exec('listener', 'LISTEN event_definitions');
    RETURN QUERY SELECT notify_name, extra FROM dblink_get_notify('listener');
END $$;
-- payload(): the same with the seq made relative, and the keys listed
CREATE FUNCTION pg_temp.payloads(base bigint)
RETURNS TABLE (channel text, project_id bigint, rel_seq bigint, keys text[])
LANGUAGE sql AS $$
    SELECT n.channel, (n.payload::jsonb->>'project_id')::bigint,
           (n.payload::jsonb->>'seq')::bigint - base,
           ARRAY(SELECT k FROM jsonb_object_keys(n.payload::jsonb) k ORDER BY k)
    FROM pg_temp.notifications() n
$$;

--
-- every create, update and delete notifies its project and position; an
-- ingest writes no activity entry and notifies nothing
--
SELECT event_definitions."create"(260, 'feed_a', '{"description": "first"}')->>'id' AS a_id \gset
SELECT event_definitions.ingest(260, ARRAY['feed_b']);
SELECT event_definitions.list(260, names => ARRAY['feed_b'])->'results'->0->>'id' AS b_id \gset
SELECT event_definitions.update(260, :'b_id', '{"tags": ["x"]}')->'tags' AS tags;
SELECT event_definitions."create"(261, 'secret_launch_2026')->>'name' AS name;
SELECT event_definitions.delete(260, :'a_id');
-- the payload is exactly {"project_id", "seq"}: no name, id or operation
SELECT * FROM pg_temp.payloads(:base);
SELECT * FROM pg_temp.notifications();
-- rolled back: no notification, and its position is never returned
BEGIN;
SELECT event_definitions.update(260, :'b_id', '{"description": "rolled back"}')->'description' AS description;
ROLLBACK;
SELECT * FROM pg_temp.notifications();
-- a failed write: no notification
SELECT event_definitions.update(260, :'b_id', '{"bogus": 1}');
SELECT * FROM pg_temp.notifications();
-- one transaction, several writes in two projects: one notification per
-- project at commit, with the newest position written there (projects
-- 263 and 264)
BEGIN;
SELECT event_definitions."create"(263, 'm1')->>'name' AS name;
SELECT event_definitions."create"(264, 'n1')->>'name' AS name;
SELECT event_definitions."create"(263, 'm2')->>'name' AS name;
SAVEPOINT s;
SELECT event_definitions."create"(263, 'undone')->>'name' AS name;
ROLLBACK TO SAVEPOINT s;
SELECT count(*) AS before_commit FROM pg_temp.notifications();
COMMIT;
-- the entry of the rolled-back savepoint is not in the log, but its
-- position may still be the one notified: a needless re-read, nothing more
SELECT n.project_id, n.keys,
       n.rel_seq >= (SELECT max(a.seq) FROM event_definitions.activity_log a
                     WHERE a.project_id = n.project_id) - :base AS at_newest
FROM pg_temp.payloads(:base) n ORDER BY n.project_id;
SELECT e->'detail'->>'name' AS name
FROM jsonb_array_elements(event_definitions.changes(263)->'results') e;

--
-- changes(): the entries after since_seq, oldest first, each with its seq;
-- next_seq is the last seq returned
--
SELECT (e->>'seq')::bigint - :base AS rel_seq, e->>'activity' AS activity,
       e->'detail'->>'name' AS name, e->'user'->>'first_name' AS user_name
FROM jsonb_array_elements(event_definitions.changes(260)->'results') e;
SELECT (event_definitions.changes(260)->>'next_seq')::bigint - :base AS next_seq;
SELECT (event_definitions.changes(261)->'results'->0->>'seq')::bigint - :base AS project_261_seq;
-- an entry is the activity entry plus its seq
SELECT (SELECT e - 'seq' FROM jsonb_array_elements(event_definitions.changes(260)->'results') e
        WHERE e->>'activity' = 'changed')
       = event_definitions.activity(260, :'b_id')->'results'->0 AS same_as_activity;
-- reading on from a position, one entry at a time
SELECT (c->'results'->0->>'seq')::bigint - :base AS rel_seq, c->'results'->0->>'activity' AS activity,
       (c->>'next_seq')::bigint - :base AS next_seq, jsonb_array_length(c->'results') AS n
FROM event_definitions.changes(260, page_limit => 1) AS c;
SELECT (c->'results'->0->>'seq')::bigint - :base AS rel_seq, c->'results'->0->>'activity' AS activity,
       (c->>'next_seq')::bigint - :base AS next_seq, jsonb_array_length(c->'results') AS n
FROM event_definitions.changes(260, since_seq => :base + 1, page_limit => 1) AS c;
SELECT (c->'results'->0->>'seq')::bigint - :base AS rel_seq, c->'results'->0->>'activity' AS activity,
       (c->>'next_seq')::bigint - :base AS next_seq, jsonb_array_length(c->'results') AS n
FROM event_definitions.changes(260, since_seq => :base + 2, page_limit => 1) AS c;
-- at the end: no results, and next_seq stays where it was
SELECT c->'results' AS results, (c->>'next_seq')::bigint - :base AS next_seq
FROM event_definitions.changes(260, since_seq => :base + 4) AS c;
SELECT c->'results' AS results, (c->>'next_seq')::bigint - :base AS next_seq
FROM event_definitions.changes(260, since_seq => :base + 1000) AS c;
-- a project without entries
SELECT event_definitions.changes(262);
-- NULL means the default; a read works in a read-only transaction (GET)
BEGIN READ ONLY;
SELECT jsonb_array_length(event_definitions.changes(260, since_seq => NULL, page_limit => NULL)->'results') AS n;
COMMIT;
-- invalid arguments
SELECT event_definitions.changes(260, since_seq => -1);
SELECT event_definitions.changes(260, page_limit => 0);
SELECT event_definitions.changes(0);
SELECT event_definitions.changes(NULL);

--
-- scopes and projects, like every read
--
CREATE ROLE regress_ed_feed_reader;
GRANT USAGE ON SCHEMA event_definitions TO regress_ed_feed_reader;
GRANT EXECUTE ON FUNCTION event_definitions.changes TO regress_ed_feed_reader;
CREATE ROLE regress_ed_feed_nobody;
GRANT USAGE ON SCHEMA event_definitions TO regress_ed_feed_nobody;
SET ROLE regress_ed_feed_nobody;
SELECT event_definitions.changes(260);
SET ROLE regress_ed_feed_reader;
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read"], "project_ids": [260]}', false) IS NOT NULL AS claims_set;
SELECT jsonb_array_length(event_definitions.changes(260)->'results') AS n;
SELECT event_definitions.changes(261);
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:write"], "project_ids": [260]}', false) IS NOT NULL AS claims_set;
SELECT jsonb_array_length(event_definitions.changes(260)->'results') AS n;
SELECT set_config('request.jwt.claims', '{"scopes": ["insight:read"], "project_ids": [260]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.changes(260);

--
-- a forged notification: any role may NOTIFY the channel, and a listener
-- cannot tell the forgery from a real one.  It carries no data, and it
-- cannot make changes() return anything the caller may not see: at most
-- the caller reads again.
--
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read"], "project_ids": [260]}', false) IS NOT NULL AS claims_set;
NOTIFY event_definitions, '{"project_id": 261, "seq": 1}';
NOTIFY event_definitions, '{"op": "delete", "project_id": 260, "name": "feed_b"}';
RESET ROLE;
SELECT * FROM pg_temp.notifications();
SET ROLE regress_ed_feed_reader;
-- the forged project is still refused
SELECT event_definitions.changes(261, since_seq => 0);
-- a forged position in the caller's own project gives its own entries only
SELECT count(*) AS entries, bool_and(e->'detail'->>'name' IN ('feed_a', 'feed_b')) AS own_names
FROM jsonb_array_elements(event_definitions.changes(260, since_seq => 0)->'results') e;
-- the feed follows the users directory rules: user 1 is not linked to
-- project 260, so a caller limited to projects sees its id only
SELECT DISTINCT e->'user' AS "user"
FROM jsonb_array_elements(event_definitions.changes(260)->'results') e;
RESET ROLE;
INSERT INTO event_definitions.user_projects VALUES (260, 1);
SET ROLE regress_ed_feed_reader;
SELECT DISTINCT e->'user'->>'email' AS email
FROM jsonb_array_elements(event_definitions.changes(260)->'results') e;
RESET ROLE;
RESET request.jwt.claims;

SELECT dblink_disconnect('listener');
DROP EXTENSION dblink;
DELETE FROM event_definitions.user_projects WHERE project_id = 260;
DROP OWNED BY regress_ed_feed_reader, regress_ed_feed_nobody;
DROP ROLE regress_ed_feed_reader, regress_ed_feed_nobody;
