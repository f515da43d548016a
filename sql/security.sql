--
-- security: the SECURITY DEFINER functions cannot be hijacked through the
-- caller's search_path, and a role with EXECUTE reaches no row by any
-- other path (tables, COPY, the trigger function).  Projects 220..221.
--
SELECT event_definitions.ingest(220, ARRAY['Checkout_Done', 'checkout_failed', 'signup'],
    ARRAY['2020-01-03 12:00Z', '2020-01-02 12:00Z', '2020-01-01 12:00Z']::timestamptz[]);
SELECT event_definitions.ingest(221, ARRAY['secret_event']);
SELECT (event_definitions.list(220, names => ARRAY['signup'])->'results'->0->>'id')::uuid AS id220 \gset

CREATE ROLE regress_ed_attacker;
GRANT USAGE ON SCHEMA event_definitions TO regress_ed_attacker;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA event_definitions TO regress_ed_attacker;
CREATE SCHEMA regress_ed_evil AUTHORIZATION regress_ed_attacker;

SET ROLE regress_ed_attacker;
SET search_path = regress_ed_evil, public;

-- look-alikes of what the functions' queries call, first on the path
CREATE FUNCTION regress_ed_evil.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'checkout' $$;
CREATE FUNCTION regress_ed_evil.strpos(text, text) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION regress_ed_evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT timestamptz '1999-01-01' $$;
CREATE FUNCTION regress_ed_evil.always(bigint, bigint) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR regress_ed_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = regress_ed_evil.always);
CREATE FUNCTION regress_ed_evil.text_always(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR regress_ed_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_ed_evil.text_always);
-- and in pg_temp, which a careless search_path searches first
CREATE FUNCTION pg_temp.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'checkout' $$;

-- none of them is used: the answers are the true ones
SELECT event_definitions.list(220, search => 'CHECKOUT')->'count' AS checkout_count,
       jsonb_path_query_array(event_definitions.list(220, search => 'CHECKOUT'), '$.results[*].name') AS names;
SELECT event_definitions.list(220, names => ARRAY['signup'])->'count' AS names_count;
SELECT event_definitions.list(220)->'count' AS project_220_count;
SELECT event_definitions.retrieve(220, :'id220')->>'name' AS retrieved;
SELECT event_definitions.ingest(220, ARRAY['signup']) AS created;
SELECT event_definitions.list(220, names => ARRAY['signup'])->'results'->0->>'last_seen_at' > '2020' AS still_real_time;

-- no path to rows but the functions
SELECT * FROM event_definitions.definitions;
SELECT * FROM event_definitions.project_stats;
SELECT * FROM event_definitions.activity_log;
SELECT * FROM event_definitions.daily_volume;
SELECT * FROM event_definitions.query_usage;
COPY event_definitions.definitions TO STDOUT;
COPY (SELECT name FROM event_definitions.definitions) TO STDOUT;
UPDATE event_definitions.definitions SET description = 'x';
DELETE FROM event_definitions.activity_log;
INSERT INTO event_definitions.users (id) VALUES (999);
SELECT event_definitions.definitions_changed();

-- claims narrow the attacker to project 220; 221 stays out of reach
SELECT set_config('request.jwt.claims', '{"scopes": ["*"], "project_ids": [220]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.list(221);
SELECT event_definitions.list(220)->'count' AS own_project_count;
-- a claim cannot be widened from inside a call's arguments
SELECT event_definitions.list(221, search => '", "project_ids": [221]');

-- a token may carry "\u0000" (which jsonb cannot hold) in any claim: it is
-- read as "?", so the call is judged on its real claims
SELECT set_config('request.jwt.claims', '{"name": "\u0000", "scopes": ["*"], "project_ids": [220]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.list(220)->'count' AS own_project_count;
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read\u0000"], "project_ids": [220]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.list(220)->'count' AS own_project_count;
SELECT set_config('request.jwt.claims', '{"scopes": ["*"], "project_ids": ["220\u0000"]}', false) IS NOT NULL AS claims_set;
SELECT event_definitions.list(220)->'count' AS own_project_count;

DROP FUNCTION pg_temp.lower(text);
RESET ROLE;
RESET search_path;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS claims_reset;
DROP SCHEMA regress_ed_evil CASCADE;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA event_definitions FROM regress_ed_attacker;
REVOKE ALL ON SCHEMA event_definitions FROM regress_ed_attacker;
DROP ROLE regress_ed_attacker;
