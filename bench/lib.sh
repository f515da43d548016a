# bench/lib.sh: shared by bench/run (timed benchmark) and bench/smoke.sh (CI
# check).  Sourced, not executed.  Talks to the cluster in the libpq
# environment (PGHOST, PGPORT, PGUSER, PGPASSWORD) and to the database
# $BENCH_DB.
#
#   bench_create_db          fresh database (LOCALE C, TimeZone UTC), schema
#   bench_load SIZE          data set through event_definitions.ingest + baseline copy
#   bench_load_multitenant PROJECTS TOP EXP   the same, project k of 1..PROJECTS
#                            with round(TOP / k^EXP) definitions
#   bench_define_ops SIZE    the operations: ours and the baseline's statements
#   bench_write_scripts DIR  one pgbench script per operation and side
#   bench_check_all          every operation once both ways, results compared
#   bench_check_pages P...   every page operation for each project P, in one
#                            session per side, results compared
#   bench_check_ingest       ingest both ways, effects compared
#   bench_check_consistency  whole tables compared
#
# The operations are defined once (bench_define_ops); the pgbench scripts
# and the result checks are both generated from those definitions, so the
# statements that are checked are exactly the statements that are timed.

BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_PROJECT=1
BENCH_PASSED=0
BENCH_FAILED=0

bench_psql() {
	psql -X -q -v ON_ERROR_STOP=1 -v P="$BENCH_PROJECT" -d "$BENCH_DB" "$@"
}

# bench_q SQL [psql options]: run SQL (with :P, :r... interpolated, which
# psql -c would not do), unaligned tuples only
bench_q() {
	local sql=$1
	shift
	bench_psql -At "$@" <<<"$sql"
}

bench_log() {
	printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

bench_create_db() {
	psql -X -q -v ON_ERROR_STOP=1 -d postgres \
		-c "DROP DATABASE IF EXISTS $BENCH_DB" \
		-c "CREATE DATABASE $BENCH_DB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'" \
		-c "ALTER DATABASE $BENCH_DB SET timezone = 'UTC'"
	bench_psql -f "$BENCH_LIB_DIR/sql/schema.sql"
}

bench_drop_db() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" || true
}

# bench_load SIZE [BG_PROJECTS] [BG_SIZE]
bench_load() {
	local size=$1 bg_projects=${2:-4} bg_size=${3:-20000}
	local planned=$((size / 1000 > 10 ? size / 1000 : 10))
	local sample=$((size / 100 < 200 ? size / 100 : 200))
	bench_log "generating $size definitions (+ $bg_projects background projects x $bg_size)"
	bench_psql -v size="$size" -v bg_projects="$bg_projects" -v bg_size="$bg_size" \
		-v planned="$planned" -f "$BENCH_LIB_DIR/sql/generate.sql" >/dev/null
	bench_load_fixture "$sample"
}

# bench_load_multitenant PROJECTS TOP EXP: projects 1..PROJECTS, project k
# with round(TOP / k^EXP) definitions (at least one), the same generator
bench_load_multitenant() {
	bench_log "generating $1 projects, project k with round($2 / k^$3) definitions"
	bench_psql -v mt_projects="$1" -v mt_top="$2" -v mt_exp="$3" \
		-f "$BENCH_LIB_DIR/sql/generate.sql" >/dev/null
	bench_load_fixture 200
}

# bench_load_fixture API_SAMPLE: bench.fixture into our catalog, through the
# API, then the baseline with the same rows
bench_load_fixture() {
	bench_log "loading through event_definitions.ingest (batches of 10,000), create() and update()"
	bench_psql -v api_sample="$1" -f "$BENCH_LIB_DIR/sql/load.sql" >/dev/null
	bench_log "building the baseline table and its indexes"
	bench_psql -f "$BENCH_LIB_DIR/sql/baseline.sql" >/dev/null
	BENCH_NIDS=$(bench_q "SELECT count(*) FROM bench.ids")
}

# --- the operations -----------------------------------------------------
#
# For each operation i:
#   OP_NAME[i]   label
#   OP_KIND[i]   page (a list page: compare count and names in order),
#                row (one definition: compare a projection, for a sample of
#                :r values) or ingest
#   OP_PRE[i]    pgbench meta-commands run first (\set r random(...))
#   OP_OURS[i]   our SQL expression (timed as SELECT <expr>;)
#   OP_BASE[i]   the baseline's statements, separated by a line "--;"
#                (page kind: the count, then the page)
#   OP_OURS_CHECK[i]  optional: our expression to compare with, when the
#                timed one answers a different question (capped fallback)
#   OP_CAP[i]    optional: the baseline count is capped at this
#   OP_OPTS[i]   optional: extra pgbench options (-C: a new connection for
#                every call, so per-backend caches start cold each time)
# Variables: :P the project, :r a random index into bench.ids, :k a random
# index into bench.ingest_names.

bench_op() {
	local i=${#OP_NAME[@]}
	OP_NAME[i]=$1 OP_KIND[i]=$2 OP_PRE[i]=$3 OP_OURS[i]=$4 OP_BASE[i]=$5
	OP_OURS_CHECK[i]=${6:-} OP_CAP[i]=${7:-} OP_OPTS[i]=${8:-}
}

T=posthog.posthog_eventdefinition
# The project filter.  PostHog writes "project_id = $1 OR (project_id IS NULL
# AND team_id = $1)"; every row here has project_id set, so this equivalent
# form is used instead: it lets the planner pick either the project_id btree
# (counts) or the unique (coalesce(project_id, team_id), name) index (name
# order, names filter) - the baseline's best case.
BASE_PROJECT="project_id = :P AND coalesce(project_id, team_id) = :P"
# PostHog's default order, and its order when searching
BASE_ORDER="last_seen_at::date DESC NULLS LAST, name"
BASE_SEARCH_ORDER="length(name), last_seen_at::date DESC NULLS LAST, name"
RANDOM_ID="(SELECT id FROM bench.ids WHERE rn = :r)"
ROW_PROJ_OURS="concat_ws('|', x->>'id', x->>'name', x->>'description', x->>'hidden', x->>'verified', (SELECT string_agg(t, ',' ORDER BY t) FROM jsonb_array_elements_text(x->'tags') t))"
ROW_PROJ_BASE="concat_ws('|', id::text, name, description, hidden::text, verified::text, (SELECT string_agg(t, ',' ORDER BY t) FROM unnest(tags) t))"

# base_page WHERE ORDER [OFFSET]: the two statements of a PostHog list page
base_page() {
	printf 'SELECT count(*) FROM %s WHERE %s%s\n--;\nSELECT * FROM %s WHERE %s%s ORDER BY %s LIMIT 100%s\n' \
		"$T" "$BASE_PROJECT" "$1" "$T" "$BASE_PROJECT" "$1" "$2" "${3:+ OFFSET $3}"
}

# a search term as PostHog's ILIKE pattern: % _ \ escaped (as Django's icontains)
ilike() {
	local t=${1//\\/\\\\}
	t=${t//%/\\%}
	t=${t//_/\\_}
	printf "name ILIKE '%%%s%%'" "$t"
}

bench_define_ops() {
	local size=$1 deep names_lit
	OP_NAME=() OP_KIND=() OP_PRE=() OP_OURS=() OP_BASE=() OP_OURS_CHECK=() OP_CAP=() OP_OPTS=()
	deep=$((size > 100000 ? 50000 : size / 2))
	BENCH_DEEP_OFFSET=$deep
	# 16 names of project 1, 2 of another project only, 2 that exist nowhere
	names_lit=$(bench_q "
		SELECT quote_literal(array_agg(name ORDER BY h)::text) FROM (
		  (SELECT name, hashtext(name) h FROM bench.fixture WHERE project_id = 1
		    ORDER BY hashtext(name) LIMIT 16)
		  UNION ALL
		  (SELECT name, hashtext(name) FROM bench.fixture f WHERE project_id = 2
		    AND NOT EXISTS (SELECT FROM bench.fixture o WHERE o.project_id = 1 AND o.name = f.name)
		    ORDER BY hashtext(name) LIMIT 2)
		  UNION ALL
		  VALUES ('never_seen_event_1', 0), ('\$never_seen_2', 1)) s")

	bench_op "list: default, first page" page "" \
		"event_definitions.list(:P)" \
		"$(base_page "" "$BASE_ORDER")"
	bench_op "list vs PostHog capped count (10,001), by name" page "" \
		"event_definitions.list(:P)" \
		"SELECT count(*) FROM (SELECT 1 FROM $T WHERE $BASE_PROJECT LIMIT 10001) capped
--;
SELECT * FROM $T WHERE $BASE_PROJECT ORDER BY name LIMIT 100" \
		"event_definitions.list(:P, ordering => 'name')" 10001
	bench_op "list: deep page (offset $deep)" page "" \
		"event_definitions.list(:P, page_offset => $deep)" \
		"$(base_page "" "$BASE_ORDER" "$deep")"
	bench_op "search: common term 'ckout_fai'" page "" \
		"event_definitions.list(:P, search => 'ckout_fai')" \
		"$(base_page " AND $(ilike ckout_fai)" "$BASE_SEARCH_ORDER")"
	bench_op "search: common term, new connection per call (-C)" page "" \
		"event_definitions.list(:P, search => 'ckout_fai')" \
		"$(base_page " AND $(ilike ckout_fai)" "$BASE_SEARCH_ORDER")" "" "" -C
	bench_op "search: rare term 'ab12'" page "" \
		"event_definitions.list(:P, search => 'ab12')" \
		"$(base_page " AND $(ilike ab12)" "$BASE_SEARCH_ORDER")"
	bench_op "search: two terms 'PAGE view'" page "" \
		"event_definitions.list(:P, search => 'PAGE view')" \
		"$(base_page " AND $(ilike PAGE) AND $(ilike view)" "$BASE_SEARCH_ORDER")"
	bench_op "filter: tags {growth}" page "" \
		"event_definitions.list(:P, tags => '{growth}')" \
		"$(base_page " AND tags && '{growth}'::varchar[]" "$BASE_ORDER")"
	bench_op "filter: exclude_hidden" page "" \
		"event_definitions.list(:P, exclude_hidden => true)" \
		"$(base_page " AND (hidden IS NULL OR hidden = false)" "$BASE_ORDER")"
	bench_op "filter: names (20)" page "" \
		"event_definitions.list(:P, names => $names_lit)" \
		"$(base_page " AND name = ANY ($names_lit::varchar[])" "$BASE_ORDER")"
	bench_op "retrieve" row '\set r random(1, :nids)' \
		"event_definitions.retrieve(:P, $RANDOM_ID)" \
		"SELECT * FROM $T WHERE project_id = :P AND id = $RANDOM_ID"
	bench_op "update (description)" row '\set r random(1, :nids)' \
		"event_definitions.update(:P, $RANDOM_ID, '{\"description\": \"x\"}')" \
		"UPDATE $T SET description = 'x', updated_at = now() WHERE project_id = :P AND id = $RANDOM_ID RETURNING *"
	bench_op "metrics" metrics '\set r random(1, :nids)' \
		"event_definitions.metrics(:P, $RANDOM_ID)" \
		"SELECT volume_30_day, query_usage_30_day FROM $T WHERE project_id = :P AND id = $RANDOM_ID"
	bench_op "ingest: 10,000 events over 100 names" ingest '\set k random(1, 100)' \
		"event_definitions.ingest(:P, (SELECT names FROM bench.ingest_batch))" \
		"INSERT INTO $T AS d (id, team_id, project_id, name, created_at, last_seen_at)
SELECT gen_random_uuid(), :P, :P, n.name, now(), now() FROM bench.ingest_names n WHERE n.k = :k
ON CONFLICT ((coalesce(project_id, team_id)), name)
DO UPDATE SET last_seen_at = greatest(d.last_seen_at, excluded.last_seen_at)"
}

# the baseline statements of operation i, one per line of output, each
# ending with ";" (multi-line statements are kept on their lines)
base_statements() {
	awk '/^--;$/ { print ";"; next } { print } END { print ";" }' <<<"${OP_BASE[$1]}"
}

# bench_write_scripts DIR: DIR/<i>.ours.sql and DIR/<i>.base.sql (pgbench)
bench_write_scripts() {
	local dir=$1 i
	mkdir -p "$dir"
	for i in "${!OP_NAME[@]}"; do
		{
			[ -n "${OP_PRE[i]}" ] && printf '%s\n' "${OP_PRE[i]}"
			printf 'SELECT %s;\n' "${OP_OURS[i]}"
		} >"$dir/$i.ours.sql"
		{
			[ -n "${OP_PRE[i]}" ] && printf '%s\n' "${OP_PRE[i]}"
			base_statements "$i"
		} >"$dir/$i.base.sql"
	done
}

# --- checks ---------------------------------------------------------------

bench_pass() {
	BENCH_PASSED=$((BENCH_PASSED + 1))
	printf 'ok      %s\n' "$1"
}

bench_fail() {
	BENCH_FAILED=$((BENCH_FAILED + 1))
	printf '\n!!!!!!!! MISMATCH: %s\n%s\n!!!!!!!!\n\n' "$1" "$2"
}

# our page as "count" then one name per line; capped=true is a failure
ours_page() {
	bench_psql -At "$@" <<SQL
SELECT CASE WHEN (x->>'count_is_capped')::boolean THEN 'count_is_capped is true' ELSE x->>'count' END
       || coalesce(E'\n' || (SELECT string_agg(e->>'name', E'\n' ORDER BY o)
                            FROM jsonb_array_elements(x->'results') WITH ORDINALITY AS r(e, o)), '')
FROM (SELECT $OURS_EXPR AS x) s;
SQL
}

# the baseline's page: the count statement's output, then the page's names
base_page_out() {
	local i=$1 count page
	count=${OP_BASE[i]%%$'\n'--;*}
	page=${OP_BASE[i]#*$'\n'--;$'\n'}
	bench_q "$count;
SELECT name FROM ($page) p;"
}

compare() {
	local label=$1 ours=$2 base=$3
	if [ "$ours" == "$base" ] && [[ $ours != *ERROR* ]]; then
		bench_pass "$label"
	else
		bench_fail "$label" "$(diff <(printf '%s\n' "$ours") <(printf '%s\n' "$base") \
			--label ours --label baseline -u | head -30)"
	fi
}

bench_check_op() {
	local i=$1 ours base r nrow detail
	case ${OP_KIND[i]} in
	page)
		OURS_EXPR=${OP_OURS_CHECK[i]:-${OP_OURS[i]}}
		ours=$(ours_page 2>&1) || ours="ERROR: $ours"
		base=$(base_page_out "$i" 2>&1) || base="ERROR: $base"
		if [ -n "${OP_CAP[i]}" ]; then
			# the capped fallback: same page (by name), count = least(exact, cap)
			ours=$(awk -v cap="${OP_CAP[i]}" 'NR == 1 && $0 + 0 > cap { $0 = cap } { print }' <<<"$ours")
		fi
		detail=$(head -1 <<<"$base")
		compare "${OP_NAME[i]} (count $detail, $(($(wc -l <<<"$base") - 1)) names)" "$ours" "$base"
		;;
	row|metrics)
		nrow=$((BENCH_NIDS < 10 ? BENCH_NIDS : 10))
		local proj_ours=$ROW_PROJ_OURS proj_base=$ROW_PROJ_BASE
		if [ "${OP_KIND[i]}" = metrics ]; then
			proj_ours="concat_ws('|', x->>'volume_30_day', x->>'query_usage_30_day')"
			proj_base="concat_ws('|', volume_30_day, query_usage_30_day)"
		fi
		ours="" base=""
		for r in $(seq 1 "$nrow"); do
			ours+=$(bench_q "SELECT $proj_ours FROM (SELECT ${OP_OURS[i]} AS x) s" -v r="$r" 2>&1 ||
				echo "ERROR")$'\n'
			base+=$(bench_q "WITH s AS (${OP_BASE[i]}) SELECT $proj_base FROM s" -v r="$r" 2>&1 ||
				echo "ERROR")$'\n'
		done
		compare "${OP_NAME[i]} ($nrow ids)" "$ours" "$base"
		;;
	ingest) ;;                  # bench_check_ingest, after it ran
	esac
}

bench_check_all() {
	local i
	for i in "${!OP_NAME[@]}"; do
		bench_check_op "$i"
	done
}

# bench_check_pages PROJECT...: every page operation for each project, all
# of ours in one session and all of the baseline's in another (one line per
# project and operation: the count, then the page's names in order); one
# pass or fail per operation, the differing projects printed
bench_check_pages() {
	local p i ours_sql="" base_sql="" count page ours base key nproj=$#
	local -A bad lo hi
	for p in "$@"; do
		ours_sql+="\\set P $p"$'\n'
		base_sql+="\\set P $p"$'\n'
		for i in "${!OP_NAME[@]}"; do
			[ "${OP_KIND[i]}" = page ] || continue
			count=${OP_BASE[i]%%$'\n'--;*}
			page=${OP_BASE[i]#*$'\n'--;$'\n'}
			ours_sql+="SELECT '$p/$i ' || CASE WHEN (x->>'count_is_capped')::boolean THEN 'count_is_capped is true'
	ELSE ${OP_CAP[i]:+least(${OP_CAP[i]}, }(x->>'count')::bigint${OP_CAP[i]:+)} || '' END
	|| coalesce('|' || (SELECT string_agg(e->>'name', '|' ORDER BY o)
	                    FROM jsonb_array_elements(x->'results') WITH ORDINALITY AS r(e, o)), '')
FROM (SELECT ${OP_OURS_CHECK[i]:-${OP_OURS[i]}} AS x) s;"$'\n'
			base_sql+="SELECT '$p/$i ' || ($count) || coalesce('|' || (SELECT string_agg(name, '|') FROM ($page) p), '');"$'\n'
		done
	done
	ours=$(bench_psql -At <<<"$ours_sql" 2>&1) || ours+=$'\nERROR'
	base=$(bench_psql -At <<<"$base_sql" 2>&1) || base+=$'\nERROR'
	if [[ $ours == *ERROR* || $base == *ERROR* ]]; then
		bench_fail "pages of $nproj projects: a statement failed" \
			"$(grep -h -m3 ERROR <<<"$ours"$'\n'"$base")"
		return
	fi
	# per operation: the projects whose line differs, the range of counts
	while IFS=$'\t' read -r key o b; do
		i=${key#*/}
		count=${b#* }
		count=${count%%|*}
		[ -z "${lo[$i]:-}" ] || [ "$count" -lt "${lo[$i]}" ] && lo[$i]=$count
		[ -z "${hi[$i]:-}" ] || [ "$count" -gt "${hi[$i]}" ] && hi[$i]=$count
		[ "$o" == "$b" ] || bad[$i]+="project ${key%/*}, $(awk -v o="$o" -v b="$b" 'BEGIN {
			n = split(o, x, "|"); m = split(b, y, "|")
			for (j = 1; j <= n || j <= m; j++) if (x[j] != y[j]) break
			print (j == 1 ? "the count" : "name " j - 1) " differs: ours \"" x[j] "\", baseline \"" y[j] "\"" }')"$'\n'
	done < <(paste <(cut -d' ' -f1 <<<"$ours") <(cat <<<"$ours") <(cat <<<"$base"))
	for i in "${!OP_NAME[@]}"; do
		[ "${OP_KIND[i]}" = page ] || continue
		if [ -z "${bad[$i]:-}" ]; then
			bench_pass "${OP_NAME[i]} ($nproj projects, counts ${lo[$i]:-?}..${hi[$i]:-?})"
		else
			bench_fail "${OP_NAME[i]}" "${bad[$i]}"
		fi
	done
}

# the ingested names' day of last_seen_at and the project's size, both sides
ingest_state() {
	bench_q "
		SELECT (SELECT count(*) FROM $1 WHERE project_id = :P) || E'\n' ||
		       (SELECT string_agg(d.name || ' ' || (d.last_seen_at AT TIME ZONE 'UTC')::date, ','
		                          ORDER BY d.name)
		        FROM $1 d JOIN bench.ingest_names n USING (name) WHERE d.project_id = :P)"
}

# bench_ingest_once I: one batch both ways, outside pgbench (smoke test):
# ours in one call, the baseline as 10,000 statements, one per event, in the
# batch's order (names[j] = ingest_names.k = 1 + (j * 37) % 100)
bench_ingest_once() {
	local i=$1 j stmt
	bench_q "SELECT ${OP_OURS[i]}" >/dev/null
	stmt=${OP_BASE[i]}
	for ((j = 0; j < 10000; j++)); do
		printf '%s;\n' "${stmt//:k/$((1 + j * 37 % 100))}"
	done | bench_psql
}

bench_check_ingest() {
	local i=$1
	local ours base
	ours=$(ingest_state event_definitions.definitions 2>&1) || ours="ERROR: $ours"
	base=$(ingest_state "$T" 2>&1) || base="ERROR: $base"
	compare "${OP_NAME[i]}: definitions and last_seen_at days" "$ours" "$base"
}

# every row of both tables: same ids, names, curated fields, last_seen_at
# (its day for the ingested names, whose "now" differs by side)
bench_check_consistency() {
	local diff
	diff=$(bench_psql -At 2>&1 <<SQL
WITH ours AS (
  SELECT project_id, id, name::text,
         CASE WHEN name IN (SELECT name FROM bench.ingest_names) AND project_id = :P
              THEN date_trunc('day', last_seen_at) ELSE last_seen_at END AS seen,
         coalesce(description, '') AS description, hidden, verified, tags::text[] AS tags
  FROM event_definitions.definitions
), base AS (
  SELECT project_id, id, name::text,
         CASE WHEN name IN (SELECT name FROM bench.ingest_names) AND project_id = :P
              THEN date_trunc('day', last_seen_at) ELSE last_seen_at END,
         coalesce(description, ''), hidden, verified, tags::text[]
  FROM $T
)
SELECT 'only ours: ' || (SELECT count(*) FROM (SELECT * FROM ours EXCEPT ALL SELECT * FROM base) a)
    || ', only baseline: ' || (SELECT count(*) FROM (SELECT * FROM base EXCEPT ALL SELECT * FROM ours) b)
    || ', rows: ' || (SELECT count(*) FROM ours);
SQL
) || true
	if [[ $diff == "only ours: 0, only baseline: 0, "* ]]; then
		bench_pass "tables identical ($diff)"
	else
		bench_fail "tables differ" "$diff"
	fi
}
