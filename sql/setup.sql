--
-- setup: install the extension and the users directory that later tests use.
-- Every later file works in its own project_id, so files never interfere.
--
CREATE EXTENSION event_definitions CASCADE;

-- users 1..3, with fixed uuids so that rendered users are stable
INSERT INTO event_definitions.users
    (id, uuid, distinct_id, first_name, last_name, email, is_email_verified)
VALUES
    (1, '00000000-0000-4000-8000-000000000001', 'distinct-1', 'Ada', 'Lovelace', 'ada@example.com', true),
    (2, '00000000-0000-4000-8000-000000000002', 'distinct-2', 'Grace', 'Hopper', 'grace@example.com', false),
    (3, '00000000-0000-4000-8000-000000000003', NULL, 'Alan', 'Turing', NULL, NULL);

SELECT id, distinct_id, first_name, last_name, email, is_email_verified
FROM event_definitions.users ORDER BY id;
