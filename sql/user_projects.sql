--
-- user_projects: users are linked to projects (event_definitions.user_projects,
-- filled by the host application).  A caller limited to projects sees the
-- records of, and may set as owner, only the users linked to the project of
-- the call, and cannot tell a missing user from an unlinked one.  Without
-- claims, the whole directory is usable, as in 1.0.  Projects 265..266.
--
SELECT event_definitions.ingest(265, ARRAY['signup', 'checkout']);
SELECT event_definitions.list(265, names => ARRAY['signup'])->'results'->0->>'id' AS signup \gset
SELECT event_definitions.list(265, names => ARRAY['checkout'])->'results'->0->>'id' AS checkout \gset
-- user 1 belongs to project 265, user 2 to project 266 only, user 3 to none
INSERT INTO event_definitions.user_projects (project_id, user_id) VALUES (265, 1), (266, 2);

-- without claims: any user of the directory, rendered in full
SET event_definitions.user_id = 2;
SELECT d->'owner'->>'email' AS owner_email, d->'updated_by'->>'email' AS updated_by_email
FROM event_definitions.update(265, :'signup', '{"owner": 2, "verified": true}') AS d;
SELECT event_definitions.update(265, :'signup', '{"owner": 99}');

-- a caller limited by project_ids sees only project 265's users: user 2 is
-- owner, verifier and last editor of signup, and renders as its id only
CREATE FUNCTION pg_temp.claims(project_ids text, user_id int) RETURNS boolean LANGUAGE sql AS $$
    SELECT set_config('request.jwt.claims',
        format('{"scopes": ["event_definition:write"], "project_ids": %s, "user_id": %s}',
               project_ids, user_id), false) IS NOT NULL
$$;
SELECT pg_temp.claims('[265]', 1);
SELECT d->'owner' AS owner, d->'verified_by'->>'email' AS verified_by_email,
       d->'updated_by'->>'email' AS updated_by_email
FROM event_definitions.retrieve(265, :'signup') AS d;
SELECT r->'owner'->>'id' AS owner_id, r->'owner'->>'email' AS owner_email
FROM jsonb_array_elements(event_definitions.list(265, names => ARRAY['signup'])->'results') r;
SELECT e->'user'->>'id' AS user_id, e->'user'->>'email' AS email
FROM jsonb_array_elements(event_definitions.activity(265, :'signup')->'results') e;

-- owner: a missing user and an existing one of another project give the
-- same error (only the id the caller gave differs), and nothing changes
SELECT event_definitions.update(265, :'checkout', '{"owner": 2}');
SELECT event_definitions.update(265, :'checkout', '{"owner": 3}');
SELECT event_definitions.update(265, :'checkout', '{"owner": 99}');
SELECT event_definitions."create"(265, 'planned', '{"owner": 2}');
-- a linked user: set, and rendered in full
SELECT d->'owner'->>'email' AS owner_email, d->'updated_by'->>'email' AS updated_by_email
FROM event_definitions.update(265, :'checkout', '{"owner": 1}') AS d;
-- null is always allowed
SELECT d->'owner' AS owner FROM event_definitions.update(265, :'checkout', '{"owner": null}') AS d;
-- claims of project 266: user 2 is visible there
SELECT pg_temp.claims('[265, 266]', 2);
SELECT event_definitions.ingest(266, ARRAY['other']);
SELECT d->'owner'->>'email' AS owner_email
FROM event_definitions.update(266, (event_definitions.list(266)->'results'->0->>'id')::uuid, '{"owner": 2}') AS d;
-- but not in project 265, though the same claims include 266
SELECT event_definitions.update(265, :'checkout', '{"owner": 2}');
-- claims without project_ids do not limit users
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:write"]}', false) IS NOT NULL AS claims_set;
SELECT d->'owner'->>'first_name' AS owner_first_name
FROM event_definitions.update(265, :'checkout', '{"owner": 3}') AS d;
SELECT event_definitions.update(265, :'checkout', '{"owner": 99}');
RESET request.jwt.claims;

-- the rows: checkout's last owner is user 3, and nothing else was written
SELECT d.name, d.owner_id FROM event_definitions.definitions d WHERE d.project_id = 265 ORDER BY d.name;
SELECT count(*) AS activity_entries FROM event_definitions.activity_log a WHERE a.project_id = 265;

-- deleting a user deletes its links; the table is dumped with the extension
INSERT INTO event_definitions.users (id, first_name) VALUES (4, 'Temp');
INSERT INTO event_definitions.user_projects VALUES (265, 4), (266, 4);
DELETE FROM event_definitions.users WHERE id = 4;
SELECT count(*) AS links_of_user_4 FROM event_definitions.user_projects WHERE user_id = 4;
INSERT INTO event_definitions.user_projects VALUES (265, 42);
INSERT INTO event_definitions.user_projects VALUES (0, 1);
SELECT 'event_definitions.user_projects'::regclass = ANY (e.extconfig) AS dumped
FROM pg_extension e WHERE e.extname = 'event_definitions';

RESET event_definitions.user_id;
DELETE FROM event_definitions.user_projects WHERE project_id IN (265, 266);
