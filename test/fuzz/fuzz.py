"""Bounded, seeded fuzz test of the event_definitions functions.

Throws generated inputs at every function (list, retrieve, create, update,
delete, metrics, activity, ingest, record_query_usage, from 1.1 by_name,
primary_properties, bulk_update_tags, bulk_update_verified, restore, and
from 1.2 the event-schema functions of schema_fuzz.py and codegen and
codegen_status of codegen_fuzz.py) and checks, for each call:

  * only the SQLSTATEs of SPEC section 4 come back (PT404, 23505, 42501,
    22023, 22P02);
  * the backend survives (the connection stays usable, and the postmaster
    start time is unchanged at the end);
  * a rejected call leaves the data exactly as it was (md5 of the ordered
    list of row versions -- ctid and xmin -- of every table of the
    extension, before and after: any committed write changes it);
  * a read-only call changes nothing either, and successful calls return
    results consistent with their arguments (a few cheap oracles);
  * per-backend caches agree with a fresh backend (list results compared
    with those of a new connection every so often).

The run starts with a fixed corpus of hand-picked edge cases (page bounds
at the int64 limits, names of 0/1/399/400/401 characters in 1- to 4-byte
UTF-8, LIKE and regex metacharacters in search, SQL fragments in ordering,
claims carrying escapes that jsonb cannot store, cross-project ids), then
generates ITERATIONS calls from the seed: about 40% "plausible" (values a
real client would send, to exercise the success paths and their oracles)
and 60% adversarial (random and hostile JSON patches, deep nesting, huge
strings and arrays, wrong types, duplicate keys, unicode edge cases, NULLs
in every position, malformed claims, a role without EXECUTE).

Each call runs in its own transaction (autocommit), as an HTTP request
through PostgREST would.  Values that PostgreSQL's own type input rejects
(a malformed uuid, invalid JSON, an out-of-range bigint) never reach the
extension; they are cast in a separate statement first, counted apart, and
must fail with a class 22 SQLSTATE (or 54, a program limit such as the
nesting depth of jsonb_in).

Environment: libpq variables for the cluster; FUZZ_SEED, FUZZ_ITERATIONS,
FUZZ_DB, FUZZ_KEEP_DB.  Exits non-zero on any violation.
"""

import json
import os
import random
import re
import sys
import time
import uuid
from collections import Counter

import psycopg2
import psycopg2.extensions

import codegen_fuzz
import schema_fuzz

ALLOWED = {"PT404", "23505", "42501", "22023", "22P02"}
SEED = int(os.environ.get("FUZZ_SEED", "20251127"))
ITERATIONS = int(os.environ.get("FUZZ_ITERATIONS", "10000"))
DBNAME = os.environ.get("FUZZ_DB", "event_definitions_fuzz")
KEEP_DB = os.environ.get("FUZZ_KEEP_DB", "") not in ("", "0")
VERBOSE = os.environ.get("FUZZ_VERBOSE", "") not in ("", "0")
CACHE_CHECK_EVERY = 200
STATEMENT_TIMEOUT_MS = 30000

INT64_MAX = 2**63 - 1
INT64_MIN = -2**63
PROJECTS = [1, 2, 3]
EMPTY_PROJECT = 4
USERS = [1, 2, 3]

rng = random.Random(SEED)

# A share of the calls is "plausible": every argument is drawn from values a
# real client would send, so that the success paths (and their oracles) get
# as much exercise as the rejections.  The others mix in adversarial values.
PLAUSIBLE_SHARE = 0.4
plausible = False

# ---------------------------------------------------------------- strings

UNICODE_EDGE = [
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u202e", "\u202d", "\u2066",
    "\u2028", "\u2029", "\u00a0", "\u3000", "e\u0301", "\u00e9", "\u0130",
    "\u0131", "\u00df", "\u01c5", "\u03a3", "\u03c2", "\u05d0\u05d1",
    "\u0627\u0644", "\u65e5\u672c", "\U0001f389", "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\U0001f1fa\U0001f1f8", "\U0010ffff", "\ufffd", "\ufffe", "\u0000"[:0] + "\u0085",
    "\u180e", "\u2060", "\ud7ff", "\ue000",
]
CONTROL = ["\x01", "\x07", "\x08", "\t", "\n", "\r", "\x1b", "\x1f", "\x7f", "\x9f"]
SPECIAL = [
    "%", "_", "\\", "'", '"', "''", "\\%", "\\_", "%%", "%_%", "\\\\", ".*", "^", "$",
    "[a-z]", "(", ")", "|", "+", "?", "{1}", "\\d", "*", "$$", ";", "--", "/*", "*/",
    "' OR 1=1 --", "'); DROP TABLE event_definitions.definitions; --",
    "ILIKE", "LIKE", "\\x00", "&", "=", "#", "?page_offset=5", "%00", "%2F", "..",
]
ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$-._ "
WORDS = ["app", "page", "view", "pageview", "signup", "click", "$pageview", "$autocapture",
         "Purchase", "APP", "event", "user", "test"]
MULTIBYTE = ["\u00e9", "\u65e5", "\U0001f389", "\u0627", "\u05d0", "\u0416"]


def rand_chars(n, pool=None):
    if pool is None:
        pool = rng.choice([ASCII, ASCII, "".join(MULTIBYTE), ASCII + "".join(MULTIBYTE)])
    return "".join(rng.choice(pool) for _ in range(n))


def rand_text(maxlen=40):
    kind = rng.random()
    if kind < 0.3:
        return rand_chars(rng.randint(0, maxlen))
    if kind < 0.5:
        return rng.choice(WORDS)
    parts = []
    for _ in range(rng.randint(1, 5)):
        parts.append(rng.choice([rng.choice(SPECIAL), rng.choice(UNICODE_EDGE), rng.choice(WORDS),
                                 rand_chars(rng.randint(1, 8)), rng.choice(CONTROL)]))
    return "".join(parts)


# names that exist in the fixture (refreshed as the run goes on)
known_names = {p: [] for p in PROJECTS}
known_ids = {p: [] for p in PROJECTS}
deleted_ids = {p: [] for p in PROJECTS}


def gen_name():
    if plausible:
        if rng.random() < 0.5 and known_names[1]:
            return rng.choice(known_names[rng.choice(PROJECTS)] or ["a"])
        return rng.choice(WORDS) + rng.choice(["", "_", " ", "-"]) + rand_chars(rng.randint(0, 6), ASCII.strip() + "".join(MULTIBYTE))
    r = rng.random()
    if r < 0.35:
        p = rng.choice(PROJECTS)
        if known_names[p]:
            return rng.choice(known_names[p])
    if r < 0.6:
        length = rng.choice([0, 1, 2, 399, 400, 401, 402, 1000, 64, 255, 256])
        if rng.random() < 0.5:
            return rand_chars(length, ASCII.replace(" ", ""))
        ch = rng.choice(MULTIBYTE)
        return ch * length
    if r < 0.7:
        return rng.choice(WORDS) + rng.choice(["", "_" + str(rng.randint(0, 30))])
    if r < 0.75:
        return rng.choice(["$$plugin_metrics", "$pageview", " ", "  x  ", "\u200b", "\t"])
    return rand_text(30)


def gen_name_list(huge_ok=True):
    r = rng.random()
    if r < 0.05:
        return []
    if plausible:
        return [gen_name() for _ in range(rng.choice([1, 2, 3, 10, 100]))]
    if r < 0.08 and huge_ok:
        n = rng.choice([10000, 30000])
        pool = [rng.choice(WORDS) + str(i % 50) for i in range(50)]
        return [rng.choice(pool) for _ in range(n)]
    n = rng.choice([1, 1, 2, 3, 5, 10, 50])
    out = [gen_name() for _ in range(n)]
    if rng.random() < 0.1:
        out[rng.randrange(n)] = None
    return out


def gen_search():
    r = rng.random()
    if r < 0.15:
        return rng.choice(["", " ", "\t\n", "   ", "\u3000", "\u00a0"])
    if r < 0.4:
        return " ".join(rng.choice(WORDS + SPECIAL) for _ in range(rng.randint(1, 4)))
    if r < 0.45:
        return rand_chars(rng.choice([400, 5000, 100000]))
    return rand_text()


ORDER_KEYS = ["name", "last_seen_at", "last_seen_at::date", "created_at", "created_at::date"]
ORDER_JUNK = ["name desc", "NAME", " name", "name ", "-", "--name", "+name", "", ",", "name,,",
              "id", "random()", "1", "name) --", "name; DROP TABLE x", "last_seen_at::text",
              "name COLLATE \"C\"", "(select 1)", "-name,-name", "name,name", "last_seen_at::date::date",
              "\u202ename", "name\x00"[:-1] + "\t", "created_at::DATE", "description", "hidden"]


def gen_ordering():
    r = rng.random()
    if r < 0.5 or plausible:
        keys = [rng.choice(["", "-"]) + rng.choice(ORDER_KEYS) for _ in range(rng.randint(1, 4))]
        return ",".join(keys)
    if r < 0.85:
        return rng.choice(ORDER_JUNK)
    if r < 0.9:
        return ",".join(rng.choice(ORDER_KEYS) for _ in range(2000))
    return rand_text()


def gen_event_type():
    if plausible:
        return rng.choice(["event", "all", "action_event", "event_custom", "event_posthog"])
    return rng.choice(["event", "all", "action_event", "event_custom", "event_posthog",
                       "EVENT", "", " event", "events", "event_custom;", "'event'", rand_text(10)])


def gen_bigint_page():
    if plausible:
        return rng.choice([1, 2, 5, 10, 100, 1000, rng.randint(0, 120)])
    return rng.choice([0, -1, 1, 2, 5, 10, 100, 101, 1000, INT64_MAX, INT64_MAX - 1, INT64_MIN,
                       2**31, 2**31 - 1, -2**31, rng.randint(0, 500)])


def gen_project():
    if plausible:
        return rng.choice(PROJECTS)
    return rng.choice(PROJECTS * 6 + [EMPTY_PROJECT, 0, -1, INT64_MAX, INT64_MIN, 99])


def gen_uuid():
    r = rng.random()
    if plausible:
        r = min(r, 0.59)
    if r < 0.6:
        p = rng.choice(PROJECTS)
        if known_ids[p]:
            return str(rng.choice(known_ids[p]))
    if r < 0.8:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return rng.choice(["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"])


RAW_UUID = ["", "x", "not-a-uuid", "00000000-0000-0000-0000-00000000000", "{00000000-0000-0000-0000-000000000000}",
            "00000000000000000000000000000000", "00000000-0000-0000-0000-0000000000000", "' OR 1=1 --",
            "\u00e9\u00e9\u00e9", "00000000-0000-0000-0000-00000000000g", " 00000000-0000-0000-0000-000000000000 "]
RAW_BIGINT = ["9223372036854775808", "-9223372036854775809", "1e3", "1.5", "", "abc", "0x10", " 7 ", "１"]
RAW_TEXT_ARRAY = ["{", "{a,b", "{{a},{b}}", "{{a,b},{c}}", "[0:1]={a,b}", "[5:5]={x}", "{NULL}", "{\"\"}",
                  "{a,NULL,b}", "{\"a\\\"b\"}", "{" + ",".join(["x"] * 5000) + "}", "{{{{{{a}}}}}}", "{}", "a",
                  "[2147483647:2147483647]={a}"]
RAW_TS_ARRAY = ["{infinity}", "{-infinity}", "{NULL}", "{2020-01-01}", "{294276-12-31 23:59:59+00}",
                "{4714-11-24 00:00:00+00 BC}", "{4714-11-23 00:00:00+00 BC}", "{epoch,now,today}",
                "{not a date}", "{2020-02-30}", "{{2020-01-01},{2020-01-02}}", "[0:0]={2020-01-01}"]
RAW_TS = ["infinity", "-infinity", "epoch", "294276-12-31 23:59:59+00", "4714-11-24 00:00:00+00 BC",
          "294277-01-01", "garbage", "2020-01-01T00:00:00Z", "allballs"]


def gen_timestamp_str():
    r = rng.random()
    if plausible:
        r = min(r, 0.79)
    if r < 0.7:
        return "2020-%02d-%02d %02d:%02d:%02d+00" % (rng.randint(1, 12), rng.randint(1, 28),
                                                     rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    if r < 0.8:
        return rng.choice(["now", "today", "yesterday", "tomorrow", "epoch"])
    if r < 0.9:
        return rng.choice(["1900-01-01 00:00+00", "2999-12-31 23:59:59.999999+00", "1970-01-01 00:00:00.000001+00",
                           "0001-01-01 00:00+00", "100000-01-01 00:00+00"])
    return rng.choice(["infinity", "-infinity"])


def gen_seen_at(n):
    r = rng.random()
    if plausible:
        return None if r < 0.3 else [gen_timestamp_str() for _ in range(n)]
    if r < 0.3:
        return None
    length = n
    if r < 0.4:
        length = max(0, n + rng.choice([-1, 1, 5]))
    out = [gen_timestamp_str() for _ in range(length)]
    if out and rng.random() < 0.2:
        out[rng.randrange(len(out))] = None
    return out


# ---------------------------------------------------------------- JSON

WRITABLE = ["description", "owner", "tags", "verified", "hidden", "post_to_slack", "default_columns",
            "enforcement_mode", "primary_property"]
READONLY = ["id", "name", "created_at", "last_seen_at", "updated_at", "updated_by", "verified_at",
            "verified_by", "is_action"]
UNKNOWN = ["foo", "", "DESCRIPTION", "description ", " tags", "__proto__", "tags\u200b", "\U0001f389",
           "owner_id", "project_id", "volume_30_day", "a" * 1000, "$where", "constructor"]


def gen_json_value(depth=0):
    r = rng.random()
    if depth > 4 or r < 0.4:
        return rng.choice([None, True, False, 0, -1, 1, 2**63, -2**63, 2**64, 1.5, 1e300, -0.0,
                           "", " ", rand_text(), "x" * rng.choice([256, 401, 10000]),
                           rng.choice(UNICODE_EDGE), "true", "null", "1"])
    if r < 0.7:
        return [gen_json_value(depth + 1) for _ in range(rng.randint(0, 4))]
    return {rand_text(8): gen_json_value(depth + 1) for _ in range(rng.randint(0, 3))}


PLAUSIBLE_VALUES = {
    "description": lambda: rng.choice(["", "a description", "\u00e9t\u00e9 \U0001f389", None, "x" * 2000]),
    "owner": lambda: rng.choice(USERS + [None]),
    "tags": lambda: [rng.choice(["a", "B", " c ", "dup", "DUP", "t" * 255, "x y"]) for _ in range(rng.randint(0, 4))],
    "verified": lambda: rng.choice([True, False]),
    "hidden": lambda: rng.choice([True, False]),
    "post_to_slack": lambda: rng.choice([True, False]),
    "default_columns": lambda: [rng.choice(["event", "person", "timestamp", "Url"]) for _ in range(rng.randint(0, 3))],
    "enforcement_mode": lambda: rng.choice(["allow", "reject"]),
    "primary_property": lambda: rng.choice([None, "p", "$current_url", "p" * 400]),
}


def gen_typed_value(key):
    """A value of (mostly) the right type for a writable key."""
    if plausible:
        return PLAUSIBLE_VALUES[key]()
    r = rng.random()
    if r < 0.2:
        return gen_json_value()
    if key == "description":
        return rng.choice([rand_text(), "", None, "d" * rng.choice([1, 1000, 100000, 1000000]),
                           "".join(UNICODE_EDGE), "".join(CONTROL)])
    if key == "owner":
        return rng.choice(USERS + [None, 999, 0, -1, INT64_MAX, 2**63, 1.5, "1", 1e20, True])
    if key in ("tags", "default_columns"):
        n = rng.choice([0, 1, 2, 5, 300])
        tags = []
        for _ in range(n):
            tags.append(rng.choice(["a", "B", " c ", "A", "", "   ", "t" * 255, "t" * 256, "\u00c9t\u00e9",
                                    "\u0130", rand_text(12), "dup", "DUP", " dup", "\u200b"]))
        if tags and rng.random() < 0.1:
            tags[0] = rng.choice([None, 1, [], {}, True])
        return tags if rng.random() < 0.9 else None
    if key in ("verified", "hidden", "post_to_slack"):
        return rng.choice([True, False, True, False, None, "true", 1, 0])
    if key == "enforcement_mode":
        return rng.choice(["allow", "reject", "ALLOW", "", None, "deny", "allow ", 1])
    if key == "primary_property":
        return rng.choice([None, "", "p", "p" * 400, "p" * 401, "\u00e9" * 400, "\u00e9" * 401, rand_text()])
    return gen_json_value()


def gen_patch_obj():
    r = rng.random()
    if plausible:
        keys = rng.sample(WRITABLE, rng.randint(1, 3))
        if "verified" in keys and "hidden" in keys:
            keys.remove("hidden")
        return {k: gen_typed_value(k) for k in keys}
    if r < 0.05:
        return gen_json_value()  # usually not an object
    patch = {}
    for _ in range(rng.randint(0, 4)):
        k = rng.random()
        if k < 0.75:
            key = rng.choice(WRITABLE)
            patch[key] = gen_typed_value(key)
        elif k < 0.9:
            patch[rng.choice(READONLY)] = gen_json_value()
        else:
            patch[rng.choice(UNKNOWN)] = gen_json_value()
    return patch


def deep(n, opener="[", closer="]"):
    return opener * n + closer * n


RAW_JSON = [
    '{"description": "a", "description": "b"}',
    '{"verified": true, "verified": false, "hidden": true}',
    '{"tags": ["a"], "tags": null}',
    '{"description": "\\u0000"}',
    '{"description": "\\ud800"}',
    '{"description": "\\udc00\\ud800"}',
    '{"description": "\\ud83d\\ude00 \\u202e\\u200b"}',
    '{"description": "\\u001b[31mred\\u0007"}',
    '{"description": "a\\tb\\nc\\r\\f\\b\\/\\\\"}',
    '{"tags": ["\\u0000"]}',
    '{"tags": ["\\ud83c"]}',
    '{"owner": 1e400}',
    '{"owner": 1e1000000}',
    '{"owner": -0}',
    '{"owner": 1.0}',
    '{"owner": 00001}',
    '{"description": ' + deep(2000) + '}',
    '{"description": ' + deep(20000) + '}',
    deep(3000, "{\"a\":", "}").replace("}", "") + "1" + "}" * 3000,
    '{"tags": ' + json.dumps(["t%d" % i for i in range(20000)]) + '}',
    '{"default_columns": ' + json.dumps(["c%d" % i for i in range(20000)]) + '}',
    '{"description": "' + "x" * 5000000 + '"}',
    '{', '}', '{"a":}', '{"description" "x"}', "nul", "[]", "null", "1", '"str"', "true",
    '{"description": "x",}', "{'description': 'x'}", '{"description": NaN}', '{"owner": Infinity}',
    '\ufeff{"description": "bom"}', '{"descr\\u0069ption": "escaped key"}',
    '{"\\u0000": 1}', '{"verified": "TRUE"}', '{"hidden": tru}',
]


def gen_patch():
    """('obj', python object) or ('raw', json text)."""
    if not plausible and rng.random() < 0.15:
        return ("raw", rng.choice(RAW_JSON))
    obj = gen_patch_obj()
    return ("obj", json.dumps(obj, ensure_ascii=rng.random() < 0.5))


def gen_claims():
    r = rng.random()
    if r < 0.75:
        c = {}
        if rng.random() < 0.8:
            c["scopes"] = rng.sample(["event_definition:read", "event_definition:write", "*", "junk",
                                      "event_definition:READ", "event_definition"], rng.randint(0, 3))
        if rng.random() < 0.7:
            c["project_ids"] = rng.sample(PROJECTS + [EMPTY_PROJECT, 99], rng.randint(0, 3))
            if rng.random() < 0.2:
                c["project_ids"] = [str(p) for p in c["project_ids"]]
        if rng.random() < 0.5:
            c["user_id"] = rng.choice(USERS + [99, "2"])
        if rng.random() < 0.2:
            c["role"] = "authenticated"
        return json.dumps(c)
    return rng.choice([
        "[]", "null", "1", '"x"', "{", "not json", '{"scopes": "event_definition:write"}',
        '{"scopes": [1, null, {}]}', '{"project_ids": "1"}', '{"project_ids": [1.5, -1, 1e30, null]}',
        '{"project_ids": [9223372036854775808]}', '{"user_id": -1}', '{"user_id": "abc"}',
        '{"user_id": 1e30}', '{"user_id": 0}', '{"user_id": true}', '{"user_id": [1]}',
        '{"user_id": 9223372036854775807}', '{"user_id": "9223372036854775808"}',
        '{"scopes": ["*"], "scopes": []}', '{"scopes": ["\\u0000"]}', '{"scopes": ["*"], "user_id": "\\ud800"}',
        '{"scopes": ' + deep(5000) + '}', '{"project_ids": [' + ",".join(["1"] * 10000) + ']}',
        "",
    ])


# ---------------------------------------------------------------- calls

class Arg:
    """One argument: a value bound through psycopg2 with a cast, or NULL.

    raw=True marks text that PostgreSQL's type input must parse (it may
    reject it before the function is ever called)."""

    def __init__(self, value, sqltype, raw=False):
        self.value = value
        self.sqltype = sqltype
        self.raw = raw

    def frag(self):
        # parenthesized: "-1::bigint" would apply the cast before the minus
        return "(%s)::" + self.sqltype


def arg_text(v):
    return Arg(v, "text")


def maybe_null(arg, p=0.05):
    return Arg(None, arg.sqltype) if rng.random() < p and not plausible else arg


def text_array_arg(values):
    if plausible:
        return Arg([v for v in values if v] if values is not None else None, "text[]")
    if values is not None and rng.random() < 0.05:
        return Arg(rng.choice(RAW_TEXT_ARRAY), "text[]", raw=True)
    if values is not None and rng.random() < 0.03:
        # two-dimensional
        return Arg([[x] for x in values[:4]] or [["a"]], "text[]", raw=True)
    return Arg(values, "text[]")


def project_arg():
    if not plausible and rng.random() < 0.02:
        return Arg(rng.choice(RAW_BIGINT), "bigint", raw=True)
    return maybe_null(Arg(gen_project(), "bigint"), 0.03)


def uuid_arg(nullp=0.03):
    if not plausible and rng.random() < 0.05:
        return Arg(rng.choice(RAW_UUID), "uuid", raw=True)
    return maybe_null(Arg(gen_uuid(), "uuid"), nullp)


def page_arg():
    if not plausible and rng.random() < 0.02:
        return Arg(rng.choice(RAW_BIGINT), "bigint", raw=True)
    return maybe_null(Arg(gen_bigint_page(), "bigint"), 0.1)


def patch_arg():
    kind, text = gen_patch()
    return maybe_null(Arg(text, "jsonb", raw=(kind == "raw")), 0.03)


def bool_arg():
    return Arg(rng.choice([True, False, None]), "boolean")


def gen_ids():
    """A list for a bulk call's ids: known ids of any project, deleted and
    random ones, repeats, NULLs, and the sizes around the limit of 500."""
    if plausible:
        p = rng.choice(PROJECTS)
        pool = known_ids[p] or [uuid.uuid4()]
        out = [str(rng.choice(pool)) for _ in range(rng.choice([1, 2, 3, 5, 20]))]
        if rng.random() < 0.2:
            out.append(str(uuid.uuid4()))
        return out
    r = rng.random()
    if r < 0.05:
        return []
    if r < 0.1:
        return [gen_uuid() for _ in range(rng.choice([499, 500, 501, 1000]))]
    out = [gen_uuid() for _ in range(rng.choice([1, 1, 2, 3, 10, 50]))]
    if rng.random() < 0.2:
        out += out[:2]
    if rng.random() < 0.1:
        out[rng.randrange(len(out))] = None
    return out


RAW_UUID_ARRAY = ["{", "{x}", "{00000000-0000-0000-0000-000000000000", "{{00000000-0000-0000-0000-000000000000}}",
                  "[0:0]={00000000-0000-0000-0000-000000000000}", "{NULL}", "{}", "{,}",
                  "{" + ",".join(["00000000-0000-0000-0000-000000000000"] * 600) + "}"]


def ids_arg():
    if not plausible and rng.random() < 0.05:
        return Arg(rng.choice(RAW_UUID_ARRAY), "uuid[]", raw=True)
    if not plausible and rng.random() < 0.03:
        return Arg([[x] for x in gen_ids()[:3]] or [[str(uuid.uuid4())]], "uuid[]", raw=True)
    return maybe_null(Arg(gen_ids(), "uuid[]"), 0.03)


def gen_tag_list():
    if plausible:
        return [rng.choice(["a", "B", " c ", "dup", "DUP", "t" * 255, "x y", "\u00e9t\u00e9"]) for _ in range(rng.randint(0, 4))]
    r = rng.random()
    if r < 0.1:
        return []
    if r < 0.15:
        return ["t%d" % i for i in range(rng.choice([20, 21, 99, 100, 101, 1000]))]
    out = [rng.choice(["a", "B", " c ", "", "   ", "t" * 255, "t" * 256, "\u0130", "\u00df", rand_text(12),
                       "dup", "DUP", " dup", "\u200b", "\t", "\x01"]) for _ in range(rng.choice([1, 2, 5, 30]))]
    if rng.random() < 0.1:
        out[rng.randrange(len(out))] = None
    return out


def action_arg():
    if plausible:
        return arg_text(rng.choice(["add", "remove", "set"]))
    return maybe_null(arg_text(rng.choice(["add", "remove", "set", "add", "remove", "set", "ADD", "Set", " add",
                                           "add ", "", "replace", "toggle", "add;", rand_text(8)])), 0.05)


def restore_id_arg():
    """Mostly ids that were deleted (of this or another project)."""
    if plausible or rng.random() < 0.6:
        p = rng.choice(PROJECTS)
        if deleted_ids[p]:
            return Arg(str(rng.choice(deleted_ids[p])), "uuid")
    return uuid_arg()


# (function, volatile, [(param, has_default, generator)])
FUNCTIONS = {
    "list": (False, [
        ("project_id", False, project_arg),
        ("search", True, lambda: maybe_null(arg_text(rng.choice(WORDS) if plausible else gen_search()), 0.3)),
        ("event_type", True, lambda: maybe_null(arg_text(gen_event_type()), 0.1)),
        ("exclude_hidden", True, bool_arg),
        ("exclude_stale", True, bool_arg),
        ("verified", True, bool_arg),
        ("tags", True, lambda: maybe_null(text_array_arg(
            [rng.choice(["a", "b", "dup", "A", " a ", "", None, rand_text(5)]) for _ in range(rng.randint(0, 4))]), 0.4)),
        ("names", True, lambda: maybe_null(text_array_arg(gen_name_list()), 0.5)),
        ("excluded_properties", True, lambda: maybe_null(text_array_arg(gen_name_list()), 0.6)),
        ("ordering", True, lambda: maybe_null(arg_text(gen_ordering()), 0.3)),
        ("page_limit", True, page_arg),
        ("page_offset", True, page_arg),
    ]),
    "retrieve": (False, [("project_id", False, project_arg), ("id", False, uuid_arg)]),
    "create": (True, [
        ("project_id", False, project_arg),
        ("name", False, lambda: maybe_null(arg_text(gen_name()), 0.03)),
        ("patch", True, lambda: maybe_null(patch_arg(), 0.3)),
    ]),
    "update": (True, [("project_id", False, project_arg), ("id", False, uuid_arg),
                      ("patch", False, patch_arg)]),
    "delete": (True, [("project_id", False, project_arg), ("id", False, uuid_arg)]),
    "metrics": (False, [("project_id", False, project_arg), ("id", False, uuid_arg)]),
    "activity": (False, [("project_id", False, project_arg), ("id", True, lambda: uuid_arg(0.3)),
                         ("page_limit", True, page_arg), ("page_offset", True, page_arg)]),
    "ingest": (True, [
        ("project_id", False, project_arg),
        ("names", False, None),      # built together with seen_at below
        ("seen_at", True, None),
    ]),
    "record_query_usage": (True, [
        ("project_id", False, project_arg),
        ("names", False, lambda: maybe_null(text_array_arg(gen_name_list()), 0.03)),
        ("at", True, lambda: (Arg(rng.choice(RAW_TS), "timestamptz", raw=True) if not plausible and rng.random() < 0.1
                              else maybe_null(Arg(gen_timestamp_str(), "timestamptz"), 0.1))),
    ]),
    "changes": (False, [("project_id", False, project_arg), ("since_seq", True, page_arg),
                        ("page_limit", True, page_arg)]),
    # 1.1
    "by_name": (False, [("project_id", False, project_arg),
                        ("name", False, lambda: maybe_null(arg_text(gen_name()), 0.03))]),
    "primary_properties": (False, [("project_id", False, project_arg),
                                   ("names", True, lambda: maybe_null(text_array_arg(gen_name_list(huge_ok=False)), 0.3))]),
    "bulk_update_tags": (True, [("project_id", False, project_arg), ("ids", False, ids_arg),
                                ("action", False, action_arg),
                                ("tags", False, lambda: maybe_null(text_array_arg(gen_tag_list()), 0.03))]),
    "bulk_update_verified": (True, [("project_id", False, project_arg), ("ids", False, ids_arg),
                                    ("verified", False, lambda: maybe_null(Arg(rng.choice([True, False]), "boolean"), 0.05))]),
    "restore": (True, [("project_id", False, project_arg), ("id", False, restore_id_arg)]),
}
WEIGHTS = {"list": 20, "retrieve": 8, "create": 12, "update": 20, "delete": 7, "metrics": 6,
           "activity": 7, "ingest": 14, "record_query_usage": 8, "changes": 5,
           "by_name": 7, "primary_properties": 5, "bulk_update_tags": 10, "bulk_update_verified": 7,
           "restore": 7}


def build_args(fn):
    global plausible
    plausible = rng.random() < PLAUSIBLE_SHARE
    volatile, params = FUNCTIONS[fn]
    args = {}
    if fn == "ingest":
        names = gen_name_list()
        args["project_id"] = project_arg()
        args["names"] = maybe_null(text_array_arg(names), 0.03)
        seen = gen_seen_at(len(names) if names else 0)
        if not plausible and rng.random() < 0.05:
            args["seen_at"] = Arg(rng.choice(RAW_TS_ARRAY), "timestamptz[]", raw=True)
        elif seen is not None or rng.random() < 0.5:
            args["seen_at"] = Arg(seen, "timestamptz[]")
        return params, args
    for name, has_default, gen in params:
        if has_default and rng.random() < 0.4:
            continue  # leave it to the default
        args[name] = gen()
    if plausible and "id" in args and args["project_id"].value in PROJECTS and rng.random() < 0.9:
        ids = known_ids[args["project_id"].value]
        if ids:
            args["id"] = Arg(str(rng.choice(ids)), "uuid")
    return params, args


def call_sql(fn, params, args):
    """SQL text and parameters: named or positional notation."""
    qname = 'event_definitions."create"' if fn == "create" else "event_definitions." + fn
    named = rng.random() < 0.5
    frags, values = [], []
    if named:
        for name, _, _ in params:
            if name in args:
                frags.append("%s => %s" % (name, args[name].frag()))
                values.append(args[name].value)
    else:
        # positional: pass every parameter up to the last one given
        last = max([i for i, (n, _, _) in enumerate(params) if n in args] or [-1])
        for i, (name, _, _) in enumerate(params[:last + 1]):
            a = args.get(name)
            if a is None:
                a = Arg(None, "text")
                # an untyped NULL in a defaulted slot would change the meaning:
                # give it its real type
                a.sqltype = {"project_id": "bigint", "id": "uuid", "page_limit": "bigint",
                             "page_offset": "bigint", "search": "text", "event_type": "text",
                             "exclude_hidden": "boolean", "exclude_stale": "boolean",
                             "verified": "boolean", "tags": "text[]", "names": "text[]",
                             "excluded_properties": "text[]", "ordering": "text",
                             "patch": "jsonb", "seen_at": "timestamptz[]", "at": "timestamptz",
                             "name": "text", "ids": "uuid[]", "action": "text", "since_seq": "bigint",
                             **schema_fuzz.SQLTYPES}[name]
                args[name] = a
            frags.append(a.frag())
            values.append(a.value)
    return "SELECT %s(%s)" % (qname, ", ".join(frags)), values


def fixed_corpus():
    """Hand-picked edge cases, run before the generated ones whatever the
    seed: (function, args, claims)."""
    def a(**kw):
        return {k: (v if isinstance(v, Arg) else Arg(v, SQLTYPES[k])) for k, v in kw.items()}
    some_id = str(known_ids[1][0])
    other_id = str(known_ids[2][0])
    c = []
    for fn in ("list", "activity"):
        for lim, off in ((INT64_MAX, INT64_MAX), (1, INT64_MAX), (INT64_MAX, 0), (INT64_MAX, 1),
                         (0, 0), (-1, 0), (1, -1), (INT64_MIN, INT64_MIN)):
            c.append((fn, a(project_id=1, page_limit=lim, page_offset=off), None))
    for n in (0, 1, 399, 400, 401):
        for ch in ("a", "\u00e9", "\U0001f389", "\u65e5"):
            name = ch * n
            c.append(("ingest", a(project_id=1, names=[name]), None))
            c.append(("create", a(project_id=2, name=name), None))
            c.append(("record_query_usage", a(project_id=1, names=[name]), None))
            c.append(("list", a(project_id=1, names=[name], search=name[:500]), None))
    for q in ("%", "_", "\\", "%_", "'", "''", "\\%", ".*", "[a]", "^a", "a$", "(", "%%%", "\t%\n"):
        c.append(("list", a(project_id=1, search=q), None))
    for o in ("name;select 1", "name) union select 1 --", "-name,name", "name,-name", ",,", "-", "name::date"):
        c.append(("list", a(project_id=1, ordering=o), None))
    # claims with escapes that jsonb cannot store as text, in a claim the
    # extension reads and in one it does not
    for claims in (r'{"scopes": ["\u0000"]}', r'{"name": "\u0000", "scopes": ["*"]}',
                   r'{"user_id": "\u0000"}', r'{"project_ids": ["\u0000"]}',
                   r'{"scopes": ["*"], "email": "\ud800"}'):
        c.append(("list", a(project_id=1), claims))
        c.append(("retrieve", a(project_id=1, id=some_id), claims))
    c.append(("retrieve", a(project_id=1, id=other_id), None))          # another project's id: PT404
    c.append(("update", a(project_id=1, id=other_id, patch='{"description": "x"}'), None))
    c.append(("delete", a(project_id=1, id=other_id), None))
    c.append(("metrics", a(project_id=1, id=other_id), None))
    c.append(("update", a(project_id=1, id=some_id, patch='{"verified": true, "hidden": true}'), None))
    c.append(("update", a(project_id=1, id=some_id, patch='{"verified": null}'), None))
    c.append(("update", a(project_id=1, id=some_id, patch='{"owner": 999}'), None))
    c.append(("update", a(project_id=1, id=some_id, patch='{"tags": ["ok", "  "]}'), None))
    c.append(("ingest", a(project_id=1, names=["a", "b"], seen_at=["2020-01-01 00:00+00"]), None))
    c.append(("ingest", a(project_id=1, names=["a", "b"], seen_at=["2020-01-01 00:00+00", "infinity"]), None))
    c.append(("ingest", a(project_id=1, names=["ok", None]), None))
    c.append(("ingest", a(project_id=1, names=["ok", "x" * 401]), None))
    c.append(("record_query_usage", a(project_id=1, names=["a"], at=Arg("infinity", "timestamptz")), None))
    # 1.1: limits of the bulk calls, blank names, other projects' ids
    many = [str(uuid.UUID(int=i + 1, version=4)) for i in range(501)]
    for ids in ([], many[:499] + [some_id], many[:500], many, [some_id, None], [some_id] * 600, [other_id]):
        c.append(("bulk_update_tags", a(project_id=1, ids=ids, action="add", tags=["x"]), None))
        c.append(("bulk_update_verified", a(project_id=1, ids=ids, verified=True), None))
    for tags in ([], ["t%d" % i for i in range(100)], ["t%d" % i for i in range(101)], ["a", None], [" "], ["t" * 256]):
        for action in ("add", "remove", "set"):
            c.append(("bulk_update_tags", a(project_id=1, ids=[some_id], action=action, tags=tags), None))
    c.append(("bulk_update_tags", a(project_id=1, ids=many[:101], action="add", tags=["t%d" % i for i in range(100)]), None))
    c.append(("bulk_update_tags", a(project_id=1, ids=many[:100], action="add", tags=["t%d" % i for i in range(100)]), None))
    for name in ("", " ", "\t", "x" * 401, "\n", "planned", "PLANNED", "%", "$pageview"):
        c.append(("by_name", a(project_id=1, name=name), None))
    c.append(("primary_properties", a(project_id=1, names=["", "", None]), None))
    c.append(("primary_properties", a(project_id=1, names=[]), None))
    c.append(("restore", a(project_id=1, id=other_id), None))
    c.append(("restore", a(project_id=1, id=some_id), None))
    c.append(("delete", a(project_id=2, id=other_id), None))
    c.append(("restore", a(project_id=1, id=other_id), None))      # deleted in project 2: PT404 in 1
    c.append(("restore", a(project_id=2, id=other_id), None))
    c.append(("restore", a(project_id=2, id=other_id), None))      # again: PT404
    c += schema_fuzz.fixed_corpus(a)
    c += codegen_fuzz.fixed_corpus(a)
    return c


SQLTYPES = {"project_id": "bigint", "id": "uuid", "page_limit": "bigint",
            "page_offset": "bigint", "search": "text", "event_type": "text",
            "exclude_hidden": "boolean", "exclude_stale": "boolean",
            "verified": "boolean", "tags": "text[]", "names": "text[]",
            "excluded_properties": "text[]", "ordering": "text",
            "patch": "jsonb", "seen_at": "timestamptz[]", "at": "timestamptz",
            "name": "text", "ids": "uuid[]", "action": "text", "since_seq": "bigint"}


# ---------------------------------------------------------------- database

# Every row version of every table of the extension, by position and
# creating transaction: any INSERT, UPDATE or DELETE that commits changes
# this set (even one that rewrites a row with the same values), and it
# costs no detoasting of big values.  Sequences are left out on purpose:
# nextval() is not transactional.
FINGERPRINT_SQL = """
SELECT md5(coalesce(string_agg(x, ',' ORDER BY x COLLATE "C"), ''))
FROM (
  SELECT 'd' || ctid::text || ':' || xmin::text FROM event_definitions.definitions
  UNION ALL SELECT 'a' || ctid::text || ':' || xmin::text FROM event_definitions.activity_log
  UNION ALL SELECT 'v' || ctid::text || ':' || xmin::text FROM event_definitions.daily_volume
  UNION ALL SELECT 'q' || ctid::text || ':' || xmin::text FROM event_definitions.query_usage
  UNION ALL SELECT 's' || ctid::text || ':' || xmin::text FROM event_definitions.project_stats
  UNION ALL SELECT 'u' || ctid::text || ':' || xmin::text FROM event_definitions.users
  -- 1.2: event schemas
  UNION ALL SELECT 'g' || ctid::text || ':' || xmin::text FROM event_definitions.property_groups
  UNION ALL SELECT 'p' || ctid::text || ':' || xmin::text FROM event_definitions.property_group_properties
  UNION ALL SELECT 'e' || ctid::text || ':' || xmin::text FROM event_definitions.event_schemas
  UNION ALL SELECT 'r' || ctid::text || ':' || xmin::text FROM event_definitions.schema_versions
  UNION ALL SELECT 'x' || ctid::text || ':' || xmin::text FROM event_definitions.schema_violations
) t(x)
"""



def connect(dbname):
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET statement_timeout = %d" % STATEMENT_TIMEOUT_MS)
        cur.execute("SET client_min_messages = warning")
    return conn


def scalar(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


# The fingerprint scans every table, which dominates the run once the
# tables have grown.  A committed write needs a transaction id, and the
# snapshot's xmax (one past the newest completed xid) moves whenever a
# transaction that had one ends, committed or not.  While it has not moved
# since the last scan, nothing can have been written and the last
# fingerprint still holds.  Any xid use (a write rolled back, the index
# worker) only costs a rescan.
XMAX_SQL = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text"
_fingerprint_cache = {}
fingerprint_scans = [0, 0]      # full scans, checks


def fingerprint(conn):
    fingerprint_scans[1] += 1
    xmax = scalar(conn, XMAX_SQL)
    cached = _fingerprint_cache.get(id(conn))
    if cached is not None and cached[0] == xmax:
        return cached[1]
    fingerprint_scans[0] += 1
    fp = scalar(conn, FINGERPRINT_SQL)
    _fingerprint_cache[id(conn)] = (xmax, fp)
    return fp


def refresh_known(conn):
    with conn.cursor() as cur:
        for p in PROJECTS:
            cur.execute("SELECT id, name FROM event_definitions.definitions WHERE project_id = %s "
                        "ORDER BY name COLLATE \"C\" LIMIT 200", (p,))
            rows = cur.fetchall()
            known_ids[p] = [r[0] for r in rows]
            known_names[p] = [r[1] for r in rows]
            cur.execute("SELECT DISTINCT item_id FROM event_definitions.activity_log a WHERE project_id = %s "
                        "AND activity = 'deleted' ORDER BY 1 LIMIT 200", (p,))
            deleted_ids[p] = [r[0] for r in cur.fetchall()]


def setup_db():
    admin = psycopg2.connect(dbname=os.environ.get("FUZZ_ADMIN_DB", "postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS %s" % psycopg2.extensions.quote_ident(DBNAME, cur))
        cur.execute("CREATE DATABASE %s" % psycopg2.extensions.quote_ident(DBNAME, cur))
    admin.close()
    conn = connect(DBNAME)
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION event_definitions CASCADE")
        cur.execute("DO $$ BEGIN CREATE ROLE ed_fuzz_nobody NOLOGIN; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        cur.execute("GRANT USAGE ON SCHEMA event_definitions TO ed_fuzz_nobody")
        for u in USERS:
            cur.execute("INSERT INTO event_definitions.users (id, distinct_id, first_name, last_name, email) "
                        "VALUES (%s, %s, %s, %s, %s)", (u, "d%d" % u, "First%d" % u, "Last\u00e9", "u%d@x" % u))
        for p in PROJECTS:
            names = ["$pageview", "$autocapture", "$$plugin_metrics", "app_open", "App Close", "signup",
                     "50% off", "under_score", "back\\slash", "quote'd", "\u00e9v\u00e9nement", "\u65e5\u672c",
                     "\U0001f389 party", "x" * 400, "\u00e9" * 400, "a", "b", "c", "dup", "DUP"]
            names += ["event_%03d" % i for i in range(40)]
            seen = ["2020-01-%02d 12:00+00" % (1 + i % 28) for i in range(len(names))]
            cur.execute("SELECT event_definitions.ingest(%s, %s::text[], %s::timestamptz[])", (p, names, seen))
            cur.execute("SELECT event_definitions.ingest(%s, %s::text[])", (p, ["recent_%d" % i for i in range(5)]))
            cur.execute("SELECT event_definitions.\"create\"(%s, 'planned', '{\"description\": \"never seen\"}')", (p,))
            cur.execute("SELECT event_definitions.record_query_usage(%s, %s::text[])", (p, names[:10]))
            cur.execute("SELECT id FROM event_definitions.definitions WHERE project_id = %s ORDER BY name LIMIT 6", (p,))
            ids = [r[0] for r in cur.fetchall()]
            cur.execute("SELECT event_definitions.update(%s, %s, '{\"verified\": true, \"tags\": [\"a\", \"b\"]}')", (p, ids[0]))
            cur.execute("SELECT event_definitions.update(%s, %s, '{\"hidden\": true, \"tags\": [\"dup\"]}')", (p, ids[1]))
            cur.execute("SELECT event_definitions.update(%s, %s, '{\"owner\": 1, \"description\": \"owned\"}')", (p, ids[2]))
        schema_fuzz.setup(cur)
    return conn


# ---------------------------------------------------------------- oracles

def check_definition(d, where):
    problems = []
    if not isinstance(d, dict):
        return ["%s: definition is not an object" % where]
    if d.get("verified") and d.get("hidden"):
        problems.append("%s: verified and hidden both true" % where)
    tags = d.get("tags")
    if not isinstance(tags, list):
        problems.append("%s: tags is not an array" % where)
    elif tags != sorted(set(tags)) or any(t != t.strip() or t == "" for t in tags):
        problems.append("%s: tags not trimmed, de-duplicated and sorted: %r" % (where, tags[:10]))
    if d.get("is_action") is not False:
        problems.append("%s: is_action is not false" % where)
    name = d.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 400:
        problems.append("%s: bad name %r" % (where, name))
    return problems


def int_arg(args, name, default):
    a = args.get(name)
    if a is None or a.value is None:
        return default
    return int(str(a.value).strip()) if a.raw else a.value


def check_patch_applied(fn, patch, d):
    """The writable keys of a successful patch are reflected in the result."""
    problems = []
    if not isinstance(patch, dict):
        return ["%s: succeeded with a patch that is not an object" % fn]
    for key, want in patch.items():
        got = d.get(key)
        if key in ("description", "post_to_slack", "enforcement_mode", "primary_property", "default_columns"):
            if want is None and key == "description":
                continue
            if got != want:
                problems.append("%s: %s is %r, patch said %r" % (fn, key, str(got)[:60], str(want)[:60]))
        elif key == "tags" and isinstance(want, list) and all(isinstance(t, str) and t.isascii() for t in want):
            norm = sorted(set(t.strip().lower() for t in want))
            if got != norm:
                problems.append("%s: tags %r, expected %r" % (fn, got, norm))
        elif key == "owner":
            gid = got.get("id") if isinstance(got, dict) else got
            if gid != want:
                problems.append("%s: owner %r, patch said %r" % (fn, gid, want))
        elif key in ("verified", "hidden") and want is True:
            other = "hidden" if key == "verified" else "verified"
            if d.get(key) is not True or d.get(other) is not False:
                problems.append("%s: %s true gave verified=%r hidden=%r" % (fn, key, d.get("verified"), d.get("hidden")))
            if key == "verified" and d.get("verified_at") is None:
                problems.append("%s: verified without verified_at" % fn)
        elif key == "verified" and want is False:
            if d.get("verified") is not False or d.get("verified_at") is not None or d.get("verified_by") is not None:
                problems.append("%s: verified false left verified/verified_at/verified_by set" % fn)
    return problems


def check_result(fn, args, result):
    schema_problems = schema_fuzz.check_result(fn, args, result)
    if schema_problems is not None:
        return schema_problems
    codegen_problems = codegen_fuzz.check_result(fn, args, result)
    if codegen_problems is not None:
        return codegen_problems
    """Cheap consistency checks of a successful call."""
    problems = []
    if fn in ("list", "activity"):
        page = result
        if not isinstance(page, dict) or not {"count", "next", "previous", "results"} <= set(page):
            return ["%s: page envelope malformed" % fn]
        res = page["results"]
        limit = int_arg(args, "page_limit", 100)
        offset = int_arg(args, "page_offset", 0)
        if len(res) > limit:
            problems.append("%s: %d results over page_limit %d" % (fn, len(res), limit))
        if res and page["count"] < offset + len(res):
            problems.append("%s: count %d below offset+results" % (fn, page["count"]))
        if offset == 0 and page["previous"] is not None:
            problems.append("%s: previous set at offset 0" % fn)
        if fn == "list":
            if page.get("count_is_capped") is not False:
                problems.append("list: count_is_capped is not false")
            for d in res:
                problems += check_definition(d, "list")
            search = args["search"].value if "search" in args else None
            if isinstance(search, str):
                terms = search.split()
                for d in res:
                    for t in terms:
                        # only terms whose case folding is unambiguous
                        if t.isascii() and t.lower() not in d["name"].lower():
                            problems.append("list: %r does not contain search term %r" % (d["name"][:60], t))
            names = args["names"].value if "names" in args and not args["names"].raw else None
            if isinstance(names, list):
                for d in res:
                    if d["name"] not in names:
                        problems.append("list: %r not among names" % d["name"][:60])
            excl = args["excluded_properties"].value if "excluded_properties" in args and not args["excluded_properties"].raw else None
            if isinstance(excl, list):
                for d in res:
                    if d["name"] in excl:
                        problems.append("list: excluded %r returned" % d["name"][:60])
            et = args["event_type"].value if "event_type" in args else None
            for d in res:
                if et == "event_custom" and d["name"].startswith("$"):
                    problems.append("list: event_custom returned %r" % d["name"][:60])
                if et == "event_posthog" and not d["name"].startswith("$"):
                    problems.append("list: event_posthog returned %r" % d["name"][:60])
                if "exclude_hidden" in args and args["exclude_hidden"].value and d["hidden"]:
                    problems.append("list: exclude_hidden returned a hidden definition")
                if "verified" in args and args["verified"].value is not None and d["verified"] != args["verified"].value:
                    problems.append("list: verified filter not applied")
    elif fn in ("retrieve", "update", "create"):
        problems += check_definition(result, fn)
        if fn in ("update", "create") and "patch" in args and args["patch"].value is not None:
            problems += check_patch_applied(fn, json.loads(args["patch"].value), result)
        if fn in ("retrieve", "update") and result.get("id") != args["id"].value:
            problems.append("%s: returned id %s for %s" % (fn, result.get("id"), args["id"].value))
        if fn == "create" and result.get("name") != args["name"].value:
            problems.append("create: returned name differs")
        if fn == "create" and result.get("last_seen_at") is not None:
            problems.append("create: last_seen_at not null")
    elif fn == "metrics":
        if not isinstance(result, dict) or set(result) != {"query_usage_30_day", "volume_30_day", "violations_30_day"}:
            problems.append("metrics: malformed %r" % (result,))
        elif min(result.values()) < 0:
            problems.append("metrics: negative count")
    elif fn in ("ingest", "record_query_usage"):
        if not isinstance(result, int) or result < 0:
            problems.append("%s: bad result %r" % (fn, result))
    elif fn == "by_name":
        problems += check_definition(result, fn)
        if isinstance(result, dict) and result.get("name") != args["name"].value:
            problems.append("by_name: returned name %r for %r" % (str(result.get("name"))[:60], args["name"].value[:60]))
    elif fn == "primary_properties":
        pp = result.get("primary_properties") if isinstance(result, dict) else None
        if not isinstance(pp, dict) or set(result) != {"primary_properties"}:
            return ["primary_properties: malformed %r" % (short(json.dumps(result), 200),)]
        if any(not isinstance(v, str) or not v.strip() for v in pp.values()):
            problems.append("primary_properties: a blank or non-string property")
        names = args["names"].value if "names" in args and not args["names"].raw else None
        if isinstance(names, list) and not set(pp) <= set(names):
            problems.append("primary_properties: names outside the filter")
    elif fn in ("bulk_update_tags", "bulk_update_verified"):
        if not isinstance(result, dict) or set(result) != {"updated", "skipped"}:
            return ["%s: malformed %r" % (fn, short(json.dumps(result), 200))]
        ids = args["ids"].value
        distinct = list(dict.fromkeys(str(uuid.UUID(i)) for i in ids)) if isinstance(ids, list) and not args["ids"].raw else None
        got = [e.get("id") for e in result["updated"]] + [e.get("id") for e in result["skipped"]]
        if any(e.get("reason") != "Not found" for e in result["skipped"]):
            problems.append("%s: a skipped entry without reason Not found" % fn)
        if len(set(got)) != len(got):
            problems.append("%s: an id listed twice" % fn)
        if distinct is not None and not set(got) <= set(distinct):
            problems.append("%s: ids listed that were not asked for" % fn)
        if fn == "bulk_update_tags":
            if distinct is not None and sorted(got) != sorted(distinct):
                problems.append("bulk_update_tags: updated + skipped is not every requested id")
            for e in result["updated"]:
                t = e.get("tags")
                if not isinstance(t, list) or t != sorted(set(t)) or any(x != x.strip() or not x for x in t):
                    problems.append("bulk_update_tags: tags not normalized: %r" % (t,))
            tags = args["tags"].value if not args["tags"].raw else None
            if args["action"].value == "set" and isinstance(tags, list) and all(isinstance(x, str) and x.isascii() for x in tags):
                norm = sorted(set(x.strip().lower() for x in tags))
                if any(e.get("tags") != norm for e in result["updated"]):
                    problems.append("bulk_update_tags: set did not give %r" % (norm[:5],))
        elif any(e.get("verified") is not args["verified"].value for e in result["updated"]):
            problems.append("bulk_update_verified: updated entry with the wrong state")
    elif fn == "restore":
        problems += check_definition(result, fn)
        if isinstance(result, dict) and result.get("id") != args["id"].value:
            problems.append("restore: returned id %s for %s" % (result.get("id"), args["id"].value))
    return problems


CACHE_QUERIES = [
    ("SELECT event_definitions.list(%s)", lambda p: (p,)),
    ("SELECT event_definitions.list(%s, search => 'event 1')", lambda p: (p,)),
    ("SELECT event_definitions.list(%s, search => '%%')", lambda p: (p,)),
    ("SELECT event_definitions.list(%s, search => 'e', ordering => '-created_at,name', page_limit => 7, page_offset => 3)", lambda p: (p,)),
    ("SELECT event_definitions.list(%s, exclude_hidden => true, verified => false, page_limit => 5, page_offset => 40)", lambda p: (p,)),
    ("SELECT event_definitions.list(%s, event_type => 'event_posthog', tags => '{a,dup}')", lambda p: (p,)),
    ("SELECT event_definitions.list(%s, ordering => 'last_seen_at', page_limit => 1000)", lambda p: (p,)),
    ("SELECT event_definitions.activity(%s, page_limit => 20)", lambda p: (p,)),
]


def cache_check(conn):
    fresh = connect(DBNAME)
    problems = []
    try:
        for p in PROJECTS:
            for sql, params in CACHE_QUERIES:
                a = scalar(conn, sql, params(p))
                b = scalar(fresh, sql, params(p))
                if a != b:
                    problems.append("cache: %s differs between this backend and a new one (project %d)" % (sql, p))
    finally:
        fresh.close()
    return problems


schema_fuzz.install(sys.modules[__name__])
codegen_fuzz.install(sys.modules[__name__])


# ---------------------------------------------------------------- driver

def short(s, n=600):
    s = s if isinstance(s, str) else s.decode("utf-8", "replace")
    return s if len(s) <= n else s[:n] + "... [%d chars]" % len(s)


def main():
    print("fuzz: seed %d, %d iterations, database %s" % (SEED, ITERATIONS, DBNAME))
    sys.stdout.flush()
    started = time.time()
    conn = setup_db()
    start_time = scalar(conn, "SELECT pg_postmaster_start_time()")
    refresh_known(conn)
    schema_fuzz.refresh(conn)
    fp = fingerprint(conn)

    tried = 0
    failed = 0
    by_state = Counter()
    messages = Counter()
    by_fn = Counter()
    ok_by_fn = Counter()
    cast_rejects = Counter()
    n_plausible = 0
    slowest = []
    crashes = 0
    data_changes = 0
    wrong_results = 0
    violations = []

    def violation(kind, msg, repro):
        nonlocal failed
        violations.append((kind, msg, repro))
        if len(violations) <= 30:
            print("VIOLATION [%s] %s\n  repro: %s" % (kind, msg, repro))
            sys.stdout.flush()

    global plausible
    corpus = fixed_corpus()
    for it in range(len(corpus) + ITERATIONS):
        fixed_claims = None
        if it < len(corpus):
            fn, args, fixed_claims = corpus[it]
            params = FUNCTIONS[fn][1]
            plausible = False
        else:
            fn = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            params, args = build_args(fn)
        sql, values = call_sql(fn, params, args)
        tried += 1
        by_fn[fn] += 1
        if plausible:
            n_plausible += 1
        bad = False

        # values PostgreSQL's type input must accept before any call
        rejected_by_cast = False
        with conn.cursor() as cur:
            for name, a in args.items():
                if a.raw and a.value is not None:
                    try:
                        cur.execute("SELECT (%s)::" + a.sqltype + " IS NULL", (a.value,))
                    except psycopg2.Error as e:
                        if conn.closed:
                            raise
                        cast_rejects[e.pgcode] += 1
                        rejected_by_cast = True
                        if not (e.pgcode or "").startswith(("22", "54")):
                            bad = True
                            violation("cast", "type input of %s gave %s: %s" % (a.sqltype, e.pgcode, short(e.pgerror or "", 200)),
                                      short(cur.mogrify("SELECT (%s)::" + a.sqltype, (a.value,))))
                        break
        if rejected_by_cast:
            if bad:
                failed += 1
            continue

        # calling context: ordinary privileges, claims, or a role without EXECUTE
        ctx = 1.0 if plausible else rng.random()
        claims = None
        role = None
        user_setting = None
        if fixed_claims is not None:
            claims = fixed_claims
        elif it < len(corpus):
            pass
        elif ctx < 0.2:
            claims = gen_claims()
        elif ctx < 0.23:
            role = "ed_fuzz_nobody"
        if rng.random() < 0.3 and it >= len(corpus):
            user_setting = str(rng.choice(USERS + [99]))
        with conn.cursor() as cur:
            try:
                repro = cur.mogrify(sql, values)
            except Exception as e:  # client-side adaptation problem: a generator bug
                print("fuzz: cannot build %s: %s" % (fn, e))
                tried -= 1
                continue
        prefix = []
        if claims is not None:
            prefix.append(psycopg2.extensions.adapt(claims).getquoted().decode())
        try:
            with conn.cursor() as cur:
                if claims is not None:
                    cur.execute("SELECT set_config('request.jwt.claims', %s, false)", (claims,))
                if user_setting is not None:
                    cur.execute("SELECT set_config('event_definitions.user_id', %s, false)", (user_setting,))
                if role is not None:
                    cur.execute("SET ROLE " + role)
        except psycopg2.Error as e:
            print("fuzz: context setup failed: %s" % e)
            conn = connect(DBNAME)
            tried -= 1
            continue

        ctx_desc = ("claims=%s " % short(claims, 200) if claims is not None else "") + \
                   ("role=%s " % role if role else "") + \
                   ("user_id=%s " % user_setting if user_setting else "")
        repro_s = ctx_desc + short(repro)
        state = None
        result = None
        t0 = time.time()
        try:
            with conn.cursor() as cur:
                cur.execute(sql, values)
                result = cur.fetchone()[0]
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as e:
            if conn.closed or "terminat" in str(e) or "closed" in str(e):
                crashes += 1
                failed += 1
                violation("crash", "connection lost: %s" % short(str(e), 300), repro_s)
                time.sleep(2)
                conn = connect(DBNAME)
                fp = fingerprint(conn)
                continue
            state = e.pgcode
            err = e
        except psycopg2.Error as e:
            state = e.pgcode
            err = e
        finally:
            if not conn.closed:
                try:
                    with conn.cursor() as cur:
                        # one round trip
                        cur.execute("RESET ROLE; SELECT set_config('request.jwt.claims', '', false), "
                                    "set_config('event_definitions.user_id', '', false)")
                except psycopg2.Error:
                    pass

        elapsed = time.time() - t0
        slowest.append((elapsed, fn, state or "ok", short(repro_s, 160)))
        slowest.sort(key=lambda x: -x[0])
        del slowest[5:]
        if state is None:
            by_state["ok"] += 1
            ok_by_fn[fn] += 1
            problems = check_result(fn, args, result)
            for pr in problems:
                bad = True
                wrong_results += 1
                violation("result", pr, repro_s)
            newfp = fingerprint(conn)
            if not FUNCTIONS[fn][0] and newfp != fp:
                bad = True
                data_changes += 1
                violation("data", "read-only %s changed the data" % fn, repro_s)
            fp = newfp
            if FUNCTIONS[fn][0] and fn in ("create", "delete", "ingest", "restore"):
                refresh_known(conn)
            if fn in ("property_group_create", "property_group_delete"):
                schema_fuzz.refresh(conn)
        else:
            by_state[state] += 1
            first = (err.pgerror or str(err)).split("\n")[0]
            first = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", first)
            first = re.sub(r'"[^"]{24,}"', '"..."', first)
            messages["%s %s %s" % (state, fn, re.sub(r"[0-9]+", "N", first)[:110])] += 1
            if state not in ALLOWED:
                bad = True
                violation("sqlstate", "%s: %s %s" % (fn, state, short(err.pgerror or str(err), 300)), repro_s)
            newfp = fingerprint(conn)
            if newfp != fp:
                bad = True
                data_changes += 1
                violation("data", "rejected %s (%s) changed the data" % (fn, state), repro_s)
                fp = newfp
        if bad:
            failed += 1

        if it >= len(corpus) and (it + 1 - len(corpus)) % CACHE_CHECK_EVERY == 0:
            for pr in cache_check(conn):
                failed += 1
                tried += 1
                wrong_results += 1
                violation("cache", pr, "")
            print("fuzz: %d/%d generated calls, %.0fs" % (it + 1 - len(corpus), ITERATIONS, time.time() - started))
            sys.stdout.flush()

    # the server must still be the same one
    final = connect(DBNAME)
    end_time = scalar(final, "SELECT pg_postmaster_start_time()")
    alive = scalar(final, "SELECT 1") == 1
    if end_time != start_time:
        crashes += 1
        failed += 1
        violation("crash", "postmaster restarted during the run (%s -> %s)" % (start_time, end_time), "")
    final.close()
    conn.close()
    schema_fuzz.close()
    codegen_fuzz.close()

    if not KEEP_DB:
        admin = psycopg2.connect(dbname=os.environ.get("FUZZ_ADMIN_DB", "postgres"))
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute("DROP DATABASE IF EXISTS %s" % psycopg2.extensions.quote_ident(DBNAME, cur))
        admin.close()

    if VERBOSE:
        print()
        for msg, n in sorted(messages.items()):
            print("%6d  %s" % (n, msg))
    print()
    print("slowest calls:")
    for el, sfn, sst, srep in slowest:
        print("  %.2fs %s %s: %s" % (el, sfn, sst, srep))
    print()
    print("seed: %d" % SEED)
    print("inputs tried: %d (%s)" % (tried, ", ".join("%s %d" % kv for kv in sorted(by_fn.items()))))
    print("plausible inputs: %d, adversarial inputs: %d" % (n_plausible, tried - n_plausible))
    print("calls by outcome: %s" % ", ".join("%s %d" % kv for kv in sorted(by_state.items())))
    print("successful calls: %s" % ", ".join("%s %d" % kv for kv in sorted(ok_by_fn.items())))
    print("rejected by PostgreSQL type input before the call: %d (%s)" % (
        sum(cast_rejects.values()), ", ".join("%s %d" % kv for kv in sorted(cast_rejects.items()))))
    print("SQLSTATEs outside SPEC section 4: %d" % sum(1 for v in violations if v[0] == "sqlstate"))
    print("crashes: %d" % crashes)
    print("data changes on rejected or read-only calls: %d" % data_changes)
    print("wrong results: %d" % wrong_results)
    print("data checks: %d, of which full table scans: %d (the others saw no transaction end)" % (
        fingerprint_scans[1], fingerprint_scans[0]))
    print("server alive: %s, postmaster start time unchanged: %s" % (alive, end_time == start_time))
    print("time: %.1fs" % (time.time() - started))
    print("%d passed, %d failed" % (tried - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
