-- The catalog of the golden files (project 1 of a fresh database): events
-- whose names need mangling ("$", "-", a space, a leading digit, a
-- reserved word, two names with one identifier, non-ASCII and invisible
-- characters), two groups sharing properties of different types, events
-- without a schema, a hidden event and a system event that are left out.
SET event_definitions.user_id = 1;
SELECT event_definitions.ingest(1, ARRAY['$pageview', '$autocapture', '$screen', 'checkout completed',
                                         'checkout-completed', '3d secure', 'None', 'signup',
                                         'hidden_event', 'type', 'café ☕']) AS ingested;
SELECT event_definitions.update(1, (event_definitions.by_name(1, 'hidden_event')->>'id')::uuid,
                                '{"hidden": true}')->'hidden' AS hidden;
SELECT (event_definitions.property_group_create(1, 'order', '[
    {"name": "amount", "property_type": "Numeric", "is_required": true},
    {"name": "currency", "property_type": "String", "is_required": true},
    {"name": "order_id", "property_type": "String", "is_required": true},
    {"name": "order-id", "property_type": "Numeric"},
    {"name": "coupon", "property_type": "String"},
    {"name": "$set", "property_type": "Object"},
    {"name": "placed at", "property_type": "DateTime"},
    {"name": "is-gift", "property_type": "Boolean"},
    {"name": "class", "property_type": "String"},
    {"name": "None", "property_type": "Boolean"},
    {"name": "say \"hi\" \\ ok", "property_type": "String"}
]')->>'id')::uuid AS order_group \gset
SELECT (event_definitions.property_group_create(1, 'tracking', '[
    {"name": "amount", "property_type": "String"},
    {"name": "currency", "property_type": "String", "is_required": true},
    {"name": "source", "property_type": "String", "is_required": true},
    {"name": "1st touch", "property_type": "DateTime"},
    {"name": "placed at", "property_type": "Numeric"},
    {"name": "prix\u00a0TTC\ufeff\u202e", "property_type": "String"}
]')->>'id')::uuid AS tracking_group \gset
SELECT event_definitions.schema_attach(1, (event_definitions.by_name(1, 'checkout completed')->>'id')::uuid,
                                       :'order_group')->'schema_version' AS v;
SELECT event_definitions.schema_attach(1, (event_definitions.by_name(1, 'checkout completed')->>'id')::uuid,
                                       :'tracking_group')->'schema_version' AS v;
SELECT event_definitions.schema_attach(1, (event_definitions.by_name(1, 'checkout-completed')->>'id')::uuid,
                                       :'order_group')->'schema_version' AS v;
SELECT event_definitions.schema_attach(1, (event_definitions.by_name(1, '3d secure')->>'id')::uuid,
                                       :'tracking_group')->'schema_version' AS v;
SELECT event_definitions.schema_attach(1, (event_definitions.by_name(1, 'type')->>'id')::uuid,
                                       :'tracking_group')->'schema_version' AS v;
