--
-- schema_groups: property groups, attachments, event_schema and the
-- schema_version they move, their errors and SQLSTATEs, activity, access,
-- violations(), metrics and list with has_violations.  Projects 1801..1803.
--
SET event_definitions.user_id = 1;
-- regress.err with the detail and hint
CREATE FUNCTION pg_temp.err(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    d text;
    h text;
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
    RETURN regexp_replace(SQLSTATE || ': ' || SQLERRM || coalesce(' | ' || nullif(d, ''), '') || coalesce(' | ' || nullif(h, ''), ''),
        '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g');
END $$;
SELECT event_definitions.ingest(1801, ARRAY['signup', 'checkout', 'pageview']) AS created;
SELECT (event_definitions.by_name(1801, 'signup')->>'id')::uuid AS signup,
       (event_definitions.by_name(1801, 'checkout')->>'id')::uuid AS checkout \gset

-- create: the group comes back with its properties by name, no events yet
SELECT regexp_replace(jsonb_pretty(g - 'id' - 'created_at' - 'updated_at'), '"[0-9a-f-]{36}"', '"<uuid>"', 'g') AS group
FROM event_definitions.property_group_create(1801, 'Account',
    '[{"name": "plan", "property_type": "String", "is_required": true, "description": "Billing plan"},
      {"name": "seats", "property_type": "Numeric"}]', 'Who pays') AS g;
SELECT (event_definitions.property_group_list(1801, search => 'account')->'results'->0->>'id')::uuid AS account \gset
-- the defaults: no properties, no description
SELECT g->'properties' AS properties, g->'description' AS description
FROM event_definitions.property_group_create(1801, 'empty') AS g;

-- errors of create
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'Account')$$) AS same_name;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'dup',
    '[{"name": "a", "property_type": "String"}, {"name": "b", "property_type": "String"}, {"name": "a", "property_type": "Numeric"}]')$$) AS duplicate_property;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'bad type', '[{"name": "a", "property_type": "Integer"}]')$$) AS unknown_type;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'bad type', '[{"name": "a", "property_type": "string"}]')$$) AS type_case;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'no type', '[{"name": "a"}]')$$) AS no_type;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'no name', '[{"property_type": "String"}]')$$) AS no_name;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'typo', '[{"name": "a", "property_type": "String", "required": true}]')$$) AS unknown_key;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'wrong', '[{"name": "a", "property_type": "String", "is_required": "yes"}]')$$) AS not_boolean;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'wrong', '[{"name": "", "property_type": "String"}]')$$) AS empty_property_name;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'wrong', '[{"name": "a\u0007", "property_type": "String"}]')$$) AS control_character;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'wrong', '["plan"]')$$) AS not_an_object;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'wrong', '{"name": "plan"}')$$) AS not_an_array;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'wrong',
    (SELECT jsonb_agg(jsonb_build_object('name', 'p' || i, 'property_type', 'String')) FROM generate_series(1, 1001) i))$$) AS too_many;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, '   ')$$) AS blank_group_name;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, repeat('x', 401))$$) AS long_group_name;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, NULL)$$) AS null_name;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(0, 'x')$$) AS bad_project;
-- 1,000 properties are fine
SELECT jsonb_array_length(event_definitions.property_group_create(1801, 'wide',
    (SELECT jsonb_agg(jsonb_build_object('name', 'p' || i, 'property_type', 'String')) FROM generate_series(1, 1000) i))->'properties') AS wide;
-- nothing of a failed create is left
SELECT count(*) AS groups FROM event_definitions.property_groups WHERE project_id = 1801;

-- retrieve
SELECT g->>'name' AS name, g->'events' AS events FROM event_definitions.property_group_retrieve(1801, :'account') AS g;
SELECT pg_temp.err($$SELECT event_definitions.property_group_retrieve(1801, '00000000-0000-4000-8000-000000000000')$$) AS missing;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_retrieve(1802, %L)', :'account')) AS other_project;

-- attach: the event's schema, version 1
SELECT regexp_replace(jsonb_pretty(event_definitions.schema_attach(1801, :'signup', :'account')), '"[0-9a-f-]{36}"', '"<uuid>"', 'g') AS schema;
SELECT pg_temp.err(format('SELECT event_definitions.schema_attach(1801, %L, %L)', :'signup', :'account')) AS again;
SELECT pg_temp.err(format('SELECT event_definitions.schema_attach(1801, %L, %L)', '00000000-0000-4000-8000-000000000000', :'account')) AS no_event;
SELECT pg_temp.err(format('SELECT event_definitions.schema_attach(1801, %L, %L)', :'signup', '00000000-0000-4000-8000-000000000000')) AS no_group;
SELECT pg_temp.err(format('SELECT event_definitions.schema_attach(1801, %L, NULL)', :'signup')) AS null_group;
-- a group of another project is not found, nor an event of another project
SELECT event_definitions.ingest(1802, ARRAY['elsewhere']) AS created;
SELECT (event_definitions.property_group_create(1802, 'theirs')->>'id')::uuid AS theirs,
       (event_definitions.by_name(1802, 'elsewhere')->>'id')::uuid AS elsewhere \gset
SELECT pg_temp.err(format('SELECT event_definitions.schema_attach(1801, %L, %L)', :'signup', :'theirs')) AS their_group;
SELECT pg_temp.err(format('SELECT event_definitions.schema_attach(1801, %L, %L)', :'elsewhere', :'account')) AS their_event;
SELECT count(*) AS attachments FROM event_definitions.event_schemas WHERE project_id = 1801;

-- the group lists its events
SELECT jsonb_path_query_array(event_definitions.property_group_retrieve(1801, :'account'), '$.events[*].name') AS events;

-- update: PATCH semantics, properties replaced whole, every attached event
-- gets a new version; the hash moves only with what is checked
SELECT event_definitions.event_schema(1801, :'signup')->>'schema_hash' AS hash1 \gset
SELECT g->>'name' AS name, g->>'description' AS description, jsonb_array_length(g->'properties') AS properties
FROM event_definitions.property_group_update(1801, :'account', '{"description": "Who pays, and how much"}') AS g;
SELECT s->'schema_version' AS version, s->>'schema_hash' = :'hash1' AS same_hash
FROM event_definitions.event_schema(1801, :'signup') AS s;
SELECT jsonb_path_query_array(g, '$.properties[*].name') AS properties
FROM event_definitions.property_group_update(1801, :'account',
    '{"properties": [{"name": "plan", "property_type": "String", "is_required": true}, {"name": "paid", "property_type": "Boolean", "is_required": true}]}') AS g;
SELECT s->'schema_version' AS version, s->>'schema_hash' = :'hash1' AS same_hash,
       jsonb_path_query_array(s, '$.properties[*].name') AS properties
FROM event_definitions.event_schema(1801, :'signup') AS s;
SELECT event_definitions.validate(1801, 'signup', '{"plan": "free"}') AS validate;
-- read-only keys of a rendered group are ignored: a group can be sent back as read
SELECT g->>'name' AS name FROM event_definitions.property_group_update(1801, :'account',
    event_definitions.property_group_retrieve(1801, :'account')) AS g;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_update(1801, %L, %L)', :'account', '{"name": "empty"}')) AS rename_to_taken;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_update(1801, %L, %L)', :'account', '{"bogus": 1}')) AS unknown_key;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_update(1801, %L, %L)', :'account', '{"properties": {}}')) AS properties_object;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_update(1801, %L, %L)', :'account', '{"properties": [{"name": "x", "property_type": "Date"}]}')) AS unknown_type;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_update(1801, %L, %L)', :'account', '{"properties": [{"name": "x", "property_type": "Date"}, {"name": "x", "property_type": "String"}]}')) AS type_checked_first;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_update(1801, %L, %L)', :'account', '[]')) AS patch_array;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_update(1801, %L, NULL)', :'account')) AS patch_null;
SELECT pg_temp.err($$SELECT event_definitions.property_group_update(1801, '00000000-0000-4000-8000-000000000000', '{}')$$) AS missing;
-- a failed update changed nothing
SELECT s->'schema_version' AS version FROM event_definitions.event_schema(1801, :'signup') AS s;
-- renaming is a change too
SELECT event_definitions.property_group_update(1801, :'account', '{"name": "Billing"}')->>'name' AS renamed;
SELECT s->'schema_version' AS version, s->'property_groups'->0->>'name' AS group_name
FROM event_definitions.event_schema(1801, :'signup') AS s;

-- two events with the same checks have the same hash
SELECT event_definitions.schema_attach(1801, :'checkout', :'account')->>'schema_hash' =
       event_definitions.event_schema(1801, :'signup')->>'schema_hash' AS same_hash;

-- event_schema of an event without schema; errors
SELECT regexp_replace(event_definitions.event_schema(1801, (event_definitions.by_name(1801, 'pageview')->>'id')::uuid)::text,
    '"[0-9a-f-]{36}"', '"<uuid>"', 'g') AS no_schema;
SELECT pg_temp.err($$SELECT event_definitions.event_schema(1801, '00000000-0000-4000-8000-000000000000')$$) AS missing;

-- detach
SELECT jsonb_path_query_array(event_definitions.schema_detach(1801, :'checkout', :'account'), '$.property_groups[*].name') AS groups,
       event_definitions.event_schema(1801, :'checkout')->'schema_version' AS version;
SELECT pg_temp.err(format('SELECT event_definitions.schema_detach(1801, %L, %L)', :'checkout', :'account')) AS not_attached;
SELECT event_definitions.validate(1801, 'checkout', '{}') AS after_detach;

-- delete: it leaves every schema it was in, which moves on
SELECT event_definitions.event_schema(1801, :'signup')->'schema_version' AS before_delete;
SELECT event_definitions.property_group_delete(1801, :'account');
SELECT s->'schema_version' AS version, s->'properties' AS properties FROM event_definitions.event_schema(1801, :'signup') AS s;
SELECT pg_temp.err(format('SELECT event_definitions.property_group_delete(1801, %L)', :'account')) AS again;
SELECT count(*) AS properties_left FROM event_definitions.property_group_properties WHERE project_id = 1801 AND group_id = :'account';

-- the activity log: group entries have their scope; attach and detach are
-- changes of the event definition
SELECT e->>'scope' AS scope, e->>'activity' AS activity, e->'detail'->>'name' AS name,
       jsonb_path_query_array(e, '$.detail.changes[*].field') AS fields
FROM jsonb_array_elements(event_definitions.activity(1801, page_limit => 100)->'results') e;
SELECT e->'detail'->'changes'->0 AS change
FROM jsonb_array_elements(event_definitions.activity(1801, :'checkout')->'results') e;

-- deleting an event definition takes its attachments and version with it
SELECT (event_definitions.property_group_create(1801, 'short lived')->>'id')::uuid AS short \gset
SELECT event_definitions.schema_attach(1801, :'checkout', :'short')->'schema_version' AS version;
SELECT event_definitions.delete(1801, :'checkout');
SELECT (SELECT count(*) FROM event_definitions.event_schemas WHERE project_id = 1801 AND definition_id = :'checkout') AS attachments,
       (SELECT count(*) FROM event_definitions.schema_versions WHERE project_id = 1801 AND definition_id = :'checkout') AS versions;
SELECT jsonb_array_length(event_definitions.property_group_retrieve(1801, :'short')->'events') AS events_of_group;

-- list: by name, search ignores case, pages
SELECT jsonb_path_query_array(event_definitions.property_group_list(1801), '$.results[*].name') AS names;
SELECT p->'count' AS count, jsonb_path_query_array(p, '$.results[*].name') AS names, p->'next' AS next
FROM event_definitions.property_group_list(1801, search => 'EMP', page_limit => 1) AS p;
SELECT p->'count' AS count, p->'next' AS next, p->'previous' AS previous
FROM event_definitions.property_group_list(1801, page_limit => 1, page_offset => 1) AS p;
SELECT event_definitions.property_group_list(1803) AS none;
SELECT pg_temp.err($$SELECT event_definitions.property_group_list(1801, page_limit => 0)$$) AS page_limit_zero;

-- validate: its own errors
SELECT pg_temp.err($$SELECT event_definitions.validate(1801, 'nope', '{}')$$) AS unknown_event;
SELECT pg_temp.err($$SELECT event_definitions.validate(1801, 'signup', '[1]')$$) AS not_object;
SELECT pg_temp.err($$SELECT event_definitions.validate(1801, 'signup', '"x"')$$) AS scalar;
-- a string that holds an object (what PostgREST makes of a GET's query string) is that object
SELECT event_definitions.validate(1801, 'signup', to_jsonb(' {"plan": "pro", "paid": "yes"}'::text)) AS from_a_string;
SELECT pg_temp.err($$SELECT event_definitions.validate(1801, 'signup', to_jsonb('{"plan": '::text))$$) AS bad_json_in_string;
SELECT pg_temp.err($$SELECT event_definitions.validate(1801, ' ', '{}')$$) AS blank;
SELECT pg_temp.err($$SELECT event_definitions.validate(1801, NULL, '{}')$$) AS null_name;

-- enforcement_mode: allow, warn and reject
SELECT event_definitions.update(1801, :'signup', '{"enforcement_mode": "warn"}')->>'enforcement_mode' AS mode;
SELECT event_definitions."create"(1801, 'planned', '{"enforcement_mode": "reject"}')->>'enforcement_mode' AS mode;
SELECT pg_temp.err(format('SELECT event_definitions.update(1801, %L, %L)', :'signup', '{"enforcement_mode": "Warn"}')) AS wrong_case;

-- violations: a page by day, event, property and reason (counted by
-- ingestion; written here as ingestion writes them)
INSERT INTO event_definitions.schema_violations (project_id, definition_id, day, property, reason, violations, samples)
VALUES (1801, :'signup', (now() AT TIME ZONE 'UTC')::date, 'plan', 'type_mismatch', 3, '{"1", "true"}'),
       (1801, :'signup', (now() AT TIME ZONE 'UTC')::date, 'paid', 'missing_required', 2, '{}'),
       (1801, :'signup', (now() AT TIME ZONE 'UTC')::date - 40, 'plan', 'type_mismatch', 7, '{"x"}');
SELECT e->>'event' AS event, e->>'property' AS property, e->>'reason' AS reason,
       e->>'day' = to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today, e->'count' AS count, e->'samples' AS samples
FROM jsonb_array_elements(event_definitions.violations(1801)->'results') e;
SELECT event_definitions.violations(1801, since => now() - interval '1 day')->'count' AS since_yesterday,
       event_definitions.violations(1801, id => :'signup', page_limit => 1)->'count' AS of_signup,
       event_definitions.violations(1801, id => gen_random_uuid())->'count' AS of_unknown,
       event_definitions.violations(1802)->'count' AS other_project;
SELECT p->'next' IS NOT NULL AS has_next FROM event_definitions.violations(1801, id => :'signup', page_limit => 1) AS p;
SELECT pg_temp.err($$SELECT event_definitions.violations(1801, since => 'infinity')$$) AS infinite_since;
-- metrics counts the violations of the last 30 days; list filters on them
SELECT event_definitions.metrics(1801, :'signup') AS metrics;
SELECT jsonb_path_query_array(event_definitions.list(1801, has_violations => true), '$.results[*].name') AS with_violations,
       jsonb_path_query_array(event_definitions.list(1801, has_violations => false), '$.results[*].name') AS without;
SELECT event_definitions.list(1801, has_violations => true, page_limit => 1)->>'next' AS next_link;

-- access: read scope reads, write scope writes, other projects are refused
SET request.jwt.claims = '{"scopes": ["event_definition:read"], "project_ids": [1801]}';
SELECT event_definitions.property_group_list(1801)->'count' AS readable;
SELECT event_definitions.validate(1801, 'signup', '{}')->'valid' AS valid;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'x')$$) AS write_needs_scope;
SELECT pg_temp.err(format('SELECT event_definitions.schema_detach(1801, %L, %L)', :'signup', :'short')) AS detach_needs_scope;
SELECT pg_temp.err($$SELECT event_definitions.property_group_list(1802)$$) AS other_project;
SELECT pg_temp.err($$SELECT event_definitions.violations(1802)$$) AS other_project_violations;
SET request.jwt.claims = '{"scopes": ["event_definition:write"], "project_ids": [1801]}';
SELECT event_definitions.property_group_create(1801, 'by writer')->>'name' AS created;
RESET request.jwt.claims;
-- writes fail up front in a read-only transaction
BEGIN READ ONLY;
SELECT pg_temp.err($$SELECT event_definitions.property_group_create(1801, 'ro')$$) AS read_only;
COMMIT;

-- A compiled schema is never used across a change.  In one session: a
-- change made in a transaction is seen by its next statement; after a
-- rollback the old schema is back, and a new change that happens to get
-- the same version number (the rolled-back one never committed) is not
-- mistaken for it.
SELECT event_definitions.ingest(1803, ARRAY['order']) AS created;
SELECT (event_definitions.by_name(1803, 'order')->>'id')::uuid AS order_id,
       (event_definitions.property_group_create(1803, 'amounts', '[{"name": "amount", "property_type": "Numeric", "is_required": true}]')->>'id')::uuid AS amounts,
       (event_definitions.property_group_create(1803, 'notes', '[{"name": "note", "property_type": "String", "is_required": true}]')->>'id')::uuid AS notes \gset
SELECT event_definitions.validate(1803, 'order', '{}') AS no_schema;
BEGIN;
SELECT event_definitions.schema_attach(1803, :'order_id', :'amounts')->'schema_version' AS version;
SELECT event_definitions.validate(1803, 'order', '{}')->'errors'->0->>'property' AS missing;
ROLLBACK;
SELECT event_definitions.validate(1803, 'order', '{}') AS after_rollback;
SELECT event_definitions.schema_attach(1803, :'order_id', :'notes')->'schema_version' AS same_version_again;
SELECT event_definitions.validate(1803, 'order', '{}')->'errors'->0->>'property' AS missing;
BEGIN;
SELECT event_definitions.property_group_update(1803, :'notes', '{"properties": [{"name": "total", "property_type": "Numeric", "is_required": true}]}')->'name' AS changed;
SELECT event_definitions.validate(1803, 'order', '{}')->'errors'->0->>'property' AS missing;
ROLLBACK;
SELECT event_definitions.validate(1803, 'order', '{}')->'errors'->0->>'property' AS missing;
-- and the cache's memory bound: with room for nothing, answers are the same
SET event_definitions.schema_cache_size = 0;
SELECT event_definitions.validate(1803, 'order', '{"note": 1}') AS uncached;
RESET event_definitions.schema_cache_size;
SHOW event_definitions.schema_cache_size;
