--
-- by_name and primary_properties (1.1): exact lookups by name, rendered as
-- retrieve and list render; blank names; project isolation; scopes.
-- Projects 601 and 691.
--
SET event_definitions.user_id = 1;
SELECT (event_definitions."create"(601, 'Purchase', '{"description": "Bought", "owner": 2, "tags": ["Revenue"], "primary_property": "amount"}')->>'id')::uuid AS id \gset
SELECT event_definitions.ingest(601, ARRAY['purchase', 'signup', '$pageview', 'blank_pp', 'Purchase']) AS created;
SELECT event_definitions.update(601, (event_definitions.by_name(601, 'signup')->>'id')::uuid,
                                '{"primary_property": "plan", "verified": true}')->'primary_property' AS pp;
SELECT event_definitions.update(601, (event_definitions.by_name(601, '$pageview')->>'id')::uuid,
                                '{"primary_property": "$current_url"}')->'primary_property' AS pp;
SELECT event_definitions.update(601, (event_definitions.by_name(601, 'blank_pp')->>'id')::uuid,
                                '{"primary_property": "   "}')->'primary_property' AS pp;
SELECT event_definitions."create"(691, 'Purchase', '{"primary_property": "other_project"}')->'primary_property' AS other;

-- by_name, retrieve and list render the same definition identically
SELECT event_definitions.by_name(601, 'Purchase') = event_definitions.retrieve(601, :'id') AS same_as_retrieve,
       event_definitions.by_name(601, 'Purchase') = event_definitions.list(601, names => ARRAY['Purchase'])->'results'->0 AS same_as_list,
       event_definitions.by_name(601, 'Purchase')->>'id' = :'id' AS same_id;
SELECT jsonb_pretty(event_definitions.by_name(601, 'Purchase') - 'id' - 'created_at' - 'updated_at' - 'last_seen_at');
-- a verified one too (verified_by is a user object in all three)
SELECT event_definitions.by_name(601, 'signup') = event_definitions.list(601, names => ARRAY['signup'])->'results'->0 AS verified_same_as_list;
-- named arguments, as PostgREST calls it
SELECT event_definitions.by_name(project_id => 601, name => '$pageview')->>'name' AS name;

-- exact and case-sensitive: another case is another definition, or none
SELECT event_definitions.by_name(601, 'purchase')->>'id' <> :'id' AS other_case_other_definition;
SELECT event_definitions.by_name(601, 'SIGNUP');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.by_name(601, 'signup ');
\echo :LAST_ERROR_SQLSTATE
-- no pattern matching
SELECT event_definitions.by_name(601, 'sign%');
\echo :LAST_ERROR_SQLSTATE
-- another project's name is not found; the message names the name
SELECT event_definitions.by_name(691, 'signup');
\echo :LAST_ERROR_SQLSTATE
-- blank or NULL names are argument errors
SELECT event_definitions.by_name(601, '');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.by_name(601, E' \t ');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.by_name(601, NULL);
\echo :LAST_ERROR_SQLSTATE
-- names that no definition can have
SELECT event_definitions.by_name(601, repeat('x', 401));
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.by_name(601, E'new\nline');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.by_name(NULL, 'signup');
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.by_name(0, 'signup');
\echo :LAST_ERROR_SQLSTATE

-- primary_properties: only set, non-blank ones of this project, by name
SELECT jsonb_pretty(event_definitions.primary_properties(601));
SELECT event_definitions.primary_properties(601, names => ARRAY['signup', 'purchase', 'Purchase', '']);
-- empty strings are dropped; nothing left means nothing matches
SELECT event_definitions.primary_properties(601, ARRAY['', '']);
SELECT event_definitions.primary_properties(601, '{}');
SELECT event_definitions.primary_properties(601, ARRAY['blank_pp', 'nope']);
SELECT event_definitions.primary_properties(691);
SELECT event_definitions.primary_properties(692);
SELECT event_definitions.primary_properties(601, ARRAY['signup', NULL]);
\echo :LAST_ERROR_SQLSTATE
SELECT event_definitions.primary_properties(601, ARRAY[['a'], ['b']]);
\echo :LAST_ERROR_SQLSTATE

-- scopes and projects from the claims, as every read
BEGIN;
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read"], "project_ids": [601]}', true);
SELECT event_definitions.by_name(601, 'signup')->>'name' AS name,
       event_definitions.primary_properties(601)->'primary_properties'->>'signup' AS pp;
SELECT event_definitions.by_name(691, 'Purchase');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"scopes": ["event_definition:read"], "project_ids": [601]}', true);
SELECT event_definitions.primary_properties(691);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"scopes": ["insight:read"]}', true);
SELECT event_definitions.by_name(601, 'signup');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"scopes": ["insight:read"]}', true);
SELECT event_definitions.primary_properties(601);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- reads: they work in a read-only transaction
BEGIN READ ONLY;
SELECT event_definitions.by_name(601, 'signup')->>'name' AS name;
ROLLBACK;
