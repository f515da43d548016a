#!/usr/bin/python3
"""Stress test of the name index: writers and searchers for a fixed time.

Writers create, ingest (new names and known names moved to a later day),
flip hidden/verified, delete, write through plain DML (the statement
trigger path), and roll transactions back.  Searchers run random list
queries in REPEATABLE READ transactions and compare every answer of the
index with the SQL path's in the same snapshot (name_index_memory = 0).
Runs with the shared index (when the library is preloaded) and with
backend-local indexes; searchers reconnect now and then, so that new
backends start from the overlay another backend published.  Fails on any difference, on an error, or when the
index never answered.

Environment: the libpq cluster (PGHOST, PGPORT, PGUSER); STRESS_SECS per
mode (default 12).
"""
import json
import os
import random
import sys
import threading
import time

import psycopg2

DB = "ed_index_stress"
PROJECT = 1
SECS = float(os.environ.get("STRESS_SECS", "12"))
WORDS = ["page", "view", "signup", "click", "checkout", "$auto", "error", "ab", "q", "zz9",
         "user", "opened", "app", "_x", "%"]


def connect(db=DB, autocommit=True):
    c = psycopg2.connect(dbname=db)
    c.autocommit = autocommit
    return c


def setup():
    admin = connect("postgres")
    cur = admin.cursor()
    cur.execute(f"DROP DATABASE IF EXISTS {DB}")
    cur.execute(f"CREATE DATABASE {DB} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
    admin.close()
    c = connect()
    cur = c.cursor()
    cur.execute("CREATE EXTENSION event_definitions CASCADE")
    cur.execute("""
        SELECT event_definitions.ingest(%s,
          array_agg(CASE WHEN g %% 7 = 0 THEN '$' ELSE '' END ||
                    (ARRAY['page','view','signup','click','checkout','user','app','error'])[1 + g %% 8]
                    || '_' || (ARRAY['opened','closed','ab','zz9','_x','%%','q'])[1 + g %% 7] || '_' || g),
          array_agg(timestamptz '2026-01-01' + (g %% 50) * interval '1 day'))
        FROM generate_series(1, 20000) g""", (PROJECT,))
    cur.execute("ANALYZE")
    preload = "event_definitions" in (cur.execute("SHOW shared_preload_libraries") or cur.fetchone()[0])
    c.close()
    return preload


class Stop(Exception):
    pass


def writer(seed, deadline, errors, counter, tag):
    rnd = random.Random(seed)
    c = connect()
    cur = c.cursor()
    n = 0
    try:
        while time.time() < deadline:
            op = rnd.random()
            if op < 0.3:
                names = [f"{rnd.choice(WORDS)}_new_{tag}{seed}_{n}_{k}" for k in range(rnd.randint(1, 10))]
                cur.execute("SELECT event_definitions.ingest(%s, %s)", (PROJECT, names))
            elif op < 0.5:
                cur.execute("SELECT array_agg(name) FROM (SELECT name FROM event_definitions.definitions "
                            "WHERE project_id = %s ORDER BY random() LIMIT 5) x", (PROJECT,))
                names = cur.fetchone()[0] or []
                if names:
                    cur.execute("SELECT event_definitions.ingest(%s, %s, array_fill(now() + %s * interval '1 day', ARRAY[%s]))",
                                (PROJECT, names, rnd.randint(0, 400), len(names)))
            elif op < 0.7:
                cur.execute("SELECT id FROM event_definitions.definitions WHERE project_id = %s "
                            "ORDER BY random() LIMIT 1", (PROJECT,))
                row = cur.fetchone()
                if row:
                    patch = rnd.choice([{"hidden": True}, {"verified": True}, {"verified": False},
                                        {"hidden": False}, {"description": "d%d" % n}])
                    cur.execute("SELECT event_definitions.update(%s, %s, %s)", (PROJECT, row[0], json.dumps(patch)))
            elif op < 0.8:
                cur.execute("SELECT id FROM event_definitions.definitions WHERE project_id = %s "
                            "ORDER BY random() LIMIT 1", (PROJECT,))
                row = cur.fetchone()
                if row:
                    cur.execute("SELECT event_definitions.delete(%s, %s)", (PROJECT, row[0]))
            elif op < 0.87:
                cur.execute("SELECT event_definitions.\"create\"(%s, %s)", (PROJECT, f"planned_{tag}{seed}_{n}"))
            elif op < 0.93:
                # a plain UPDATE outside the API: the statement trigger records it
                cur.execute("UPDATE event_definitions.definitions SET hidden = NOT hidden, verified = false, "
                            "verified_at = NULL WHERE project_id = %s AND name IN (SELECT name FROM "
                            "event_definitions.definitions WHERE project_id = %s ORDER BY random() LIMIT 3)",
                            (PROJECT, PROJECT))
            else:
                # an aborted writer, and read-your-writes inside it
                name = f"rolled_back_{tag}{seed}_{n}"
                cur.execute("BEGIN")
                cur.execute("SELECT event_definitions.ingest(%s, %s)", (PROJECT, [name]))
                cur.execute("SELECT event_definitions.list(%s, search => %s)", (PROJECT, name))
                page = cur.fetchone()[0]
                if page["count"] != 1:
                    errors.append(f"read-your-writes: {name} not found in its own transaction: {page['count']}")
                cur.execute("ROLLBACK")
                cur.execute("SELECT event_definitions.list(%s, search => %s)", (PROJECT, name))
                if cur.fetchone()[0]["count"] != 0:
                    errors.append(f"rolled-back name {name} still found")
            n += 1
        counter.append(n)
    except Exception as e:  # noqa: BLE001
        errors.append(f"writer {seed}: {e!r}")
    finally:
        c.close()


def random_query(rnd):
    q = {}
    if rnd.random() < 0.8:
        q["search"] = " ".join(rnd.sample(WORDS, rnd.randint(1, 2)))
    if rnd.random() < 0.3:
        q["exclude_hidden"] = True
    if rnd.random() < 0.2:
        q["verified"] = rnd.random() < 0.5
    if rnd.random() < 0.2:
        q["event_type"] = rnd.choice(["event_custom", "event_posthog"])
    q["page_limit"] = rnd.choice([1, 10, 100])
    q["page_offset"] = rnd.choice([0, 0, 5, 50, 1000])
    return q


def call_list(cur, q):
    args = ", ".join(f"{k} => %({k})s" for k in q)
    cur.execute(f"SELECT event_definitions.list({PROJECT}{', ' if args else ''}{args})", q)
    page = cur.fetchone()[0]
    return page["count"], [r["name"] for r in page["results"]]


started_published = [0]


def reader(seed, deadline, mode, errors, stats):
    rnd = random.Random(seed)
    c = connect(autocommit=False)
    cur = c.cursor()
    compared = answered = 0
    try:
        while time.time() < deadline:
            if compared % 25 == 24:
                # a new backend starts from the overlay another one published
                c.close()
                c = connect(autocommit=False)
                cur = c.cursor()
            cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            if mode == "local":
                cur.execute("SET LOCAL event_definitions.shared_index_memory = 0")
            cur.execute("SET LOCAL client_min_messages = debug2")
            del c.notices[:]
            q = random_query(rnd)
            got = call_list(cur, q)
            answered += sum("name index answered" in m for m in c.notices)
            started_published[0] += sum("published overlay" in m for m in c.notices)
            cur.execute("SET LOCAL event_definitions.name_index_memory = 0")
            want = call_list(cur, q)
            cur.execute("COMMIT")
            compared += 1
            if got != want:
                errors.append(f"{mode}: {q}: index {got[0]} {got[1][:5]} != sql {want[0]} {want[1][:5]}")
                if len(errors) > 5:
                    break
        stats.append((compared, answered))
    except Exception as e:  # noqa: BLE001
        errors.append(f"reader {seed} ({mode}): {e!r}")
    finally:
        c.close()


def run_mode(mode):
    errors, stats, writes = [], [], []
    deadline = time.time() + SECS
    threads = [threading.Thread(target=writer, args=(s, deadline, errors, writes, mode)) for s in (1, 2)]
    threads += [threading.Thread(target=reader, args=(10 + s, deadline, mode, errors, stats)) for s in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    compared = sum(s[0] for s in stats)
    answered = sum(s[1] for s in stats)
    print(f"{mode}: {sum(writes)} writes, {compared} searches compared, {answered} answered by the index "
          f"({started_published[0]} new backends started from a published overlay), {len(errors)} errors")
    started_published[0] = 0
    for e in errors[:10]:
        print("  " + e)
    ok = not errors and compared > 0 and answered > compared // 4
    if answered <= compared // 4:
        print(f"  the index answered too rarely ({answered} of {compared})")
    return ok


def main():
    preload = setup()
    modes = (["shared"] if preload else []) + ["local"]
    ok = all([run_mode(m) for m in modes])
    admin = connect("postgres")
    time.sleep(1)
    try:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    finally:
        admin.close()
    passed = 1 if ok else 0
    print(f"{passed} passed, {1 - passed} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
