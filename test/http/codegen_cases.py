"""HTTP cases of typed code generation (1.2): codegen and codegen_status as
PostgREST serves them, GET /rpc/codegen?project_id=1&language=typescript
and the rest.  Called by postgrest_emulation.py with its runner; every case
names the HTTP status PostgREST answers with."""

CODEGEN_FUNCTIONS = ["codegen", "codegen_status"]
LANGUAGES = ["typescript", "golang", "python", "jsonschema"]


def run_codegen_cases(r, setup, claims):
    """claims: the emulation's claim sets (RW, RO, NO_SCOPE, STAR, ANON)."""
    RW, RO, NO_SCOPE, ANON = claims["RW"], claims["RO"], claims["NO_SCOPE"], claims["ANON"]

    # ---- codegen ---------------------------------------------------------
    ts = r.check("success: the issue's request", "GET", "codegen", RO, 200,
                 query=[("project_id", "1"), ("language", "typescript")],
                 test=lambda x: None if x.body["language"] == "typescript" and '"signup": ' in x.body["content"]
                 and x.body["event_count"] >= 5 and len(x.body["schema_hash"]) == 32 else f"{x.body}")
    for language in LANGUAGES[1:]:
        r.check(f"success: {language}", "GET", "codegen", RO, 200,
                query=[("project_id", "1"), ("language", language)],
                test=lambda x, language=language: None if x.body["language"] == language
                and x.body["schema_hash"] == (ts.body or {}).get("schema_hash") else f"{x.body}")
    r.check("success: names from the query string", "GET", "codegen", RO, 200,
            query=[("project_id", "1"), ("language", "python"), ("names", "{signup,app_open,nope}")],
            test=lambda x: None if x.body["event_count"] == 2 else f"{x.body}")
    r.check("success: POST (READ ONLY)", "POST", "codegen", RW, 200,
            body={"project_id": 1, "language": "golang", "names": ["checkout"]},
            test=lambda x: None if x.body["event_count"] == 1 and "func (c *Client[M]) Checkout(" in x.body["content"]
            else f"{x.body}")
    r.check("success: the same bytes twice", "GET", "codegen", RO, 200,
            query=[("project_id", "1"), ("language", "typescript")],
            test=lambda x: None if x.body == ts.body else "the content changed")
    r.check("malformed: another language", "GET", "codegen", RO, 400,
            query=[("project_id", "1"), ("language", "cobol")],
            test=lambda x: None if x.message == 'unknown language "cobol"' else x.message)
    r.check("malformed: names not an array", "GET", "codegen", RO, 400,
            query=[("project_id", "1"), ("language", "python"), ("names", "signup")])
    r.check("malformed: a null name", "POST", "codegen", RW, 400,
            body={"project_id": 1, "language": "python", "names": ["signup", None]})
    r.check("no such signature: language missing (schema cache)", "GET", "codegen", RO, 404,
            query=[("project_id", "1")])
    r.check("wrong project", "GET", "codegen", RO, 403, query=[("project_id", "2"), ("language", "python")])
    r.check("missing scope", "GET", "codegen", NO_SCOPE, 403, query=[("project_id", "1"), ("language", "python")])
    r.check("anonymous", "GET", "codegen", ANON, 401, query=[("project_id", "1"), ("language", "python")])

    # ---- codegen_status ----------------------------------------------------
    body = ts.body or {}
    r.check("success: current", "GET", "codegen_status", RO, 200,
            query=[("project_id", "1"), ("schema_hash", body.get("schema_hash", ""))],
            test=lambda x: None if x.body["current"] is True and x.body["changed_events"] == [] else f"{x.body}")
    r.check("success: stale, no content", "GET", "codegen_status", RO, 200,
            query=[("project_id", "1"), ("schema_hash", "0" * 32)],
            test=lambda x: None if x.body["current"] is False and x.body["changed_events"] is None else f"{x.body}")
    r.check("success: the file's content in a POST", "POST", "codegen_status", RW, 200,
            body={"project_id": 1, "schema_hash": body.get("schema_hash"), "content": body.get("content")},
            test=lambda x: None if x.body["current"] is True and x.body["changed_events"] == [] else f"{x.body}")
    r.check("success: a file for other names", "POST", "codegen_status", RW, 200,
            body={"project_id": 1, "schema_hash": body.get("schema_hash"), "content": body.get("content"),
                  "names": ["signup"]},
            test=lambda x: None if x.body["current"] is False and {c["change"] for c in x.body["changed_events"]}
            == {"removed"} else f"{x.body}")
    r.check("malformed: schema_hash", "GET", "codegen_status", RO, 400,
            query=[("project_id", "1"), ("schema_hash", "nope")])
    r.check("malformed: content not generated", "POST", "codegen_status", RW, 400,
            body={"project_id": 1, "schema_hash": "0" * 32, "content": "// my own file"})
    r.check("wrong project", "GET", "codegen_status", RO, 403, query=[("project_id", "2"), ("schema_hash", "0" * 32)])
    r.check("anonymous", "GET", "codegen_status", ANON, 401, query=[("project_id", "1"), ("schema_hash", "0" * 32)])
