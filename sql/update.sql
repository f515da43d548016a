--
-- update: PATCH semantics, the verified/hidden rules, tags, owner, the acting
-- user, PT404, and NOTIFY after committed updates.  Projects 103 and 193.
--

-- v(k, v): a value for display: timestamps through t(), users by their id
CREATE FUNCTION pg_temp.v(k text, v jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN k LIKE '%\_at' THEN regress.t(v)
                WHEN jsonb_typeof(v) = 'object' THEN jsonb_build_object('user', v -> 'id')
                ELSE v END
$$;

-- patch(id, p): apply p to a definition of project 103 and list the keys
-- whose value changed, before and after (users shown by id).  It also
-- checks that update returned what retrieve now returns.
CREATE FUNCTION pg_temp.patch(p_id uuid, p jsonb)
RETURNS TABLE (key text, before jsonb, after jsonb) LANGUAGE plpgsql AS $$
DECLARE
    old jsonb := event_definitions.retrieve(103, p_id);
    new jsonb := event_definitions.update(103, p_id, p);
BEGIN
    IF new IS DISTINCT FROM event_definitions.retrieve(103, p_id) THEN
        RAISE EXCEPTION 'update returned % but retrieve returns %',
            new, event_definitions.retrieve(103, p_id);
    END IF;
    RETURN QUERY
        SELECT k,
pg_temp.v(k, old -> k), pg_temp.v(k, new -> k)
        FROM jsonb_object_keys(new) AS k
        WHERE new -> k IS DISTINCT FROM old -> k
        ORDER BY k;
END $$;

SET event_definitions.user_id = 1;
SELECT (event_definitions."create"(103, 'page_view')->>'id')::uuid AS id \gset
SELECT (r->>'id')::uuid AS id2, r->>'updated_at' AS id2_updated_at
FROM event_definitions."create"(103, 'sign_up') AS r \gset

--
-- Only keys present in the patch change; every update sets updated_at and
-- updated_by.
--
SELECT * FROM pg_temp.patch(:'id', '{"description": "A page was viewed"}');
SELECT * FROM pg_temp.patch(:'id', '{}');
SELECT * FROM pg_temp.patch(:'id', '{"post_to_slack": true}');
SELECT * FROM pg_temp.patch(:'id', '{"default_columns": ["url", "referrer", "url"]}');
SELECT * FROM pg_temp.patch(:'id', '{"default_columns": []}');
SELECT * FROM pg_temp.patch(:'id', '{"enforcement_mode": "reject"}');
SELECT * FROM pg_temp.patch(:'id', '{"primary_property": "url"}');
SELECT * FROM pg_temp.patch(:'id', '{"primary_property": null}');
-- primary_property may have up to 400 characters
SELECT char_length(event_definitions.update(103, :'id', format('{"primary_property": "%s"}', repeat('p', 400))::jsonb)->>'primary_property') AS len;
SELECT event_definitions.update(103, :'id', '{"primary_property": null}')->'primary_property' AS primary_property;
SELECT * FROM pg_temp.patch(:'id', '{"description": null}');
SELECT * FROM pg_temp.patch(:'id', '{"description": ""}');
-- several keys at once
SELECT * FROM pg_temp.patch(:'id', '{"description": "Viewed", "post_to_slack": false, "enforcement_mode": "allow", "primary_property": "path"}');
-- the other definition was not touched
SELECT event_definitions.retrieve(103, :'id2')->>'updated_at' = :'id2_updated_at' AS untouched;

-- update returns the new definition; updated_at is the transaction's now
BEGIN;
SELECT event_definitions.update(103, :'id', '{"description": "Viewed a page"}') AS r \gset
SELECT (:'r'::jsonb->>'updated_at')::timestamptz = now() AS updated_now,
       :'r'::jsonb->'description' AS description,
       :'r'::jsonb->'updated_by'->'id' AS updated_by;
COMMIT;

--
-- Read-only keys are ignored (only updated_at moves)
--
SELECT * FROM pg_temp.patch(:'id', '{
    "id": "00000000-0000-0000-0000-000000000000",
    "name": "renamed",
    "created_at": "2000-01-01T00:00:00Z",
    "last_seen_at": "2000-01-01T00:00:00Z",
    "updated_at": "2000-01-01T00:00:00Z",
    "updated_by": 3,
    "verified_at": "2000-01-01T00:00:00Z",
    "verified_by": 3,
    "is_action": true
}');

--
-- Invalid patches are errors (22023) naming the key, and change nothing
--
SELECT event_definitions.retrieve(103, :'id') AS before \gset
-- unknown key, alone or beside valid ones
SELECT event_definitions.update(103, :'id', '{"colour": "red"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(103, :'id', '{"description": "changed", "Description": "x"}');
SELECT event_definitions.update(103, :'id', '{"owner_id": 1}');
-- wrong types
SELECT event_definitions.update(103, :'id', '{"description": 5}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(103, :'id', '{"description": ["a"]}');
SELECT event_definitions.update(103, :'id', '{"owner": "1"}');
SELECT event_definitions.update(103, :'id', '{"owner": 1.5}');
SELECT event_definitions.update(103, :'id', '{"owner": {"id": 1}}');
SELECT event_definitions.update(103, :'id', '{"tags": "web"}');
SELECT event_definitions.update(103, :'id', '{"tags": ["web", 1]}');
SELECT event_definitions.update(103, :'id', '{"tags": {"web": true}}');
SELECT event_definitions.update(103, :'id', '{"verified": "true"}');
SELECT event_definitions.update(103, :'id', '{"hidden": 1}');
SELECT event_definitions.update(103, :'id', '{"hidden": null}');
SELECT event_definitions.update(103, :'id', '{"post_to_slack": "yes"}');
SELECT event_definitions.update(103, :'id', '{"post_to_slack": null}');
SELECT event_definitions.update(103, :'id', '{"default_columns": "url"}');
SELECT event_definitions.update(103, :'id', '{"default_columns": [null]}');
SELECT event_definitions.update(103, :'id', '{"default_columns": null}');
SELECT event_definitions.update(103, :'id', '{"enforcement_mode": true}');
SELECT event_definitions.update(103, :'id', '{"enforcement_mode": null}');
-- wrong values
SELECT event_definitions.update(103, :'id', '{"enforcement_mode": "block"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(103, :'id', '{"primary_property": 7}');
SELECT event_definitions.update(103, :'id', '{"primary_property": ""}');
SELECT event_definitions.update(103, :'id', format('{"primary_property": "%s"}', repeat('p', 401))::jsonb);
-- the patch must be a JSON object
SELECT event_definitions.update(103, :'id', '[]');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(103, :'id', '"description"');
SELECT event_definitions.update(103, :'id', '1');
SELECT event_definitions.update(103, :'id', 'null');
SELECT event_definitions.update(103, :'id', NULL);
\echo :LAST_ERROR_SQLSTATE
-- a bad key fails the whole patch, even after good keys
SELECT event_definitions.update(103, :'id', '{"description": "partial", "tags": ["ok"], "zzz": 1}');
SELECT event_definitions.retrieve(103, :'id') = :'before'::jsonb AS unchanged;

--
-- verified and hidden
--
-- both true in one patch: error
SELECT event_definitions.update(103, :'id', '{"verified": true, "hidden": true}');
\echo :LAST_ERROR_SQLSTATE
-- verified: null is an error
SELECT event_definitions.update(103, :'id', '{"verified": null}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.retrieve(103, :'id') = :'before'::jsonb AS unchanged;
-- hide it
SELECT * FROM pg_temp.patch(:'id', '{"hidden": true}');
-- verified: true un-hides and sets verified_at = now, verified_by = acting user
SELECT * FROM pg_temp.patch(:'id', '{"verified": true}');
-- verifying again, as another user, keeps verified_at and verified_by
SET event_definitions.user_id = 2;
SELECT * FROM pg_temp.patch(:'id', '{"verified": true}');
SELECT * FROM pg_temp.patch(:'id', '{"verified": true, "hidden": false}');
SELECT event_definitions.retrieve(103, :'id')->'verified_by'->'id' AS verified_by;
-- verified: false clears verified_at and verified_by
SELECT * FROM pg_temp.patch(:'id', '{"verified": false}');
-- verify as user 2, then hidden: true turns verified off and clears both
SELECT * FROM pg_temp.patch(:'id', '{"verified": true}');
SELECT * FROM pg_temp.patch(:'id', '{"hidden": true}');
-- hidden: true with verified: false is allowed
SELECT * FROM pg_temp.patch(:'id', '{"hidden": true, "verified": false}');
-- verified: true with hidden: false, on a hidden one
SELECT * FROM pg_temp.patch(:'id', '{"verified": true, "hidden": false}');
-- hidden: false leaves verified alone
SELECT * FROM pg_temp.patch(:'id', '{"hidden": false}');
-- verified: false on a hidden one keeps it hidden
SELECT * FROM pg_temp.patch(:'id', '{"hidden": true}');
SELECT * FROM pg_temp.patch(:'id', '{"verified": false}');
SELECT * FROM pg_temp.patch(:'id', '{"hidden": false}');
SET event_definitions.user_id = 1;

--
-- tags: trimmed, lower-cased, de-duplicated, sorted; the whole set is replaced
--
SELECT * FROM pg_temp.patch(:'id', '{"tags": ["  Web", "marketing ", "WEB", "b2b", "Marketing", "a b"]}');
-- absent or null leaves them
SELECT * FROM pg_temp.patch(:'id', '{"description": "with tags"}');
SELECT * FROM pg_temp.patch(:'id', '{"tags": null}');
SELECT event_definitions.retrieve(103, :'id')->'tags' AS tags;
-- replacing
SELECT * FROM pg_temp.patch(:'id', '{"tags": ["core"]}');
-- [] removes all
SELECT * FROM pg_temp.patch(:'id', '{"tags": []}');
-- a blank tag or a tag over 255 characters is an error
SELECT event_definitions.update(103, :'id', '{"tags": ["ok", ""]}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(103, :'id', '{"tags": ["ok", "   "]}');
SELECT event_definitions.update(103, :'id', format('{"tags": ["%s"]}', repeat('t', 256))::jsonb);
\echo :LAST_ERROR_SQLSTATE
-- 255 characters is fine, and trimming happens before the length check
SELECT char_length(event_definitions.update(103, :'id', format('{"tags": ["%s"]}', repeat('t', 255))::jsonb)->'tags'->>0) AS len;
SELECT char_length(event_definitions.update(103, :'id', format('{"tags": ["  %s  "]}', repeat('t', 255))::jsonb)->'tags'->>0) AS len;
SELECT event_definitions.update(103, :'id', '{"tags": []}')->'tags' AS tags;

--
-- owner: a user id of the directory, rendered as the seven-key user object
--
SELECT * FROM pg_temp.patch(:'id', '{"owner": 2}');
SELECT jsonb_pretty(event_definitions.retrieve(103, :'id')->'owner');
SELECT event_definitions.update(103, :'id', '{"owner": 999}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(103, :'id', '{"owner": 0}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(103, :'id', '{"owner": -1}');
SELECT event_definitions.retrieve(103, :'id')->'owner'->'id' AS owner;
SELECT * FROM pg_temp.patch(:'id', '{"owner": 3}');
SELECT * FROM pg_temp.patch(:'id', '{"owner": null}');

--
-- The acting user: request.jwt.claims user_id (PostgREST), else the
-- setting event_definitions.user_id, else none
--
SELECT * FROM pg_temp.patch(:'id', '{"description": "by user 1"}');
SET event_definitions.user_id = 2;
SELECT * FROM pg_temp.patch(:'id', '{"description": "by user 2"}');
SET request.jwt.claims = '{"user_id": 3, "role": "web"}';
SELECT * FROM pg_temp.patch(:'id', '{"description": "by user 3, from the claims"}');
-- a string user_id claim works too
SET request.jwt.claims = '{"user_id": "1"}';
SELECT event_definitions.update(103, :'id', '{"description": "by user 1, from the claims"}')->'updated_by'->'id' AS updated_by;
-- claims without user_id fall back to the setting
SET request.jwt.claims = '{"role": "web"}';
SELECT event_definitions.update(103, :'id', '{"description": "by user 2 again"}')->'updated_by'->'id' AS updated_by;
RESET request.jwt.claims;
-- an acting user missing from the directory renders as {"id": N}, other keys null
SET event_definitions.user_id = 42;
SELECT * FROM pg_temp.patch(:'id', '{"verified": true}');
SELECT jsonb_pretty(event_definitions.retrieve(103, :'id')->'updated_by');
-- no acting user at all: null
RESET event_definitions.user_id;
SELECT * FROM pg_temp.patch(:'id', '{"description": "by nobody"}');
SELECT event_definitions.retrieve(103, :'id')->'verified_by'->'id' AS verified_by;
SET event_definitions.user_id = 1;

--
-- PT404 for missing ids and ids of other projects; 22P02 for malformed ids
--
SELECT event_definitions.update(103, '00000000-0000-4000-8000-00000000dead', '{"description": "x"}');
\echo :LAST_ERROR_SQLSTATE
-- the id of another project's definition: the same error as a missing id
-- (uuids masked), and that definition is untouched
SELECT (event_definitions."create"(193, 'page_view')->>'id')::uuid AS other_id \gset
SELECT regress.err(format($$SELECT event_definitions.update(103, %L, '{"description": "x"}')$$, :'other_id')) AS other_project,
       regress.err($$SELECT event_definitions.update(103, gen_random_uuid(), '{"description": "x"}')$$) AS missing;
SELECT event_definitions.retrieve(193, :'other_id')->'description' AS description;
SELECT event_definitions.update(103, 'not-a-uuid', '{"description": "x"}');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.update(103, NULL, '{"description": "x"}');
\echo :LAST_ERROR_SQLSTATE

--
-- NOTIFY event_definitions after a committed update, none after a rollback.
-- psql would print the notifying backend's PID, which varies, so a second
-- session (dblink) listens and the payloads are read with dblink_get_notify.
--
CREATE EXTENSION dblink;
SELECT dblink_connect('listener', format('dbname=%s port=%s host=%s user=%s',
    current_database(), current_setting('port'),
    split_part(current_setting('unix_socket_directories'), ',', 1), current_user));
SELECT dblink_exec('listener', 'LISTEN event_definitions');
-- notifications(): what the listener received.  A round trip first makes it
-- deliver what it has been signalled, so the result does not depend on timing.
CREATE FUNCTION pg_temp.notifications() RETURNS TABLE (channel text, payload jsonb)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dblink_exec('listener', 'LISTEN event_definitions');
    RETURN QUERY SELECT notify_name, extra::jsonb FROM dblink_get_notify('listener');
END $$;
SELECT event_definitions.update(103, :'id', '{"description": "notified"}')->'description' AS description;
-- the payload is a position in the activity log, nothing more (SPEC 6)
SELECT channel, payload - 'seq' AS payload,
       (payload->>'seq')::bigint = (SELECT max(a.seq) FROM event_definitions.activity_log a
                                    WHERE a.project_id = 103) AS seq_matches
FROM pg_temp.notifications();
-- rolled back: no notification
BEGIN;
SELECT event_definitions.update(103, :'id', '{"description": "rolled back"}')->'description' AS description;
ROLLBACK;
SELECT * FROM pg_temp.notifications();
SELECT event_definitions.retrieve(103, :'id')->'description' AS description;
-- a failed update: no notification
SELECT event_definitions.update(103, :'id', '{"bogus": 1}');
SELECT * FROM pg_temp.notifications();
-- two updates in one transaction: delivered at commit, one notification for
-- the project, with the newest position
BEGIN;
SELECT event_definitions.update(103, :'id', '{"description": "one"}')->'description' AS description;
SELECT event_definitions.update(103, :'id2', '{"description": "two"}')->'description' AS description;
SELECT count(*) AS before_commit FROM pg_temp.notifications();
COMMIT;
SELECT channel, payload - 'seq' AS payload,
       (SELECT a.item_id FROM event_definitions.activity_log a
        WHERE a.project_id = 103 AND a.seq = (payload->>'seq')::bigint)
       = :'id2'::uuid AS newest_seq
FROM pg_temp.notifications();
SELECT dblink_disconnect('listener');
DROP EXTENSION dblink;
RESET event_definitions.user_id;
