-- The catalog objects of the installed event_definitions, one line each,
-- sorted, with nothing that differs between two equal installations (oids,
-- database names).  run.sh diffs this output between an updated 1.0 and a
-- fresh 1.1.  Generic: it reads pg_catalog for whatever the extension owns,
-- so tables, columns or functions added later are compared too.
\pset format unaligned
\pset tuples_only on
\pset null '<null>'
WITH ext AS (
    SELECT e.oid, e.extnamespace FROM pg_extension e WHERE e.extname = 'event_definitions'
), members AS (
    SELECT d.classid, d.objid, d.objsubid FROM pg_depend d, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), rels AS (
    SELECT c.* FROM pg_class c, ext WHERE c.relnamespace = ext.extnamespace
), lines AS (
    -- the extension itself
    SELECT format('extension version=%s relocatable=%s schema=%s requires=%s', e.extversion,
                  e.extrelocatable, e.extnamespace::regnamespace,
                  (SELECT string_agg(r.extname, ',' ORDER BY r.extname) FROM pg_depend d
                   JOIN pg_extension r ON r.oid = d.refobjid
                   WHERE d.classid = 'pg_extension'::regclass AND d.objid = e.oid
                     AND d.refclassid = 'pg_extension'::regclass)) AS line
    FROM pg_extension e WHERE e.extname = 'event_definitions'
    UNION ALL
    -- pg_dump's view of the extension's tables: config tables and their filters
    SELECT format('config %s filter=%L', c::regclass, f)
    FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(c, f)
    WHERE e.extname = 'event_definitions'
    UNION ALL
    -- every member object, by its description
    SELECT 'member ' || pg_describe_object(m.classid, m.objid, m.objsubid) FROM members m
    UNION ALL
    -- the schema
    SELECT format('schema %s owner=%s acl=%s comment=%L', n.nspname, n.nspowner::regrole,
                  n.nspacl, obj_description(n.oid, 'pg_namespace'))
    FROM pg_namespace n, ext WHERE n.oid = ext.extnamespace
    UNION ALL
    -- functions: signature, kind, volatility, parallel, security, strictness,
    -- result, argument names and defaults, settings, body / C symbol, ACL, comment
    SELECT format('function %s kind=%s volatile=%s parallel=%s secdef=%s strict=%s leakproof=%s '
                  'retset=%s returns=%s argnames=%s defaults=%s config=%s lang=%s src=%L bin=%L '
                  'cost=%s rows=%s owner=%s acl=%s comment=%L',
                  p.oid::regprocedure, p.prokind, p.provolatile, p.proparallel, p.prosecdef,
                  p.proisstrict, p.proleakproof, p.proretset, p.prorettype::regtype,
                  p.proargnames, pg_get_expr(p.proargdefaults, 0), p.proconfig,
                  (SELECT l.lanname FROM pg_language l WHERE l.oid = p.prolang),
                  p.prosrc, p.probin, p.procost, p.prorows, p.proowner::regrole, p.proacl,
                  obj_description(p.oid, 'pg_proc'))
    FROM pg_proc p, ext WHERE p.pronamespace = ext.extnamespace
    UNION ALL
    -- relations: kind, persistence, options, row security, ACL, comment
    SELECT format('relation %s kind=%s persistence=%s options=%s rls=%s forcerls=%s owner=%s acl=%s comment=%L',
                  r.oid::regclass, r.relkind, r.relpersistence, r.reloptions, r.relrowsecurity,
                  r.relforcerowsecurity, r.relowner::regrole, r.relacl, obj_description(r.oid, 'pg_class'))
    FROM rels r
    UNION ALL
    -- columns, in their order among the live columns
    SELECT format('column %s.%s position=%s type=%s notnull=%s default=%L generated=%L identity=%L '
                  'collation=%s storage=%s acl=%s comment=%L',
                  a.attrelid::regclass, a.attname,
                  row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
                  format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(ad.adbin, ad.adrelid), a.attgenerated, a.attidentity,
                  (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation),
                  a.attstorage, a.attacl, col_description(a.attrelid, a.attnum))
    FROM pg_attribute a JOIN rels r ON r.oid = a.attrelid
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    -- constraints
    SELECT format('constraint %s.%s type=%s deferrable=%s validated=%s def=%s comment=%L',
                  co.conrelid::regclass, co.conname, co.contype, co.condeferrable, co.convalidated,
                  pg_get_constraintdef(co.oid), obj_description(co.oid, 'pg_constraint'))
    FROM pg_constraint co, ext WHERE co.connamespace = ext.extnamespace
    UNION ALL
    -- indexes
    SELECT format('index %s', pg_get_indexdef(i.indexrelid))
    FROM pg_index i JOIN rels r ON r.oid = i.indrelid
    UNION ALL
    -- triggers
    SELECT format('trigger %s enabled=%s comment=%L', pg_get_triggerdef(t.oid), t.tgenabled,
                  obj_description(t.oid, 'pg_trigger'))
    FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    -- sequences
    SELECT format('sequence %s type=%s start=%s inc=%s min=%s max=%s cache=%s cycle=%s',
                  s.seqrelid::regclass, s.seqtypid::regtype, s.seqstart, s.seqincrement,
                  s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
    FROM pg_sequence s JOIN rels r ON r.oid = s.seqrelid
    UNION ALL
    -- views and materialized views
    SELECT format('view %s def=%L', r.oid::regclass, pg_get_viewdef(r.oid))
    FROM rels r WHERE r.relkind IN ('v', 'm')
    UNION ALL
    -- row security policies
    SELECT format('policy %s.%s cmd=%s permissive=%s roles=%s using=%L check=%L',
                  po.polrelid::regclass, po.polname, po.polcmd, po.polpermissive,
                  po.polroles::regrole[], pg_get_expr(po.polqual, po.polrelid),
                  pg_get_expr(po.polwithcheck, po.polrelid))
    FROM pg_policy po JOIN rels r ON r.oid = po.polrelid
    UNION ALL
    -- types that are not a table's row type
    SELECT format('type %s type=%s comment=%L', t.oid::regtype, t.typtype, obj_description(t.oid, 'pg_type'))
    FROM pg_type t, ext WHERE t.typnamespace = ext.extnamespace
      AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
      AND t.typelem = 0
)
SELECT line FROM lines ORDER BY line COLLATE "C";
