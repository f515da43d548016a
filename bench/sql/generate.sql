-- bench/sql/generate.sql: the generated data set, into bench.fixture.
-- psql variables: size (definitions of project 1), bg_projects and bg_size
-- (background projects 2.., each bg_size definitions), planned (how many of
-- project 1's definitions are planned events, made by create()).
-- Or, for bench/multitenant.sh, mt_projects, mt_top and mt_exp: projects
-- 1..mt_projects, project k with round(mt_top / k ^ mt_exp) definitions (at
-- least one), none planned; the other variables are then not used.
--
-- Names are deterministic (hashes of the serial number g), ASCII, 10-60
-- characters, unique per project because each ends with g:
--   ~14% "$"-prefixed PostHog-style (  $feature_flag_called_8812)
--   ~10% Title Case with spaces      (  Clicked Upgrade Button 1234)
--    2% contain checkout_fail...     (  checkout_failed_cart_88 - what the
--                                       common search term "ckout_fai" hits)
--   the rest snake_case object_verb / area_page_view / signup_step forms
--   with the common words checkout, page, view, click, signup;
--   one in 20,000 carries the rare token "ab12".
-- last_seen_at is spread over a year, skewed towards today (u^3).
\set ON_ERROR_STOP 1

CREATE FUNCTION bench.h(g bigint, k int, m int) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN abs(hashint8extended(g, k) % m)::int;

CREATE FUNCTION bench.pick(a text[], g bigint, k int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN a[1 + bench.h(g, k, cardinality(a))];

-- which (project, g) to make: project 1 is the measured project, whose last
-- :planned rows are planned events; background projects 2.. use the same
-- generator shifted, so their names partly overlap project 1's
\if :{?mt_projects}
CREATE TEMP TABLE todo AS
SELECT k::bigint AS project_id, g::bigint, false AS planned
FROM generate_series(1, :mt_projects) AS k,
     generate_series(k * 7919, k * 7919 + greatest(1, round(:mt_top / k::numeric ^ :mt_exp))::int - 1) AS g;
\else
CREATE TEMP TABLE todo AS
SELECT 1::bigint AS project_id, g::bigint, g > :size - :planned AS planned
FROM generate_series(1, :size) AS g
UNION ALL
SELECT p, g, false
FROM generate_series(2, 1 + :bg_projects) AS p,
     generate_series(p * 7919, p * 7919 + :bg_size - 1) AS g;
\endif

INSERT INTO bench.fixture (project_id, g, name, seen_at)
SELECT project_id, g,
       CASE WHEN g % 20000 = 1 THEN name || '_ab12'
            WHEN length(name) < 10 THEN name || '_event'
            ELSE name END,
       CASE WHEN NOT planned THEN
            now() - make_interval(days => floor(365 * (bench.h(g, 9, 1000000) / 1e6) ^ 3)::int,
                                  secs => bench.h(g, 10, 86400)) END
FROM (
    SELECT t.project_id, t.g, t.planned, CASE
        WHEN form < 140 THEN
            '$' || bench.pick(posthog, g, 2) || bench.pick(quals, g, 3) || '_' || g
        WHEN form < 240 THEN
            initcap(bench.pick(verbs, g, 2)) || ' ' ||
            initcap(replace(bench.pick(objects, g, 3), '_', ' ')) ||
            CASE WHEN bench.h(g, 4, 2) = 0 THEN ' ' || initcap(bench.pick(objects, g, 5)) ELSE '' END ||
            ' ' || g
        WHEN form < 260 THEN
            CASE WHEN bench.h(g, 2, 5) = 0 THEN 'Checkout_Failure' ELSE 'checkout_failed' END ||
            '_' || bench.pick(objects, g, 3) || '_' || g
        WHEN form < 330 THEN
            'checkout_' || bench.pick(ARRAY['started','completed','viewed','abandoned','step'], g, 2) ||
            bench.pick(quals, g, 3) || '_' || g
        WHEN form < 450 THEN
            bench.pick(areas, g, 2) || '_page_view_' || bench.pick(objects, g, 3) || '_' || g
        WHEN form < 520 THEN
            'signup_step_' || bench.h(g, 2, 9) || '_' || bench.pick(verbs, g, 3) || '_' || g
        WHEN form < 600 THEN
            bench.pick(areas, g, 2) || '_click_' || bench.pick(objects, g, 3) ||
            bench.pick(quals, g, 4) || '_' || g
        ELSE
            bench.pick(objects, g, 2) || '_' || bench.pick(verbs, g, 3) ||
            bench.pick(quals, g, 4) || '_' || g
        END AS name
    FROM (SELECT todo.*, bench.h(todo.g, 1, 1000) AS form FROM todo) t,
    (SELECT
        ARRAY['clicked','viewed','submitted','opened','closed','started','completed',
              'loaded','shared','updated','deleted','created','selected','scrolled',
              'dismissed','toggled','exported','imported','searched','copied',
              'downloaded','uploaded','invited','renamed','saved'] AS verbs,
        ARRAY['button','page','modal','form','dashboard','insight','report','menu','tab',
              'banner','invoice','plan','cart','product','video','filter','profile',
              'settings','onboarding','notification','feature_flag','experiment','survey',
              'recording','cohort','billing','team','project','api_key','view','click',
              'signup','checkout'] AS objects,
        ARRAY['pageview','autocapture','identify','feature_flag_called','exception',
              'web_vitals','rageclick','pageleave','groupidentify','survey_shown',
              'survey_sent','screen','set','create_alias','opt_in','dead_click',
              'ai_generation','feature_view','page_view_sampled'] AS posthog,
        ARRAY['web','app','mobile','ios','android','admin','marketing','docs'] AS areas,
        ARRAY['','','','_v2','_mobile','_from_sidebar','_new','_legacy','_beta'] AS quals
    ) AS w
) n;

DO $$
BEGIN
    IF EXISTS (SELECT FROM bench.fixture WHERE length(name) NOT BETWEEN 10 AND 60) THEN
        RAISE EXCEPTION 'generated a name outside 10-60 characters';
    END IF;
END $$;
ANALYZE bench.fixture;
