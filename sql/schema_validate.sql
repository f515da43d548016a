--
-- schema_validate: PostHog's validate-event-schema test vectors, one line
-- per case with the expected outcome (valid, or the reason of the error),
-- then this extension's own cases of the coercion table.  Project 1800.
--
-- Each vector names the property's type, whether it is required, and the
-- event's properties; the schema is made of property groups and attached
-- to one event per case, and validate() is asked.  A case of PostHog's
-- tests that does not apply is said so where it would be.
--

-- one event per (type, required) with a group holding one property "prop"
DO $$
DECLARE
    t text;
    r boolean;
    g uuid;
    e uuid;
BEGIN
    FOREACH t IN ARRAY ARRAY['String', 'Numeric', 'Boolean', 'DateTime', 'Object'] LOOP
        FOREACH r IN ARRAY ARRAY[true, false] LOOP
            g := (event_definitions.property_group_create(1800, t || CASE WHEN r THEN ' required' ELSE ' optional' END,
                    jsonb_build_array(jsonb_build_object('name', 'prop', 'property_type', t, 'is_required', r)))->>'id')::uuid;
            e := (event_definitions."create"(1800, lower(t) || CASE WHEN r THEN '_required' ELSE '_optional' END)->>'id')::uuid;
            PERFORM event_definitions.schema_attach(1800, e, g);
        END LOOP;
    END LOOP;
END $$;

-- outcome(event, properties): "valid", or the reasons of the errors
CREATE FUNCTION pg_temp.outcome(event text, properties jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN (v->>'valid')::boolean THEN 'valid'
                ELSE (SELECT string_agg(e->>'property' || ':' || (e->>'reason'), ' ' ORDER BY e->>'property')
                      FROM jsonb_array_elements(v->'errors') e) END
    FROM event_definitions.validate(1800, event, properties) AS v
$$;

CREATE TEMP TABLE vectors (n serial, suite text, label text, event text, properties jsonb, expected text);
INSERT INTO vectors (suite, label, event, properties, expected) VALUES
-- missing required fields
('missing required', 'undefined (absent)',                'string_required',  '{}',                         'prop:missing_required'),
('missing required', 'null',                              'string_required',  '{"prop": null}',             'prop:missing_required'),
('missing required', 'missing from the properties object','string_required',  '{"other": 1}',               'prop:missing_required'),
('missing required', 'properties object undefined',       'string_required',  NULL,                         'prop:missing_required'),
-- optional properties (Numeric)
('optional Numeric', 'missing',                           'numeric_optional', '{}',                         'valid'),
('optional Numeric', 'null',                              'numeric_optional', '{"prop": null}',             'valid'),
('optional Numeric', 'present with correct type',         'numeric_optional', '{"prop": 42}',               'valid'),
('optional Numeric', 'present with wrong type',           'numeric_optional', '{"prop": "not-a-number"}',   'prop:type_mismatch'),
-- String type coercion: everything is a string
('String',   'string',                'string_required', '{"prop": "hello"}',       'valid'),
('String',   'number',                'string_required', '{"prop": 42}',            'valid'),
('String',   'boolean',               'string_required', '{"prop": true}',          'valid'),
('String',   'object',                'string_required', '{"prop": {"foo": "bar"}}','valid'),
('String',   'array',                 'string_required', '{"prop": [1, 2, 3]}',     'valid'),
-- Numeric type coercion
('Numeric',  'integer',               'numeric_required', '{"prop": 42}',           'valid'),
('Numeric',  'float',                 'numeric_required', '{"prop": 3.14}',         'valid'),
('Numeric',  'negative number',       'numeric_required', '{"prop": -10}',          'valid'),
('Numeric',  'zero',                  'numeric_required', '{"prop": 0}',            'valid'),
('Numeric',  'numeric string',        'numeric_required', '{"prop": "42"}',         'valid'),
('Numeric',  'negative numeric string','numeric_required', '{"prop": "-10"}',       'valid'),
('Numeric',  'float string',          'numeric_required', '{"prop": "3.14"}',       'valid'),
('Numeric',  'non-numeric string',    'numeric_required', '{"prop": "hello"}',      'prop:type_mismatch'),
('Numeric',  'empty string',          'numeric_required', '{"prop": ""}',           'prop:type_mismatch'),
('Numeric',  'whitespace string',     'numeric_required', '{"prop": "   "}',        'prop:type_mismatch'),
('Numeric',  'object',                'numeric_required', '{"prop": {"foo": "bar"}}','prop:type_mismatch'),
('Numeric',  'array',                 'numeric_required', '{"prop": [1, 2, 3]}',    'prop:type_mismatch'),
('Numeric',  'boolean true',          'numeric_required', '{"prop": true}',         'prop:type_mismatch'),
('Numeric',  'boolean false',         'numeric_required', '{"prop": false}',        'prop:type_mismatch'),
-- JSON has no Infinity or NaN: a number too large for a double is what
-- becomes Infinity once PostHog's JSON parser has read it
('Numeric',  'Infinity (1e400)',      'numeric_required', '{"prop": 1e400}',        'prop:type_mismatch'),
('Numeric',  '-Infinity (-1e400)',    'numeric_required', '{"prop": -1e400}',       'prop:type_mismatch'),
('Numeric',  'string "Infinity"',     'numeric_required', '{"prop": "Infinity"}',   'prop:type_mismatch'),
('Numeric',  'string "-Infinity"',    'numeric_required', '{"prop": "-Infinity"}',  'prop:type_mismatch'),
('Numeric',  'string "NaN"',          'numeric_required', '{"prop": "NaN"}',        'prop:type_mismatch'),
-- Boolean type coercion
('Boolean',  'true',                  'boolean_required', '{"prop": true}',         'valid'),
('Boolean',  'false',                 'boolean_required', '{"prop": false}',        'valid'),
('Boolean',  'string "true"',         'boolean_required', '{"prop": "true"}',       'valid'),
('Boolean',  'string "false"',        'boolean_required', '{"prop": "false"}',      'valid'),
('Boolean',  'number 1',              'boolean_required', '{"prop": 1}',            'prop:type_mismatch'),
('Boolean',  'number 0',              'boolean_required', '{"prop": 0}',            'prop:type_mismatch'),
('Boolean',  'string "yes"',          'boolean_required', '{"prop": "yes"}',        'prop:type_mismatch'),
('Boolean',  'string "no"',           'boolean_required', '{"prop": "no"}',         'prop:type_mismatch'),
('Boolean',  'string "TRUE"',         'boolean_required', '{"prop": "TRUE"}',       'prop:type_mismatch'),
('Boolean',  'string "FALSE"',        'boolean_required', '{"prop": "FALSE"}',      'prop:type_mismatch'),
('Boolean',  'string "True"',         'boolean_required', '{"prop": "True"}',       'prop:type_mismatch'),
('Boolean',  'string "False"',        'boolean_required', '{"prop": "False"}',      'prop:type_mismatch'),
('Boolean',  'object',                'boolean_required', '{"prop": {}}',           'prop:type_mismatch'),
('Boolean',  'array',                 'boolean_required', '{"prop": []}',           'prop:type_mismatch'),
-- DateTime type coercion
('DateTime', 'unix timestamp',        'datetime_required', '{"prop": 1609459200}',  'valid'),
('DateTime', 'ISO string',            'datetime_required', '{"prop": "2021-01-01T00:00:00Z"}', 'valid'),
('DateTime', 'ISO string with offset','datetime_required', '{"prop": "2021-01-01T00:00:00+00:00"}', 'valid'),
('DateTime', 'date string',           'datetime_required', '{"prop": "2021-01-01"}', 'valid'),
('DateTime', 'invalid date string',   'datetime_required', '{"prop": "not-a-date"}', 'prop:type_mismatch'),
('DateTime', 'object',                'datetime_required', '{"prop": {}}',          'prop:type_mismatch'),
('DateTime', 'array',                 'datetime_required', '{"prop": []}',          'prop:type_mismatch'),
('DateTime', 'boolean',               'datetime_required', '{"prop": true}',        'prop:type_mismatch'),
-- Object type coercion
('Object',   'plain object',          'object_required', '{"prop": {"foo": "bar"}}', 'valid'),
('Object',   'empty object',          'object_required', '{"prop": {}}',            'valid'),
('Object',   'array',                 'object_required', '{"prop": [1, 2, 3]}',     'valid'),
('Object',   'empty array',           'object_required', '{"prop": []}',            'valid'),
('Object',   'string',                'object_required', '{"prop": "hello"}',       'prop:type_mismatch'),
('Object',   'number',                'object_required', '{"prop": 42}',            'prop:type_mismatch'),
('Object',   'boolean',               'object_required', '{"prop": true}',          'prop:type_mismatch');
-- PostHog's "Any" type, "unknown types" and value rules (enum, minimum...)
-- have no counterpart: property_type is one of five (22023 otherwise,
-- schema_groups), and groups carry types only.

SELECT n, suite, label, pg_temp.outcome(event, properties) AS outcome,
       CASE WHEN pg_temp.outcome(event, properties) = expected THEN '' ELSE 'expected ' || expected END AS wrong
FROM vectors ORDER BY n;

-- schemas of several properties and groups
SELECT (event_definitions."create"(1800, 'profile')->>'id')::uuid AS profile \gset
SELECT (event_definitions.property_group_create(1800, 'three', '[
    {"name": "field1", "property_type": "String", "is_required": true},
    {"name": "field2", "property_type": "Numeric", "is_required": true},
    {"name": "field3", "property_type": "Boolean", "is_required": true}]')->>'id')::uuid AS three \gset
SELECT (event_definitions.property_group_create(1800, 'person', '[
    {"name": "name", "property_type": "String", "is_required": true},
    {"name": "age", "property_type": "Numeric", "is_required": true},
    {"name": "optional_prop", "property_type": "Numeric"}]')->>'id')::uuid AS person \gset
SELECT event_definitions.schema_attach(1800, :'profile', :'person')->'schema_version' AS version;
-- multiple required properties: all pass, one fails
SELECT pg_temp.outcome('profile', '{"name": "alice", "age": 30}') AS all_pass,
       pg_temp.outcome('profile', '{"name": "alice", "age": "not-a-number"}') AS one_fails;
-- a missing optional property passes beside a required one; a wrong one fails alone
SELECT pg_temp.outcome('profile', '{"name": "hello", "age": 1}') AS missing_optional,
       pg_temp.outcome('profile', '{"name": "hello", "age": 1, "optional_prop": "not-a-number"}') AS wrong_optional;
-- several missing required fields: one error each
SELECT (event_definitions."create"(1800, 'three_fields')->>'id')::uuid AS three_fields \gset
SELECT event_definitions.schema_attach(1800, :'three_fields', :'three')->'schema_version' AS version;
SELECT jsonb_array_length(event_definitions.validate(1800, 'three_fields', '{}')->'errors') AS missing_errors;
-- and the groups of an event add up
SELECT event_definitions.schema_attach(1800, :'profile', :'three')->'schema_version' AS version;
SELECT pg_temp.outcome('profile', '{}') AS five_missing;
-- the error as PostHog's warning details give it: property, reason,
-- expected types, and the value as text (objects as compact JSON)
SELECT e FROM jsonb_array_elements(event_definitions.validate(1800, 'boolean_required', '{"prop": {"nested": "object"}}')->'errors') e;
SELECT e FROM jsonb_array_elements(event_definitions.validate(1800, 'numeric_required', '{"prop": "not-a-number"}')->'errors') e;
SELECT e FROM jsonb_array_elements(event_definitions.validate(1800, 'string_required', '{}')->'errors') e;

-- multi-type properties: groups that disagree on a property's type.
-- PostHog (at the version whose rule the contract follows) leaves such a
-- property unchecked, so a misconfigured schema cannot block ingestion;
-- event_schema lists it in conflicts.
SELECT (event_definitions."create"(1800, 'multi')->>'id')::uuid AS multi \gset
SELECT (event_definitions.property_group_create(1800, 'as string', '[{"name": "prop", "property_type": "String", "is_required": true}]')->>'id')::uuid AS g1 \gset
SELECT (event_definitions.property_group_create(1800, 'as numeric', '[{"name": "prop", "property_type": "Numeric", "is_required": true}, {"name": "other", "property_type": "Numeric", "is_required": true}]')->>'id')::uuid AS g2 \gset
SELECT (event_definitions.property_group_create(1800, 'as boolean', '[{"name": "other", "property_type": "Boolean"}]')->>'id')::uuid AS g3 \gset
SELECT event_definitions.schema_attach(1800, :'multi', :'g1')->'conflicts' AS conflicts;
SELECT event_definitions.schema_attach(1800, :'multi', :'g2')->'conflicts' AS conflicts;
SELECT pg_temp.outcome('multi', '{"prop": "hello", "other": 1}') AS string_value,
       pg_temp.outcome('multi', '{"prop": 42, "other": 1}') AS number_value,
       pg_temp.outcome('multi', '{"prop": {"nested": true}, "other": 1}') AS object_value;
-- a conflict is not checked even when the property is required and missing
SELECT event_definitions.schema_attach(1800, :'multi', :'g3')->'conflicts' AS conflicts;
SELECT pg_temp.outcome('multi', '{}') AS nothing_given;
SELECT event_definitions.event_schema(1800, :'multi')->'properties' AS properties;

-- The coercion table beyond PostHog's vectors (see the manual).
CREATE TEMP TABLE more_vectors (n serial, event text, value jsonb, expected text);
INSERT INTO more_vectors (event, value, expected) VALUES
-- Numeric: what Number(value.trim()) reads as a finite number
('numeric_required', '" 12 "', 'valid'),
('numeric_required', '"\t-7.5e3\n"', 'valid'),
('numeric_required', '"\u00a012\u3000"', 'valid'),
('numeric_required', '".5"', 'valid'),
('numeric_required', '"5."', 'valid'),
('numeric_required', '"+5"', 'valid'),
('numeric_required', '"1E-7"', 'valid'),
('numeric_required', '"0x1F"', 'valid'),
('numeric_required', '"0b101"', 'valid'),
('numeric_required', '"0o17"', 'valid'),
('numeric_required', '"007"', 'valid'),
('numeric_required', '"1e308"', 'valid'),
('numeric_required', '"1e309"', 'prop:type_mismatch'),
('numeric_required', '"-0x10"', 'prop:type_mismatch'),
('numeric_required', '"0x"', 'prop:type_mismatch'),
('numeric_required', '"0x1g"', 'prop:type_mismatch'),
('numeric_required', '"1_000"', 'prop:type_mismatch'),
('numeric_required', '"1,5"', 'prop:type_mismatch'),
('numeric_required', '"."', 'prop:type_mismatch'),
('numeric_required', '"e5"', 'prop:type_mismatch'),
('numeric_required', '"1e"', 'prop:type_mismatch'),
('numeric_required', '"--1"', 'prop:type_mismatch'),
('numeric_required', '"infinity"', 'prop:type_mismatch'),
('numeric_required', '"+Infinity"', 'prop:type_mismatch'),
('numeric_required', '"12abc"', 'prop:type_mismatch'),
('numeric_required', '1.7976931348623157e308', 'valid'),
('numeric_required', '-1.7976931348623157e308', 'valid'),
('numeric_required', '1.7976931348623158e308', 'valid'),
('numeric_required', '1.7976931348623159e308', 'prop:type_mismatch'),
('numeric_required', '1e-400', 'valid'),
-- hexadecimal integers of 1024 bits: 53 ones, a zero and ones round to
-- DBL_MAX; 54 ones (the halfway point to 2^1024) round to infinity
('numeric_required', to_jsonb('0x' || repeat('f', 13) || 'b' || repeat('f', 242)), 'valid'),
('numeric_required', to_jsonb('0x' || repeat('f', 13) || 'c' || repeat('0', 242)), 'prop:type_mismatch'),
('numeric_required', to_jsonb('0x1' || repeat('0', 256)), 'prop:type_mismatch'),
-- Boolean: exactly true and false, no trimming
('boolean_required', '" true"', 'prop:type_mismatch'),
('boolean_required', '"1"', 'prop:type_mismatch'),
-- DateTime: Unix times, ISO 8601 dates and date-times
('datetime_required', '-1', 'valid'),
('datetime_required', '1e300', 'valid'),
('datetime_required', '"1609459200"', 'valid'),
('datetime_required', '"1609459200.25"', 'valid'),
('datetime_required', '"160945920"', 'valid'),
('datetime_required', '"1609459200123"', 'valid'),
('datetime_required', '"16094592001"', 'prop:type_mismatch'),
('datetime_required', '"2021-01-01 10:00"', 'valid'),
('datetime_required', '"2021-01-01T10:00:59.123456789"', 'valid'),
('datetime_required', '"2021-01-01T23:59:60Z"', 'valid'),
('datetime_required', '"2021-01-01 10:00:00 UTC"', 'valid'),
('datetime_required', '"2021-01-01T10:00:00 GMT"', 'valid'),
('datetime_required', '"2021-01-01T10:00:00-0530"', 'valid'),
('datetime_required', '"2021-01-01T10:00:00+05"', 'valid'),
('datetime_required', '"2021/12/31"', 'valid'),
('datetime_required', '"2021.12.31"', 'valid'),
('datetime_required', '" 2020-02-29 "', 'valid'),
('datetime_required', '"2000-02-29"', 'valid'),
('datetime_required', '"1900-02-29"', 'prop:type_mismatch'),
('datetime_required', '"2021-02-29"', 'prop:type_mismatch'),
('datetime_required', '"2021-04-31"', 'prop:type_mismatch'),
('datetime_required', '"2021-13-01"', 'prop:type_mismatch'),
('datetime_required', '"2021-12/31"', 'prop:type_mismatch'),
('datetime_required', '"2021-01-01T24:00:00Z"', 'prop:type_mismatch'),
('datetime_required', '"2021-01-01T10:60Z"', 'prop:type_mismatch'),
('datetime_required', '"2021-01-01T10:00:00+24:00"', 'prop:type_mismatch'),
('datetime_required', '"2021-01-01T10:00:00.Z"', 'prop:type_mismatch'),
('datetime_required', '"2021-01-01T10"', 'prop:type_mismatch'),
('datetime_required', '"2021-01-01x"', 'prop:type_mismatch'),
('datetime_required', '"2021-1-1"', 'prop:type_mismatch'),
('datetime_required', '"20210101"', 'prop:type_mismatch'),
('datetime_required', '"2021"', 'prop:type_mismatch'),
('datetime_required', '"Jan 2021"', 'prop:type_mismatch'),
('datetime_required', '"01/02/2021"', 'prop:type_mismatch'),
('datetime_required', '"12"', 'prop:type_mismatch'),
('datetime_required', '""', 'prop:type_mismatch');
SELECT n, event,
       CASE WHEN length(value::text) > 40 THEN left(value::text, 37) || '...' ELSE value::text END AS value,
       pg_temp.outcome(event, jsonb_build_object('prop', value)) AS outcome,
       CASE WHEN pg_temp.outcome(event, jsonb_build_object('prop', value)) = expected THEN ''
            ELSE 'expected ' || expected END AS wrong
FROM more_vectors ORDER BY n;

-- actual_value is the value's text cut to 64 characters; a long array is
-- only rendered as far as it is shown
SELECT char_length(e->>'actual_value') AS shown, e->>'actual_value' AS actual_value
FROM jsonb_array_elements(event_definitions.validate(1800, 'numeric_required',
    jsonb_build_object('prop', repeat('é', 100)))->'errors') e;
SELECT char_length(e->>'actual_value') AS shown, e->>'actual_value' AS actual_value
FROM jsonb_array_elements(event_definitions.validate(1800, 'numeric_required',
    jsonb_build_object('prop', (SELECT jsonb_agg(jsonb_build_object('k', i)) FROM generate_series(1, 100000) i)))->'errors') e;

-- the same answers without the backend's cache of compiled schemas
SET event_definitions.schema_cache_size = 0;
SELECT count(*) FILTER (WHERE pg_temp.outcome(event, properties) = expected) AS right,
       count(*) AS cases FROM vectors;
SELECT count(*) FILTER (WHERE pg_temp.outcome(event, jsonb_build_object('prop', value)) = expected) AS right,
       count(*) AS cases FROM more_vectors;
RESET event_definitions.schema_cache_size;
-- and with room for one or two schemas: entries are evicted and compiled again
SET event_definitions.schema_cache_size = '1kB';
SELECT count(*) FILTER (WHERE pg_temp.outcome(event, properties) = expected) AS right,
       count(*) AS cases FROM vectors;
RESET event_definitions.schema_cache_size;
