--
-- bulk_update_tags and bulk_update_verified (1.1): many definitions in one
-- call, all or nothing; normalized tags; limits; activity; NOTIFY; scopes.
-- Projects 602 and 692.
--
-- the state of project 602 in one value, to prove that a call changed nothing
CREATE FUNCTION pg_temp.state() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(d::text, '|' ORDER BY d.id)) || '/' ||
       (SELECT count(*) FROM event_definitions.activity_log a WHERE a.project_id = 602)
FROM event_definitions.definitions d WHERE d.project_id = 602
$$;
-- names of a result's updated/skipped lists, in order
CREATE FUNCTION pg_temp.names(r jsonb, list text) RETURNS text LANGUAGE sql AS $$
SELECT string_agg(coalesce(d.name, '<missing>') || coalesce(' ' || (e->'tags')::text, '')
                  || coalesce(' ' || (e->>'verified'), '') || coalesce(' ' || (e->>'reason'), ''),
                  ', ' ORDER BY o)
FROM jsonb_array_elements(r->list) WITH ORDINALITY AS x(e, o)
LEFT JOIN event_definitions.definitions d ON d.project_id = 602 AND d.id = (e->>'id')::uuid
$$;

SET event_definitions.user_id = 2;
SELECT event_definitions.ingest(602, ARRAY['a', 'b', 'c', 'd']) AS created;
SELECT event_definitions."create"(692, 'a')->>'name' AS other_project;
SELECT (SELECT id FROM event_definitions.definitions WHERE project_id = 602 AND name = 'a') AS a,
       (SELECT id FROM event_definitions.definitions WHERE project_id = 602 AND name = 'b') AS b,
       (SELECT id FROM event_definitions.definitions WHERE project_id = 602 AND name = 'c') AS c,
       (SELECT id FROM event_definitions.definitions WHERE project_id = 602 AND name = 'd') AS d,
       (SELECT id FROM event_definitions.definitions WHERE project_id = 692 AND name = 'a') AS other \gset
SELECT event_definitions.update(602, :'b', '{"tags": ["web"]}')->'tags' AS b_tags;

-- add: trimmed, lower-cased, de-duplicated, sorted; every found definition
-- is listed with its new tags, in the order given; missing and other
-- projects' ids are skipped as "Not found"; a repeated id counts once
SELECT pg_temp.names(r, 'updated') AS updated, pg_temp.names(r, 'skipped') AS skipped
FROM event_definitions.bulk_update_tags(602, ARRAY[:'b', :'a', :'other', :'a', '00000000-0000-4000-8000-00000000dead']::uuid[],
                                         'add', ARRAY[' Growth ', 'WEB', 'growth']) AS r;
SELECT r->'skipped' = jsonb_build_array(jsonb_build_object('id', :'other', 'reason', 'Not found'),
                                        jsonb_build_object('id', '00000000-0000-4000-8000-00000000dead', 'reason', 'Not found')) AS skipped_ids
FROM event_definitions.bulk_update_tags(602, ARRAY[:'other', '00000000-0000-4000-8000-00000000dead']::uuid[], 'add', ARRAY['x']) AS r;
-- the other project's definition was not touched
SELECT event_definitions.retrieve(692, :'other')->'tags' AS other_tags;
-- one "changed" entry per definition whose tags changed, with the real
-- tags before; b already had "web" but gained "growth", so it changed too
SELECT d.name, a.user_id, c->>'field' AS field, c->'before' AS before, c->'after' AS after
FROM event_definitions.activity_log a
JOIN event_definitions.definitions d ON d.project_id = a.project_id AND d.id = a.item_id,
     jsonb_array_elements(a.detail->'changes') c
WHERE a.project_id = 602 AND a.activity = 'changed' AND c->>'field' = 'tags'
ORDER BY a.seq;
-- updated_at/updated_by are set on the changed ones only
SELECT r->>'name' AS name, (r->>'updated_at')::timestamptz > (r->>'created_at')::timestamptz AS updated,
       r->'updated_by'->'id' AS updated_by
FROM jsonb_array_elements(event_definitions.list(602, ordering => 'name')->'results') r;
-- adding tags they all have already changes nothing and logs nothing
SELECT pg_temp.state() AS before_state \gset
SELECT pg_temp.names(event_definitions.bulk_update_tags(602, ARRAY[:'a', :'b']::uuid[], 'add', ARRAY['GROWTH']), 'updated') AS updated;
SELECT pg_temp.state() = :'before_state' AS unchanged;

-- remove
SELECT pg_temp.names(event_definitions.bulk_update_tags(602, ARRAY[:'a', :'b', :'c']::uuid[], 'remove', ARRAY['web', 'nope']), 'updated') AS updated;
-- set replaces, and [] clears
SELECT pg_temp.names(event_definitions.bulk_update_tags(602, ARRAY[:'a', :'c']::uuid[], 'set', ARRAY['z', 'Y', 'z ']), 'updated') AS updated;
SELECT pg_temp.names(event_definitions.bulk_update_tags(602, ARRAY[:'a']::uuid[], 'set', '{}'), 'updated') AS updated;
-- named arguments, as PostgREST calls it
SELECT pg_temp.names(event_definitions.bulk_update_tags(project_id => 602, ids => ARRAY[:'d']::uuid[], action => 'add', tags => ARRAY['named']), 'updated') AS updated;

-- errors: each is refused before anything is written
SELECT pg_temp.state() AS before_state \gset
SELECT regress.err(format('SELECT event_definitions.bulk_update_tags(602, %L, %L, %L)', ids, action, tags)) AS error
FROM (VALUES
    (ARRAY[:'a']::uuid[], 'replace', ARRAY['x']),
    (ARRAY[:'a']::uuid[], 'ADD', ARRAY['x']),
    (ARRAY[:'a']::uuid[], 'add', '{}'::text[]),
    (ARRAY[:'a']::uuid[], 'remove', '{}'::text[]),
    (ARRAY[:'a']::uuid[], 'add', ARRAY['ok', ' ']),
    (ARRAY[:'a']::uuid[], 'set', ARRAY[repeat('t', 256)]),
    (ARRAY[:'a']::uuid[], 'add', ARRAY['ok', NULL]),
    (ARRAY[:'a']::uuid[], 'add', NULL),
    (ARRAY[:'a']::uuid[], NULL, ARRAY['x']),
    (NULL, 'add', ARRAY['x']),
    ('{}'::uuid[], 'add', ARRAY['x']),
    (ARRAY[:'a', NULL]::uuid[], 'add', ARRAY['x']),
    (ARRAY[[:'a'], [:'b']]::uuid[], 'add', ARRAY['x'])
) AS t(ids, action, tags);
-- 501 ids; 101 tags; 500 ids times 21 distinct tags
SELECT regress.err(format('SELECT event_definitions.bulk_update_tags(602, %L, %L, %L)',
    (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, 501)), 'add', ARRAY['x'])) AS too_many_ids;
SELECT regress.err(format('SELECT event_definitions.bulk_update_tags(602, %L, %L, %L)',
    ARRAY[:'a']::uuid[], 'add', (SELECT array_agg('t' || i) FROM generate_series(1, 101) i))) AS too_many_tags;
SELECT regress.err(format('SELECT event_definitions.bulk_update_tags(602, %L, %L, %L)',
    (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, 500)), 'add',
    (SELECT array_agg('t' || i) FROM generate_series(1, 21) i))) AS too_many_writes;
-- 500 ids times 20 tags is the limit, and fine; 100 tags that collapse to one too
SELECT jsonb_array_length(event_definitions.bulk_update_tags(602,
    (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, 500)), 'add',
    (SELECT array_agg('t' || i) FROM generate_series(1, 20) i))->'skipped') AS skipped_500;
SELECT pg_temp.state() = :'before_state' AS unchanged;
SELECT pg_temp.names(event_definitions.bulk_update_tags(602, ARRAY[:'d']::uuid[], 'remove',
    (SELECT array_agg(CASE WHEN i % 2 = 0 THEN 'NAMED' ELSE ' named' END) FROM generate_series(1, 100) i)), 'updated') AS updated;

-- bulk_update_verified: only definitions not yet in that state are written,
-- logged and listed; verifying un-hides, with one verified_at for the call
SELECT event_definitions.update(602, :'c', '{"hidden": true}')->'hidden' AS c_hidden;
SELECT event_definitions.update(602, :'d', '{"verified": true}')->'verified' AS d_verified;
SELECT event_definitions.retrieve(602, :'d')->>'verified_at' AS d_verified_at \gset
SELECT max(seq) AS seq0 FROM event_definitions.activity_log WHERE project_id = 602 \gset
SELECT pg_temp.names(r, 'updated') AS updated, pg_temp.names(r, 'skipped') AS skipped
FROM event_definitions.bulk_update_verified(602, ARRAY[:'c', :'d', :'a', :'other', :'c']::uuid[], true) AS r;
SELECT r->>'name' AS name, r->'verified' AS verified, r->'hidden' AS hidden,
       r->'verified_by'->'id' AS verified_by,
       CASE r->>'name' WHEN 'd' THEN r->>'verified_at' = :'d_verified_at' ELSE (r->>'verified_at')::timestamptz > (r->>'created_at')::timestamptz END AS verified_at_ok
FROM jsonb_array_elements(event_definitions.list(602, ordering => 'name')->'results') r;
SELECT count(DISTINCT r->>'verified_at') AS one_verified_at
FROM jsonb_array_elements(event_definitions.list(602, verified => true, names => ARRAY['a', 'c'])->'results') r;
-- the entries: verified, verified_at/by, and hidden for c, which was hidden
SELECT d.name, string_agg(c->>'field', ', ' ORDER BY c->>'field') AS fields
FROM event_definitions.activity_log a
JOIN event_definitions.definitions d ON d.project_id = a.project_id AND d.id = a.item_id,
     jsonb_array_elements(a.detail->'changes') c
WHERE a.project_id = 602 AND a.activity = 'changed'
  AND a.seq > :seq0
GROUP BY d.name, a.seq ORDER BY a.seq;
-- the name index sees the flags at once
SELECT event_definitions.list(602, verified => true)->'count' AS verified_count,
       event_definitions.list(602, exclude_hidden => true)->'count' AS not_hidden_count;
-- unverify clears verified_at/by; already unverified ones are left alone
SELECT pg_temp.names(event_definitions.bulk_update_verified(602, ARRAY[:'b', :'a']::uuid[], false), 'updated') AS updated;
SELECT r->'verified' AS verified, r->'verified_at' AS verified_at, r->'verified_by' AS verified_by
FROM event_definitions.retrieve(602, :'a') r;
SELECT pg_temp.names(event_definitions.bulk_update_verified(project_id => 602, ids => ARRAY[:'b']::uuid[], verified => false), 'updated') AS updated;
-- errors
SELECT pg_temp.state() AS before_state \gset
SELECT event_definitions.bulk_update_verified(602, ARRAY[:'a']::uuid[], NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.bulk_update_verified(602, '{}', true);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.bulk_update_verified(602, NULL, true);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.bulk_update_verified(602, ARRAY[NULL]::uuid[], true);
\echo :LAST_ERROR_SQLSTATE
SELECT regress.err(format('SELECT event_definitions.bulk_update_verified(602, %L, true)',
    (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, 501)))) AS too_many_ids;
SELECT pg_temp.state() = :'before_state' AS unchanged;

-- all or nothing: a failure later in the transaction undoes every change
SELECT pg_temp.state() AS before_state \gset
BEGIN;
SELECT jsonb_array_length(event_definitions.bulk_update_tags(602, ARRAY[:'a', :'b', :'c', :'d']::uuid[], 'set', ARRAY['rolled_back'])->'updated') AS updated;
SELECT jsonb_array_length(event_definitions.bulk_update_verified(602, ARRAY[:'a', :'b']::uuid[], true)->'updated') AS updated;
ROLLBACK;
SELECT pg_temp.state() = :'before_state' AS unchanged;

-- NOTIFY: one notification per project and transaction (the change feed
-- holds one entry per changed definition), after commit only.  A second
-- session (dblink) listens: psql would print a varying PID.
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT dblink_connect('listener', format('dbname=%s port=%s host=%s user=%s',
    current_database(), current_setting('port'),
    split_part(current_setting('unix_socket_directories'), ',', 1), current_user));
SELECT dblink_exec('listener', 'LISTEN event_definitions');
CREATE FUNCTION pg_temp.notified() RETURNS TABLE (project_id text, n bigint)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dblink_exec('listener', 'LISTEN event_definitions');
    RETURN QUERY SELECT extra::jsonb->>'project_id', count(*)
    FROM dblink_get_notify('listener') GROUP BY 1;
END $$;
BEGIN;
SELECT jsonb_array_length(event_definitions.bulk_update_tags(602, ARRAY[:'a', :'b']::uuid[], 'add', ARRAY['rolled_back'])->'updated') AS updated;
ROLLBACK;
SELECT * FROM pg_temp.notified();
-- one changed definition: one notification
SELECT event_definitions.bulk_update_tags(602, ARRAY[:'d']::uuid[], 'add', ARRAY['notified'])->'updated'->0->'tags' AS d_tags;
SELECT * FROM pg_temp.notified();
-- a, b and c change, d already has the tag: still one notification
SELECT jsonb_array_length(event_definitions.bulk_update_tags(602, ARRAY[:'a', :'b', :'c', :'d']::uuid[], 'add', ARRAY['notified'])->'updated') AS updated;
SELECT * FROM pg_temp.notified();
SELECT jsonb_array_length(event_definitions.bulk_update_verified(602, ARRAY[:'a', :'b', :'c', :'d']::uuid[], true)->'updated') AS updated;
SELECT * FROM pg_temp.notified();
-- nothing changes: no notification
SELECT jsonb_array_length(event_definitions.bulk_update_verified(602, ARRAY[:'a', :'b', :'c', :'d']::uuid[], true)->'updated') AS updated;
SELECT * FROM pg_temp.notified();
SELECT dblink_disconnect('listener');
DROP EXTENSION dblink;

-- scopes, projects, read-only transactions
SELECT pg_temp.state() AS before_state \gset
BEGIN;
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read"]}', true);
SELECT event_definitions.bulk_update_tags(602, ARRAY[:'a']::uuid[], 'add', ARRAY['x']);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:write"], "project_ids": [692]}', true);
SELECT event_definitions.bulk_update_verified(602, ARRAY[:'a']::uuid[], true);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN READ ONLY;
SELECT event_definitions.bulk_update_verified(602, ARRAY[:'a']::uuid[], true);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT pg_temp.state() = :'before_state' AS unchanged;
