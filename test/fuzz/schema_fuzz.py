"""The event-schema functions (1.2) in the fuzz test: their argument
generators, their entries in fuzz.py's FUNCTIONS table, and their oracles.

validate() gets an independent oracle: for every successful call, the
event's schema is read with event_schema() in another backend (which
compiles nothing: it reads the tables), and the errors are computed here,
in Python, from the coercion table as the manual states it -- Numeric as
JavaScript's Number() reads a trimmed string, DateTime by the documented
grammar -- then compared with what the extension answered from its
compiled, cached schema."""

import json
import math
import re
import uuid

import psycopg2

TYPES = ["String", "Numeric", "Boolean", "DateTime", "Object"]
PROP_NAMES = ["plan", "amount", "ok", "at", "meta", "$current_url", "Plan", "x" * 400, "\u00e9t\u00e9", "a b"]
VALUES = [None, True, False, 0, -1, 42, 3.14, 1e300, -1e-300, "", " ", "hello", "42", " 42 ", "-0.5e3",
          "0x1F", "0b2", "0o17", "1e400", "Infinity", "NaN", "true", "false", "TRUE", "1_000", ".5", "5.",
          "\u00a012\u3000", "2021-01-01", "2021-02-29", "2020-02-29T23:59:60Z", "2021-01-01 10:00 UTC",
          "2021-01-01T10:00:00+05:30", "1609459200", "1609459200123", "20210101", "Jan 2021",
          {}, {"a": 1}, [], [1, 2], [[[]]], "x" * 300, "\u00e9" * 70]

g = None            # the fuzz module (fuzz.py), bound by install()
known_groups = {}   # project -> [group id]
known_group_names = {}
oracle_conn = None


# ---------------------------------------------------------------- generators

def gen_group_name():
    rng = g.rng
    p = rng.choice(g.PROJECTS)
    if rng.random() < 0.3 and known_group_names.get(p):
        return rng.choice(known_group_names[p])
    if g.plausible:
        return rng.choice(["account", "checkout", "device", "Billing"]) + g.rand_chars(rng.randint(0, 4), "abcxyz")
    return rng.choice([g.gen_name(), "   ", "", "\t", "x" * 401, "\u00e9" * 400, g.rand_text(20)])


def gen_property(plausible):
    rng = g.rng
    if plausible:
        p = {"name": rng.choice(PROP_NAMES), "property_type": rng.choice(TYPES)}
        if rng.random() < 0.6:
            p["is_required"] = rng.choice([True, False])
        if rng.random() < 0.3:
            p["description"] = rng.choice(["", "d", None, "\u00e9" * 50])
        return p
    r = rng.random()
    if r < 0.15:
        return g.gen_json_value()
    p = {}
    for key in rng.sample(["name", "property_type", "is_required", "description", "required", "type", ""],
                          rng.randint(0, 4)):
        if key == "name":
            p[key] = rng.choice([rng.choice(PROP_NAMES), "", "x" * 401, "a\u0007", None, 5, g.rand_text(10)])
        elif key == "property_type":
            p[key] = rng.choice(TYPES + ["string", "Integer", "", None, 1, "Any", "Date"])
        elif key == "is_required":
            p[key] = rng.choice([True, False, "yes", None, 1])
        else:
            p[key] = g.gen_json_value()
    return p


def gen_properties():
    rng = g.rng
    if g.plausible:
        props = [gen_property(True) for _ in range(rng.randint(0, 5))]
        seen = set()
        return [p for p in props if not (p["name"] in seen or seen.add(p["name"]))]
    r = rng.random()
    if r < 0.05:
        return g.gen_json_value()
    if r < 0.08:
        return [{"name": "p%d" % i, "property_type": "String"} for i in range(rng.choice([1000, 1001]))]
    return [gen_property(rng.random() < 0.5) for _ in range(rng.randint(0, 6))]


def properties_arg():
    if not g.plausible and g.rng.random() < 0.1:
        return g.Arg(g.rng.choice(g.RAW_JSON), "jsonb", raw=True)
    return g.maybe_null(g.Arg(json.dumps(gen_properties()), "jsonb"), 0.05)


def group_patch_arg():
    rng = g.rng
    if not g.plausible and rng.random() < 0.1:
        return g.Arg(rng.choice(g.RAW_JSON), "jsonb", raw=True)
    patch = {}
    for key in rng.sample(["name", "description", "properties", "id", "events", "bogus"], rng.randint(0, 3)):
        if key == "name":
            patch[key] = gen_group_name() if rng.random() < 0.8 else g.gen_json_value()
        elif key == "description":
            patch[key] = rng.choice(["", "desc", None, 5])
        elif key == "properties":
            patch[key] = gen_properties()
        elif g.plausible and key == "bogus":
            continue
        else:
            patch[key] = g.gen_json_value()
    return g.maybe_null(g.Arg(json.dumps(patch), "jsonb"), 0.03)


def group_id_arg():
    rng = g.rng
    p = rng.choice(g.PROJECTS)
    if (g.plausible or rng.random() < 0.7) and known_groups.get(p):
        return g.Arg(str(rng.choice(known_groups[p])), "uuid")
    return g.uuid_arg()


def validate_properties_arg():
    rng = g.rng
    if not g.plausible and rng.random() < 0.15:
        return g.Arg(rng.choice(g.RAW_JSON + ['"{\\"plan\\": 1}"', '"plan"', '[1]']), "jsonb", raw=True)
    obj = {}
    for name in rng.sample(PROP_NAMES, rng.randint(0, 6)):
        obj[name] = rng.choice(VALUES) if rng.random() < 0.9 else g.gen_json_value()
    if not g.plausible and rng.random() < 0.1:
        obj = g.gen_json_value()
    return g.maybe_null(g.Arg(json.dumps(obj), "jsonb"), 0.03)


def since_arg():
    if not g.plausible and g.rng.random() < 0.1:
        return g.Arg(g.rng.choice(g.RAW_TS), "timestamptz", raw=True)
    return g.maybe_null(g.Arg(g.gen_timestamp_str(), "timestamptz"), 0.3)


def FUNCTIONS():
    return {
        "property_group_create": (True, [
            ("project_id", False, g.project_arg),
            ("name", False, lambda: g.maybe_null(g.arg_text(gen_group_name()), 0.03)),
            ("properties", True, properties_arg),
            ("description", True, lambda: g.maybe_null(g.arg_text(g.rng.choice(["", "who pays", g.rand_text()])), 0.1)),
        ]),
        "property_group_retrieve": (False, [("project_id", False, g.project_arg), ("id", False, group_id_arg)]),
        "property_group_update": (True, [("project_id", False, g.project_arg), ("id", False, group_id_arg),
                                         ("patch", False, group_patch_arg)]),
        "property_group_delete": (True, [("project_id", False, g.project_arg), ("id", False, group_id_arg)]),
        "property_group_list": (False, [
            ("project_id", False, g.project_arg),
            ("search", True, lambda: g.maybe_null(g.arg_text(g.gen_search()), 0.3)),
            ("page_limit", True, g.page_arg), ("page_offset", True, g.page_arg)]),
        "schema_attach": (True, [("project_id", False, g.project_arg), ("event_id", False, g.uuid_arg),
                                 ("group_id", False, group_id_arg)]),
        "schema_detach": (True, [("project_id", False, g.project_arg), ("event_id", False, g.uuid_arg),
                                 ("group_id", False, group_id_arg)]),
        "event_schema": (False, [("project_id", False, g.project_arg), ("event_id", False, g.uuid_arg)]),
        "validate": (False, [("project_id", False, g.project_arg),
                             ("name", False, lambda: g.maybe_null(g.arg_text(g.gen_name()), 0.03)),
                             ("properties", False, validate_properties_arg)]),
        "violations": (False, [("project_id", False, g.project_arg), ("id", True, lambda: g.uuid_arg(0.3)),
                               ("since", True, since_arg), ("page_limit", True, g.page_arg),
                               ("page_offset", True, g.page_arg)]),
    }


WEIGHTS = {"property_group_create": 8, "property_group_retrieve": 4, "property_group_update": 8,
           "property_group_delete": 3, "property_group_list": 4, "schema_attach": 10, "schema_detach": 4,
           "event_schema": 5, "validate": 16, "violations": 4}
SQLTYPES = {"properties": "jsonb", "description": "text", "event_id": "uuid", "group_id": "uuid",
            "since": "timestamptz", "has_violations": "boolean"}
TABLES = ["property_groups", "property_group_properties", "event_schemas", "schema_versions", "schema_violations"]
CACHE_QUERIES = [
    ("SELECT jsonb_agg(event_definitions.validate(%s, d.name, '{\"plan\": \"1\", \"amount\": \" 2 \", \"ok\": \"true\", "
     "\"at\": \"2021-01-01\", \"meta\": [1]}') ORDER BY d.name) FROM event_definitions.event_schemas a "
     "JOIN event_definitions.definitions d ON d.project_id = a.project_id AND d.id = a.definition_id "
     "WHERE a.project_id = %s", lambda p: (p, p)),
]


def fixed_corpus(a):
    c = []
    for props in ('[{"name": "a", "property_type": "String"}, {"name": "a", "property_type": "Numeric"}]',
                  '[{"name": "a", "property_type": "Integer"}]', '[{"name": "a"}]', '{"a": "String"}',
                  json.dumps([{"name": "p%d" % i, "property_type": "String"} for i in range(1001)])):
        c.append(("property_group_create", a(project_id=1, name="corpus", properties=props), None))
    for name in ("", " ", "x" * 401, "ok name"):
        c.append(("property_group_create", a(project_id=1, name=name), None))
    for props in ('"{\\"plan\\": 1}"', '"x"', '[1]', '{}', 'null'):
        c.append(("validate", a(project_id=1, name="signup", properties=props), None))
    c.append(("violations", a(project_id=1, since=g.Arg("infinity", "timestamptz")), None))
    return c


# ---------------------------------------------------------------- refresh

def refresh(conn):
    with conn.cursor() as cur:
        for p in g.PROJECTS:
            cur.execute("SELECT id, name FROM event_definitions.property_groups WHERE project_id = %s "
                        "ORDER BY name COLLATE \"C\" LIMIT 100", (p,))
            rows = cur.fetchall()
            known_groups[p] = [r[0] for r in rows]
            known_group_names[p] = [r[1] for r in rows]


def setup(cur):
    """Groups and attachments in the fixture, and a few modes."""
    for p in g.PROJECTS:
        cur.execute("SELECT event_definitions.property_group_create(%s, 'base', %s)",
                    (p, json.dumps([{"name": "plan", "property_type": "String", "is_required": True},
                                    {"name": "amount", "property_type": "Numeric"},
                                    {"name": "ok", "property_type": "Boolean"},
                                    {"name": "at", "property_type": "DateTime", "is_required": True},
                                    {"name": "meta", "property_type": "Object"}])))
        cur.execute("SELECT event_definitions.property_group_create(%s, 'clash', %s)",
                    (p, json.dumps([{"name": "amount", "property_type": "String", "is_required": True}])))
        cur.execute("SELECT id FROM event_definitions.property_groups WHERE project_id = %s ORDER BY name", (p,))
        base, clash = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT id FROM event_definitions.definitions WHERE project_id = %s ORDER BY name LIMIT 8", (p,))
        events = [r[0] for r in cur.fetchall()]
        for i, e in enumerate(events):
            cur.execute("SELECT event_definitions.schema_attach(%s, %s, %s)", (p, e, base))
            if i % 3 == 0:
                cur.execute("SELECT event_definitions.schema_attach(%s, %s, %s)", (p, e, clash))
            cur.execute("SELECT event_definitions.update(%s, %s, %s)",
                        (p, e, json.dumps({"enforcement_mode": ["allow", "warn", "reject"][i % 3]})))


# ---------------------------------------------------------------- oracles

_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")
_RADIX = {"b": (2, "01"), "o": (8, "01234567"), "x": (16, "0123456789abcdefABCDEF")}
_WS = "\t\n\u000b\u000c\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
      "\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_numeric(s):
    t = s.strip(_WS)
    if t == "":
        return False
    if len(t) > 2 and t[0] == "0" and t[1].lower() in _RADIX:
        base, digits = _RADIX[t[1].lower()]
        if not all(ch in digits for ch in t[2:]):
            return False
        try:
            return math.isfinite(float(int(t[2:], base)))
        except OverflowError:
            return False
    if not _DECIMAL.match(t):
        return False
    return math.isfinite(float(t))


_DATE = re.compile(r"(\d{4})([-/.])(\d{2})\2(\d{2})"
                   r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
                   r"(?: ?(Z|UTC|GMT|[+-](\d{2})(?::?(\d{2}))?))?)?\Z")


def js_datetime(s):
    t = s.strip(_WS)
    if re.fullmatch(r"\d{9,10}(\.\d+)?|\d{13}", t):
        return True
    m = _DATE.match(t)
    if not m:
        return False
    y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
    leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not (1 <= mo <= 12 and 1 <= d <= days[mo - 1]):
        return False
    if m.group(5) is not None:
        if int(m.group(5)) > 23 or int(m.group(6)) > 59 or (m.group(7) and int(m.group(7)) > 60):
            return False
    if m.group(10) is not None and (int(m.group(10)) > 23 or (m.group(11) and int(m.group(11)) > 59)):
        return False
    return True


def fits(value, t):
    if t == "String":
        return True
    if t == "Numeric":
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, float)):
            try:
                return math.isfinite(float(value))
            except OverflowError:
                return False
        return isinstance(value, str) and js_numeric(value)
    if t == "Boolean":
        return isinstance(value, bool) or value in ("true", "false")
    if t == "DateTime":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        return isinstance(value, str) and js_datetime(value)
    if t == "Object":
        return isinstance(value, (dict, list))
    return False


def expected_errors(schema, props):
    out = []
    for p in schema["properties"]:
        if len(p["types"]) > 1:
            continue
        v = props.get(p["name"]) if isinstance(props, dict) else None
        if v is None:
            if p["required"]:
                out.append((p["name"], "missing_required", p["types"]))
        elif not fits(v, p["types"][0]):
            out.append((p["name"], "type_mismatch", p["types"]))
    return out


def validate_oracle(args, result):
    global oracle_conn
    props_arg = args["properties"]
    if props_arg.raw or props_arg.value is None:
        return []
    props = json.loads(props_arg.value, parse_float=float)
    if isinstance(props, str):
        props = json.loads(props)
    if oracle_conn is None or oracle_conn.closed:
        oracle_conn = g.connect(g.DBNAME)
    with oracle_conn.cursor() as cur:
        cur.execute("SELECT event_definitions.event_schema(%s, (SELECT d.id FROM event_definitions.definitions d "
                    "WHERE d.project_id = %s AND d.name = %s))",
                    (args["project_id"].value, args["project_id"].value, args["name"].value))
        schema = cur.fetchone()[0]
    want = expected_errors(schema, props)
    got = [(e["property"], e["reason"], e["expected_types"]) for e in result.get("errors", [])]
    problems = []
    if got != want:
        problems.append("validate: errors %r, the coercion table says %r" % (got[:4], want[:4]))
    if result.get("valid") is not (len(got) == 0):
        problems.append("validate: valid is %r with %d errors" % (result.get("valid"), len(got)))
    for e in result.get("errors", []):
        av = e.get("actual_value")
        if av is not None and len(av) > 64:
            problems.append("validate: actual_value longer than 64 characters")
    return problems


def check_schema(schema, fn):
    problems = []
    if not isinstance(schema, dict) or set(schema) != {"event", "event_id", "schema_version", "schema_hash",
                                                       "property_groups", "properties", "conflicts"}:
        return ["%s: malformed %r" % (fn, str(schema)[:200])]
    names = [p["name"] for p in schema["properties"]]
    if names != sorted(names, key=lambda s: s.encode()) or len(set(names)) != len(names):
        problems.append("%s: properties not sorted or repeated" % fn)
    conflicts = [c["name"] for c in schema["conflicts"]]
    if conflicts != [p["name"] for p in schema["properties"] if len(p["types"]) > 1]:
        problems.append("%s: conflicts are not the properties with several types" % fn)
    if not re.fullmatch(r"[0-9a-f]{32}", schema["schema_hash"]):
        problems.append("%s: bad schema_hash %r" % (fn, schema["schema_hash"]))
    if not isinstance(schema["schema_version"], int) or schema["schema_version"] < 0:
        problems.append("%s: bad schema_version" % fn)
    return problems


def check_group(group, fn):
    if not isinstance(group, dict) or not {"id", "name", "description", "properties", "events"} <= set(group):
        return ["%s: malformed group %r" % (fn, str(group)[:200])]
    names = [p["name"] for p in group["properties"]]
    if names != sorted(names, key=lambda s: s.encode()) or len(set(names)) != len(names):
        return ["%s: properties not sorted or repeated" % fn]
    if any(p["property_type"] not in TYPES for p in group["properties"]):
        return ["%s: unknown property_type stored" % fn]
    return []


def check_result(fn, args, result):
    if fn in ("property_group_create", "property_group_update", "property_group_retrieve"):
        problems = check_group(result, fn)
        if fn == "property_group_create" and not problems and result["name"] != args["name"].value:
            problems.append("property_group_create: name %r for %r" % (result["name"][:40], args["name"].value[:40]))
        return problems
    if fn in ("schema_attach", "schema_detach", "event_schema"):
        return check_schema(result, fn)
    if fn == "validate":
        return validate_oracle(args, result)
    if fn in ("property_group_list", "violations"):
        if not isinstance(result, dict) or not isinstance(result.get("results"), list):
            return ["%s: malformed page" % fn]
        if result["count"] < len(result["results"]):
            return ["%s: count below the page's rows" % fn]
        if fn == "violations" and any(len(r["samples"]) > 5 or any(len(s) > 64 for s in r["samples"])
                                      for r in result["results"]):
            return ["violations: more than 5 samples or a sample over 64 characters"]
        return [] if fn == "violations" else sum((check_group(x, fn) for x in result["results"]), [])
    if fn == "property_group_delete":
        return [] if result in (None, "") else ["property_group_delete: returned %r" % (result,)]
    return None


def close():
    if oracle_conn is not None and not oracle_conn.closed:
        oracle_conn.close()


def install(fuzz):
    """Add the schema functions to the fuzz test's tables."""
    global g
    g = fuzz
    fuzz.FUNCTIONS.update(FUNCTIONS())
    fuzz.FUNCTIONS["list"][1].append(("has_violations", True, fuzz.bool_arg))
    fuzz.WEIGHTS.update(WEIGHTS)
    fuzz.SQLTYPES.update(SQLTYPES)
    fuzz.CACHE_QUERIES.extend(CACHE_QUERIES)
