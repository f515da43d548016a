--
-- memory: a list call's memory stays proportional to its answer.  A page of
-- 20000 definitions (about 10 MB of jsonb) raises the backend's peak memory
-- (VmHWM, Linux) by a small multiple of that; building the page as JSON
-- text and parsing it took fifteen times the answer.  Project 303.  Left
-- out of the valgrind run, whose memory is valgrind's.
--
SELECT event_definitions.ingest(303, array_agg('p303_event_' || i || repeat('x', 40)))
FROM generate_series(1, 20000) AS i;
\c -
SET event_definitions.max_page_limit = 0;
CREATE FUNCTION pg_temp.peak_kb() RETURNS bigint LANGUAGE sql AS $$
    SELECT substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\s*(\d+) kB')::bigint
$$;
SELECT pg_temp.peak_kb() AS before_kb \gset
SELECT pg_column_size(event_definitions.list(303, page_limit => 20000)) / 1024 AS answer_kb \gset
SELECT :answer_kb > 8000 AS answer_is_large,
       (pg_temp.peak_kb() - :before_kb) < 5 * :answer_kb AS peak_within_5x_answer;
