"""HTTP cases of event schemas (1.2): property groups, attachments,
event_schema, validate and violations, as PostgREST serves them.  Called by
postgrest_emulation.py with its runner; every case names the HTTP status
PostgREST answers with."""

import uuid

SCHEMA_FUNCTIONS = ["property_group_create", "property_group_retrieve", "property_group_update",
                    "property_group_delete", "property_group_list", "schema_attach", "schema_detach",
                    "event_schema", "validate", "violations"]
SCHEMA_TABLES = ["property_groups", "property_group_properties", "event_schemas", "schema_versions",
                 "schema_violations"]


def run_schema_cases(r, setup, claims):
    """claims: the emulation's claim sets (RW, RO, NO_SCOPE, STAR, ANON)."""
    RW, RO, NO_SCOPE, ANON = claims["RW"], claims["RO"], claims["NO_SCOPE"], claims["ANON"]
    with setup.admin.cursor() as cur:
        cur.execute("SELECT name, id::text FROM event_definitions.definitions WHERE project_id = 1")
        ids = dict(cur.fetchall())
        cur.execute("SELECT id::text FROM event_definitions.definitions WHERE project_id = 2 LIMIT 1")
        p2_event = cur.fetchone()[0]
    signup = ids["signup"]
    ghost = str(uuid.uuid4())
    props = [{"name": "plan", "property_type": "String", "is_required": True},
             {"name": "seats", "property_type": "Numeric"}]

    # ---- property_group_create -------------------------------------------
    created = r.check("success", "POST", "property_group_create", RW, 200,
                      body={"project_id": 1, "name": "account", "properties": props, "description": "Who pays"},
                      test=lambda x: None if x.body["name"] == "account" and len(x.body["properties"]) == 2
                      and (x.body["created_by"] or {}).get("id") == 7 else f"{x.body}")
    gid = (created.body or {}).get("id", ghost)
    r.check("success: defaults (no properties)", "POST", "property_group_create", RW, 200,
            body={"project_id": 1, "name": "empty"},
            test=lambda x: None if x.body["properties"] == [] and x.body["description"] == "" else f"{x.body}")
    r.check("conflict: name taken", "POST", "property_group_create", RW, 409, body={"project_id": 1, "name": "account"})
    r.check("conflict: a property listed twice", "POST", "property_group_create", RW, 409,
            body={"project_id": 1, "name": "dup", "properties": props + [{"name": "plan", "property_type": "Numeric"}]},
            test=lambda x: None if '"plan"' in x.message else x.message)
    r.check("malformed: unknown property_type", "POST", "property_group_create", RW, 400,
            body={"project_id": 1, "name": "bad", "properties": [{"name": "a", "property_type": "Integer"}]})
    r.check("malformed: properties not an array", "POST", "property_group_create", RW, 400,
            body={"project_id": 1, "name": "bad", "properties": {"plan": "String"}})
    r.check("malformed: blank name", "POST", "property_group_create", RW, 400, body={"project_id": 1, "name": " "})
    r.check("wrong project", "POST", "property_group_create", RW, 403, body={"project_id": 2, "name": "x"})
    r.check("missing scope (read only)", "POST", "property_group_create", RO, 403, body={"project_id": 1, "name": "x"})
    r.check("missing scope", "POST", "property_group_create", NO_SCOPE, 403, body={"project_id": 1, "name": "x"})
    r.check("anonymous", "POST", "property_group_create", ANON, 401, body={"project_id": 1, "name": "x"})
    r.check("GET of a VOLATILE function", "GET", "property_group_create", RW, 405,
            query=[("project_id", "1"), ("name", "via_get")])
    r.check("no such signature: name missing (schema cache)", "POST", "property_group_create", RW, 404,
            body={"project_id": 1, "properties": []})

    # ---- property_group_retrieve / list ----------------------------------
    r.check("success", "GET", "property_group_retrieve", RO, 200, query=[("project_id", "1"), ("id", gid)],
            test=lambda x: None if x.body["id"] == gid and x.body["events"] == [] else f"{x.body}")
    r.check("not found", "GET", "property_group_retrieve", RW, 404, query=[("project_id", "1"), ("id", ghost)])
    r.check("wrong project", "GET", "property_group_retrieve", RW, 403, query=[("project_id", "2"), ("id", gid)])
    r.check("malformed: bad uuid", "GET", "property_group_retrieve", RW, 400, query=[("project_id", "1"), ("id", "x")])
    r.check("anonymous", "GET", "property_group_retrieve", ANON, 401, query=[("project_id", "1"), ("id", gid)])
    r.check("success: search, with links", "GET", "property_group_list", RO, 200,
            query=[("project_id", "1"), ("search", "ACC"), ("page_limit", "1")],
            test=lambda x: None if x.body["count"] == 1 and x.body["results"][0]["name"] == "account" else f"{x.body}")
    r.check("success: next starts with request.path", "GET", "property_group_list", RW, 200,
            query=[("project_id", "1"), ("page_limit", "1")],
            test=lambda x: None if (x.body["next"] or "").startswith("/rpc/property_group_list?") else f"{x.body['next']}")
    r.check("malformed: page_limit 0", "GET", "property_group_list", RW, 400,
            query=[("project_id", "1"), ("page_limit", "0")])
    r.check("missing scope", "GET", "property_group_list", NO_SCOPE, 403, query=[("project_id", "1")])

    # ---- schema_attach / event_schema / schema_detach ---------------------
    r.check("success: the event's schema", "POST", "schema_attach", RW, 200,
            body={"project_id": 1, "event_id": signup, "group_id": gid},
            test=lambda x: None if x.body["schema_version"] == 1 and x.body["event"] == "signup" else f"{x.body}")
    r.check("conflict: already added", "POST", "schema_attach", RW, 409,
            body={"project_id": 1, "event_id": signup, "group_id": gid},
            test=lambda x: None if "already added" in x.message else x.message)
    r.check("not found: event", "POST", "schema_attach", RW, 404, body={"project_id": 1, "event_id": ghost, "group_id": gid})
    r.check("not found: group", "POST", "schema_attach", RW, 404, body={"project_id": 1, "event_id": signup, "group_id": ghost})
    r.check("not found: another project's event", "POST", "schema_attach", RW, 404,
            body={"project_id": 1, "event_id": p2_event, "group_id": gid})
    r.check("wrong project", "POST", "schema_attach", RW, 403, body={"project_id": 2, "event_id": p2_event, "group_id": gid})
    r.check("missing scope (read only)", "POST", "schema_attach", RO, 403,
            body={"project_id": 1, "event_id": signup, "group_id": gid})
    r.check("malformed: bad uuid", "POST", "schema_attach", RW, 400, body={"project_id": 1, "event_id": "x", "group_id": gid})
    r.check("GET of a VOLATILE function", "GET", "schema_attach", RW, 405,
            query=[("project_id", "1"), ("event_id", signup), ("group_id", gid)])
    r.check("success", "GET", "event_schema", RO, 200, query=[("project_id", "1"), ("event_id", signup)],
            test=lambda x: None if [p["name"] for p in x.body["properties"]] == ["plan", "seats"]
            and x.body["conflicts"] == [] and len(x.body["schema_hash"]) == 32 else f"{x.body}")
    r.check("not found", "GET", "event_schema", RW, 404, query=[("project_id", "1"), ("event_id", ghost)])
    r.check("anonymous", "GET", "event_schema", ANON, 401, query=[("project_id", "1"), ("event_id", signup)])

    # ---- validate --------------------------------------------------------
    r.check("success: errors listed", "GET", "validate", RO, 200,
            query=[("project_id", "1"), ("name", "signup"), ("properties", '{"seats": "many"}')],
            test=lambda x: None if x.body["valid"] is False and
            [(e["property"], e["reason"]) for e in x.body["errors"]] == [("plan", "missing_required"), ("seats", "type_mismatch")]
            else f"{x.body}")
    r.check("success: POST (READ ONLY)", "POST", "validate", RW, 200,
            body={"project_id": 1, "name": "signup", "properties": {"plan": "pro", "seats": " 12 "}},
            test=lambda x: None if x.body == {"valid": True, "errors": []} else f"{x.body}")
    r.check("not found: unknown event", "GET", "validate", RW, 404,
            query=[("project_id", "1"), ("name", "nope"), ("properties", "{}")])
    r.check("malformed: properties not an object", "POST", "validate", RW, 400,
            body={"project_id": 1, "name": "signup", "properties": [1]})
    r.check("malformed: properties not JSON", "GET", "validate", RW, 400,
            query=[("project_id", "1"), ("name", "signup"), ("properties", "{oops")],
            test=lambda x: None if x.sqlstate == "22P02" else x.sqlstate)
    r.check("malformed: properties a string", "GET", "validate", RW, 400,
            query=[("project_id", "1"), ("name", "signup"), ("properties", "plan")],
            test=lambda x: None if x.sqlstate == "22023" else x.sqlstate)
    r.check("wrong project", "GET", "validate", RW, 403, query=[("project_id", "2"), ("name", "x"), ("properties", "{}")])
    r.check("missing scope", "GET", "validate", NO_SCOPE, 403, query=[("project_id", "1"), ("name", "signup"), ("properties", "{}")])

    # ---- property_group_update -------------------------------------------
    r.check("success: properties replaced", "POST", "property_group_update", RW, 200,
            body={"project_id": 1, "id": gid, "patch": {"properties": [{"name": "paid", "property_type": "Boolean"}]}},
            test=lambda x: None if [p["name"] for p in x.body["properties"]] == ["paid"] else f"{x.body}")
    r.check("the event's schema moved on", "GET", "event_schema", RW, 200, query=[("project_id", "1"), ("event_id", signup)],
            test=lambda x: None if x.body["schema_version"] == 2 else f"{x.body}")
    r.check("conflict: rename to a taken name", "POST", "property_group_update", RW, 409,
            body={"project_id": 1, "id": gid, "patch": {"name": "empty"}})
    r.check("malformed: unknown key", "POST", "property_group_update", RW, 400,
            body={"project_id": 1, "id": gid, "patch": {"bogus": 1}})
    r.check("not found", "POST", "property_group_update", RW, 404, body={"project_id": 1, "id": ghost, "patch": {}})
    r.check("missing scope (read only)", "POST", "property_group_update", RO, 403,
            body={"project_id": 1, "id": gid, "patch": {"description": "x"}})

    # ---- enforcement_mode warn (1.2) --------------------------------------
    r.check("success: enforcement_mode warn", "POST", "update", RW, 200,
            body={"project_id": 1, "id": signup, "patch": {"enforcement_mode": "warn"}},
            test=lambda x: None if x.body["enforcement_mode"] == "warn" else f"{x.body}")
    r.check("malformed: enforcement_mode block", "POST", "update", RW, 400,
            body={"project_id": 1, "id": signup, "patch": {"enforcement_mode": "block"}},
            test=lambda x: None if x.message == 'invalid value for "enforcement_mode": "block"' else x.message)

    # ---- violations, metrics, list -----------------------------------------
    with setup.admin.cursor() as cur:
        cur.execute("""INSERT INTO event_definitions.schema_violations
                       (project_id, definition_id, day, property, reason, violations, samples)
                       VALUES (1, %s, (now() AT TIME ZONE 'UTC')::date, 'paid', 'type_mismatch', 4, '{"yes"}')""", (signup,))
    r.check("success", "GET", "violations", RO, 200, query=[("project_id", "1")],
            test=lambda x: None if x.body["count"] == 1 and x.body["results"][0]["samples"] == ["yes"]
            and x.body["results"][0]["event"] == "signup" else f"{x.body}")
    r.check("success: of an event, since a time", "GET", "violations", RW, 200,
            query=[("project_id", "1"), ("id", signup), ("since", "2000-01-01T00:00:00Z")],
            test=lambda x: None if x.body["count"] == 1 else f"{x.body}")
    r.check("malformed: since", "GET", "violations", RW, 400, query=[("project_id", "1"), ("since", "yesterday-ish")])
    r.check("wrong project", "GET", "violations", RW, 403, query=[("project_id", "2")])
    r.check("anonymous", "GET", "violations", ANON, 401, query=[("project_id", "1")])
    r.check("metrics count violations", "GET", "metrics", RW, 200, query=[("project_id", "1"), ("id", signup)],
            test=lambda x: None if x.body["violations_30_day"] == 4 else f"{x.body}")
    r.check("list: has_violations from the query string", "GET", "list", RW, 200,
            query=[("project_id", "1"), ("has_violations", "true")],
            test=lambda x: None if [d["name"] for d in x.body["results"]] == ["signup"] else f"{x.body}")
    r.check("malformed: has_violations", "GET", "list", RW, 400, query=[("project_id", "1"), ("has_violations", "maybe")])

    # ---- schema_detach / property_group_delete -----------------------------
    r.check("success", "POST", "schema_detach", RW, 200, body={"project_id": 1, "event_id": signup, "group_id": gid},
            test=lambda x: None if x.body["property_groups"] == [] else f"{x.body}")
    r.check("not found: not attached", "POST", "schema_detach", RW, 404,
            body={"project_id": 1, "event_id": signup, "group_id": gid})
    r.check("anonymous", "POST", "schema_detach", ANON, 401, body={"project_id": 1, "event_id": signup, "group_id": gid})
    r.check("wrong project", "POST", "property_group_delete", RW, 403, body={"project_id": 2, "id": gid})
    r.check("success (void -> 204)", "POST", "property_group_delete", RW, 204, body={"project_id": 1, "id": gid})
    r.check("not found: already deleted", "POST", "property_group_delete", RW, 404, body={"project_id": 1, "id": gid})
    r.check("GET of a VOLATILE function", "GET", "property_group_delete", RW, 405, query=[("project_id", "1"), ("id", gid)])
