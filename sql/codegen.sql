--
-- codegen (1.2): typed code generation and codegen_status.  The selection
-- of events, the merging of groups, identifiers, schema_hash by PostHog's
-- formula, determinism, the status of a checked-in file, errors and
-- access.  Projects 1900 to 1909.  (test/codegen compiles the output.)
--
SET event_definitions.user_id = 1;

-- err(sql): 'no error', or the SQLSTATE, message and hint
CREATE FUNCTION pg_temp.err(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    h text;
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
    RETURN SQLSTATE || ': ' || SQLERRM || CASE WHEN h <> '' THEN ' HINT: ' || h ELSE '' END;
END $$;

-- group(project, name, properties) -> its id; attach(project, event, group)
CREATE FUNCTION pg_temp.group_id(p bigint, n text, props jsonb) RETURNS uuid LANGUAGE sql AS $$
    SELECT (event_definitions.property_group_create(p, n, props)->>'id')::uuid
$$;
CREATE FUNCTION pg_temp.attach(p bigint, event text, g text) RETURNS bigint LANGUAGE sql AS $$
    SELECT (event_definitions.schema_attach(p,
        (event_definitions.by_name(p, event)->>'id')::uuid,
        (SELECT id FROM event_definitions.property_groups WHERE project_id = p AND name = g))->>'schema_version')::bigint
$$;
-- the events of a TypeScript file: the keys of its EventSchemas
CREATE FUNCTION pg_temp.ts_events(content text) RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(m[1] ORDER BY o)
    FROM regexp_matches(content, '^    ("(?:[^"\\]|\\.)*"): ', 'gn') WITH ORDINALITY AS x(m, o)
$$;

-- ---- the selection: PostHog's, hidden ones left out ---------------------
SELECT event_definitions.ingest(1900, ARRAY['signup', '$pageview', '$pageleave', '$screen', '$autocapture',
                                            '$identify', 'purchase', 'Zebra', 'hidden one', '$$double']) AS ingested;
SELECT event_definitions.update(1900, (event_definitions.by_name(1900, 'hidden one')->>'id')::uuid,
                                '{"hidden": true}')->'hidden' AS hidden;
SELECT r->'event_count' AS event_count, pg_temp.ts_events(r->>'content') AS events
FROM event_definitions.codegen(1900, 'typescript') AS r;
-- names: exactly those of the project (any name, $ or not), in name order,
-- once each; unknown names are left out, hidden ones too
SELECT pg_temp.ts_events(event_definitions.codegen(1900, 'typescript',
           ARRAY['signup', '$autocapture', 'signup', 'no such event', 'hidden one', 'Zebra'])->>'content') AS named;
SELECT event_definitions.codegen(1900, 'typescript', ARRAY[]::text[])->'event_count' AS none_named;
-- another project's events are not seen
SELECT event_definitions.codegen(1909, 'python')->'event_count' AS empty_project;

-- ---- one small catalog in every language --------------------------------
SELECT event_definitions.ingest(1901, ARRAY['order placed', '$pageview']) AS ingested;
SELECT pg_temp.group_id(1901, 'order', '[{"name": "total", "property_type": "Numeric", "is_required": true},
                                         {"name": "placed-at", "property_type": "DateTime"}]') IS NOT NULL AS order_group;
SELECT pg_temp.attach(1901, 'order placed', 'order') AS version;
SELECT r->>'language' AS language, r->'event_count' AS events, r->>'schema_hash' AS schema_hash,
       r->>'generator_version' AS generator_version
FROM unnest(ARRAY['typescript', 'golang', 'python', 'jsonschema']) AS l,
     event_definitions.codegen(1901, l) AS r;
-- the parts of each file that come from the catalog (test/codegen/golden
-- has whole files)
SELECT (regexp_match(event_definitions.codegen(1901, 'typescript')->>'content',
                     '(export interface EventSchemas \{.*?)\n\nexport type EventName'))[1] AS typescript;
SELECT (regexp_match(event_definitions.codegen(1901, 'python')->>'content',
                     '\n(# "\$pageview".*?)\n\n\n_client'))[1] AS python;
SELECT m[1] AS python_overloads
FROM regexp_matches(event_definitions.codegen(1901, 'python')->>'content',
                    '^    ((?:event|properties): [^\n]*)$', 'gn') AS m;
SELECT (regexp_match(event_definitions.codegen(1901, 'golang')->>'content',
                     '(// OrderPlaced holds.*?\n\}\n.*?\n\}\n)'))[1] AS golang;
SELECT jsonb_pretty(((event_definitions.codegen(1901, 'jsonschema')->>'content')::jsonb->'definitions')
                    - 'numeric' - 'datetime') AS jsonschema;
-- the content is JSON: the document parses, and the patterns are there
SELECT (c::jsonb)->'definitions'->'numeric'->'anyOf'->1->>'pattern' LIKE '^%' AS numeric_pattern,
       (c::jsonb)->'definitions'->'datetime'->'anyOf'->0->>'pattern' LIKE '^%' AS datetime_pattern
FROM (SELECT event_definitions.codegen(1901, 'jsonschema')->>'content') AS x(c);

-- ---- merging groups -----------------------------------------------------
-- "amount" is in two groups with two types: the union of the types;
-- required by one group only: optional in the typed languages, required
-- by validate() and the JSON Schema (which do not check a conflict at all);
-- "currency" is required by both: required everywhere
SELECT event_definitions.ingest(1902, ARRAY['checkout']) AS ingested;
SELECT pg_temp.group_id(1902, 'money', '[{"name": "amount", "property_type": "Numeric", "is_required": true},
                                         {"name": "currency", "property_type": "String", "is_required": true},
                                         {"name": "note", "property_type": "String", "is_required": true}]') IS NOT NULL AS g1,
       pg_temp.group_id(1902, 'legacy', '[{"name": "amount", "property_type": "String"},
                                          {"name": "currency", "property_type": "String", "is_required": true},
                                          {"name": "note", "property_type": "String"}]') IS NOT NULL AS g2;
SELECT pg_temp.attach(1902, 'checkout', 'money') AS v1, pg_temp.attach(1902, 'checkout', 'legacy') AS v2;
SELECT substring(event_definitions.codegen(1902, 'typescript')->>'content' from '    "checkout": \{[^}]*\}') AS typescript;
SELECT substring(event_definitions.codegen(1902, 'python')->>'content' from 'Checkout = TypedDict[^)]*\)') AS python;
SELECT (regexp_match(event_definitions.codegen(1902, 'golang')->>'content', '(type Checkout struct \{.*?\n\})'))[1] AS golang;
SELECT jsonb_pretty((event_definitions.codegen(1902, 'jsonschema')->>'content')::jsonb->'definitions'->'Checkout') AS jsonschema;
SELECT event_definitions.validate(1902, 'checkout', '{"currency": "EUR", "note": "n"}')->'valid' AS amount_absent_valid,
       event_definitions.validate(1902, 'checkout', '{"currency": "EUR", "note": "n", "amount": {}}')->'valid' AS conflict_not_checked,
       event_definitions.validate(1902, 'checkout', '{"amount": 1}')->'errors'->0->>'property' AS missing;

-- ---- identifiers --------------------------------------------------------
-- "$", "-", spaces, a leading digit, reserved words, non-ASCII, no word at
-- all; collisions get _2, _3 in name order; the names stay in the output
SELECT event_definitions.ingest(1903, ARRAY['$pageview', 'page view', 'page-view', 'page_view', 'pageView',
                                            '3d secure', 'None', 'none', 'Record', 'café ☕', '☕', '!!!',
                                            'user ID', 'class', 'EventName']) AS ingested;
SELECT m[1] AS ident, m[2] AS name
FROM regexp_matches(event_definitions.codegen(1903, 'typescript')->>'content',
                    '^export type (\w+) = EventSchemas\[("[^\]]*")\]$', 'gn') AS m;
SELECT pg_temp.group_id(1903, 'odd names', '[{"name": "$set", "property_type": "Object"},
    {"name": "set", "property_type": "String"}, {"name": "Set", "property_type": "String"},
    {"name": "1st", "property_type": "Numeric"}, {"name": "Extra", "property_type": "String"},
    {"name": "Properties", "property_type": "String"}, {"name": "True", "property_type": "Boolean"},
    {"name": "say \"hi\"\\", "property_type": "String"}, {"name": "zero\u200bwidth\ufeff\u202e", "property_type": "String"}]') IS NOT NULL AS g;
SELECT pg_temp.attach(1903, 'class', 'odd names') AS version;
SELECT (regexp_match(event_definitions.codegen(1903, 'golang')->>'content', '(type Class struct \{.*?\n\})'))[1] AS go_fields;
-- literals escape quotes, backslashes, the byte order mark and bidirectional controls
SELECT m[1] AS python_key
FROM regexp_matches(event_definitions.codegen(1903, 'python')->>'content', '^    ("[^\n]*"): ', 'gn') AS m;

-- ---- determinism --------------------------------------------------------
-- the same catalog made in two projects in opposite orders: the same bytes
SELECT event_definitions.ingest(1904, ARRAY['a', 'b', 'c']) AS ingested,
       event_definitions.ingest(1905, ARRAY['c', 'b', 'a']) AS ingested_reversed;
SELECT pg_temp.group_id(1904, 'g1', '[{"name": "x", "property_type": "String"}, {"name": "y", "property_type": "Numeric", "is_required": true}]') IS NOT NULL,
       pg_temp.group_id(1904, 'g2', '[{"name": "y", "property_type": "String"}, {"name": "z", "property_type": "Boolean"}]') IS NOT NULL;
SELECT pg_temp.attach(1904, 'a', 'g1'), pg_temp.attach(1904, 'a', 'g2'), pg_temp.attach(1904, 'c', 'g2');
SELECT pg_temp.group_id(1905, 'g2', '[{"name": "z", "property_type": "Boolean"}, {"name": "y", "property_type": "String"}]') IS NOT NULL,
       pg_temp.group_id(1905, 'g1', '[{"name": "y", "property_type": "Numeric", "is_required": true}, {"name": "x", "property_type": "String"}]') IS NOT NULL;
SELECT pg_temp.attach(1905, 'c', 'g2'), pg_temp.attach(1905, 'a', 'g2'), pg_temp.attach(1905, 'a', 'g1');
SELECT l AS language,
       event_definitions.codegen(1904, l) = event_definitions.codegen(1905, l) AS same_bytes,
       event_definitions.codegen(1904, l) = event_definitions.codegen(1904, l) AS twice_same
FROM unnest(ARRAY['typescript', 'golang', 'python', 'jsonschema']) AS l;
-- no time in the output: another transaction, later, gets the same bytes
SELECT event_definitions.codegen(1904, 'typescript') AS before \gset
SELECT event_definitions.codegen(1904, 'typescript') = :'before'::jsonb AS same_later,
       strpos(:'before', to_char(now(), 'YYYY-MM-DD')) = 0 AS no_date;

-- ---- schema_hash: PostHog's formula -------------------------------------
-- PostHog's test input: event_a with field1, a required String.  The hash
-- is the first 32 hex digits of the SHA-256 of this exact JSON text:
SELECT event_definitions.ingest(1906, ARRAY['event_a']) AS ingested;
SELECT pg_temp.group_id(1906, 'fields', '[{"name": "field1", "property_type": "String", "is_required": true}]') IS NOT NULL AS g;
SELECT pg_temp.attach(1906, 'event_a', 'fields') AS version;
SELECT left(encode(sha256(convert_to('{"schemas":[["event_a",[["field1","String",true]]]],"version":"1.0.0"}', 'UTF8')), 'hex'), 32) AS formula,
       event_definitions.codegen(1906, 'typescript')->>'schema_hash' AS codegen,
       event_definitions.codegen(1906, 'typescript')->>'schema_hash' = '4f3c263dbaa73e1784591550340893f1' AS posthog_value;
-- one row per group: a property in two groups is hashed twice, as PostHog does
SELECT pg_temp.group_id(1906, 'more fields', '[{"name": "field1", "property_type": "String", "is_required": false}]') IS NOT NULL AS g;
SELECT pg_temp.attach(1906, 'event_a', 'more fields') AS version;
SELECT event_definitions.codegen(1906, 'golang')->>'schema_hash' =
       left(encode(sha256(convert_to('{"schemas":[["event_a",[["field1","String",false],["field1","String",true]]]],"version":"1.0.0"}', 'UTF8')), 'hex'), 32) AS two_rows;
-- PostHog's cases: what changes the hash and what does not
SELECT event_definitions.codegen(1906, 'python')->>'schema_hash' AS h \gset
SELECT event_definitions.property_group_update(1906, (SELECT id FROM event_definitions.property_groups
                                                      WHERE project_id = 1906 AND name = 'more fields'),
                                               '{"description": "only the description"}')->'name' AS described;
SELECT event_definitions.codegen(1906, 'python')->>'schema_hash' = :'h' AS description_keeps_hash;
SELECT event_definitions.property_group_update(1906, (SELECT id FROM event_definitions.property_groups
                                                      WHERE project_id = 1906 AND name = 'more fields'),
                                               '{"properties": [{"name": "field1", "property_type": "Numeric"}]}')->'name' AS retyped;
SELECT event_definitions.codegen(1906, 'python')->>'schema_hash' <> :'h' AS type_moves_hash;
SELECT event_definitions.ingest(1906, ARRAY['event_b']) AS new_event;
SELECT event_definitions.codegen(1906, 'python')->>'schema_hash' AS h2 \gset
SELECT :'h2' <> :'h' AS new_event_moves_hash;
SELECT event_definitions.update(1906, (event_definitions.by_name(1906, 'event_b')->>'id')::uuid, '{"hidden": true}')->'hidden' AS hidden;
SELECT event_definitions.codegen(1906, 'python')->>'schema_hash' <> :'h2' AS hiding_moves_hash;
-- events sorted by name, properties sorted: the order of writes does not matter
SELECT event_definitions.codegen(1904, 'jsonschema')->>'schema_hash' =
       event_definitions.codegen(1905, 'jsonschema')->>'schema_hash' AS same_hash_any_order;

-- ---- codegen_status -----------------------------------------------------
SELECT event_definitions.ingest(1907, ARRAY['signup', 'login', 'logout']) AS ingested;
SELECT event_definitions.codegen(1907, 'typescript') AS file \gset
SELECT event_definitions.codegen(1907, 'jsonschema')->>'content' AS schema_file \gset
SELECT event_definitions.codegen_status(1907, :'file'::jsonb->>'schema_hash') AS current_file;
-- upper case is the same hash
SELECT event_definitions.codegen_status(1907, upper(:'file'::jsonb->>'schema_hash'))->'current' AS upper_case;
-- the catalog moves on: a schema for signup, a new event, one hidden
SELECT pg_temp.group_id(1907, 'who', '[{"name": "plan", "property_type": "String", "is_required": true}]') IS NOT NULL AS g;
SELECT pg_temp.attach(1907, 'signup', 'who') AS version;
SELECT event_definitions.ingest(1907, ARRAY['purchase']) AS ingested;
SELECT event_definitions.update(1907, (event_definitions.by_name(1907, 'logout')->>'id')::uuid, '{"hidden": true}')->'hidden' AS hidden;
-- the hash alone says the file is stale, not what changed
SELECT event_definitions.codegen_status(1907, :'file'::jsonb->>'schema_hash') - 'schema_hash' AS stale;
-- the file says what changed, whatever its language
SELECT event_definitions.codegen_status(1907, :'file'::jsonb->>'schema_hash', content => :'file'::jsonb->>'content')->'changed_events' AS changed;
SELECT event_definitions.codegen_status(1907, :'file'::jsonb->>'schema_hash', content => :'schema_file')->'changed_events' AS changed_from_json_schema;
-- a file that is current lists nothing
SELECT event_definitions.codegen(1907, 'python') AS now \gset
SELECT s->'current' AS current, s->'changed_events' AS changed
FROM event_definitions.codegen_status(1907, :'now'::jsonb->>'schema_hash', content => :'now'::jsonb->>'content') AS s;
-- names: a file generated for some events is compared with those events
SELECT event_definitions.codegen(1907, 'golang', ARRAY['login', 'signup']) AS some \gset
SELECT event_definitions.codegen_status(1907, :'some'::jsonb->>'schema_hash', ARRAY['login', 'signup'])->'current' AS with_names,
       event_definitions.codegen_status(1907, :'some'::jsonb->>'schema_hash')->'current' AS without_names;
-- an edited manifest line is reported, not trusted
SELECT pg_temp.err(format('SELECT event_definitions.codegen_status(1907, %L, content => %L)',
                          :'now'::jsonb->>'schema_hash',
                          replace(:'now'::jsonb->>'content', '"signup"', '"signup'))) AS truncated_name;
SELECT pg_temp.err(format('SELECT event_definitions.codegen_status(1907, %L, content => %L)',
                          :'now'::jsonb->>'schema_hash',
                          regexp_replace(:'now'::jsonb->>'content', '@event [0-9a-f]{4}', '@event zzzz'))) AS bad_fingerprint;
SELECT pg_temp.err(format('SELECT event_definitions.codegen_status(1907, %L, content => %L)',
                          :'now'::jsonb->>'schema_hash',
                          (:'now'::jsonb->>'content') || E'\n# @event 00000000000000000000000000000000 "login"\n')) AS listed_twice;
SELECT pg_temp.err($$SELECT event_definitions.codegen_status(1907, '00000000000000000000000000000000', content => 'hello')$$) AS not_generated;
SELECT pg_temp.err($$SELECT event_definitions.codegen_status(1907, '00000000000000000000000000000000', content => '{"$comment": 1')$$) AS bad_json;
SELECT pg_temp.err($$SELECT event_definitions.codegen_status(1907, 'abc')$$) AS short_hash;
SELECT pg_temp.err($$SELECT event_definitions.codegen_status(1907, '0776c220894e11d8e4c2bfa6603c8a8g')$$) AS not_hex;
SELECT pg_temp.err($$SELECT event_definitions.codegen_status(1907, NULL)$$) AS null_hash;

-- ---- errors -------------------------------------------------------------
SELECT pg_temp.err($$SELECT event_definitions.codegen(1900, 'ruby')$$) AS other_language;
SELECT pg_temp.err($$SELECT event_definitions.codegen(1900, 'TypeScript')$$) AS case_matters;
SELECT pg_temp.err($$SELECT event_definitions.codegen(1900, NULL)$$) AS null_language;
SELECT pg_temp.err($$SELECT event_definitions.codegen(NULL, 'python')$$) AS null_project;
SELECT pg_temp.err($$SELECT event_definitions.codegen(0, 'python')$$) AS project_zero;
SELECT pg_temp.err($$SELECT event_definitions.codegen(1900, 'python', ARRAY['signup', NULL])$$) AS null_name;
SELECT pg_temp.err($$SELECT event_definitions.codegen(1900, 'python', ARRAY[['a', 'b'], ['c', 'd']])$$) AS two_dimensions;
-- the number of events is bounded by a setting
SET event_definitions.codegen_max_events = 3;
SELECT pg_temp.err($$SELECT event_definitions.codegen(1900, 'golang')$$) AS too_many;
SELECT event_definitions.codegen(1900, 'golang', ARRAY['signup', 'purchase'])->'event_count' AS named_fit;
SELECT pg_temp.err($$SELECT event_definitions.codegen_status(1900, '00000000000000000000000000000000')$$) AS status_too;
RESET event_definitions.codegen_max_events;
SHOW event_definitions.codegen_max_events;

-- ---- access -------------------------------------------------------------
-- the read scope is enough, in a read-only transaction; another project is refused
SET request.jwt.claims = '{"scopes": ["event_definition:read"], "project_ids": [1907]}';
BEGIN READ ONLY;
SELECT event_definitions.codegen(1907, 'python')->'event_count' AS readable;
SELECT event_definitions.codegen_status(1907, :'now'::jsonb->>'schema_hash')->'current' AS status_readable;
COMMIT;
SELECT pg_temp.err($$SELECT event_definitions.codegen(1900, 'python')$$) AS other_project;
SELECT pg_temp.err($$SELECT event_definitions.codegen_status(1900, '00000000000000000000000000000000')$$) AS other_project_status;
SET request.jwt.claims = '{"scopes": ["insight:read"], "project_ids": [1907]}';
SELECT pg_temp.err($$SELECT event_definitions.codegen(1907, 'python')$$) AS no_scope;
RESET request.jwt.claims;
-- not granted to PUBLIC; STABLE, as the contract says
SELECT p.proname, p.provolatile, p.proparallel, p.prosecdef,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute,
       pg_get_function_arguments(p.oid) AS arguments
FROM pg_proc p
WHERE p.pronamespace = 'event_definitions'::regnamespace AND p.proname IN ('codegen', 'codegen_status')
ORDER BY p.proname;
