--
-- setup: install the extension and the users directory that later tests use.
-- Every later file works in its own project_id, so files never interfere.
--
CREATE EXTENSION event_definitions CASCADE;

-- Helpers every later test uses.  pg_temp does not outlive a test's
-- session, so they live in a schema of their own, outside the extension.
CREATE SCHEMA regress;
GRANT USAGE ON SCHEMA regress TO PUBLIC;

-- err(sql): run sql as the current role, return 'no error' or its SQLSTATE
-- and message with uuids masked
CREATE FUNCTION regress.err(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM,
        '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g');
END $$;

-- t(v): a timestamp in JSON as "<now>", "<earlier>" or "<later>" than the
-- transaction's start; anything else unchanged
CREATE FUNCTION regress.t(v jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN jsonb_typeof(v) <> 'string' THEN v
                WHEN (v #>> '{}')::timestamptz = now() THEN '"<now>"'
                WHEN (v #>> '{}')::timestamptz < now() THEN '"<earlier>"'
                ELSE '"<later>"' END
$$;

-- users 1..3, with fixed uuids so that rendered users are stable
INSERT INTO event_definitions.users
    (id, uuid, distinct_id, first_name, last_name, email, is_email_verified)
VALUES
    (1, '00000000-0000-4000-8000-000000000001', 'distinct-1', 'Ada', 'Lovelace', 'ada@example.com', true),
    (2, '00000000-0000-4000-8000-000000000002', 'distinct-2', 'Grace', 'Hopper', 'grace@example.com', false),
    (3, '00000000-0000-4000-8000-000000000003', NULL, 'Alan', 'Turing', NULL, NULL);

SELECT id, distinct_id, first_name, last_name, email, is_email_verified
FROM event_definitions.users ORDER BY id;
