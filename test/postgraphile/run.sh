#!/usr/bin/env bash
# Smoke test: a third-party HTTP layer, unmodified.  Installs PostGraphile 4
# (pinned in package-lock.json) with `npm ci`, serves the event_definitions
# schema of a throwaway database in the libpq cluster (PGHOST/PGPORT/...,
# e.g. under pg_virtualenv) on 127.0.0.1, and drives list, retrieve, update,
# delete, metrics (and create, ingest, record_query_usage; from 1.1 by_name,
# primary_properties, bulk_update_tags, bulk_update_verified, restore) over
# HTTP with curl: STABLE functions are GraphQL queries, VOLATILE ones
# mutations.  GraphQL answers HTTP 200 with an "errors" array carrying the
# SQLSTATE (errcode); the checks look at both.
# Skips (exit 0) only when the npm registry cannot be reached.
set -uo pipefail
cd "$(dirname "$0")"

DB=${ED_POSTGRAPHILE_DB:-ed_postgraphile}
ROLE=ed_graphql          # the role PostGraphile's requests run as
START_TIMEOUT=60         # seconds to wait for the server
CURL="curl -sS --max-time 15 --connect-timeout 5"

work=$(mktemp -d)
server_pid=""
role_created=0
db_created=0
passed=0
failed=0

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	if [ "$db_created" = 1 ]; then
		psql_admin -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1
	fi
	if [ "$role_created" = 1 ]; then
		psql_admin -d postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. install PostGraphile from the lockfile -------------------------
for tool in node npm curl psql; do
	command -v "$tool" >/dev/null 2>&1 || { echo "test/postgraphile: $tool not found (scripts/install-deps.sh)"; exit 1; }
done
timeout 150 npm ci --no-audit --no-fund --prefer-offline --loglevel=error >"$work/npm.log" 2>&1
npm_rc=$?
if [ "$npm_rc" != 0 ]; then
	if [ "$npm_rc" = 124 ] ||
		grep -qiE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up|fetch failed|request to https?://' "$work/npm.log"; then
		echo "SKIP: test/postgraphile: npm registry unreachable, PostGraphile not installed:"
		sed -n '1,5p' "$work/npm.log" | sed 's/^/    /'
		exit 0
	fi
	echo "test/postgraphile: npm ci failed:"
	cat "$work/npm.log"
	exit 1
fi
echo "# postgraphile $(node -p 'require("postgraphile/package.json").version') on node $(node --version)"

# ---- 2. throwaway database, role, fixture ------------------------------
psql_admin -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" -c "CREATE DATABASE \"$DB\"" || exit 1
db_created=1
if [ -z "$(psql -X -At -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]; then
	psql_admin -d postgres -c "CREATE ROLE $ROLE LOGIN" || exit 1
	role_created=1
fi
password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
psql_admin -d "$DB" -o /dev/null <<SQL || exit 1
ALTER ROLE $ROLE LOGIN PASSWORD '$password';
CREATE EXTENSION event_definitions CASCADE;
-- the README's read-write grants
GRANT USAGE ON SCHEMA event_definitions TO $ROLE;
GRANT EXECUTE ON FUNCTION event_definitions.list, event_definitions.retrieve,
	event_definitions.metrics, event_definitions.activity, event_definitions."create",
	event_definitions.update, event_definitions.delete, event_definitions.ingest,
	event_definitions.record_query_usage, event_definitions.by_name,
	event_definitions.primary_properties, event_definitions.bulk_update_tags,
	event_definitions.bulk_update_verified, event_definitions.restore TO $ROLE;
-- 1.2: event schemas
GRANT EXECUTE ON FUNCTION event_definitions.property_group_create, event_definitions.property_group_retrieve,
	event_definitions.property_group_update, event_definitions.property_group_delete,
	event_definitions.property_group_list, event_definitions.schema_attach, event_definitions.schema_detach,
	event_definitions.event_schema, event_definitions.validate, event_definitions.violations TO $ROLE;
-- 1.2: typed code generation
GRANT EXECUTE ON FUNCTION event_definitions.codegen, event_definitions.codegen_status TO $ROLE;
INSERT INTO event_definitions.users (id, first_name, last_name, email)
VALUES (7, 'Ada', 'Lovelace', 'ada@example.com');
SELECT event_definitions.ingest(1,
	ARRAY['app_open', 'app_close', 'app_open', 'signup', 'app_open', '\$pageview']);
SELECT event_definitions.record_query_usage(1, ARRAY['app_open']);
SQL

# PostGraphile logs in as $ROLE over TCP when the cluster lets it (as under
# pg_virtualenv); otherwise it connects as the libpq user and switches to
# $ROLE for every request (--default-role).
host=${PGHOST:-localhost}
case "$host" in /*|"") host=localhost ;; esac
port=${PGPORT:-5432}
if PGPASSWORD=$password psql -X -At -h "$host" -p "$port" -U "$ROLE" -d "$DB" -c 'select 1' >/dev/null 2>&1; then
	conn=(-c "postgres://$ROLE:$password@$host:$port/$DB")
	echo "# connecting as $ROLE to $host:$port"
else
	conn=(-c "$DB" --default-role "$ROLE")
	echo "# password login refused: connecting as ${PGUSER:-$(id -un)}, requests run as $ROLE"
fi

# ---- 3. start PostGraphile on a free loopback port ---------------------
http_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
node_modules/.bin/postgraphile "${conn[@]}" --schema event_definitions \
	--host 127.0.0.1 --port "$http_port" \
	--include-extension-resources --no-ignore-rbac --dynamic-json \
	--disable-default-mutations --disable-graphiql --disable-query-log \
	--extended-errors errcode,detail,hint \
	>"$work/server.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$http_port/graphql"

ready=0
for _ in $(seq $((START_TIMEOUT * 4))); do
	if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
	if $CURL -o /dev/null -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "$url" 2>/dev/null; then
		ready=1
		break
	fi
	sleep 0.25
done
if [ "$ready" != 1 ]; then
	echo "test/postgraphile: PostGraphile did not start on $url:"
	cat "$work/server.log"
	exit 1
fi
echo "# PostGraphile serving $url"

# ---- 4. requests --------------------------------------------------------
# gql QUERY [VARIABLES-JSON]: POST a GraphQL request, print the response body
gql() {
	local body
	body=$(node -e 'console.log(JSON.stringify({query: process.argv[1], variables: JSON.parse(process.argv[2])}))' \
		"$1" "${2:-{\}}") || return 1
	$CURL -H 'Content-Type: application/json' -d "$body" "$url"
}

# check NAME RESPONSE JS-EXPRESSION: the expression, over r (the parsed
# response), must be true
check() {
	local n=$((passed + failed + 1))
	if node -e 'const r = JSON.parse(process.argv[1]); if (!eval(process.argv[2])) process.exit(1)' \
		"$2" "$3" 2>/dev/null; then
		passed=$((passed + 1))
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		echo "    # expected: $3"
		echo "    # response: ${2:0:600}"
	fi
}

# js: a field of the response, for the next request's variables
field() { node -e 'const r = JSON.parse(process.argv[1]); console.log(eval(process.argv[2]))' "$1" "$2" 2>/dev/null; }

r=$(gql '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }')
check "introspection: STABLE functions are queries" "$r" \
	'["list","retrieve","metrics","activity","byName","primaryProperties"].every(f => r.data.__schema.queryType.fields.some(x => x.name === f))'
check "introspection: VOLATILE functions are mutations, tables are not exposed" "$r" \
	'["create","update","delete","ingest","recordQueryUsage","bulkUpdateTags","bulkUpdateVerified","restore"].every(f => r.data.__schema.mutationType.fields.some(x => x.name === f)) && !r.data.__schema.mutationType.fields.some(x => /^(create|update|delete)[A-Z]/.test(x.name)) && !r.data.__schema.queryType.fields.some(x => /^all/.test(x.name))'

r=$(gql 'query($p: BigInt!) { list(projectId: $p, search: "app") }' '{"p": "1"}')
check "list: search" "$r" \
	'!r.errors && r.data.list.count === 2 && r.data.list.results.map(d => d.name).sort().join() === "app_close,app_open"'
app_open=$(field "$r" 'r.data.list.results.find(d => d.name === "app_open").id')

# PostGraphile passes the unnamed arguments in between as NULL
r=$(gql 'query { list(projectId: "1", ordering: "name", pageLimit: "2", pageOffset: "1") }')
check "list: ordering and paging (NULL for the arguments in between)" "$r" \
	'!r.errors && r.data.list.count === 4 && r.data.list.results.map(d => d.name).join() === "app_close,app_open" && r.data.list.next !== null && r.data.list.previous !== null'

r=$(gql 'query($p: BigInt!, $id: UUID!) { retrieve(projectId: $p, id: $id) }' "{\"p\": \"1\", \"id\": \"$app_open\"}")
check "retrieve" "$r" "!r.errors && r.data.retrieve.id === '$app_open' && r.data.retrieve.name === 'app_open'"

r=$(gql 'query($p: BigInt!, $id: UUID!) { retrieve(projectId: $p, id: $id) }' '{"p": "1", "id": "00000000-0000-0000-0000-000000000000"}')
check "retrieve: not found is an error with SQLSTATE PT404" "$r" \
	'r.errors && r.errors[0].errcode === "PT404" && r.data.retrieve === null'

r=$(gql 'query($p: BigInt!, $id: UUID!) { metrics(projectId: $p, id: $id) }' "{\"p\": \"1\", \"id\": \"$app_open\"}")
check "metrics" "$r" '!r.errors && r.data.metrics.volume_30_day === 3 && r.data.metrics.query_usage_30_day === 1'

r=$(gql 'mutation($in: UpdateInput!) { update(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$app_open\", \"patch\": {\"description\": \"Opened the app\", \"tags\": [\" Core \"], \"verified\": true}}}")
check "update (mutation)" "$r" \
	'!r.errors && r.data.update.json.description === "Opened the app" && r.data.update.json.tags.join() === "core" && r.data.update.json.verified === true'

r=$(gql 'mutation($in: UpdateInput!) { update(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$app_open\", \"patch\": {\"bogus\": 1}}}")
check "update: invalid patch is an error with SQLSTATE 22023" "$r" \
	'r.errors && r.errors[0].errcode === "22023" && /bogus/.test(r.errors[0].message)'

r=$(gql 'query($p: BigInt!, $id: UUID!) { retrieve(projectId: $p, id: $id) }' "{\"p\": \"1\", \"id\": \"$app_open\"}")
check "retrieve: the update was committed, the failed one was not" "$r" \
	'!r.errors && r.data.retrieve.description === "Opened the app" && r.data.retrieve.verified === true'

r=$(gql 'mutation { create(input: {projectId: "1", name: "planned_event", patch: {description: "Planned"}}) { json } }')
check "create (mutation)" "$r" \
	'!r.errors && r.data.create.json.name === "planned_event" && r.data.create.json.last_seen_at === null'
planned=$(field "$r" 'r.data.create.json.id')

r=$(gql 'mutation($in: DeleteInput!) { delete(input: $in) { clientMutationId } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$planned\", \"clientMutationId\": \"del-1\"}}")
check "delete (mutation)" "$r" '!r.errors && r.data.delete.clientMutationId === "del-1"'

r=$(gql 'query($p: BigInt!, $id: UUID!) { retrieve(projectId: $p, id: $id) }' "{\"p\": \"1\", \"id\": \"$planned\"}")
check "retrieve after delete: PT404" "$r" 'r.errors && r.errors[0].errcode === "PT404"'

r=$(gql 'mutation { ingest(input: {projectId: "1", names: ["new_event", "app_open"], seenAt: ["2030-01-01T00:00:00Z", null]}) { integer } }')
check "ingest (mutation)" "$r" '!r.errors && r.data.ingest.integer === 1'

r=$(gql 'mutation { recordQueryUsage(input: {projectId: "1", names: ["app_open", "nope"]}) { integer } }')
check "recordQueryUsage (mutation)" "$r" '!r.errors && r.data.recordQueryUsage.integer === 1'

r=$(gql 'query($p: BigInt!, $id: UUID) { activity(projectId: $p, id: $id) }' "{\"p\": \"1\", \"id\": \"$planned\"}")
check "activity: the deleted definition's entries" "$r" \
	'!r.errors && r.data.activity.count === 2 && r.data.activity.results[0].activity === "deleted"'

# ---- 1.1 functions ------------------------------------------------------
# gql_status QUERY [VARIABLES-JSON]: like gql, as {"status": N, "body": ...}
gql_status() {
	local body out
	body=$(node -e 'console.log(JSON.stringify({query: process.argv[1], variables: JSON.parse(process.argv[2])}))' \
		"$1" "${2:-{\}}") || return 1
	out=$($CURL -w '\n%{http_code}' -H 'Content-Type: application/json' -d "$body" "$url")
	node -e 'const [b, s] = [process.argv[1], process.argv[2]]; console.log(JSON.stringify({status: +s, body: JSON.parse(b)}))' \
		"$(printf '%s' "$out" | sed '$d')" "$(printf '%s' "$out" | tail -n1)"
}

r=$(gql_status 'query { byName(projectId: "1", name: "app_open") }')
check "byName: HTTP 200, renders as retrieve" "$r" \
	"r.status === 200 && !r.body.errors && r.body.data.byName.id === '$app_open' && r.body.data.byName.description === 'Opened the app'"
r=$(gql_status 'query { byName(projectId: "1", name: "APP_OPEN") }')
check "byName: case-sensitive, not found is HTTP 200 with errcode PT404" "$r" \
	'r.status === 200 && r.body.errors[0].errcode === "PT404" && /APP_OPEN/.test(r.body.errors[0].message) && r.body.data.byName === null'
r=$(gql_status 'query { byName(projectId: "1", name: " ") }')
check "byName: blank name is errcode 22023" "$r" 'r.status === 200 && r.body.errors[0].errcode === "22023"'

r=$(gql 'mutation($in: UpdateInput!) { update(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$app_open\", \"patch\": {\"primary_property\": \"screen\"}}}")
r=$(gql_status 'query { primaryProperties(projectId: "1") }')
check "primaryProperties: HTTP 200, the set ones" "$r" \
	'r.status === 200 && !r.body.errors && JSON.stringify(r.body.data.primaryProperties) === JSON.stringify({primary_properties: {app_open: "screen"}})'
r=$(gql_status 'query { primaryProperties(projectId: "1", names: ["signup", ""]) }')
check "primaryProperties: names restrict, empty strings dropped" "$r" \
	'r.status === 200 && !r.body.errors && Object.keys(r.body.data.primaryProperties.primary_properties).length === 0'

signup=$(field "$(gql 'query { byName(projectId: "1", name: "signup") }')" 'r.data.byName.id')
ghost=00000000-0000-4000-8000-00000000dead
r=$(gql_status 'mutation($in: BulkUpdateTagsInput!) { bulkUpdateTags(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"ids\": [\"$app_open\", \"$signup\", \"$ghost\"], \"action\": \"add\", \"tags\": [\" Bulk \"]}}")
check "bulkUpdateTags (mutation): HTTP 200, updated and skipped" "$r" \
	"r.status === 200 && !r.body.errors && r.body.data.bulkUpdateTags.json.updated.length === 2 && r.body.data.bulkUpdateTags.json.updated[0].tags.join() === 'bulk,core' && r.body.data.bulkUpdateTags.json.skipped[0].id === '$ghost' && r.body.data.bulkUpdateTags.json.skipped[0].reason === 'Not found'"
r=$(gql_status 'mutation($in: BulkUpdateTagsInput!) { bulkUpdateTags(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"ids\": [\"$app_open\"], \"action\": \"toggle\", \"tags\": [\"x\"]}}")
check "bulkUpdateTags: unknown action is errcode 22023" "$r" 'r.status === 200 && r.body.errors[0].errcode === "22023"'

r=$(gql_status 'mutation($in: BulkUpdateVerifiedInput!) { bulkUpdateVerified(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"ids\": [\"$app_open\", \"$signup\"], \"verified\": true}}")
check "bulkUpdateVerified (mutation): only the unverified one is listed" "$r" \
	"r.status === 200 && !r.body.errors && r.body.data.bulkUpdateVerified.json.updated.length === 1 && r.body.data.bulkUpdateVerified.json.updated[0].id === '$signup'"
r=$(gql_status 'mutation($in: BulkUpdateVerifiedInput!) { bulkUpdateVerified(input: $in) { json } }' \
	'{"in": {"projectId": "1", "ids": [], "verified": true}}')
check "bulkUpdateVerified: no ids is errcode 22023" "$r" 'r.status === 200 && r.body.errors[0].errcode === "22023"'

r=$(gql_status 'mutation($in: RestoreInput!) { restore(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$planned\"}}")
check "restore (mutation): the deleted definition comes back with its id" "$r" \
	"r.status === 200 && !r.body.errors && r.body.data.restore.json.id === '$planned' && r.body.data.restore.json.description === 'Planned'"
r=$(gql_status 'mutation($in: RestoreInput!) { restore(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$planned\"}}")
check "restore: again is errcode PT404" "$r" 'r.status === 200 && r.body.errors[0].errcode === "PT404"'
r=$(gql 'mutation($in: DeleteInput!) { delete(input: $in) { clientMutationId } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$planned\"}}")
r=$(gql 'mutation { ingest(input: {projectId: "1", names: ["planned_event"]}) { integer } }')
r=$(gql_status 'mutation($in: RestoreInput!) { restore(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$planned\"}}")
check "restore: the name exists again is errcode 23505 with a hint" "$r" \
	'r.status === 200 && r.body.errors[0].errcode === "23505" && r.body.errors[0].hint'

# ---- 1.2: event schemas -------------------------------------------------
r=$(gql '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }')
check "introspection: the schema functions (queries and mutations)" "$r" \
	'["propertyGroupList","propertyGroupRetrieve","eventSchema","validate","violations"].every(f => r.data.__schema.queryType.fields.some(x => x.name === f)) && ["propertyGroupCreate","propertyGroupUpdate","propertyGroupDelete","schemaAttach","schemaDetach"].every(f => r.data.__schema.mutationType.fields.some(x => x.name === f))'
r=$(gql_status 'mutation($in: PropertyGroupCreateInput!) { propertyGroupCreate(input: $in) { json } }' \
	'{"in": {"projectId": "1", "name": "account", "properties": [{"name": "plan", "property_type": "String", "is_required": true}]}}')
check "propertyGroupCreate (mutation): the group" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.propertyGroupCreate.json.name === "account" && r.body.data.propertyGroupCreate.json.properties[0].name === "plan"'
group=$(field "$r" 'r.body.data.propertyGroupCreate.json.id')
r=$(gql_status 'mutation($in: PropertyGroupCreateInput!) { propertyGroupCreate(input: $in) { json } }' \
	'{"in": {"projectId": "1", "name": "account"}}')
check "propertyGroupCreate: a taken name is errcode 23505" "$r" 'r.status === 200 && r.body.errors[0].errcode === "23505"'
r=$(gql_status 'mutation($in: PropertyGroupCreateInput!) { propertyGroupCreate(input: $in) { json } }' \
	'{"in": {"projectId": "1", "name": "bad", "properties": [{"name": "x", "property_type": "Integer"}]}}')
check "propertyGroupCreate: an unknown type is errcode 22023 with its detail" "$r" \
	'r.status === 200 && r.body.errors[0].errcode === "22023" && /Integer/.test(r.body.errors[0].detail)'
r=$(gql_status 'mutation($in: SchemaAttachInput!) { schemaAttach(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"eventId\": \"$signup\", \"groupId\": \"$group\"}}")
check "schemaAttach (mutation): the event's schema" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.schemaAttach.json.schema_version === 1'
r=$(gql_status 'mutation($in: SchemaAttachInput!) { schemaAttach(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"eventId\": \"$signup\", \"groupId\": \"$group\"}}")
check "schemaAttach: again is errcode 23505" "$r" 'r.status === 200 && r.body.errors[0].errcode === "23505"'
r=$(gql_status 'query($p: BigInt!, $e: UUID!) { eventSchema(projectId: $p, eventId: $e) }' "{\"p\": \"1\", \"e\": \"$signup\"}")
check "eventSchema (query)" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.eventSchema.properties[0].required === true && r.body.data.eventSchema.schema_hash.length === 32'
r=$(gql_status 'query { validate(projectId: "1", name: "signup", properties: {plan: 5}) }')
check "validate (query): a number is a String" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.validate.valid === true'
r=$(gql_status 'query { validate(projectId: "1", name: "signup", properties: {}) }')
check "validate: a missing required property" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.validate.errors[0].reason === "missing_required"'
r=$(gql_status 'mutation($in: PropertyGroupUpdateInput!) { propertyGroupUpdate(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$group\", \"patch\": {\"properties\": [{\"name\": \"plan\", \"property_type\": \"Numeric\", \"is_required\": true}]}}}")
check "propertyGroupUpdate (mutation)" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.propertyGroupUpdate.json.properties[0].property_type === "Numeric"'
r=$(gql_status 'query { validate(projectId: "1", name: "signup", properties: {plan: "five"}) }')
check "validate: the change is enforced by the next request" "$r" \
	'r.status === 200 && r.body.data.validate.errors[0].reason === "type_mismatch"'
r=$(gql_status 'query { propertyGroupList(projectId: "1", search: "ACC") }')
check "propertyGroupList (query): with its events" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.propertyGroupList.count === 1 && r.body.data.propertyGroupList.results[0].events[0].name === "signup"'
r=$(gql_status 'query { violations(projectId: "1") }')
check "violations (query)" "$r" 'r.status === 200 && !r.body.errors && r.body.data.violations.count === 0'
r=$(gql_status 'query { list(projectId: "1", hasViolations: false) }')
check "list: hasViolations" "$r" 'r.status === 200 && !r.body.errors && r.body.data.list.count === 6'
r=$(gql_status 'mutation($in: SchemaDetachInput!) { schemaDetach(input: $in) { json } }' \
	"{\"in\": {\"projectId\": \"1\", \"eventId\": \"$signup\", \"groupId\": \"$group\"}}")
check "schemaDetach (mutation)" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.schemaDetach.json.property_groups.length === 0'
r=$(gql_status 'mutation($in: PropertyGroupDeleteInput!) { propertyGroupDelete(input: $in) { clientMutationId } }' \
	"{\"in\": {\"projectId\": \"1\", \"id\": \"$group\", \"clientMutationId\": \"g-1\"}}")
check "propertyGroupDelete (mutation)" "$r" 'r.status === 200 && !r.body.errors && r.body.data.propertyGroupDelete.clientMutationId === "g-1"'
r=$(gql_status 'query($p: BigInt!, $id: UUID!) { propertyGroupRetrieve(projectId: $p, id: $id) }' "{\"p\": \"1\", \"id\": \"$group\"}")
check "propertyGroupRetrieve after delete: errcode PT404" "$r" 'r.status === 200 && r.body.errors[0].errcode === "PT404"'

# ---- 1.2: typed code generation -----------------------------------------
r=$(gql '{ __schema { queryType { fields { name args { name } } } } }')
check "introspection: codegen and codegenStatus are queries with their arguments" "$r" \
	'["codegen","codegenStatus"].every(f => r.data.__schema.queryType.fields.some(x => x.name === f)) && r.data.__schema.queryType.fields.find(x => x.name === "codegenStatus").args.map(a => a.name).join() === "projectId,schemaHash,names,content"'
r=$(gql_status 'query { codegen(projectId: "1", language: "typescript") }')
check "codegen (query): TypeScript for the project's events" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.codegen.language === "typescript" && r.body.data.codegen.content.includes("\"signup\": ") && r.body.data.codegen.schema_hash.length === 32'
ts=$r
r=$(gql_status 'query { codegen(projectId: "1", language: "golang", names: ["signup", "nope"]) }')
check "codegen: names" "$r" 'r.status === 200 && !r.body.errors && r.body.data.codegen.event_count === 1'
r=$(gql_status 'query { codegen(projectId: "1", language: "kotlin") }')
check "codegen: another language is errcode 22023 with a hint" "$r" \
	'r.status === 200 && r.body.errors[0].errcode === "22023" && /typescript, golang, python or jsonschema/.test(r.body.errors[0].hint)'
hash=$(field "$ts" 'r.body.data.codegen.schema_hash')
content=$(field "$ts" 'JSON.stringify(r.body.data.codegen.content)')
r=$(gql_status 'query($h: String!, $c: String) { codegenStatus(projectId: "1", schemaHash: $h, content: $c) }' \
	"{\"h\": \"$hash\", \"c\": $content}")
check "codegenStatus (query): the file just generated is current" "$r" \
	'r.status === 200 && !r.body.errors && r.body.data.codegenStatus.current === true && r.body.data.codegenStatus.changed_events.length === 0'
r=$(gql_status 'query { codegenStatus(projectId: "1", schemaHash: "not a hash") }')
check "codegenStatus: a malformed hash is errcode 22023" "$r" 'r.status === 200 && r.body.errors[0].errcode === "22023"'

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
