"""Concurrent bulk writers and ingestion must not deadlock.

Single-statement writers of a project run in parallel (no project lock), so
the order in which each locks several definitions matters: a bulk call locks
its rows in name order, the order ingestion upserts a batch in.  This runs,
for DURATION seconds, two ingesting sessions (200 of 300 names, shuffled),
two bulk_update_tags and one bulk_update_verified session (200 ids,
shuffled) and one record_query_usage session, all autocommit, and fails on
any error (a deadlock is 40P01).  With rows locked in id order instead it
fails within seconds.  Then checks that the project's count is exact.
Database of its own in the libpq cluster; prints "N passed, M failed".
"""

import os
import random
import sys
import threading
import time

import psycopg2

DB = os.environ.get("ED_BULK_STRESS_DB", "ed_bulk_stress")
DURATION = float(os.environ.get("ED_BULK_STRESS_SECONDS", "15"))
NAMES = ["n%03d" % i for i in range(300)]


def connect(db):
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    return conn


def main():
    admin = connect("postgres")
    with admin.cursor() as cur:
        cur.execute('DROP DATABASE IF EXISTS "%s"' % DB)
        cur.execute('CREATE DATABASE "%s"' % DB)
    passed = failed = 0
    try:
        conn = connect(DB)
        with conn.cursor() as cur:
            cur.execute("SET client_min_messages = warning")
            cur.execute("CREATE EXTENSION event_definitions CASCADE")
            cur.execute("SELECT event_definitions.ingest(1, %s)", (NAMES,))
            cur.execute("SELECT id::text FROM event_definitions.definitions WHERE project_id = 1")
            ids = [r[0] for r in cur.fetchall()]
        errors = {}
        calls = {}
        lock = threading.Lock()
        stop = time.time() + DURATION

        def worker(kind, seed):
            rng = random.Random(seed)
            c = connect(DB)
            k = c.cursor()
            n = 0
            while time.time() < stop:
                try:
                    if kind == "ingest":
                        k.execute("SELECT event_definitions.ingest(1, %s)", (rng.sample(NAMES, 200),))
                    elif kind == "tags":
                        k.execute("SELECT event_definitions.bulk_update_tags(1, %s::uuid[], 'set', %s)",
                                  (rng.sample(ids, 200), ["t%d" % rng.randint(0, 3)]))
                    elif kind == "verified":
                        k.execute("SELECT event_definitions.bulk_update_verified(1, %s::uuid[], %s)",
                                  (rng.sample(ids, 200), rng.random() < 0.5))
                    else:
                        k.execute("SELECT event_definitions.record_query_usage(1, %s)", (rng.sample(NAMES, 100),))
                    n += 1
                except psycopg2.Error as e:
                    with lock:
                        errors[e.pgcode] = errors.get(e.pgcode, 0) + 1
            c.close()
            with lock:
                calls[kind] = calls.get(kind, 0) + n

        kinds = ["ingest", "ingest", "tags", "tags", "verified", "usage"]
        threads = [threading.Thread(target=worker, args=(k, i)) for i, k in enumerate(kinds)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print("# calls in %.0f s: %s" % (DURATION, ", ".join("%s %d" % kv for kv in sorted(calls.items()))))
        if not errors and all(calls.get(k, 0) > 0 for k in set(kinds)):
            passed += 1
            print("ok - concurrent bulk calls, ingestion and query-usage counting: no error, no deadlock")
        else:
            failed += 1
            print("not ok - concurrent writers failed: %s (calls %s)" % (errors, calls))
        with conn.cursor() as cur:
            cur.execute("SELECT (event_definitions.list(1)->>'count')::bigint, count(*) "
                        "FROM event_definitions.definitions WHERE project_id = 1")
            listed, stored = cur.fetchone()
        if listed == stored == len(NAMES):
            passed += 1
            print("ok - the project's count is exact afterwards (%d)" % stored)
        else:
            failed += 1
            print("not ok - count %s, rows %s, expected %d" % (listed, stored, len(NAMES)))
        conn.close()
    finally:
        with admin.cursor() as cur:
            cur.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % DB)
        admin.close()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
