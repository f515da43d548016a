#!/usr/bin/python3
"""The HTTP contract of event_definitions, checked the way PostgREST serves it.

PostgREST is not installable here, so this replays, over a real libpq
connection logged in as the authenticator role, the statements PostgREST 12
sends for an RPC request (src/PostgREST/Query/PreQuery.hs, QueryBuilder.hs,
SqlFragment.hs, Statements.hs):

  BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY     -- READ WRITE only for a
                                                     -- POST to a VOLATILE function
  select set_config('search_path', '"event_definitions", "public"', true),
         set_config('role', <role>, true),
         set_config('request.jwt.claims', <claims + role>, true),
         set_config('request.method', 'GET'|'POST', true),
         set_config('request.path', '/rpc/<fn>', true),
         set_config('request.headers', <json>, true),
         set_config('request.cookies', '{}', true),
         set_config(<each SET of the function>, ..., true)   -- pdFuncSettings
  WITH pgrst_source AS (
    SELECT pgrst_call.pgrst_scalar
    FROM (SELECT $1::json AS json_data) pgrst_payload,
         LATERAL (SELECT "a", "b" FROM json_to_record(pgrst_payload.json_data)
                  AS _("a" bigint, "b" uuid) LIMIT 1) pgrst_body,
         LATERAL (SELECT "event_definitions"."fn"("a" := pgrst_body."a",
                                                  "b" := pgrst_body."b") pgrst_scalar) pgrst_call)
  SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total,
         coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, ...
  FROM (SELECT "pgrst_source".* FROM "pgrst_source") _postgrest_t
  COMMIT      -- ROLLBACK when the statement failed

PostgREST binds the payload as a parameter of type json; here it is the same
text as a literal cast to json (psycopg2 interpolates client-side).

A GET's query string becomes that JSON payload with every value a string
({"project_id": "1", "search": "app"}), so json_to_record applies each
parameter type's input function to the text: exactly a cast from text.  A POST
sends its JSON body.  Only the parameters the request names are passed, so
the others take their defaults.

The outcome is mapped to the HTTP status as PostgREST's Error.hs
(mapSQLtoHTTP) does; a void result is 204.  After every rejected call to a
VOLATILE function the test also checks that nothing changed in the
extension's tables (PostgREST rolled back).

Prints one line per case and "N passed, M failed"; exit status 1 on any failure.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import urllib.parse
import uuid

import psycopg2
import psycopg2.extensions

from codegen_cases import CODEGEN_FUNCTIONS, run_codegen_cases
from schema_cases import SCHEMA_FUNCTIONS, SCHEMA_TABLES, run_schema_cases

SCHEMA = "event_definitions"
DB = os.environ.get("ED_HTTP_DB", "ed_http")
KEEP = os.environ.get("ED_HTTP_KEEP") == "1"
VERBOSE = "-v" in sys.argv or os.environ.get("ED_HTTP_VERBOSE") == "1"

AUTHENTICATOR = "authenticator"
ANON_ROLE = "anon"  # db-anon-role
AUTHED_ROLE = "authenticated"
JWT_SECRET = "a-test-secret-of-at-least-thirty-two-characters"
FUNCTIONS = ["list", "retrieve", "create", "update", "delete", "metrics",
             "activity", "ingest", "record_query_usage", "changes",
             "by_name", "primary_properties", "bulk_update_tags", "bulk_update_verified", "restore"] \
    + SCHEMA_FUNCTIONS + CODEGEN_FUNCTIONS
CONN_OPTIONS = "-c statement_timeout=30000 -c lock_timeout=10000"


def qident(name):
    return '"' + name.replace('"', '""') + '"'


def qlit(value):
    return psycopg2.extensions.QuotedString(value).getquoted().decode()


# --------------------------------------------------------------------------
# PostgREST's SQLSTATE -> HTTP status (Error.hs, mapSQLtoHTTP)
# --------------------------------------------------------------------------
def http_status(sqlstate, message, authed):
    c = sqlstate or ""
    if c.startswith("08"):
        return 503
    if c.startswith("09"):
        return 500
    if c.startswith("0L") or c.startswith("0P"):
        return 403
    if c in ("23503", "23505"):
        return 409
    if c == "25006":
        return 405
    if c == "21000":
        return 400 if message.endswith("requires a WHERE clause") else 500
    if c == "22023":
        return 401 if message.startswith("role") and message.endswith("does not exist") else 400
    if c[:2] in ("25", "2D", "38", "39", "3B", "40"):
        return 500
    if c.startswith("28"):
        return 403
    if c == "53400":
        return 500
    if c.startswith("53"):
        return 503
    if c[:2] in ("54", "55"):
        return 500
    if c == "57P01":
        return 503
    if c[:2] in ("57", "58", "F0", "HV"):
        return 500
    if c == "P0001":
        return 400
    if c.startswith("P0") or c.startswith("XX"):
        return 500
    if c == "42883":
        return 406 if message.startswith("function xmlagg(") else 404
    if c == "42P01":
        return 404
    if c == "42P17":
        return 500
    if c == "42501":
        return 403 if authed else 401
    if c.startswith("PT"):
        try:
            return int(c[2:])
        except ValueError:
            return 500
    return 400  # everything else, including 22xxx and 23xxx


def make_jwt(claims):
    """An HS256 token, as a client would send it (PostgREST verifies it and
    copies its claims into request.jwt.claims)."""
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(JWT_SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


# --------------------------------------------------------------------------
# Set-up: database, extension, PostgREST's roles, fixture
# --------------------------------------------------------------------------
def admin_connect(dbname):
    conn = psycopg2.connect(dbname=dbname, application_name="ed-http-admin",
                            options=CONN_OPTIONS)
    conn.autocommit = True
    return conn


def admin_exec(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        if cur.description is not None:
            return cur.fetchall()
    return None


class Setup:
    def __init__(self):
        self.created_roles = []
        self.password = secrets.token_hex(16)
        self.login_mode = None

    def create_database(self):
        conn = admin_connect("postgres")
        admin_exec(conn, f"DROP DATABASE IF EXISTS {qident(DB)} WITH (FORCE)")
        admin_exec(conn, f"CREATE DATABASE {qident(DB)}")
        conn.close()
        self.admin = admin_connect(DB)
        admin_exec(self.admin, f"CREATE EXTENSION {SCHEMA} CASCADE")

    def create_roles(self):
        a = self.admin
        for role, attrs in ((AUTHENTICATOR, "LOGIN NOINHERIT"), (ANON_ROLE, "NOLOGIN"),
                            (AUTHED_ROLE, "NOLOGIN")):
            if not admin_exec(a, "SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)):
                admin_exec(a, f"CREATE ROLE {qident(role)} {attrs}")
                self.created_roles.append(role)
        # The README's GRANTs for PostgREST, verbatim
        admin_exec(a, f"ALTER ROLE {AUTHENTICATOR} LOGIN NOINHERIT PASSWORD %s", (self.password,))
        admin_exec(a, f"GRANT {ANON_ROLE}, {AUTHED_ROLE} TO {AUTHENTICATOR}")
        admin_exec(a, f"GRANT USAGE ON SCHEMA {SCHEMA} TO {ANON_ROLE}, {AUTHED_ROLE}")
        admin_exec(a, "GRANT EXECUTE ON FUNCTION "
                   + ", ".join(f"{SCHEMA}.{qident(f)}" for f in FUNCTIONS)
                   + f" TO {AUTHED_ROLE}")

    def load_fixture(self):
        a = self.admin
        admin_exec(a, f"""INSERT INTO {SCHEMA}.users (id, first_name, last_name, email)
                          VALUES (7, 'Ada', 'Lovelace', 'ada@example.com'),
                                 (8, 'Grace', 'Hopper', 'grace@example.com')""")
        admin_exec(a, f"""SELECT {SCHEMA}.ingest(1,
            ARRAY['app_open', 'app_close', '$pageview', 'signup', 'checkout', 'app_open', 'app_open'],
            ARRAY[now() - interval '1 hour', now() - interval '2 hours', now(),
                  now() - interval '3 days', now() - interval '40 days',
                  now() - interval '1 day', now() - interval '2 days']::timestamptz[])""")
        admin_exec(a, f"SELECT {SCHEMA}.ingest(2, ARRAY['p2_secret'])")
        # user 7 belongs to project 1; user 8 to project 2 only
        admin_exec(a, f"INSERT INTO {SCHEMA}.user_projects VALUES (1, 7), (2, 8)")

    def authenticator_connect(self):
        """Log in as the authenticator, as PostgREST does; when the cluster
        only allows peer logins over its socket, become it from the admin
        session instead (SET SESSION AUTHORIZATION: the same session user,
        so role switches still need its memberships)."""
        try:
            conn = psycopg2.connect(dbname=DB, user=AUTHENTICATOR, password=self.password,
                                    application_name="postgrest-emulation",
                                    options=CONN_OPTIONS)
            self.login_mode = "password login as authenticator"
        except psycopg2.OperationalError:
            conn = admin_connect(DB)
            admin_exec(conn, f"SET SESSION AUTHORIZATION {AUTHENTICATOR}")
            self.login_mode = "SET SESSION AUTHORIZATION authenticator (password login refused)"
        conn.autocommit = True  # transactions are explicit, as PostgREST's
        return conn

    def routines(self):
        """PostgREST's schema cache, the part RPC needs."""
        rows = admin_exec(self.admin, """
            SELECT p.proname, p.provolatile, p.prorettype = 'void'::regtype,
                   p.proargnames, p.pronargs, p.pronargdefaults,
                   array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t),
                   coalesce(p.proconfig, '{}')
            FROM pg_proc p WHERE p.pronamespace = %s::regnamespace
              AND p.proname = ANY (%s) AND p.prokind = 'f'""", (SCHEMA, FUNCTIONS))
        out = {}
        for name, vol, void, argnames, nargs, ndefaults, types, config in rows:
            argnames = argnames or []
            out[name] = {
                "volatility": vol,
                "void": void,
                "params": list(zip(argnames, types)),
                "required": set(argnames[:nargs - ndefaults]),
                "settings": [tuple(kv.split("=", 1)) for kv in config],
            }
        return out

    def state(self):
        """Everything the extension stores, as one digest."""
        parts = []
        for table in ("definitions", "daily_volume", "query_usage", "project_stats",
                      "activity_log", "users", "user_projects", "role_grants", *SCHEMA_TABLES):
            row = admin_exec(self.admin,
                             f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                             f"FROM {SCHEMA}.{table} t")[0]
            parts.append(f"{table}:{row[0]}:{row[1]}")
        return ";".join(parts)

    def teardown(self):
        self.admin.close()
        if KEEP:
            print(f"# kept database {DB}")
            return
        conn = admin_connect("postgres")
        admin_exec(conn, f"DROP DATABASE IF EXISTS {qident(DB)} WITH (FORCE)")
        for role in reversed(self.created_roles):
            admin_exec(conn, f"DROP ROLE IF EXISTS {qident(role)}")
        conn.close()


# --------------------------------------------------------------------------
# One HTTP request, as PostgREST executes it
# --------------------------------------------------------------------------
class Response:
    def __init__(self, status, body=None, sqlstate=None, message=None):
        self.status = status
        self.body = body
        self.sqlstate = sqlstate
        self.message = message

    def describe(self):
        if self.sqlstate:
            return f"{self.status} ({self.sqlstate}: {self.message})"
        return str(self.status)


class PostgREST:
    def __init__(self, conn, routines):
        self.conn = conn
        self.routines = routines

    def request(self, method, fn, claims=None, query=None, body=None):
        """method GET with query = [(key, text)], or POST with body = JSON
        value (or raw text).  claims None: no Authorization header."""
        routine = self.routines[fn]
        path = f"/rpc/{fn}"
        role = claims["role"] if claims else ANON_ROLE
        headers = {"host": "localhost:3000", "user-agent": "curl/7.88.1", "accept": "*/*"}
        if claims:
            headers["authorization"] = "Bearer " + make_jwt(claims)
        if method == "GET":
            args = {}
            for key, value in query or []:
                args[key] = value
            payload = json.dumps(args)
            keys = list(args)
        else:
            headers["content-type"] = "application/json"
            payload = body if isinstance(body, str) else json.dumps(body)
            try:
                parsed = json.loads(payload)
            except ValueError:
                return Response(400, sqlstate="PGRST102", message="Empty or invalid json")
            keys = list(parsed) if isinstance(parsed, dict) else []

        # Schema cache lookup: a function whose parameters cover exactly the
        # given keys (GET keys that are no parameter would be result filters).
        names = [p for p, _ in routine["params"]]
        unknown = [k for k in keys if k not in names]
        missing = routine["required"] - set(keys)
        if (method == "POST" and unknown) or missing:
            return Response(404, sqlstate="PGRST202",
                            message=f"Could not find the function {SCHEMA}.{fn}({', '.join(sorted(keys))}) in the schema cache")
        params = [(p, t) for p, t in routine["params"] if p in keys]

        read_only = method == "GET" or routine["volatility"] != "v"
        claims_json = dict(claims or {})
        claims_json["role"] = role  # PostgREST inserts the role into the claims
        settings = [
            ("search_path", f'{qident(SCHEMA)}, "public"'),
            ("role", role),
            ("request.jwt.claims", json.dumps(claims_json, separators=(",", ":"))),
            ("request.method", method),
            ("request.path", path),
            ("request.headers", json.dumps(headers, separators=(",", ":"))),
            ("request.cookies", "{}"),
        ] + routine["settings"]
        set_sql = "select " + ", ".join(f"set_config({qlit(k)}, {qlit(v)}, true)" for k, v in settings)

        cols = ", ".join(qident(p) for p, _ in params)
        typed = ", ".join(f"{qident(p)} {t}" for p, t in params)
        call_args = ", ".join(f"{qident(p)} := pgrst_body.{qident(p)}" for p, _ in params)
        call_sql = (
            "WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar "
            f"FROM (SELECT {qlit(payload)}::json AS json_data) pgrst_payload, "
            f"LATERAL (SELECT {cols} FROM json_to_record(pgrst_payload.json_data) AS _({typed}) LIMIT 1) pgrst_body , "
            f"LATERAL (SELECT {qident(SCHEMA)}.{qident(fn)}({call_args}) pgrst_scalar) pgrst_call) "
            "SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, "
            "coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, "
            "nullif(current_setting('response.headers', true), '') AS response_headers, "
            "nullif(current_setting('response.status', true), '') AS response_status "
            'FROM (SELECT "pgrst_source".* FROM "pgrst_source") _postgrest_t'
        )
        begin_sql = ("BEGIN ISOLATION LEVEL READ COMMITTED "
                     + ("READ ONLY" if read_only else "READ WRITE"))

        cur = self.conn.cursor()
        try:
            for sql in (begin_sql, set_sql):
                self._log(sql)
                cur.execute(sql)
            self._log(call_sql)
            cur.execute(call_sql)
            row = cur.fetchone()
        except psycopg2.Error as e:
            self._log("ROLLBACK")
            cur.execute("ROLLBACK")
            message = e.diag.message_primary or str(e)
            return Response(http_status(e.pgcode, message, role != ANON_ROLE),
                            sqlstate=e.pgcode, message=message)
        self._log("COMMIT")
        cur.execute("COMMIT")
        if row[4] is not None:  # response.status GUC
            return Response(int(row[4]), body=row[2])
        if routine["void"]:
            return Response(204)
        return Response(200, body=json.loads(row[2]) if isinstance(row[2], str) else row[2])

    def raw(self, sql):
        """A statement straight from the authenticator's session, no request."""
        cur = self.conn.cursor()
        try:
            cur.execute(sql)
            return Response(200, body=cur.fetchall())
        except psycopg2.Error as e:
            return Response(http_status(e.pgcode, e.diag.message_primary or "", True),
                            sqlstate=e.pgcode, message=e.diag.message_primary)

    @staticmethod
    def _log(sql):
        if VERBOSE:
            print("    > " + sql)


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------
def claims_for(scopes, project_ids=(1,), user_id=7):
    c = {"role": AUTHED_ROLE, "scopes": list(scopes), "user_id": user_id}
    if project_ids is not None:
        c["project_ids"] = list(project_ids)
    return c


READ = "event_definition:read"
WRITE = "event_definition:write"
RW = claims_for([READ, WRITE])
RO = claims_for([READ])
NO_SCOPE = claims_for(["insight:read", "feature_flag:write"])
STAR = claims_for(["*"], project_ids=(1, 3))
ANON = None

CLAIM_NAMES = {id(RW): "rw", id(RO): "read-only", id(NO_SCOPE): "no scope",
               id(STAR): "scopes *", id(ANON): "anonymous"}


class Runner:
    def __init__(self, setup, api):
        self.setup = setup
        self.api = api
        self.passed = 0
        self.failed = 0

    def check(self, label, method, fn, claims, expect, query=None, body=None, test=None):
        state_before = self.setup.state() if self.api.routines[fn]["volatility"] == "v" else None
        resp = self.api.request(method, fn, claims, query=query, body=body)
        if method == "GET":
            target = f"/rpc/{fn}" + ("?" + urllib.parse.urlencode(query or []) if query else "")
        else:
            text = body if isinstance(body, str) else json.dumps(body)
            target = f"/rpc/{fn} {text if len(text) <= 110 else text[:107] + '...'}"
        who = CLAIM_NAMES.get(id(claims), "custom claims")
        problems = []
        if resp.status != expect:
            problems.append(f"expected {expect}, got {resp.describe()}")
        elif test is not None:
            try:
                msg = test(resp)
            except Exception as e:  # a failed check must not stop the run
                msg = f"check raised {type(e).__name__}: {e}"
            if msg:
                problems.append(msg)
        if state_before is not None and resp.status >= 300 and self.setup.state() != state_before:
            problems.append("a rejected call changed stored data")
        self._report(f"{method} {target} [{who}] {label}", resp.describe(), problems)
        return resp

    def check_value(self, label, ok, detail=""):
        self._report(label, detail, [] if ok else [f"failed: {detail}"])

    def _report(self, title, outcome, problems):
        n = self.passed + self.failed + 1
        if problems:
            self.failed += 1
            print(f"not ok {n} - {title} -> {outcome}")
            for p in problems:
                print(f"    # {p}")
        else:
            self.passed += 1
            print(f"ok {n} - {title} -> {outcome}")


def expect_keys(*keys):
    def test(resp):
        missing = [k for k in keys if k not in (resp.body or {})]
        return f"missing keys {missing} in {resp.body}" if missing else None
    return test


def run_cases(r, setup):
    ids = {name: str(i) for name, i in admin_exec(
        setup.admin, f"SELECT name, id FROM {SCHEMA}.definitions")}
    p2_id = ids["p2_secret"]
    app_open = ids["app_open"]
    ghost = str(uuid.uuid4())

    # ---- list -----------------------------------------------------------
    def names_are(expected):
        def test(resp):
            got = sorted(d["name"] for d in resp.body["results"])
            return None if got == sorted(expected) and resp.body["count"] == len(expected) \
                else f"expected names {sorted(expected)}, got {got} (count {resp.body.get('count')})"
        return test

    r.check("success: search", "GET", "list", RW, 200,
            query=[("project_id", "1"), ("search", "app")], test=names_are(["app_open", "app_close"]))
    r.check("success: read scope suffices", "GET", "list", RO, 200,
            query=[("project_id", "1")], test=lambda x: None if x.body["count"] == 5 else f"count {x.body['count']}")
    r.check("success: scope * on an allowed project", "GET", "list", STAR, 200,
            query=[("project_id", "1"), ("event_type", "event_posthog")], test=names_are(["$pageview"]))
    r.check("success: array arguments from the query string", "GET", "list", RW, 200,
            query=[("project_id", "1"), ("names", "{signup,checkout,nope}"), ("ordering", "-name")],
            test=lambda x: None if [d["name"] for d in x.body["results"]] == ["signup", "checkout"]
            else f"got {[d['name'] for d in x.body['results']]}")
    r.check("success: POST to a STABLE function (READ ONLY)", "POST", "list", RW, 200,
            body={"project_id": 1, "search": "APP clo", "exclude_hidden": True},
            test=names_are(["app_close"]))

    def links_carry_path(path):
        def test(resp):
            b = resp.body
            if not (b.get("next") or "").startswith(path + "?"):
                return f"next does not start with {path}?: {b.get('next')!r}"
            if not (b.get("previous") or "").startswith(path + "?"):
                return f"previous does not start with {path}?: {b.get('previous')!r}"
            nxt = urllib.parse.parse_qs(urllib.parse.urlsplit(b["next"]).query)
            prev = urllib.parse.parse_qs(urllib.parse.urlsplit(b["previous"]).query)
            if nxt.get("page_offset") != ["3"] or nxt.get("project_id") != ["1"]:
                return f"next has wrong arguments: {b['next']}"
            if prev.get("page_offset") != ["1"] or prev.get("page_limit") != ["1"]:
                return f"previous has wrong arguments: {b['previous']}"
            return None
        return test
    r.check("next/previous start with request.path", "GET", "list", RW, 200,
            query=[("project_id", "1"), ("page_limit", "1"), ("page_offset", "2")],
            test=links_carry_path("/rpc/list"))
    r.check("next/previous start with request.path (POST)", "POST", "list", RW, 200,
            body={"project_id": 1, "page_limit": 1, "page_offset": 2},
            test=links_carry_path("/rpc/list"))
    r.check("previous has no page_offset when it would be <= 0", "GET", "list", RW, 200,
            query=[("project_id", "1"), ("page_limit", "2"), ("page_offset", "1")],
            test=lambda x: None if (x.body["previous"] or "").startswith("/rpc/list?")
            and "page_offset" not in x.body["previous"] else f"previous {x.body['previous']!r}")
    r.check("not found: unknown project gives an empty page", "GET", "list", STAR, 200,
            query=[("project_id", "3")], test=names_are([]))
    r.check("wrong project", "GET", "list", RW, 403, query=[("project_id", "2")])
    r.check("missing scope", "GET", "list", NO_SCOPE, 403, query=[("project_id", "1")])
    r.check("anonymous", "GET", "list", ANON, 401, query=[("project_id", "1")])
    r.check("malformed: project_id not a number", "GET", "list", RW, 400, query=[("project_id", "abc")])
    r.check("malformed: boolean", "GET", "list", RW, 400,
            query=[("project_id", "1"), ("exclude_hidden", "maybe")])
    r.check("malformed: page_limit 0", "GET", "list", RW, 400,
            query=[("project_id", "1"), ("page_limit", "0")])
    r.check("malformed: unknown ordering key", "GET", "list", RW, 400,
            query=[("project_id", "1"), ("ordering", "name;drop table x")])
    r.check("malformed: event_type", "GET", "list", RW, 400,
            query=[("project_id", "1"), ("event_type", "bogus")])
    r.check("malformed: array literal", "GET", "list", RW, 400,
            query=[("project_id", "1"), ("tags", "{unterminated")])
    r.check("malformed: wrong JSON type in POST body", "POST", "list", RW, 400,
            body={"project_id": 1, "page_limit": "ten"})

    # ---- retrieve -------------------------------------------------------
    r.check("success", "GET", "retrieve", RO, 200,
            query=[("project_id", "1"), ("id", app_open)],
            test=lambda x: None if x.body["name"] == "app_open" and x.body["id"] == app_open else f"{x.body}")
    r.check("not found", "GET", "retrieve", RW, 404, query=[("project_id", "1"), ("id", ghost)])
    r.check("not found: another project's id", "GET", "retrieve", RW, 404,
            query=[("project_id", "1"), ("id", p2_id)])
    r.check("wrong project", "GET", "retrieve", RW, 403, query=[("project_id", "2"), ("id", p2_id)])
    r.check("missing scope", "GET", "retrieve", NO_SCOPE, 403, query=[("project_id", "1"), ("id", app_open)])
    r.check("anonymous", "GET", "retrieve", ANON, 401, query=[("project_id", "1"), ("id", app_open)])
    r.check("malformed: bad uuid", "GET", "retrieve", RW, 400, query=[("project_id", "1"), ("id", "not-a-uuid")])
    r.check("malformed: project_id", "GET", "retrieve", RW, 400, query=[("project_id", "1.5"), ("id", app_open)])
    r.check("no such signature: id missing (schema cache)", "GET", "retrieve", RW, 404,
            query=[("project_id", "1")])

    # ---- create ---------------------------------------------------------
    created = r.check("success", "POST", "create", RW, 200,
                      body={"project_id": 1, "name": "planned_event",
                            "patch": {"description": "Planned", "tags": [" Growth "]}},
                      test=lambda x: None if (x.body["name"] == "planned_event" and x.body["last_seen_at"] is None
                                              and x.body["tags"] == ["growth"]) else f"{x.body}")
    planned_id = (created.body or {}).get("id", ghost)
    r.check("conflict: name exists", "POST", "create", RW, 409, body={"project_id": 1, "name": "signup"})
    r.check("wrong project", "POST", "create", RW, 403, body={"project_id": 2, "name": "sneaky"})
    r.check("missing scope (read only)", "POST", "create", RO, 403, body={"project_id": 1, "name": "x1"})
    r.check("missing scope", "POST", "create", NO_SCOPE, 403, body={"project_id": 1, "name": "x1"})
    r.check("anonymous", "POST", "create", ANON, 401, body={"project_id": 1, "name": "x1"})
    r.check("malformed: empty name", "POST", "create", RW, 400, body={"project_id": 1, "name": ""})
    r.check("malformed: patch not an object", "POST", "create", RW, 400,
            body={"project_id": 1, "name": "x2", "patch": [1, 2]})
    r.check("malformed: project_id a string", "POST", "create", RW, 400, body={"project_id": "one", "name": "x3"})
    r.check("GET of a VOLATILE function", "GET", "create", RW, 405,
            query=[("project_id", "1"), ("name", "via_get")])

    # ---- update ---------------------------------------------------------
    r.check("success", "POST", "update", RW, 200,
            body={"project_id": 1, "id": app_open,
                  "patch": {"description": "Opened the app", "tags": ["Core", "core "], "verified": True}},
            test=lambda x: None if (x.body["description"] == "Opened the app" and x.body["tags"] == ["core"]
                                    and x.body["verified"] is True and x.body["verified_by"]
                                    and x.body["verified_by"].get("id") == 7
                                    and (x.body["updated_by"] or {}).get("id") == 7) else f"{x.body}")
    r.check("not found", "POST", "update", RW, 404,
            body={"project_id": 1, "id": ghost, "patch": {"description": "x"}})
    r.check("wrong project", "POST", "update", RW, 403,
            body={"project_id": 2, "id": p2_id, "patch": {"description": "x"}})
    r.check("missing scope (read only)", "POST", "update", RO, 403,
            body={"project_id": 1, "id": app_open, "patch": {"description": "x"}})
    r.check("anonymous", "POST", "update", ANON, 401,
            body={"project_id": 1, "id": app_open, "patch": {"description": "x"}})
    r.check("malformed: bad uuid", "POST", "update", RW, 400,
            body={"project_id": 1, "id": "nope", "patch": {"description": "x"}})
    r.check("malformed: uuid given as a number", "POST", "update", RW, 400,
            body={"project_id": 1, "id": 5, "patch": {"description": "x"}})
    r.check("malformed: unknown patch key", "POST", "update", RW, 400,
            body={"project_id": 1, "id": app_open, "patch": {"bogus": 1}})
    r.check("malformed: wrong type in patch", "POST", "update", RW, 400,
            body={"project_id": 1, "id": app_open, "patch": {"hidden": "yes"}})
    r.check("malformed: hidden and verified", "POST", "update", RW, 400,
            body={"project_id": 1, "id": app_open, "patch": {"hidden": True, "verified": True}})
    r.check("malformed: unknown owner", "POST", "update", RW, 400,
            body={"project_id": 1, "id": app_open, "patch": {"owner": 999}})
    r.check("malformed: patch is a string", "POST", "update", RW, 400,
            body={"project_id": 1, "id": app_open, "patch": "description"})
    r.check("malformed: body not JSON (PostgREST itself)", "POST", "update", RW, 400, body="{not json")
    # PostgREST passes every query-string argument as a JSON string, so a
    # jsonb patch arrives as a string: the READ ONLY refusal must come first.
    r.check("GET of a VOLATILE function", "GET", "update", RW, 405,
            query=[("project_id", "1"), ("id", app_open), ("patch", '{"description": "via get"}')])
    r.check("failed updates rolled back", "GET", "retrieve", RW, 200,
            query=[("project_id", "1"), ("id", app_open)],
            test=lambda x: None if x.body["description"] == "Opened the app" and x.body["hidden"] is False
            else f"{x.body}")

    # ---- delete ---------------------------------------------------------
    r.check("wrong project", "POST", "delete", RW, 403, body={"project_id": 2, "id": p2_id})
    r.check("missing scope (read only)", "POST", "delete", RO, 403, body={"project_id": 1, "id": planned_id})
    r.check("anonymous", "POST", "delete", ANON, 401, body={"project_id": 1, "id": planned_id})
    r.check("malformed: bad uuid", "POST", "delete", RW, 400, body={"project_id": 1, "id": "123"})
    r.check("GET of a VOLATILE function", "GET", "delete", RW, 405,
            query=[("project_id", "1"), ("id", planned_id)])
    r.check("success (void -> 204)", "POST", "delete", RW, 204, body={"project_id": 1, "id": planned_id})
    r.check("gone after delete", "GET", "retrieve", RW, 404, query=[("project_id", "1"), ("id", planned_id)])
    r.check("not found: already deleted", "POST", "delete", RW, 404, body={"project_id": 1, "id": planned_id})
    r.check("not found: another project's id", "POST", "delete", RW, 404, body={"project_id": 1, "id": p2_id})

    # ---- metrics --------------------------------------------------------
    r.check("success", "GET", "metrics", RO, 200, query=[("project_id", "1"), ("id", app_open)],
            test=lambda x: None if x.body == {"query_usage_30_day": 0, "volume_30_day": 3, "violations_30_day": 0} else f"{x.body}")
    r.check("not found", "GET", "metrics", RW, 404, query=[("project_id", "1"), ("id", ghost)])
    r.check("wrong project", "GET", "metrics", RW, 403, query=[("project_id", "2"), ("id", p2_id)])
    r.check("missing scope", "GET", "metrics", NO_SCOPE, 403, query=[("project_id", "1"), ("id", app_open)])
    r.check("anonymous", "GET", "metrics", ANON, 401, query=[("project_id", "1"), ("id", app_open)])
    r.check("malformed: bad uuid", "GET", "metrics", RW, 400, query=[("project_id", "1"), ("id", "{}")])

    # ---- activity -------------------------------------------------------
    r.check("success: newest first", "GET", "activity", RO, 200, query=[("project_id", "1")],
            test=lambda x: None if [e["activity"] for e in x.body["results"]][:3] == ["deleted", "changed", "created"]
            and x.body["count"] == 3 else f"{[e['activity'] for e in x.body['results']]} count {x.body.get('count')}")
    r.check("success: entries of a deleted definition survive", "GET", "activity", RW, 200,
            query=[("project_id", "1"), ("id", planned_id)],
            test=lambda x: None if x.body["count"] == 2 and all(e["item_id"] == planned_id for e in x.body["results"])
            else f"{x.body}")
    r.check("not found: unknown id has no entries", "GET", "activity", RW, 200,
            query=[("project_id", "1"), ("id", ghost)],
            test=lambda x: None if x.body["count"] == 0 and x.body["results"] == [] else f"{x.body}")

    def activity_links(resp):
        b = resp.body
        ok = (b.get("next") or "").startswith("/rpc/activity?") and (b.get("previous") or "").startswith("/rpc/activity?")
        return None if ok else f"next {b.get('next')!r} previous {b.get('previous')!r}"
    r.check("next/previous start with request.path", "GET", "activity", RW, 200,
            query=[("project_id", "1"), ("page_limit", "1"), ("page_offset", "1")], test=activity_links)
    r.check("wrong project", "GET", "activity", RW, 403, query=[("project_id", "2")])
    r.check("missing scope", "GET", "activity", NO_SCOPE, 403, query=[("project_id", "1")])
    r.check("anonymous", "GET", "activity", ANON, 401, query=[("project_id", "1")])
    r.check("malformed: bad uuid", "GET", "activity", RW, 400, query=[("project_id", "1"), ("id", "zz")])
    r.check("malformed: page_offset -1", "GET", "activity", RW, 400,
            query=[("project_id", "1"), ("page_offset", "-1")])

    # ---- ingest ---------------------------------------------------------
    r.check("success: returns definitions created", "POST", "ingest", RW, 200,
            body={"project_id": 1, "names": ["new_a", "new_b", "app_open", "new_a"],
                  "seen_at": ["2030-01-01T00:00:00Z", None, None, "2020-01-01T00:00:00Z"]},
            test=lambda x: None if x.body == 2 else f"{x.body!r}")
    r.check("success: seen_at omitted (default)", "POST", "ingest", STAR, 200,
            body={"project_id": 3, "names": ["p3_event"]}, test=lambda x: None if x.body == 1 else f"{x.body!r}")
    r.check("wrong project", "POST", "ingest", RW, 403, body={"project_id": 2, "names": ["x"]})
    r.check("missing scope (read only)", "POST", "ingest", RO, 403, body={"project_id": 1, "names": ["x"]})
    r.check("anonymous", "POST", "ingest", ANON, 401, body={"project_id": 1, "names": ["x"]})
    r.check("malformed: empty name", "POST", "ingest", RW, 400, body={"project_id": 1, "names": ["ok_name", ""]})
    r.check("malformed: arrays of different lengths", "POST", "ingest", RW, 400,
            body={"project_id": 1, "names": ["a", "b"], "seen_at": ["2024-01-01T00:00:00Z"]})
    r.check("malformed: bad timestamp", "POST", "ingest", RW, 400,
            body={"project_id": 1, "names": ["a"], "seen_at": ["yesterday-ish"]})
    r.check("malformed: names not an array", "POST", "ingest", RW, 400,
            body={"project_id": 1, "names": "{unterminated"})
    r.check("GET of a VOLATILE function", "GET", "ingest", RW, 405,
            query=[("project_id", "1"), ("names", "{via_get}")])

    # ---- record_query_usage ---------------------------------------------
    r.check("success: counts known names", "POST", "record_query_usage", RW, 200,
            body={"project_id": 1, "names": ["app_open", "unknown_name", "app_open"]},
            test=lambda x: None if x.body == 2 else f"{x.body!r}")
    r.check("wrong project", "POST", "record_query_usage", RW, 403, body={"project_id": 2, "names": ["p2_secret"]})
    r.check("missing scope (read only)", "POST", "record_query_usage", RO, 403,
            body={"project_id": 1, "names": ["app_open"]})
    r.check("anonymous", "POST", "record_query_usage", ANON, 401, body={"project_id": 1, "names": ["app_open"]})
    r.check("malformed: bad timestamp", "POST", "record_query_usage", RW, 400,
            body={"project_id": 1, "names": ["app_open"], "at": "not a time"})
    r.check("malformed: project_id", "POST", "record_query_usage", RW, 400,
            body={"project_id": [1], "names": ["app_open"]})
    r.check("GET of a VOLATILE function", "GET", "record_query_usage", RW, 405,
            query=[("project_id", "1"), ("names", "{app_open}")])
    r.check("metrics see the recorded usage", "GET", "metrics", RW, 200,
            query=[("project_id", "1"), ("id", app_open)],
            test=lambda x: None if x.body["query_usage_30_day"] == 2 and x.body["volume_30_day"] == 4
            else f"{x.body}")

    # ---- changes (the change feed) --------------------------------------
    def feed_is(activities):
        def test(resp):
            got = [e["activity"] for e in resp.body["results"]]
            seqs = [e["seq"] for e in resp.body["results"]]
            if got != activities:
                return f"expected {activities}, got {got}"
            if seqs != sorted(seqs) or (seqs and resp.body["next_seq"] != seqs[-1]):
                return f"seqs {seqs} next_seq {resp.body.get('next_seq')}"
            return None
        return test
    feed = r.check("success: oldest first, with seq", "GET", "changes", RO, 200,
                   query=[("project_id", "1")], test=feed_is(["created", "changed", "deleted"]))
    first_seq = ((feed.body or {}).get("results") or [{"seq": 0}])[0]["seq"]
    last_seq = (feed.body or {}).get("next_seq", 0)
    r.check("success: after a position", "GET", "changes", RW, 200,
            query=[("project_id", "1"), ("since_seq", str(first_seq))],
            test=feed_is(["changed", "deleted"]))
    r.check("success: at the end, next_seq stays", "GET", "changes", RW, 200,
            query=[("project_id", "1"), ("since_seq", str(last_seq))],
            test=lambda x: None if x.body == {"results": [], "next_seq": last_seq} else f"{x.body}")
    r.check("success: POST (READ ONLY)", "POST", "changes", RW, 200,
            body={"project_id": 1, "since_seq": 0, "page_limit": 1}, test=feed_is(["created"]))
    r.check("wrong project", "GET", "changes", RW, 403, query=[("project_id", "2")])
    r.check("missing scope", "GET", "changes", NO_SCOPE, 403, query=[("project_id", "1")])
    r.check("anonymous", "GET", "changes", ANON, 401, query=[("project_id", "1")])
    r.check("malformed: since_seq -1", "GET", "changes", RW, 400,
            query=[("project_id", "1"), ("since_seq", "-1")])
    r.check("malformed: since_seq not a number", "GET", "changes", RW, 400,
            query=[("project_id", "1"), ("since_seq", "latest")])
    r.check("malformed: page_limit 0", "GET", "changes", RW, 400,
            query=[("project_id", "1"), ("page_limit", "0")])

    # ---- users scoped to projects -----------------------------------------
    def owner_error_for(user_id):
        def test(resp):
            want = f'invalid value for "owner": user {user_id} is not a user of project 1'
            return None if resp.message == want else f"message {resp.message!r}"
        return test
    r.check("owner of another project: same error as a missing user", "POST", "update", RW, 400,
            body={"project_id": 1, "id": app_open, "patch": {"owner": 8}}, test=owner_error_for(8))
    r.check("owner missing from the directory", "POST", "update", RW, 400,
            body={"project_id": 1, "id": app_open, "patch": {"owner": 999}}, test=owner_error_for(999))
    r.check("owner of another project in create", "POST", "create", RW, 400,
            body={"project_id": 1, "name": "owned", "patch": {"owner": 8}}, test=owner_error_for(8))
    r.check("success: owner linked to the project", "POST", "update", RW, 200,
            body={"project_id": 1, "id": app_open, "patch": {"owner": 7}},
            test=lambda x: None if (x.body["owner"] or {}).get("email") == "ada@example.com" else f"{x.body['owner']}")
    admin_exec(setup.admin, f"UPDATE {SCHEMA}.definitions SET owner_id = 8 WHERE id = %s", (app_open,))
    r.check("a user of another project renders as its id only", "GET", "retrieve", RW, 200,
            query=[("project_id", "1"), ("id", app_open)],
            test=lambda x: None if x.body["owner"] == {"id": 8, "uuid": None, "email": None, "last_name": None,
                                                       "first_name": None, "distinct_id": None,
                                                       "is_email_verified": None} else f"{x.body['owner']}")

    # ---- by_name (1.1) --------------------------------------------------
    r.check("success: renders as retrieve", "GET", "by_name", RO, 200,
            query=[("project_id", "1"), ("name", "app_open")],
            test=lambda x: None if x.body["id"] == app_open and x.body["description"] == "Opened the app"
            else f"{x.body}")
    r.check("success: a $ name in the query string", "GET", "by_name", RW, 200,
            query=[("project_id", "1"), ("name", "$pageview")],
            test=lambda x: None if x.body["name"] == "$pageview" else f"{x.body}")
    r.check("success: POST to a STABLE function", "POST", "by_name", RW, 200,
            body={"project_id": 1, "name": "signup"}, test=lambda x: None if x.body["name"] == "signup" else f"{x.body}")
    r.check("not found: case-sensitive", "GET", "by_name", RW, 404, query=[("project_id", "1"), ("name", "APP_OPEN")])
    r.check("not found: another project's name", "GET", "by_name", STAR, 404,
            query=[("project_id", "3"), ("name", "p2_secret")])
    r.check("wrong project", "GET", "by_name", RW, 403, query=[("project_id", "2"), ("name", "p2_secret")])
    r.check("missing scope", "GET", "by_name", NO_SCOPE, 403, query=[("project_id", "1"), ("name", "app_open")])
    r.check("anonymous", "GET", "by_name", ANON, 401, query=[("project_id", "1"), ("name", "app_open")])
    r.check("malformed: blank name", "GET", "by_name", RW, 400, query=[("project_id", "1"), ("name", "  ")])
    r.check("malformed: name too long", "GET", "by_name", RW, 400, query=[("project_id", "1"), ("name", "x" * 401)])
    r.check("no such signature: name missing (schema cache)", "GET", "by_name", RW, 404, query=[("project_id", "1")])

    # ---- primary_properties (1.1) ---------------------------------------
    r.check("setup: a primary property", "POST", "update", RW, 200,
            body={"project_id": 1, "id": app_open, "patch": {"primary_property": "screen"}})
    r.check("success", "GET", "primary_properties", RO, 200, query=[("project_id", "1")],
            test=lambda x: None if x.body == {"primary_properties": {"app_open": "screen"}} else f"{x.body}")
    r.check("success: names from the query string, empty ones dropped", "GET", "primary_properties", RW, 200,
            query=[("project_id", "1"), ("names", '{signup,"",app_open}')],
            test=lambda x: None if x.body == {"primary_properties": {"app_open": "screen"}} else f"{x.body}")
    r.check("success: another project sees none of them", "GET", "primary_properties", STAR, 200,
            query=[("project_id", "3")], test=lambda x: None if x.body == {"primary_properties": {}} else f"{x.body}")
    r.check("wrong project", "GET", "primary_properties", RW, 403, query=[("project_id", "2")])
    r.check("missing scope", "GET", "primary_properties", NO_SCOPE, 403, query=[("project_id", "1")])
    r.check("anonymous", "GET", "primary_properties", ANON, 401, query=[("project_id", "1")])
    r.check("malformed: array literal", "GET", "primary_properties", RW, 400,
            query=[("project_id", "1"), ("names", "{oops")])
    r.check("malformed: null element", "POST", "primary_properties", RW, 400,
            body={"project_id": 1, "names": ["app_open", None]})

    # ---- bulk_update_tags (1.1) -----------------------------------------
    signup = ids["signup"]
    r.check("success: add", "POST", "bulk_update_tags", RW, 200,
            body={"project_id": 1, "ids": [app_open, signup, ghost, p2_id], "action": "add", "tags": ["Bulk", "bulk "]},
            test=lambda x: None if x.body == {"updated": [{"id": app_open, "tags": ["bulk", "core"]},
                                                          {"id": signup, "tags": ["bulk"]}],
                                              "skipped": [{"id": ghost, "reason": "Not found"},
                                                          {"id": p2_id, "reason": "Not found"}]} else f"{x.body}")
    r.check("success: remove", "POST", "bulk_update_tags", RW, 200,
            body={"project_id": 1, "ids": [signup], "action": "remove", "tags": ["BULK"]},
            test=lambda x: None if x.body["updated"] == [{"id": signup, "tags": []}] else f"{x.body}")
    r.check("success: set [] clears", "POST", "bulk_update_tags", STAR, 200,
            body={"project_id": 1, "ids": [app_open], "action": "set", "tags": []},
            test=lambda x: None if x.body["updated"] == [{"id": app_open, "tags": []}] else f"{x.body}")
    r.check("wrong project", "POST", "bulk_update_tags", RW, 403,
            body={"project_id": 2, "ids": [p2_id], "action": "add", "tags": ["x"]})
    r.check("missing scope (read only)", "POST", "bulk_update_tags", RO, 403,
            body={"project_id": 1, "ids": [app_open], "action": "add", "tags": ["x"]})
    r.check("anonymous", "POST", "bulk_update_tags", ANON, 401,
            body={"project_id": 1, "ids": [app_open], "action": "add", "tags": ["x"]})
    r.check("malformed: unknown action", "POST", "bulk_update_tags", RW, 400,
            body={"project_id": 1, "ids": [app_open], "action": "toggle", "tags": ["x"]})
    r.check("malformed: add without tags", "POST", "bulk_update_tags", RW, 400,
            body={"project_id": 1, "ids": [app_open], "action": "add", "tags": []})
    r.check("malformed: blank tag (nothing written)", "POST", "bulk_update_tags", RW, 400,
            body={"project_id": 1, "ids": [app_open, signup], "action": "add", "tags": ["ok", " "]})
    r.check("malformed: no ids", "POST", "bulk_update_tags", RW, 400,
            body={"project_id": 1, "ids": [], "action": "set", "tags": []})
    r.check("malformed: 501 ids", "POST", "bulk_update_tags", RW, 400,
            body={"project_id": 1, "ids": [str(uuid.uuid4()) for _ in range(501)], "action": "set", "tags": []})
    r.check("malformed: ids x tags over 10000", "POST", "bulk_update_tags", RW, 400,
            body={"project_id": 1, "ids": [str(uuid.uuid4()) for _ in range(200)], "action": "add",
                  "tags": ["t%d" % i for i in range(51)]})
    r.check("malformed: bad uuid in ids", "POST", "bulk_update_tags", RW, 400,
            body={"project_id": 1, "ids": [app_open, "nope"], "action": "add", "tags": ["x"]})
    r.check("no such signature: tags missing (schema cache)", "POST", "bulk_update_tags", RW, 404,
            body={"project_id": 1, "ids": [app_open], "action": "add"})
    r.check("GET of a VOLATILE function", "GET", "bulk_update_tags", RW, 405,
            query=[("project_id", "1"), ("ids", "{%s}" % app_open), ("action", "add"), ("tags", "{x}")])

    # ---- bulk_update_verified (1.1) -------------------------------------
    r.check("success: only changed ones are listed", "POST", "bulk_update_verified", RW, 200,
            body={"project_id": 1, "ids": [app_open, signup, ghost], "verified": True},
            test=lambda x: None if x.body == {"updated": [{"id": signup, "verified": True}],
                                              "skipped": [{"id": ghost, "reason": "Not found"}]} else f"{x.body}")
    r.check("verified_by is the user_id claim", "GET", "retrieve", RW, 200,
            query=[("project_id", "1"), ("id", signup)],
            test=lambda x: None if x.body["verified"] and (x.body["verified_by"] or {}).get("id") == 7 else f"{x.body}")
    r.check("success: unverify", "POST", "bulk_update_verified", RW, 200,
            body={"project_id": 1, "ids": [signup], "verified": False},
            test=lambda x: None if x.body["updated"] == [{"id": signup, "verified": False}] else f"{x.body}")
    r.check("wrong project", "POST", "bulk_update_verified", RW, 403,
            body={"project_id": 2, "ids": [p2_id], "verified": True})
    r.check("missing scope (read only)", "POST", "bulk_update_verified", RO, 403,
            body={"project_id": 1, "ids": [signup], "verified": True})
    r.check("anonymous", "POST", "bulk_update_verified", ANON, 401,
            body={"project_id": 1, "ids": [signup], "verified": True})
    r.check("malformed: verified null", "POST", "bulk_update_verified", RW, 400,
            body={"project_id": 1, "ids": [signup], "verified": None})
    r.check("malformed: verified not a boolean", "POST", "bulk_update_verified", RW, 400,
            body={"project_id": 1, "ids": [signup], "verified": "perhaps"})
    r.check("malformed: ids not an array", "POST", "bulk_update_verified", RW, 400,
            body={"project_id": 1, "ids": signup, "verified": True})
    r.check("GET of a VOLATILE function", "GET", "bulk_update_verified", RW, 405,
            query=[("project_id", "1"), ("ids", "{%s}" % signup), ("verified", "true")])

    # ---- restore (1.1) --------------------------------------------------
    r.check("wrong project", "POST", "restore", RW, 403, body={"project_id": 2, "id": planned_id})
    r.check("missing scope (read only)", "POST", "restore", RO, 403, body={"project_id": 1, "id": planned_id})
    r.check("anonymous", "POST", "restore", ANON, 401, body={"project_id": 1, "id": planned_id})
    r.check("malformed: bad uuid", "POST", "restore", RW, 400, body={"project_id": 1, "id": "x"})
    r.check("GET of a VOLATILE function", "GET", "restore", RW, 405, query=[("project_id", "1"), ("id", planned_id)])
    r.check("not found: never deleted", "POST", "restore", RW, 404, body={"project_id": 1, "id": app_open})
    r.check("not found: unknown id", "POST", "restore", RW, 404, body={"project_id": 1, "id": ghost})
    r.check("success: the deleted definition comes back", "POST", "restore", RW, 200,
            body={"project_id": 1, "id": planned_id},
            test=lambda x: None if (x.body["id"] == planned_id and x.body["name"] == "planned_event"
                                    and x.body["description"] == "Planned" and x.body["tags"] == ["growth"])
            else f"{x.body}")
    r.check("restored: retrieve finds it", "GET", "retrieve", RW, 200, query=[("project_id", "1"), ("id", planned_id)])
    r.check("not found: already restored", "POST", "restore", RW, 404, body={"project_id": 1, "id": planned_id})
    r.check("setup: delete it again", "POST", "delete", RW, 204, body={"project_id": 1, "id": planned_id})
    r.check("setup: the name is ingested again", "POST", "ingest", RW, 200,
            body={"project_id": 1, "names": ["planned_event"]})
    r.check("conflict: the name exists again", "POST", "restore", RW, 409, body={"project_id": 1, "id": planned_id})

    # ---- the roles themselves -------------------------------------------
    for fn in FUNCTIONS:
        resp = r.api.raw(f"SELECT has_function_privilege('{AUTHENTICATOR}', oid, 'EXECUTE') "
                         f"FROM pg_proc WHERE pronamespace = '{SCHEMA}'::regnamespace AND proname = '{fn}'")
        r.check_value(f"authenticator itself (NOINHERIT) cannot execute {fn}",
                      resp.status == 200 and resp.body == [(False,)], str(resp.body))
    resp = r.api.raw(f"SELECT count(*) FROM {SCHEMA}.definitions")
    r.check_value("authenticator cannot read the tables directly", resp.sqlstate == "42501",
                  resp.describe())


def main():
    setup = Setup()
    setup.create_database()
    try:
        setup.create_roles()
        setup.load_fixture()
        conn = setup.authenticator_connect()
        print(f"# PostgREST emulation on database {DB}: {setup.login_mode}")
        runner = Runner(setup, PostgREST(conn, setup.routines()))
        run_cases(runner, setup)
        run_schema_cases(runner, setup, {"RW": RW, "RO": RO, "NO_SCOPE": NO_SCOPE, "STAR": STAR, "ANON": ANON})
        run_codegen_cases(runner, setup, {"RW": RW, "RO": RO, "NO_SCOPE": NO_SCOPE, "STAR": STAR, "ANON": ANON})
        conn.close()
    finally:
        setup.teardown()
    print(f"{runner.passed} passed, {runner.failed} failed")
    return 1 if runner.failed else 0


if __name__ == "__main__":
    sys.exit(main())
