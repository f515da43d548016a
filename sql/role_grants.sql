--
-- role_grants: per-role project grants, the boundary for roles that run SQL
-- themselves.  request.jwt.claims is a setting any session may change, so
-- it restricts only behind an HTTP layer that sets it; a role with grants
-- is held to its granted projects on every call, whatever its claims say.
-- Projects 270..272.
--
SELECT event_definitions.ingest(270, ARRAY['mine']);
SELECT event_definitions.ingest(271, ARRAY['secret_launch_2026']);
SELECT event_definitions.ingest(272, ARRAY['read_only']);
SELECT event_definitions.list(271)->'results'->0->>'id' AS secret \gset
-- err(sql): run sql as the current role, return its SQLSTATE and message
CREATE FUNCTION pg_temp.err(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.err(text) TO PUBLIC;

-- two read-write roles; alice gets grants, bob none
CREATE ROLE regress_ed_alice;
CREATE ROLE regress_ed_bob;
GRANT USAGE ON SCHEMA event_definitions TO regress_ed_alice, regress_ed_bob;
GRANT EXECUTE ON FUNCTION event_definitions.list, event_definitions.retrieve,
    event_definitions.metrics, event_definitions.activity, event_definitions.changes,
    event_definitions."create", event_definitions.update, event_definitions.delete,
    event_definitions.ingest, event_definitions.record_query_usage
    TO regress_ed_alice, regress_ed_bob;
SELECT event_definitions.grant_project('regress_ed_alice', 270, 'write');
SELECT event_definitions.grant_project('regress_ed_alice', 272, 'event_definition:read');
SELECT project_id, role, scope FROM event_definitions.role_grants ORDER BY project_id;

SET ROLE regress_ed_alice;
SELECT event_definitions.list(270)->'count' AS count_270;
SELECT event_definitions.list(271);
-- claims naming project 271 do not help: grants are checked whatever the claims say
SELECT set_config('request.jwt.claims', '{"project_ids": [271]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.list(271);
SELECT set_config('request.jwt.claims', '{"scopes": ["*"]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.list(271);
RESET request.jwt.claims;
SELECT event_definitions.list(271);
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS claims_set;
SELECT event_definitions.list(271);
-- every function, read or write
SELECT pg_temp.err(format('SELECT event_definitions.retrieve(271, %L)', :'secret')) AS retrieve;
SELECT pg_temp.err(format('SELECT event_definitions.metrics(271, %L)', :'secret')) AS metrics;
SELECT pg_temp.err('SELECT event_definitions.activity(271)') AS activity;
SELECT pg_temp.err('SELECT event_definitions.changes(271)') AS changes;
SELECT pg_temp.err('SELECT event_definitions."create"(271, ''x'')') AS "create";
SELECT pg_temp.err(format('SELECT event_definitions.update(271, %L, %L)', :'secret', '{"description": "x"}')) AS update;
SELECT pg_temp.err(format('SELECT event_definitions.delete(271, %L)', :'secret')) AS delete;
SELECT pg_temp.err('SELECT event_definitions.ingest(271, ARRAY[''x''])') AS ingest;
SELECT pg_temp.err('SELECT event_definitions.record_query_usage(271, ARRAY[''secret_launch_2026''])') AS record_query_usage;
-- a read grant reads but does not write
SELECT event_definitions.list(272)->'count' AS count_272;
SELECT event_definitions.ingest(272, ARRAY['x']);
SELECT event_definitions.ingest(270, ARRAY['also_mine']);
-- claims restrict further: project_ids [272] shuts project 270 too
SELECT set_config('request.jwt.claims', '{"project_ids": [272]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.list(270);
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read"]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.ingest(270, ARRAY['x']);
RESET request.jwt.claims;
-- the grants are the owner's: alice can neither read nor change them
SELECT pg_temp.err('SELECT * FROM event_definitions.role_grants') AS read_grants;
SELECT pg_temp.err('SELECT event_definitions.grant_project(''regress_ed_alice'', 271, ''write'')') AS grant_self;
SELECT pg_temp.err('SELECT event_definitions.revoke_project(''regress_ed_alice'')') AS revoke_self;
RESET ROLE;

-- a role without grants behaves as before
SET ROLE regress_ed_bob;
SELECT event_definitions.list(271)->'count' AS count_271;
RESET ROLE;

-- the login role is checked as well as the current role: alice stays held
-- to her grants after SET ROLE to a role without grants
GRANT regress_ed_bob TO regress_ed_alice;
SET SESSION AUTHORIZATION regress_ed_alice;
SET ROLE regress_ed_bob;
SELECT current_user, session_user;
SELECT event_definitions.list(271);
SELECT event_definitions.list(270)->'count' AS count_270;
RESET SESSION AUTHORIZATION;
-- grants are not inherited through membership: bob, whom alice is a
-- member of, stays unlimited
SET ROLE regress_ed_bob;
SELECT event_definitions.list(271)->'count' AS count_271;
RESET ROLE;

-- a role limited by grants sees only its project's users, like a caller
-- limited by project_ids: user 1 is linked to project 270, user 2 is not
INSERT INTO event_definitions.user_projects VALUES (270, 1);
SELECT event_definitions.list(270, names => ARRAY['mine'])->'results'->0->>'id' AS mine \gset
SET ROLE regress_ed_alice;
SET event_definitions.user_id = 2;
SELECT event_definitions.update(270, :'mine', '{"owner": 2}');
SELECT event_definitions.update(270, :'mine', '{"owner": 99}');
SELECT d->'owner'->>'email' AS owner_email, d->'updated_by' AS updated_by
FROM event_definitions.update(270, :'mine', '{"owner": 1}') AS d;
RESET event_definitions.user_id;
RESET ROLE;

--
-- managing grants
--
-- a new grant replaces the old scope
SELECT event_definitions.grant_project('regress_ed_alice', 272, 'write');
SELECT scope FROM event_definitions.role_grants WHERE role = 'regress_ed_alice'::regrole AND project_id = 272;
SELECT event_definitions.grant_project('regress_ed_alice', 272);
SELECT scope FROM event_definitions.role_grants WHERE role = 'regress_ed_alice'::regrole AND project_id = 272;
-- invalid arguments
SELECT event_definitions.grant_project('regress_ed_alice', 272, 'admin');
SELECT event_definitions.grant_project('regress_ed_alice', 0, 'read');
SELECT event_definitions.grant_project('regress_ed_alice', NULL, 'read');
SELECT event_definitions.grant_project('regress_ed_alice', 272, NULL);
SELECT event_definitions.grant_project(NULL, 272, 'read');
SELECT event_definitions.grant_project(0::oid::regrole, 272, 'read');
SELECT event_definitions.grant_project(4000000000::oid::regrole, 272, 'read');
BEGIN READ ONLY;
SELECT event_definitions.grant_project('regress_ed_alice', 272, 'read');
ROLLBACK;
-- revoking: one project, then not the last one alone, then all
SELECT event_definitions.revoke_project('regress_ed_alice', 272) AS removed;
SELECT event_definitions.revoke_project('regress_ed_alice', 272) AS removed;
SELECT event_definitions.revoke_project('regress_ed_alice', 270) AS removed;
SELECT event_definitions.revoke_project('regress_ed_bob') AS removed;
SELECT event_definitions.revoke_project('regress_ed_alice') AS removed;
SELECT count(*) AS grants FROM event_definitions.role_grants;
-- the grants of a dropped role stay (inert) until revoked by oid
CREATE ROLE regress_ed_gone;
SELECT event_definitions.grant_project('regress_ed_gone', 270, 'read');
SELECT 'regress_ed_gone'::regrole::oid AS gone_oid \gset
DROP ROLE regress_ed_gone;
SELECT count(*) AS stale_grants FROM event_definitions.role_grants WHERE role = :gone_oid::oid;
SELECT event_definitions.revoke_project(:gone_oid::oid::regrole) AS removed;
-- without grants alice is no longer limited
SET ROLE regress_ed_alice;
SELECT event_definitions.list(271)->'count' AS count_271;
RESET ROLE;
-- the grants are dumped with the extension (regrole: by role name)
SELECT 'event_definitions.role_grants'::regclass = ANY (e.extconfig) AS dumped
FROM pg_extension e WHERE e.extname = 'event_definitions';

DELETE FROM event_definitions.user_projects WHERE project_id = 270;
DROP OWNED BY regress_ed_alice, regress_ed_bob;
DROP ROLE regress_ed_alice, regress_ed_bob;
