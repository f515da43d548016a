// The HTTP half of test/postgraphile5/run.sh: GraphQL requests to the
// servers it started, each checked for its data and for the error code that
// reaches the client.  Prints TAP lines numbered from START and exits 0.
//
// Environment: GQL5 (docs/graphql.md's configuration), GQL5_MASKED (the
// same without maskError), GQL5_DIRECT (event_definitions itself, without
// the extension-resources plugin), GQL4 (PostGraphile 4 with the docs'
// .postgraphilerc.js), ED_JWT_SECRET, EXPECTED (JSON: the wrappers, their
// volatility and whether ed_api may run them), START.
import jwt from "jsonwebtoken";

const { GQL5, GQL5_MASKED, GQL5_DIRECT, GQL4, ED_JWT_SECRET } = process.env;
const EXPECTED = JSON.parse(process.env.EXPECTED);
let n = Number(process.env.START ?? 1);

function check(name, ok, shown) {
  if (ok) {
    console.log(`ok ${n} - ${name}`);
  } else {
    console.log(`not ok ${n} - ${name}`);
    console.log(`    # got: ${JSON.stringify(shown).slice(0, 800)}`);
  }
  n++;
}

const sign = (claims, secret = ED_JWT_SECRET, opts = {}) =>
  jwt.sign(claims, secret, { algorithm: "HS256", ...opts });
const RW = sign({ scopes: ["event_definition:read", "event_definition:write"], project_ids: [1], user_id: 7 });
const RO = sign({ scopes: ["event_definition:read"], project_ids: [1] });

// POST a GraphQL request: {status, body}
async function gql(url, query, variables = {}, token = RW) {
  const headers = { "Content-Type": "application/json" };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsed: text };
  }
  return { status: res.status, body };
}
const err0 = (r) => r.body.errors?.[0] ?? {};

// ---- PostGraphile 5: the schema ----------------------------------------
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
let r = await gql(GQL5, "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }");
const queries = new Set(r.body.data?.__schema.queryType.fields.map((f) => f.name) ?? []);
const mutations = new Set(r.body.data?.__schema.mutationType?.fields.map((f) => f.name) ?? []);
const missing = EXPECTED.filter((f) => f.granted && !(f.volatile ? mutations : queries).has(camel(f.name)));
const extra = EXPECTED.filter((f) => !f.granted && (queries.has(camel(f.name)) || mutations.has(camel(f.name))));
check(`5: every wrapper ed_api may run is served (${EXPECTED.filter((f) => f.granted).length}), read-only ones as queries, writing ones as mutations`,
  r.status === 200 && EXPECTED.some((f) => f.granted) && missing.length === 0, { missing, queries: [...queries], mutations: [...mutations] });
check(`5: the wrappers ed_api may not run are not (${EXPECTED.filter((f) => !f.granted).map((f) => f.name).join(", ")})`,
  extra.length === 0 && EXPECTED.some((f) => !f.granted), extra);
check("5: the representative set is there",
  ["list", "retrieve", "byName", "metrics", "activity"].every((f) => queries.has(f)) &&
  ["update", "delete", "ingest", "create"].every((f) => mutations.has(f)), [...queries, ...mutations]);

// ---- PostGraphile 5: data ------------------------------------------------
r = await gql(GQL5, 'query($p: BigInt!) { list(projectId: $p, search: "app") }', { p: "1" });
check("5: list with search", !r.body.errors && r.body.data.list.count === 2 &&
  r.body.data.list.results.map((d) => d.name).sort().join() === "app_close,app_open", r.body);
const appOpen = r.body.data?.list.results.find((d) => d.name === "app_open")?.id;

r = await gql(GQL5, '{ list(projectId: "1", ordering: "name", pageLimit: "2", pageOffset: "1") }');
check("5: list with ordering and paging, arguments in between left out", !r.body.errors &&
  r.body.data.list.count === 4 && r.body.data.list.results.map((d) => d.name).join() === "app_close,app_open" &&
  r.body.data.list.next !== null && r.body.data.list.previous !== null, r.body);

r = await gql(GQL5, "query($p: BigInt!, $id: UUID!) { retrieve(projectId: $p, id: $id) }", { p: "1", id: appOpen });
check("5: retrieve", !r.body.errors && r.body.data.retrieve.id === appOpen && r.body.data.retrieve.name === "app_open", r.body);

r = await gql(GQL5, '{ byName(projectId: "1", name: "app_open") }');
check("5: byName", !r.body.errors && r.body.data.byName.id === appOpen, r.body);

r = await gql(GQL5, "query($id: UUID!) { metrics(projectId: \"1\", id: $id) }", { id: appOpen });
check("5: metrics", !r.body.errors && r.body.data.metrics.volume_30_day === 4 && r.body.data.metrics.query_usage_30_day === 1, r.body);

r = await gql(GQL5, "mutation($in: UpdateInput!) { update(input: $in) { result } }",
  { in: { projectId: "1", id: appOpen, patch: { description: "Opened the app", tags: [" Core "], verified: true } } });
const upd = r.body.data?.update?.result;
check("5: update, a mutation with a jsonb patch; user_id of the token is the acting user",
  !r.body.errors && upd.description === "Opened the app" && upd.tags.join() === "core" && upd.verified === true &&
  upd.updated_by?.id === 7 && upd.verified_by?.id === 7, r.body);

r = await gql(GQL5, "mutation($in: UpdateInput!) { update(input: $in) { result } }",
  { in: { projectId: "1", id: appOpen, patch: { description: "lost", bogus: 1 } } });
check("5: update with an unknown key: 22023 with its message", r.status === 200 && err0(r).extensions?.code === "22023" &&
  /bogus/.test(err0(r).message) && r.body.data?.update === null, r.body);
r = await gql(GQL5, "query($id: UUID!) { retrieve(projectId: \"1\", id: $id) }", { id: appOpen });
check("5: the failed update changed nothing", r.body.data?.retrieve?.description === "Opened the app", r.body);

r = await gql(GQL5, 'mutation { create(input: {projectId: "1", name: "planned_event", patch: {description: "Planned"}}) { result } }');
const planned = r.body.data?.create?.result?.id;
check("5: create", !r.body.errors && r.body.data.create.result.name === "planned_event", r.body);
r = await gql(GQL5, 'mutation { create(input: {projectId: "1", name: "planned_event"}) { result } }');
check("5: create again: 23505", err0(r).extensions?.code === "23505" && /planned_event/.test(err0(r).message), r.body);

r = await gql(GQL5, "mutation($in: DeleteInput!) { delete(input: $in) { clientMutationId } }",
  { in: { projectId: "1", id: planned, clientMutationId: "del-1" } });
check("5: delete", !r.body.errors && r.body.data.delete.clientMutationId === "del-1", r.body);
r = await gql(GQL5, "query($id: UUID!) { retrieve(projectId: \"1\", id: $id) }", { id: planned });
check("5: retrieve after delete: PT404, the message names the id", r.status === 200 && err0(r).extensions?.code === "PT404" &&
  err0(r).message.includes(planned) && r.body.data?.retrieve === null, r.body);

r = await gql(GQL5, "query($id: UUID) { activity(projectId: \"1\", id: $id) }", { id: planned });
check("5: activity of the deleted definition", !r.body.errors && r.body.data.activity.count === 2 &&
  r.body.data.activity.results[0].activity === "deleted", r.body);

r = await gql(GQL5, 'mutation { ingest(input: {projectId: "1", names: ["new_event", "app_open"], seenAt: ["2030-01-01T00:00:00Z", null]}) { result } }');
check("5: ingest", !r.body.errors && r.body.data.ingest.result === 1, r.body);
r = await gql(GQL5, '{ byName(projectId: "1", name: "new_event") }');
check("5: the ingested name is there", !r.body.errors && r.body.data.byName.last_seen_at === "2030-01-01T00:00:00Z", r.body);

r = await gql(GQL5, `mutation($id: UUID!) {
  a: ingest(input: {projectId: "1", names: ["tx_first"]}) { result }
  b: update(input: {projectId: "1", id: $id, patch: {bogus: 1}}) { result } }`, { id: appOpen });
const r3 = await gql(GQL5, '{ byName(projectId: "1", name: "tx_first") }');
check("5: one call per transaction: a failed mutation leaves the one before it in the request committed",
  r.body.data?.a?.result === 1 && r.body.data?.b === null && err0(r).extensions?.code === "22023" &&
  !r3.body.errors && r3.body.data.byName.name === "tx_first", [r.body, r3.body]);

// ---- PostGraphile 5: errors and claims ----------------------------------
r = await gql(GQL5, '{ byName(projectId: "1", name: "APP_OPEN") }');
check("5: byName, not found: PT404", err0(r).extensions?.code === "PT404" && /APP_OPEN/.test(err0(r).message), r.body);

r = await gql(GQL5, '{ list(projectId: "1", ordering: "bogus") }');
check("5: a bad argument: 22023 with its hint", err0(r).extensions?.code === "22023" && /bogus/.test(err0(r).message) &&
  typeof err0(r).extensions.hint === "string" && err0(r).extensions.hint.length > 0, r.body);

r = await gql(GQL5, "mutation($in: UpdateInput!) { update(input: $in) { result } }",
  { in: { projectId: "1", id: appOpen, patch: { description: "read-only" } } }, RO);
check("5: a read-only token writing: 42501 with detail and hint", err0(r).extensions?.code === "42501" &&
  /event_definition:write/.test(err0(r).message) && err0(r).extensions.detail && err0(r).extensions.hint, r.body);
r = await gql(GQL5, '{ list(projectId: "1", search: "app") }', {}, RO);
check("5: the read-only token reads", !r.body.errors && r.body.data.list.count === 2, r.body);

r = await gql(GQL5, '{ list(projectId: "2") }');
check("5: a project the token does not list: 42501", err0(r).extensions?.code === "42501" &&
  /project 2/.test(err0(r).message) && /project_ids/.test(err0(r).extensions.detail), r.body);

r = await gql(GQL5, '{ list(projectId: "1") }', {}, null);
check("5: no token: the login role may run nothing, 42501", r.status === 200 && err0(r).extensions?.code === "42501" &&
  r.body.data?.list === null, r.body);

r = await gql(GQL5, '{ list(projectId: "1") }', {}, sign({ scopes: ["*"] }, "another-secret-another-secret-12345"));
check("5: a token with a wrong signature: HTTP 401, no data", r.status === 401 && !r.body.data && /invalid token/.test(err0(r).message), r);
r = await gql(GQL5, '{ list(projectId: "1") }', {}, sign({ scopes: ["*"], exp: Math.floor(Date.now() / 1000) - 60 }));
check("5: an expired token: HTTP 401", r.status === 401 && /expired/.test(err0(r).message), r);

// a SQLSTATE outside the contract (22003: bigint out of range) stays masked
r = await gql(GQL5, '{ list(projectId: "99999999999999999999") }');
check("5: an error outside the contract stays masked", r.body.errors?.length === 1 &&
  /^An error occurred \(logged with hash/.test(err0(r).message) && err0(r).extensions?.code === undefined, r.body);

// ---- PostGraphile 5 without maskError, and without the wrappers ----------
r = await gql(GQL5_MASKED, '{ byName(projectId: "1", name: "APP_OPEN") }');
check("5 default masking: PT404 becomes 'An error occurred', extensions only {errorId}",
  /^An error occurred \(logged with hash/.test(err0(r).message) &&
  JSON.stringify(Object.keys(err0(r).extensions ?? {})) === '["errorId"]', r.body);
r = await gql(GQL5_MASKED, '{ list(projectId: "2") }');
const r2 = await gql(GQL5_MASKED, '{ list(projectId: "1", ordering: "bogus") }');
check("5 default masking: a 403 and a 400 look alike", err0(r).extensions?.code === undefined &&
  err0(r2).extensions?.code === undefined && /^An error occurred/.test(err0(r).message) && /^An error occurred/.test(err0(r2).message), [r.body, r2.body]);

r = await gql(GQL5_DIRECT, "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }");
check("5 serving event_definitions itself, extension-resources plugin disabled: no function is served",
  r.status === 200 && r.body.data && !r.body.data.__schema.queryType.fields.some((f) => ["list", "retrieve", "byName"].includes(f.name)) &&
  r.body.data.__schema.mutationType === null, r.body);

// ---- PostGraphile 4 with the docs' .postgraphilerc.js ----------------------
r = await gql(GQL4, '{ list(projectId: "1", search: "app") }', {}, RO);
check("4: claims per request: the read-only token reads", !r.body.errors && r.body.data.list.count === 2, r.body);
r = await gql(GQL4, "mutation($in: UpdateInput!) { update(input: $in) { json } }",
  { in: { projectId: "1", id: appOpen, patch: { description: "read-only" } } }, RO);
check("4: the read-only token cannot write: errcode 42501", r.body.errors?.[0]?.errcode === "42501", r.body);
r = await gql(GQL4, "mutation($in: UpdateInput!) { update(input: $in) { json } }",
  { in: { projectId: "1", id: appOpen, patch: { description: "Opened it" } } }, RW);
check("4: the read-write token writes, as user_id 7", !r.body.errors && r.body.data.update.json.description === "Opened it" &&
  r.body.data.update.json.updated_by?.id === 7, r.body);
r = await gql(GQL4, '{ list(projectId: "2") }', {}, RW);
check("4: a project the token does not list: errcode 42501", r.body.errors?.[0]?.errcode === "42501", r.body);
r = await gql(GQL4, '{ list(projectId: "1") }', {}, null);
check("4: no token: errcode 42501", r.body.errors?.[0]?.errcode === "42501", r.body);
r = await gql(GQL4, '{ list(projectId: "1") }', {}, sign({ scopes: ["*"] }, "another-secret-another-secret-12345"));
check("4: a token with a wrong signature: HTTP 401", r.status === 401 && !r.body.data, r);
