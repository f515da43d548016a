"""Scale-out test of event_definitions_proxy (PL/Proxy router) over two shards.

Runs in the cluster of the libpq environment (PGHOST, PGPORT, PGUSER,
PGPASSWORD, as pg_virtualenv sets them).  Creates three databases: a router
with event_definitions_proxy and two shards with event_definitions, and the
PL/Proxy server event_definitions_cluster with four partitions (0 and 2 on
shard 0, 1 and 3 on shard 1).  Then, through the router: the acceptance flow
over 20 projects, the answers compared with the owning shard's own, errors,
forwarding of claims / request.path / acting user, and the rebalancing
procedure (scripts/move-project.sh).  Prints "N passed, M failed"; exits 1
when anything failed.  Drops its databases at the end.
"""

import json
import os
import subprocess
import sys
import traceback
import uuid

import psycopg2
import psycopg2.extras

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ROUTER, SHARDS = "ed_proxy_router", ["ed_proxy_shard0", "ed_proxy_shard1"]
NPARTS = 4
# default_version of the router's control file: what a fresh router is at
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "event_definitions_proxy.control")) as _control:
    CURRENT_VERSION = next(line.split("'")[1] for line in _control
                           if line.startswith("default_version"))
PROJECTS = list(range(1001, 1021))
NAMES = ["$pageview", "signup", "Checkout Started", "checkout_failed", "100%_done"]

passed = 0
failed = 0


def check(label, cond, info=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (label, info))


def connect(db):
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    return conn


class Err:
    """A database error reduced to what a caller sees."""

    def __init__(self, e):
        self.code = e.pgcode
        self.message = e.diag.message_primary
        self.detail = e.diag.message_detail
        self.hint = e.diag.message_hint

    def __eq__(self, other):
        return isinstance(other, Err) and vars(self) == vars(other)

    def __repr__(self):
        return "Err(%r)" % vars(self)


def call(conn, sql, params=(), gucs=None):
    """Run one statement in its own transaction with transaction-local
    settings; return its single value, or an Err."""
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            for k, v in (gucs or {}).items():
                cur.execute("SELECT set_config(%s, %s, true)", (k, v))
            cur.execute(sql, params)
            row = cur.fetchone()
        conn.commit()
        return row[0] if row else None
    except psycopg2.Error as e:
        conn.rollback()
        return Err(e)
    finally:
        conn.autocommit = True


def q(conn, sql, params=()):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else None


def claims(**kw):
    return {"request.jwt.claims": json.dumps(kw)}


class Cluster:
    def __init__(self):
        self.admin = connect("postgres")
        self.drop()
        for db in [ROUTER] + SHARDS:
            q(self.admin, 'CREATE DATABASE "%s"' % db)
        self.shards = [connect(db) for db in SHARDS]
        for s in self.shards:
            q(s, "CREATE EXTENSION event_definitions CASCADE")
            # the users directory is a reference table: the same on every shard
            q(s, """INSERT INTO event_definitions.users (id, uuid, first_name, last_name, email)
                    VALUES (1, '0188a3d4-0000-7000-8000-000000000001', 'Ada', 'Lovelace', 'ada@example.com'),
                           (2, '0188a3d4-0000-7000-8000-000000000002', 'Alan', 'Turing', 'alan@example.com')""")
            # and so are its links to projects: both users belong to every project
            q(s, """INSERT INTO event_definitions.user_projects (project_id, user_id)
                    SELECT p, u FROM unnest(%s::bigint[]) p, (VALUES (1), (2)) AS v(u)""", (PROJECTS,))
        self.router = connect(ROUTER)
        q(self.router, "CREATE EXTENSION event_definitions_proxy CASCADE")
        opts = []
        for i in range(NPARTS):
            conninfo = "dbname=%s" % SHARDS[i % 2]
            for key, env in (("host", "PGHOST"), ("port", "PGPORT")):
                if os.environ.get(env):
                    conninfo += " %s=%s" % (key, os.environ[env])
            opts.append("p%d '%s'" % (i, conninfo))
        q(self.router, "CREATE SERVER event_definitions_cluster FOREIGN DATA WRAPPER plproxy "
                       "OPTIONS (%s)" % ", ".join(opts))
        mapping = []
        if os.environ.get("PGUSER"):
            mapping.append("user %s" % psycopg2.extensions.QuotedString(os.environ["PGUSER"]).getquoted().decode())
        if os.environ.get("PGPASSWORD"):
            mapping.append("password %s" % psycopg2.extensions.QuotedString(os.environ["PGPASSWORD"]).getquoted().decode())
        q(self.router, "CREATE USER MAPPING FOR CURRENT_USER SERVER event_definitions_cluster"
                       + (" OPTIONS (%s)" % ", ".join(mapping) if mapping else ""))

    def drop(self):
        for db in [ROUTER] + SHARDS:
            q(self.admin, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)

    def partition(self, p):
        return q(self.router, "SELECT event_definitions_proxy.partition_of(%s)", (p,))[0][0] & (NPARTS - 1)

    def owner(self, p):
        """The shard connection that owns project p (by the router's routing)."""
        return self.shards[self.partition(p) % 2]

    def rows(self, shard, p):
        """Every row of project p on a shard, table by table."""
        out = {}
        for t, order in (("definitions", "id"), ("daily_volume", "definition_id, day"),
                         ("query_usage", "definition_id, day"), ("activity_log", "seq")):
            out[t] = q(shard, "SELECT x::text FROM event_definitions.%s x WHERE project_id = %%s ORDER BY %s"
                       % (t, order), (p,))
        # the count: a sum of counter slots, however the shard split it
        out["project_stats"] = q(shard, "SELECT sum(definitions) FROM event_definitions.project_stats "
                                        "WHERE project_id = %s HAVING count(*) > 0", (p,))
        return out

    def homes(self, p):
        """Indexes of the shards holding any row of project p."""
        return [i for i, s in enumerate(self.shards) if any(self.rows(s, p).values())]

    def both(self, sql, params=(), gucs=None, p=None):
        """The same call through the router and directly on the owning shard."""
        p = params[0] if p is None else p
        return call(self.router, sql, params, gucs), call(self.owner(p), sql, params, gucs)


def same(label, pair):
    r, d = pair
    check(label, r == d, "\n  router: %r\n  shard:  %r" % (r, d))
    return r


# Administration of one shard's own tables: not routed (run them on each
# shard).  Role grants are per database, like the tables they guard; tracked
# tables are a shard's own tables too: track, untrack and backfill run where
# the events table is (and the event-trigger functions are internal).
# version() reports the library of the node it runs on: not routed either.
SHARD_LOCAL = ("recount", "name_index_status", "version", "grant_project", "revoke_project",
               "track", "untrack", "backfill", "tracked_ddl", "tracked_dropped")


def test_signatures(c):
    sql = """SELECT p.proname, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                    p.provolatile, p.proparallel, obj_description(p.oid, 'pg_proc')
               FROM pg_proc p WHERE p.pronamespace = 'event_definitions'::regnamespace
                AND p.prorettype <> 'trigger'::regtype
                AND p.proname <> ALL (%s) ORDER BY 1"""
    sql = sql % ("ARRAY[%s]::name[]" % ", ".join("'%s'" % f for f in SHARD_LOCAL))
    r, d = q(c.router, sql), q(c.shards[0], sql)
    check("router has every API function of the core, 1.1 ones included",
          [x[0] for x in r] == [x[0] for x in d] and len(r) >= 15, [x[0] for x in r])
    check("router signatures, defaults, volatility and comments equal the core's", r == d,
          "\n  router: %r\n  shard:  %r" % (r, d))
    acl = q(c.router, """SELECT count(*) FROM pg_proc p
                          WHERE p.pronamespace IN ('event_definitions'::regnamespace,
                                                   'event_definitions_proxy'::regnamespace)
                            AND has_function_privilege('public', p.oid, 'EXECUTE')""")[0][0]
    check("nothing on the router is executable by PUBLIC", acl == 0, acl)


def test_ingest_and_placement(c):
    for p in PROJECTS:
        names = NAMES + ["checkout_%d" % p, "feature_%d" % (p % 3)]
        seen = ["2020-01-0%dT10:00:00Z" % (1 + i % 9) for i in range(len(names) - 2)] + [None, None]
        got = call(c.router, "SELECT event_definitions.ingest(%s, %s, %s::timestamptz[])", (p, names, seen))
        check("ingest through the router creates every new name (project %d)" % p, got == len(names), got)
        again = call(c.router, "SELECT event_definitions.ingest(%s, %s)", (p, ["signup", "$$plugin_metrics"]))
        check("ingest of a known name creates nothing (project %d)" % p, again == 0, again)
    on = {0: 0, 1: 0}
    for p in PROJECTS:
        homes = c.homes(p)
        expected = (q(c.router, "SELECT hashint8(%s::bigint) & %s", (p, NPARTS - 1))[0][0]) % 2
        check("project %d lives on exactly its hash shard" % p, homes == [expected], (homes, expected))
        if homes:
            on[homes[0]] += 1
    check("both shards hold projects", on[0] > 0 and on[1] > 0, on)


def test_list(c):
    for p in PROJECTS:
        page = same("list through the router equals the shard's (project %d)" % p,
                    c.both("SELECT event_definitions.list(%s)", (p,)))
        check("list counts every definition (project %d)" % p,
              isinstance(page, dict) and page["count"] == len(NAMES) + 2, page)
    p = PROJECTS[3]
    path = {"request.path": "/api/projects/%d/event_definitions" % p}
    page = same("list with search and paging through the router",
                c.both("SELECT event_definitions.list(%s, search => %s, page_limit => 1, page_offset => 1)",
                       (p, "CHECKOUT"), gucs=path))
    check("search and paging: count and both links carry request.path",
          isinstance(page, dict) and page["count"] == 3 and len(page["results"]) == 1
          and page["next"].startswith(path["request.path"] + "?")
          and page["previous"].startswith(path["request.path"] + "?"), page)
    check("links leave defaults out, as on a single server",
          isinstance(page, dict) and "event_type" not in page["next"] and "search=CHECKOUT" in page["next"],
          page)
    same("search with LIKE metacharacters through the router",
         c.both("SELECT event_definitions.list(%s, search => '100%%_')", (p,)))
    same("list with every filter through the router",
         c.both("""SELECT event_definitions.list(%s, search => 'e', event_type => 'event_custom',
                     exclude_hidden => true, exclude_stale => false, verified => false,
                     tags => NULL, names => ARRAY['signup', 'checkout_failed', 'Checkout Started'],
                     excluded_properties => ARRAY['signup'], ordering => '-name',
                     page_limit => 5, page_offset => 0)""", (p,)))


def first_id(c, p, name):
    page = call(c.owner(p), "SELECT event_definitions.list(%s, names => %s)", (p, [name]))
    return page["results"][0]["id"]


def test_update_retrieve_create_delete(c):
    p = PROJECTS[5]
    did = first_id(c, p, "signup")
    writer = claims(role="web", user_id=1, scopes=["event_definition:write"], project_ids=[p])
    upd = call(c.router, "SELECT event_definitions.update(%s, %s, %s)",
               (p, did, json.dumps({"description": "Sign-ups", "tags": ["Growth"], "verified": True})),
               gucs=writer)
    check("update through the router applies the patch",
          isinstance(upd, dict) and upd["description"] == "Sign-ups" and upd["tags"] == ["growth"], upd)
    check("claims reach the shard: updated_by and verified_by are the user_id claim",
          isinstance(upd, dict) and (upd["updated_by"] or {}).get("id") == 1
          and (upd["verified_by"] or {}).get("id") == 1, upd)
    same("retrieve through the router equals the shard's", c.both("SELECT event_definitions.retrieve(%s, %s)", (p, did)))
    check("the update is what retrieve returns", upd == call(c.owner(p), "SELECT event_definitions.retrieve(%s, %s)", (p, did)))

    upd = call(c.router, "SELECT event_definitions.update(%s, %s, %s)",
               (p, did, json.dumps({"post_to_slack": True})), gucs={"event_definitions.user_id": "2"})
    check("event_definitions.user_id reaches the shard", isinstance(upd, dict) and (upd["updated_by"] or {}).get("id") == 2, upd)
    upd = call(c.router, "SELECT event_definitions.update(%s, %s, %s)", (p, did, json.dumps({"hidden": False})))
    check("settings do not leak into the next call on the pooled connection",
          isinstance(upd, dict) and upd["updated_by"] is None, upd)

    created = call(c.router, "SELECT event_definitions.\"create\"(%s, %s, %s)",
                   (p, "planned_event", json.dumps({"description": "planned", "owner": 2})), gucs=writer)
    check("create through the router", isinstance(created, dict) and created["last_seen_at"] is None
          and created["owner"]["id"] == 2, created)
    check("create with the defaulted patch through the router",
          isinstance(call(c.router, "SELECT event_definitions.\"create\"(%s, 'planned_two')", (p,)), dict))
    same("create of an existing name: 23505 as from the shard",
         c.both("SELECT event_definitions.\"create\"(%s, 'signup')", (p,)))

    gone = first_id(c, p, "checkout_failed")
    res = call(c.router, "SELECT event_definitions.delete(%s, %s)", (p, gone), gucs=writer)
    check("delete through the router returns void", res is None or res == "", res)
    r, d = c.both("SELECT event_definitions.retrieve(%s, %s)", (p, gone))
    check("retrieve after delete: PT404 through the router, as on the shard",
          isinstance(r, Err) and r.code == "PT404" and r == d, (r, d))
    act = call(c.router, "SELECT event_definitions.activity(%s)", (p,))
    check("the delete is the newest activity entry, by the acting user",
          isinstance(act, dict) and act["results"][0]["activity"] == "deleted"
          and (act["results"][0]["user"] or {}).get("id") == 1, act)

    # each call commits on its shard: a router transaction cannot take it back
    c.router.autocommit = False
    with c.router.cursor() as cur:
        cur.execute("SELECT event_definitions.update(%s, %s, '{\"description\": \"kept\"}')", (p, did))
    c.router.rollback()
    c.router.autocommit = True
    kept = call(c.owner(p), "SELECT event_definitions.retrieve(%s, %s)", (p, did))
    check("a router-side ROLLBACK does not undo a call (it committed on its shard)",
          isinstance(kept, dict) and kept["description"] == "kept", kept)


def test_metrics_activity(c):
    p = PROJECTS[7]
    did = first_id(c, p, "$pageview")
    n = call(c.router, "SELECT event_definitions.record_query_usage(%s, ARRAY['$pageview', '$pageview', 'nope'])", (p,))
    check("record_query_usage through the router", n == 2, n)
    n = call(c.router, "SELECT event_definitions.record_query_usage(%s, ARRAY['signup'], now() - interval '1 day')", (p,))
    check("record_query_usage with at through the router", n == 1, n)
    m = same("metrics through the router equals the shard's", c.both("SELECT event_definitions.metrics(%s, %s)", (p, did)))
    check("metrics count the usage recorded through the router", isinstance(m, dict) and m["query_usage_30_day"] == 2, m)
    call(c.router, "SELECT event_definitions.update(%s, %s, '{\"description\": \"one\"}')", (p, did))
    call(c.router, "SELECT event_definitions.update(%s, %s, '{\"description\": \"two\"}')", (p, did))
    path = {"request.path": "/api/projects/%d/event_definitions/activity" % p}
    same("activity of a project through the router", c.both("SELECT event_definitions.activity(%s)", (p,), gucs=path))
    same("the change feed through the router", c.both("SELECT event_definitions.changes(%s)", (p,)))
    same("the change feed after a position through the router",
         c.both("SELECT event_definitions.changes(%s, since_seq => 1, page_limit => 2)", (p,)))
    a = same("activity of a definition with paging through the router",
             c.both("SELECT event_definitions.activity(%s, %s, page_limit => 1, page_offset => 1)", (p, did), gucs=path))
    check("activity paging: one entry and links with request.path",
          isinstance(a, dict) and len(a["results"]) == 1 and a["count"] == 2
          and (a["previous"] or "").startswith(path["request.path"]), a)


def test_errors(c):
    p = PROJECTS[9]
    did = first_id(c, p, "signup")
    cases = [
        ("PT404: unknown id", "SELECT event_definitions.retrieve(%s, %s)", (p, str(uuid.uuid4())), None, "PT404"),
        ("PT404: update of an unknown id", "SELECT event_definitions.update(%s, %s, '{}')", (p, str(uuid.uuid4())), None, "PT404"),
        ("PT404: metrics of an unknown id", "SELECT event_definitions.metrics(%s, %s)", (p, str(uuid.uuid4())), None, "PT404"),
        ("42501: project outside the project_ids claim", "SELECT event_definitions.list(%s)", (p,),
         claims(project_ids=[p + 1]), "42501"),
        ("42501: write without the write scope", "SELECT event_definitions.update(%s, %s, '{}')", (p, did),
         claims(scopes=["event_definition:read"]), "42501"),
        ("42501: ingest without the write scope", "SELECT event_definitions.ingest(%s, ARRAY['x'])", (p,),
         claims(scopes=["event_definition:read"]), "42501"),
        ("22023: unknown ordering key", "SELECT event_definitions.list(%s, ordering => 'colour')", (p,), None, "22023"),
        ("22023: unknown event_type", "SELECT event_definitions.list(%s, event_type => 'nope')", (p,), None, "22023"),
        ("22023: page_limit 0", "SELECT event_definitions.list(%s, page_limit => 0)", (p,), None, "22023"),
        ("22023: unknown patch key", "SELECT event_definitions.update(%s, %s, '{\"colour\": 1}')", (p, did), None, "22023"),
        ("22023: hidden and verified", "SELECT event_definitions.update(%s, %s, '{\"hidden\": true, \"verified\": true}')",
         (p, did), None, "22023"),
        ("22023: unknown owner", "SELECT event_definitions.update(%s, %s, '{\"owner\": 999}')", (p, did), None, "22023"),
        ("22023: arrays of different lengths", "SELECT event_definitions.ingest(%s, ARRAY['a','b'], ARRAY[now()])",
         (p,), None, "22023"),
        ("invalid name in a batch", "SELECT event_definitions.ingest(%s, ARRAY['ok', ''])", (p,), None, None),
        ("project_id 0", "SELECT event_definitions.list(%s)", (0,), None, None),
    ]
    for label, sql, params, gucs, code in cases:
        r, d = c.both(sql, params, gucs=gucs, p=params[0] if params[0] else 1)
        check("%s: SQLSTATE, message, detail and hint as from the shard" % label,
              isinstance(r, Err) and r == d and (code is None or r.code == code), "\n  router: %r\n  shard:  %r" % (r, d))
    r = call(c.router, "SELECT event_definitions.list(NULL)")
    d = call(c.shards[0], "SELECT event_definitions.list(NULL)")
    check("NULL project_id: same answer as a single server", r == d, (r, d))
    r = call(c.router, "SELECT event_definitions.retrieve(%s, 'not-a-uuid')", (p,))
    check("malformed uuid: 22P02", isinstance(r, Err) and r.code == "22P02", r)
    # the router session still works after errors
    check("router calls work after remote errors", isinstance(call(c.router, "SELECT event_definitions.list(%s)", (p,)), dict))


def test_v11_functions(c):
    """by_name, primary_properties, bulk updates and restore (1.1) through
    the router: the shard's answers and errors, claims forwarded."""
    p = PROJECTS[11]
    writer = claims(role="web", user_id=1, scopes=["event_definition:write"], project_ids=[p])
    r = same("by_name through the router equals the shard's", c.both("SELECT event_definitions.by_name(%s, 'signup')", (p,)))
    check("by_name renders as list", r == call(c.owner(p), "SELECT event_definitions.list(%s, names => ARRAY['signup'])", (p,))["results"][0])
    did = r["id"]
    other = first_id(c, p, "$pageview")
    call(c.router, "SELECT event_definitions.update(%s, %s, '{\"primary_property\": \"plan\"}')", (p, did))
    pp = same("primary_properties through the router equals the shard's",
              c.both("SELECT event_definitions.primary_properties(%s)", (p,)))
    check("primary_properties lists the property set through the router", pp == {"primary_properties": {"signup": "plan"}}, pp)
    same("primary_properties with names through the router",
         c.both("SELECT event_definitions.primary_properties(%s, names => ARRAY['signup', '', 'nope'])", (p,)))

    missing = str(uuid.uuid4())
    t = call(c.router, "SELECT event_definitions.bulk_update_tags(%s, %s::uuid[], 'add', ARRAY[' Web ', 'growth'])",
             (p, [did, other, missing]), gucs=writer)
    check("bulk_update_tags through the router", t == {"updated": [{"id": did, "tags": ["growth", "web"]},
                                                                    {"id": other, "tags": ["growth", "web"]}],
                                                        "skipped": [{"id": missing, "reason": "Not found"}]}, t)
    v = call(c.router, "SELECT event_definitions.bulk_update_verified(%s, %s::uuid[], true)", (p, [did, other]), gucs=writer)
    check("bulk_update_verified through the router", isinstance(v, dict) and len(v["updated"]) == 2, v)
    got = call(c.owner(p), "SELECT event_definitions.retrieve(%s, %s)", (p, did))
    check("claims reach the shard in bulk calls: verified_by and updated_by are the user_id claim",
          isinstance(got, dict) and (got["verified_by"] or {}).get("id") == 1 and (got["updated_by"] or {}).get("id") == 1, got)

    gone = first_id(c, p, "checkout_failed")
    call(c.router, "SELECT event_definitions.delete(%s, %s)", (p, gone), gucs=writer)
    res = call(c.router, "SELECT event_definitions.restore(%s, %s)", (p, gone), gucs=writer)
    check("restore through the router brings the definition back with its id",
          isinstance(res, dict) and res["id"] == gone and res["name"] == "checkout_failed", res)
    same("the restored definition through the router equals the shard's",
         c.both("SELECT event_definitions.retrieve(%s, %s)", (p, gone)))

    cases = [
        ("by_name: PT404", "SELECT event_definitions.by_name(%s, 'nope')", (p,), None, "PT404"),
        ("by_name: blank name", "SELECT event_definitions.by_name(%s, ' ')", (p,), None, "22023"),
        ("by_name: another project", "SELECT event_definitions.by_name(%s, 'signup')", (p,), claims(project_ids=[p + 1]), "42501"),
        ("primary_properties: null element", "SELECT event_definitions.primary_properties(%s, ARRAY[NULL::text])", (p,), None, "22023"),
        ("bulk_update_tags: bad action", "SELECT event_definitions.bulk_update_tags(%s, %s::uuid[], 'merge', ARRAY['x'])", (p, [did]), None, "22023"),
        ("bulk_update_tags: no tags to add", "SELECT event_definitions.bulk_update_tags(%s, %s::uuid[], 'add', '{}')", (p, [did]), None, "22023"),
        ("bulk_update_tags: read scope", "SELECT event_definitions.bulk_update_tags(%s, %s::uuid[], 'set', '{}')", (p, [did]),
         claims(scopes=["event_definition:read"]), "42501"),
        ("bulk_update_verified: no ids", "SELECT event_definitions.bulk_update_verified(%s, '{}', true)", (p,), None, "22023"),
        ("restore: not deleted", "SELECT event_definitions.restore(%s, %s)", (p, did), None, "PT404"),
    ]
    for label, sql, params, gucs, code in cases:
        r, d = c.both(sql, params, gucs=gucs)
        check("%s: SQLSTATE, message, detail and hint as from the shard" % label,
              isinstance(r, Err) and r == d and r.code == code, "\n  router: %r\n  shard:  %r" % (r, d))
    call(c.router, "SELECT event_definitions.delete(%s, %s)", (p, gone))
    call(c.router, "SELECT event_definitions.ingest(%s, ARRAY['checkout_failed'])", (p,))
    r, d = c.both("SELECT event_definitions.restore(%s, %s)", (p, gone))
    check("restore of a name ingested again: 23505 with hint as from the shard",
          isinstance(r, Err) and r == d and r.code == "23505" and r.hint, (r, d))


def test_v12_schemas(c):
    """Property groups, attachments, event_schema, validate, violations and
    list's has_violations (1.2) through the router: the shard's answers and
    errors, a void result for property_group_delete."""
    p = PROJECTS[7]
    writer = claims(scopes=["event_definition:write"], project_ids=[p], user_id=1)
    did = first_id(c, p, "signup")
    g = call(c.router, "SELECT event_definitions.property_group_create(%s, 'account', %s)",
             (p, json.dumps([{"name": "plan", "property_type": "String", "is_required": True},
                             {"name": "seats", "property_type": "Numeric"}])), gucs=writer)
    check("property_group_create through the router", isinstance(g, dict) and g["name"] == "account"
          and [x["name"] for x in g["properties"]] == ["plan", "seats"], g)
    gid = g["id"] if isinstance(g, dict) else None
    s = call(c.router, "SELECT event_definitions.schema_attach(%s, %s, %s)", (p, did, gid), gucs=writer)
    check("schema_attach through the router returns the event's schema",
          isinstance(s, dict) and s["schema_version"] == 1 and s["property_groups"][0]["id"] == gid, s)
    same("event_schema through the router equals the shard's",
         c.both("SELECT event_definitions.event_schema(%s, %s)", (p, did)))
    same("property_group_retrieve through the router equals the shard's",
         c.both("SELECT event_definitions.property_group_retrieve(%s, %s)", (p, gid)))
    same("property_group_list through the router equals the shard's",
         c.both("SELECT event_definitions.property_group_list(%s, search => 'ACC')", (p,), gucs={"request.path": "/rpc/property_group_list"}))
    v = same("validate through the router equals the shard's",
             c.both("SELECT event_definitions.validate(%s, 'signup', '{\"seats\": \"many\"}')", (p,)))
    check("validate through the router finds both errors",
          isinstance(v, dict) and [e["reason"] for e in v["errors"]] == ["missing_required", "type_mismatch"], v)
    u = call(c.router, "SELECT event_definitions.property_group_update(%s, %s, '{\"description\": \"payer\"}')", (p, gid), gucs=writer)
    check("property_group_update through the router", isinstance(u, dict) and u["description"] == "payer"
          and (u["updated_by"] or {}).get("id") == 1, u)
    m = call(c.router, "SELECT event_definitions.update(%s, %s, '{\"enforcement_mode\": \"warn\"}')", (p, did), gucs=writer)
    check("enforcement_mode warn through the router", isinstance(m, dict) and m["enforcement_mode"] == "warn", m)
    same("violations through the router equals the shard's",
         c.both("SELECT event_definitions.violations(%s, %s, now() - interval '1 day', 10, 0)", (p, did)))
    same("list with has_violations through the router equals the shard's",
         c.both("SELECT event_definitions.list(%s, has_violations => false)", (p,)))
    mt = same("metrics through the router has violations_30_day",
              c.both("SELECT event_definitions.metrics(%s, %s)", (p, did)))
    check("metrics through the router carries violations_30_day", isinstance(mt, dict) and "violations_30_day" in mt, mt)
    cases = [
        ("property_group_create: name taken", "SELECT event_definitions.property_group_create(%s, 'account')", (p,), None, "23505"),
        ("property_group_create: unknown type", "SELECT event_definitions.property_group_create(%s, 'x', '[{\"name\": \"a\", \"property_type\": \"Date\"}]')",
         (p,), None, "22023"),
        ("schema_attach: already added", "SELECT event_definitions.schema_attach(%s, %s, %s)", (p, did, gid), None, "23505"),
        ("schema_detach: another project", "SELECT event_definitions.schema_detach(%s, %s, %s)", (p, did, gid),
         claims(project_ids=[p + 1]), "42501"),
        ("validate: unknown event", "SELECT event_definitions.validate(%s, 'nope', '{}')", (p,), None, "PT404"),
        ("property_group_retrieve: missing", "SELECT event_definitions.property_group_retrieve(%s, '00000000-0000-4000-8000-000000000000')", (p,), None, "PT404"),
    ]
    for label, sql, params, gucs, code in cases:
        r, d = c.both(sql, params, gucs=gucs)
        check("%s: SQLSTATE, message, detail and hint as from the shard" % label,
              isinstance(r, Err) and r == d and r.code == code, "\n  router: %r\n  shard:  %r" % (r, d))
    d = call(c.router, "SELECT event_definitions.schema_detach(%s, %s, %s)", (p, did, gid), gucs=writer)
    check("schema_detach through the router", isinstance(d, dict) and d["property_groups"] == [] and d["schema_version"] == 3, d)
    res = call(c.router, "SELECT event_definitions.property_group_delete(%s, %s)", (p, gid), gucs=writer)
    check("property_group_delete through the router returns void", res is None or res == "", res)
    r = call(c.router, "SELECT event_definitions.property_group_delete(%s, %s)", (p, gid))
    check("property_group_delete of a deleted group: PT404 through the router", isinstance(r, Err) and r.code == "PT404", r)


def test_v12_codegen(c):
    """codegen and codegen_status (1.2) through the router: the shard's
    bytes in every language, the status of a file, the shard's errors."""
    p = PROJECTS[8]
    writer = claims(scopes=["event_definition:write"], project_ids=[p], user_id=1)
    g = call(c.router, "SELECT event_definitions.property_group_create(%s, 'order', %s)",
             (p, json.dumps([{"name": "total", "property_type": "Numeric", "is_required": True}])), gucs=writer)
    gid = g["id"] if isinstance(g, dict) else None
    call(c.router, "SELECT event_definitions.schema_attach(%s, %s, %s)", (p, first_id(c, p, "Checkout Started"), gid),
         gucs=writer)
    files = {}
    for language in ("typescript", "golang", "python", "jsonschema"):
        files[language] = same("codegen(%s) through the router equals the shard's" % language,
                               c.both("SELECT event_definitions.codegen(%s, %s)", (p, language)))
    ts = files["typescript"]
    check("codegen through the router: the project's events, typed",
          isinstance(ts, dict) and ts["event_count"] == len(NAMES) + 2 and '"total": number' in ts["content"],
          ts if not isinstance(ts, dict) else ts["event_count"])
    same("codegen with names through the router equals the shard's",
         c.both("SELECT event_definitions.codegen(%s, 'python', %s)", (p, ["signup", "Checkout Started"])))
    if isinstance(ts, dict):
        st = same("codegen_status of a current file through the router equals the shard's",
                  c.both("SELECT event_definitions.codegen_status(%s, %s, content => %s)",
                         (p, ts["schema_hash"], ts["content"])))
        check("codegen_status through the router: current", isinstance(st, dict) and st["current"] is True
              and st["changed_events"] == [], st)
    cases = [
        ("codegen: another language", "SELECT event_definitions.codegen(%s, 'rust')", (p,), None, "22023"),
        ("codegen: another project", "SELECT event_definitions.codegen(%s, 'golang')", (p,),
         claims(scopes=["event_definition:read"], project_ids=[p + 1]), "42501"),
        ("codegen_status: malformed hash", "SELECT event_definitions.codegen_status(%s, 'xyz')", (p,), None, "22023"),
        ("codegen_status: content not generated", "SELECT event_definitions.codegen_status(%s, %s, content => 'x')",
         (p, "0" * 32), None, "22023"),
    ]
    for label, sql, params, gucs, code in cases:
        r, d = c.both(sql, params, gucs=gucs)
        check("%s: SQLSTATE, message, detail and hint as from the shard" % label,
              isinstance(r, Err) and r == d and r.code == code, "\n  router: %r\n  shard:  %r" % (r, d))


def test_router_upgrade(c):
    """event_definitions_proxy 1.0 and 1.1 updated to the current version
    equal a fresh router."""
    for start, nfuncs in (("1.0", 9), ("1.1", None)):
        router_upgrade_from(c, start, nfuncs)


def router_upgrade_from(c, start, nfuncs):
    db = "ed_proxy_router_upgrade"
    q(c.admin, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)
    q(c.admin, 'CREATE DATABASE "%s"' % db)
    try:
        conn = connect(db)
        q(conn, "CREATE EXTENSION event_definitions_proxy VERSION '%s' CASCADE" % start)
        before = q(conn, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'event_definitions'::regnamespace")[0][0]
        # an administrator's grant on list (made again by 1.2) survives the update
        q(conn, "DO $$BEGIN CREATE ROLE ed_proxy_list_reader; EXCEPTION WHEN duplicate_object THEN NULL; END$$")
        q(conn, "GRANT EXECUTE ON FUNCTION event_definitions.list TO ed_proxy_list_reader")
        q(conn, "ALTER EXTENSION event_definitions_proxy UPDATE")
        check("router %s: a grant on list survives the update" % start,
              q(conn, "SELECT has_function_privilege('ed_proxy_list_reader', p.oid, 'EXECUTE') FROM pg_proc p "
                      "WHERE p.pronamespace = 'event_definitions'::regnamespace AND p.proname = 'list'") == [(True,)])
        q(conn, "REVOKE EXECUTE ON FUNCTION event_definitions.list FROM ed_proxy_list_reader")
        sql = """SELECT p.oid::regprocedure::text, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                        p.provolatile, p.proparallel, p.prosecdef, p.proconfig, p.prosrc, p.proacl::text,
                        obj_description(p.oid, 'pg_proc'), l.lanname
                   FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
                  WHERE p.pronamespace IN ('event_definitions'::regnamespace, 'event_definitions_proxy'::regnamespace)
                  ORDER BY 1"""
        updated, fresh = q(conn, sql), q(c.router, sql)
        if nfuncs is not None:
            check("router %s has the nine functions, later versions more" % start,
                  before == nfuncs and len(updated) > before, (before, len(updated)))
        check("router: updated %s equals a fresh router (functions, comments, ACLs)" % start, updated == fresh,
              [x for x in updated if x not in fresh] + [x for x in fresh if x not in updated])
        ver = q(conn, "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions_proxy'")[0][0]
        fresh_ver = q(c.router, "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions_proxy'")[0][0]
        check("router %s updated to the current version" % start, ver == fresh_ver == CURRENT_VERSION, ver)
        conn.close()
    finally:
        q(c.admin, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)
        q(c.admin, "DROP ROLE IF EXISTS ed_proxy_list_reader")


def snapshot(c, p):
    """Everything the API says about project p, through the router."""
    page = call(c.router, "SELECT event_definitions.list(%s, page_limit => 1000)", (p,))
    out = {"list": page, "activity": call(c.router, "SELECT event_definitions.activity(%s, page_limit => 1000)", (p,))}
    for d in page["results"]:
        out[d["id"]] = call(c.router, "SELECT event_definitions.metrics(%s, %s)", (p, d["id"]))
    return out


def move(c, p, partition):
    return subprocess.run([os.path.join(REPO, "scripts", "move-project.sh"), "-d", ROUTER, str(p), str(partition)],
                          capture_output=True, text=True)


def test_rebalance(c):
    p = PROJECTS[5]            # has updates, a delete, created definitions
    call(c.router, "SELECT event_definitions.record_query_usage(%s, ARRAY['signup'])", (p,))
    home = c.partition(p)
    src, dst = home % 2, 1 - home % 2
    target = dst               # partitions 0/1 are on shards 0/1
    before_rows = c.rows(c.shards[src], p)
    before = snapshot(c, p)
    others = {x: c.rows(c.shards[c.partition(x) % 2], x) for x in PROJECTS if x != p}

    res = move(c, p, target)
    check("move-project.sh succeeds", res.returncode == 0, res.stdout + res.stderr)
    check("the project's rows are now only on the target shard", c.homes(p) == [dst], c.homes(p))
    check("nothing lost or changed: definitions, counters, activity, count",
          c.rows(c.shards[dst], p) == before_rows, "\n  before: %r\n  after:  %r" % (before_rows, c.rows(c.shards[dst], p)))
    check("the router pins the project to the target partition",
          q(c.router, "SELECT partition FROM event_definitions_proxy.placement WHERE project_id = %s", (p,)) == [(target,)])
    after = snapshot(c, p)
    check("the router finds the moved project: list, activity and metrics unchanged", after == before,
          [(k, before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)])
    same("list through the router equals the target shard's", c.both("SELECT event_definitions.list(%s)", (p,)))
    check("other projects untouched", all(c.rows(c.shards[c.partition(x) % 2], x) == rows for x, rows in others.items()))

    n = call(c.router, "SELECT event_definitions.ingest(%s, ARRAY['after_move', 'signup'])", (p,))
    check("ingest after the move lands on the target", n == 1 and c.homes(p) == [dst], (n, c.homes(p)))
    did = first_id(c, p, "after_move")
    call(c.router, "SELECT event_definitions.update(%s, %s, '{\"description\": \"moved\"}')", (p, did))
    act = call(c.router, "SELECT event_definitions.activity(%s)", (p,))
    check("new activity entries come first after the move (sequence moved past copied entries)",
          act["results"][0]["item_id"] == did and act["count"] == before["activity"]["count"] + 1, act["results"][:2])

    res = move(c, p, home)
    check("moving back to the hash partition succeeds", res.returncode == 0, res.stdout + res.stderr)
    check("moved back: rows only on the original shard", c.homes(p) == [src], c.homes(p))
    check("moved back: the pin is gone", q(c.router, "SELECT count(*) FROM event_definitions_proxy.placement")[0][0] == 0)
    same("moved back: list through the router equals the shard's", c.both("SELECT event_definitions.list(%s)", (p,)))
    check("moved back: the definition ingested on the other shard came along",
          call(c.router, "SELECT event_definitions.list(%s, names => ARRAY['after_move'])", (p,))["count"] == 1)
    res = move(c, p, home)
    check("moving to the current partition is a no-op", res.returncode == 0 and c.homes(p) == [src], res.stderr)
    res = move(c, p, NPARTS)
    check("moving to a partition that does not exist fails", res.returncode != 0 and c.homes(p) == [src])

    # calls for a project being moved wait for the move
    locker = connect(ROUTER)
    q(locker, "SELECT pg_advisory_lock(1162104920, hashint8(%s::bigint))", (p,))
    r = call(c.router, "SELECT event_definitions.list(%s)", (p,), gucs={"statement_timeout": "300ms"})
    check("a call for a project being moved waits (here: until statement_timeout)",
          isinstance(r, Err) and r.code == "57014", r)
    other = next(x for x in PROJECTS if q(c.router, "SELECT hashint8(%s::bigint) <> hashint8(%s::bigint)", (x, p))[0][0])
    check("calls for other projects do not wait",
          isinstance(call(c.router, "SELECT event_definitions.list(%s)", (other,), gucs={"statement_timeout": "2s"}), dict))
    q(locker, "SELECT pg_advisory_unlock(1162104920, hashint8(%s::bigint))", (p,))
    locker.close()
    check("after the move the call goes through", isinstance(call(c.router, "SELECT event_definitions.list(%s)", (p,)), dict))

    for x in PROJECTS:
        check("at the end project %d lives on exactly one shard" % x, len(c.homes(x)) == 1, c.homes(x))


def main():
    c = None
    try:
        c = Cluster()
        for t in (test_signatures, test_ingest_and_placement, test_list, test_update_retrieve_create_delete,
                  test_metrics_activity, test_errors, test_v11_functions, test_v12_schemas, test_v12_codegen, test_router_upgrade,
                  test_rebalance):
            try:
                t(c)
            except Exception:
                check(t.__name__ + " ran to the end", False, traceback.format_exc())
    finally:
        if c is not None:
            for conn in [c.router] + getattr(c, "shards", []):
                try:
                    conn.close()
                except Exception:
                    pass
            c.drop()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
