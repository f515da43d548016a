-- bench/sql/load.sql: bench.fixture into the extension, through its API:
--   ingest()  every seen definition, in batches of 10,000 events, one
--             transaction per batch (psql's \gexec runs each on its own)
--   create()  the planned ones (last_seen_at null)
--   update()  curated fields of :api_sample definitions
-- and, as a fixture shortcut, a direct UPDATE (as superuser) for the curated
-- fields of the rest: ~3% hidden, ~4% verified, ~6% tagged, ~10% described.
\set ON_ERROR_STOP 1

SELECT format('SELECT event_definitions.ingest(%s, names, seen) FROM ('
              'SELECT array_agg(name ORDER BY g) AS names, array_agg(seen_at ORDER BY g) AS seen '
              'FROM bench.fixture WHERE project_id = %s AND seen_at IS NOT NULL '
              'AND g >= %s AND g < %s) b',
              project_id, project_id, lo, lo + 10000)
FROM (SELECT DISTINCT project_id, min(g) OVER (PARTITION BY project_id) + 10000 * n AS lo
      FROM bench.fixture,
           LATERAL generate_series(0, (SELECT (max(g) - min(g)) / 10000 FROM bench.fixture f
                                        WHERE f.project_id = fixture.project_id)) AS n
      ) batches
ORDER BY project_id, lo
\gexec

SELECT count(event_definitions."create"(project_id, name)) AS planned
FROM bench.fixture WHERE seen_at IS NULL;

-- curated fields, decided per definition by a hash of its name
CREATE TEMP TABLE curated AS
SELECT d.project_id, d.id, d.name,
       bench.h(hashtext(d.name), 20, 100) AS c,
       bench.h(hashtext(d.name), 21, 100) AS t,
       (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(ARRAY[
            (ARRAY['growth','billing','onboarding','core','experiment','marketing'])[1 + bench.h(hashtext(d.name), 22, 6)],
            (ARRAY['growth','billing','onboarding','core','experiment','marketing'])[1 + bench.h(hashtext(d.name), 23, 6)]]) x
       ) AS tags
FROM event_definitions.definitions d;

-- a sample through the API (as the lead user would do it)
SELECT count(event_definitions.update(project_id, id,
         jsonb_build_object('description', 'Curated: ' || name)
         || CASE WHEN c < 3 THEN '{"hidden": true}'::jsonb
                 WHEN c < 7 THEN '{"verified": true}'::jsonb ELSE '{}'::jsonb END
         || CASE WHEN t < 6 THEN jsonb_build_object('tags', tags) ELSE '{}'::jsonb END))
       AS updated_through_api
FROM (SELECT * FROM curated WHERE project_id = 1 AND (c < 7 OR t < 6)
      ORDER BY hashtext(name) LIMIT :api_sample) s;

-- the rest directly
UPDATE event_definitions.definitions d
SET hidden = cu.c < 3,
    verified = cu.c BETWEEN 3 AND 6,
    verified_at = CASE WHEN cu.c BETWEEN 3 AND 6 THEN now() END,
    tags = CASE WHEN cu.t < 6 THEN cu.tags ELSE '{}' END,
    description = CASE WHEN cu.c < 10 OR cu.t < 6 THEN 'Curated: ' || d.name ELSE '' END
FROM curated cu
WHERE d.project_id = cu.project_id AND d.id = cu.id AND d.description = ''
  AND (cu.c < 10 OR cu.t < 6);

-- ingest: 100 names of project 1, and the batch of 10,000 events over them
INSERT INTO bench.ingest_names
SELECT row_number() OVER (ORDER BY hashtext(name)), name
FROM (SELECT name FROM event_definitions.definitions
      WHERE project_id = 1 AND last_seen_at IS NOT NULL
      ORDER BY hashtext(name) LIMIT 100) s;
INSERT INTO bench.ingest_batch
SELECT array_agg(n.name ORDER BY j)
FROM generate_series(0, 9999) AS j
JOIN bench.ingest_names n ON n.k = 1 + j * 37 % 100;

-- retrieve/update/metrics pick among 10,000 ids of project 1, whose
-- description is "x" on both sides, so the timed updates leave both equal;
-- not the ingested names: the timed ingests add to our volume counters, and
-- the baseline's stored volume column is filled by a periodic job instead
INSERT INTO bench.ids
SELECT row_number() OVER (ORDER BY h), id
FROM (SELECT id, hashtext(id::text) AS h FROM event_definitions.definitions
      WHERE project_id = 1 AND name NOT IN (SELECT name FROM bench.ingest_names)
      ORDER BY 2 LIMIT 10000) s;
UPDATE event_definitions.definitions SET description = 'x'
WHERE project_id = 1 AND id IN (SELECT id FROM bench.ids);

VACUUM ANALYZE event_definitions.definitions;
VACUUM ANALYZE event_definitions.daily_volume;
