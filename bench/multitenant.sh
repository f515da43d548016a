#!/usr/bin/env bash
# bench/multitenant.sh: many projects of Zipf sizes, traffic spread over all
# of them as real traffic is, against PostHog's query shapes, in one run.
#
#   bench/multitenant.sh                      2,000 projects, ~1,000,000 names (~20 min)
#   BENCH_MT_PROJECTS=200 BENCH_MT_TOP=20000 bench/multitenant.sh    a quick one
#   BENCH_MT_PRELOAD=0 bench/multitenant.sh   the library not preloaded
#   BENCH_MT_SMOKE=1 bench/multitenant.sh     no timing: the checks only (CI)
#
# In a throwaway cluster (pg_virtualenv -t, the settings of bench/mixed.sh:
# the library preloaded, the extension's own settings at their defaults),
# project k of 1..P gets round(TOP / k^EXP) definitions through ingest, from
# the generator of the other benchmarks (bench/sql/generate.sql: the same
# vocabulary, so "common" and "rare" terms mean the same), and the baseline
# (posthog.posthog_eventdefinition, PostHog's table and indexes) the same
# rows (bench/lib.sh).  Then:
#
#   1. Checks on a sample of projects in every band: every operation returns
#      the same count and names in the same order on both sides, first on
#      projects never searched (ours answers through SQL when preloaded),
#      then once their indexes are built.  Any mismatch fails the run.
#   2. The first search of a never-searched project, common and rare term,
#      on an existing connection and on a new one (pgbench -C), ours against
#      the baseline: disjoint sets of projects from every band, the same
#      projects on both sides.
#   3. For each scenario (quiet; a writer adding BENCH_MT_RATE new names/s
#      to both sides, its projects drawn like the readers') and each read
#      (common-term, rare-term and two-term search, first list page): 2
#      reader clients run pgbench -M prepared, BENCH_MT_SECS seconds per
#      side in BENCH_MT_ROUNDS rounds that alternate ours and the baseline
#      (both meet the same load from the rest of the machine; round r uses
#      seed r on both).  A round is one pgbench run whose first
#      BENCH_MT_WARMUP seconds are dropped (new connections, cold caches, a
#      backend's own indexes without preload).  Each transaction
#      draws its project with probability proportional to 1/k: one pgbench
#      script per band of ranks (1-10, 11-100, 101-P), weighted by the
#      band's share, drawing the rank within the band (an exact table for
#      1-10, the inverse of the continuous 1/x law beyond, off by < 0.1%);
#      the script's number in pgbench's per-transaction log gives the band.
#      The same --random-seed on both sides: the same sequence of requests
#      (the slower side serves a shorter prefix of it).  An index worker
#      still building is waited for (at most 15 s) before a baseline run.
#   4. Per band p50 and p95, overall throughput, ours / baseline ratios and
#      the issue's targets (throughput >= 3x, every band's p50 and p95 >=
#      1x); the projects the index held after each run, builds per second,
#      shared memory (name_index_status, or event_definitions.index_status
#      when it exists) and the readers' private memory (RssAnon).
#   5. The checks again after the writes, and every project's rows compared.
# Results: printed, and written to bench/RESULTS.md under "## Multi-tenant:
# library preloaded" (or "not preloaded"), replacing that section only.
#
# Environment (defaults in brackets):
#   BENCH_MT_PROJECTS [2000]  BENCH_MT_TOP [150000]  BENCH_MT_EXP [1.05]
#   BENCH_MT_SECS [15] measured seconds per read and side, in
#   BENCH_MT_ROUNDS [3] rounds, each after BENCH_MT_WARMUP [3] seconds dropped
#   BENCH_MT_RATE [10] the writer's new names/s   BENCH_MT_SEED [42]
#   BENCH_MT_OPS ["common rare two page"]   BENCH_MT_SCENARIOS ["quiet writer"]
#   BENCH_MT_FIRST [5] projects per band in each first-search set
#   BENCH_MT_PRELOAD [1] preload the library in the throwaway cluster
#   BENCH_MT_BASE_PGOPTIONS ["-c plan_cache_mode=force_custom_plan"]
#                     the baseline's sessions only: PostHog (Django) sends
#                     its queries with literal values, so each is planned for
#                     its project; with pgbench -M prepared's generic plans
#                     a 150,000-name project is planned like a 500-name one
#                     and the baseline's top-band searches get 10-100x
#                     slower.  Set it to "" to measure that anyway.
#   BENCH_MT_SMOKE=1  checks only, small shape (150 projects, top 3,000)
#   BENCH_USE_ENV=1   use the cluster in the libpq environment (its
#                     settings are reported; preload is detected)
#   BENCH_RESULTS     output file [bench/RESULTS.md]; BENCH_KEEP=1 keeps the database
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
SMOKE=${BENCH_MT_SMOKE:-0}
PRELOAD_OPT=""
[ "${BENCH_MT_PRELOAD:-1}" = 1 ] && PRELOAD_OPT=" shared_preload_libraries=event_definitions"
BENCH_PGOPTIONS=${BENCH_PGOPTIONS:-shared_buffers=2GB work_mem=64MB maintenance_work_mem=512MB jit=off fsync=off synchronous_commit=off full_page_writes=off max_wal_size=8GB checkpoint_timeout=30min$PRELOAD_OPT}

if [ -z "${BENCH_USE_ENV:-}" ] && [ -z "${BENCH_INNER:-}" ]; then
	opts=()
	for o in $BENCH_PGOPTIONS; do opts+=(-o "$o"); done
	BENCH_INNER=1 exec pg_virtualenv -t -v 15 "${opts[@]}" "$0" "$@"
fi

source "$here/lib.sh"
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
if [ "$SMOKE" = 1 ]; then
	NP=${BENCH_MT_PROJECTS:-150} TOP=${BENCH_MT_TOP:-3000}
	BENCH_DB=${BENCH_DB:-ed_bench_mt_smoke}
else
	NP=${BENCH_MT_PROJECTS:-2000} TOP=${BENCH_MT_TOP:-150000}
	BENCH_DB=${BENCH_DB:-ed_bench_mt}
fi
EXP=${BENCH_MT_EXP:-1.05}
SECS=${BENCH_MT_SECS:-15}
ROUNDS=${BENCH_MT_ROUNDS:-3}
ROUND_SECS=$(((SECS + ROUNDS - 1) / ROUNDS))
WARMUP=${BENCH_MT_WARMUP:-3}
RATE=${BENCH_MT_RATE:-10}
SEED=${BENCH_MT_SEED:-42}
OPS=${BENCH_MT_OPS:-common rare two page}
SCENARIOS=${BENCH_MT_SCENARIOS:-quiet writer}
FIRST_M=${BENCH_MT_FIRST:-5}
RESULTS=${BENCH_RESULTS:-$here/RESULTS.md}
BASE_PGOPTIONS=${BENCH_MT_BASE_PGOPTIONS--c plan_cache_mode=force_custom_plan}
COMMAND=${BENCH_COMMAND:-$(for v in BENCH_MT_PROJECTS BENCH_MT_TOP BENCH_MT_EXP BENCH_MT_SECS BENCH_MT_WARMUP \
	BENCH_MT_ROUNDS BENCH_MT_RATE BENCH_MT_SEED BENCH_MT_BASE_PGOPTIONS BENCH_MT_OPS BENCH_MT_SCENARIOS BENCH_MT_FIRST BENCH_MT_PRELOAD BENCH_USE_ENV; do
	[ -n "${!v+x}" ] && printf '%s=%q ' "$v" "${!v}"
done)bench/multitenant.sh}
work=$(mktemp -d -t ed_mt.XXXXXX)
tagfile=$work/tag
memlog=$work/mem.log
run_failed=0
start_all=$SECONDS
writer_pid="" sampler_pid=""

cleanup() {
	rm -f "$tagfile"
	[ -n "$writer_pid" ] && kill -TERM "$writer_pid" 2>/dev/null
	[ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
	wait 2>/dev/null || true
	[ -z "${BENCH_KEEP:-}" ] && bench_drop_db
	rm -rf "$work"
}
trap cleanup EXIT

fmt_int() { printf "%'d" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'; }
# mark RATIO TARGET: M="1.23× ✓" (the target reached) or "0.45× ✗", counted in MET/MISSED
MET=0 MISSED=0 M=""
mark() {
	M=$(awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") printf "n/a"; else printf "%.2f× %s", r, (r + 0 >= t ? "✓" : "✗") }')
	case $M in *✓) MET=$((MET + 1)) ;; *✗) MISSED=$((MISSED + 1)) ;; esac
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
phase_t0=$SECONDS
declare -A PHASE
phase_end() { PHASE[$1]=$((SECONDS - phase_t0)); phase_t0=$SECONDS; }

# --- the shape: bands of ranks, their shares, the draw of a project ----------
# bands: "lo hi" per band; band b's share of requests is (H(hi) - H(lo-1)) / H(P)
BANDS=()
for b in "1 10" "11 100" "101 $NP"; do
	read -r lo hi <<<"$b"
	[ "$hi" -gt "$NP" ] && hi=$NP
	[ "$lo" -le "$hi" ] && BANDS+=("$lo $hi")
done
band_label() { printf '%s–%s' "$(fmt_int "${1% *}")" "$(fmt_int "${1#* }")"; }
# the share of band "lo hi" in millionths (a pgbench script weight)
band_weight() {
	awk -v lo="${1% *}" -v hi="${1#* }" -v n="$NP" 'BEGIN {
		for (k = 1; k <= n; k++) { h += 1 / k; if (k < lo) a = h; if (k <= hi) b = h }
		printf "%d", 1000000 * (b - a) / h + 0.5 }'
}
# pgbench lines that set :P to a rank of band "lo hi" with probability ∝ 1/k
band_draw() {
	local lo=${1% *} hi=${1#* }
	echo '\set u random(0, 999999999)'
	if [ "$lo" = 1 ]; then
		# an exact table: rank j when u < 1e9 * H(j) / H(hi)
		awk -v hi="$hi" 'BEGIN {
			for (k = 1; k <= hi; k++) { h += 1 / k; c[k] = h }
			s = "\\set P CASE"
			for (k = 1; k < hi; k++) s = s sprintf(" WHEN :u < %d THEN %d", 1e9 * c[k] / h, k)
			print s " ELSE " hi " END" }'
	else
		# the inverse of the 1/x law on [lo - 0.5, hi + 0.5], rounded to
		# the nearest rank (pgbench's int() rounds):
		# P(k) ∝ ln((k + 0.5) / (k - 0.5)) = (1/k)(1 + 1/(12k²) + ...)
		awk -v lo="$lo" -v hi="$hi" 'BEGIN {
			a = log(lo - 0.5); d = log(hi + 0.5) - a
			printf "\\set P least(%d, greatest(%d, int(exp(%.9f + :u / 1000000000.0 * %.9f))))\n", hi, lo, a, d }'
	fi
}

# --- the reads, defined once for both sides (bench/lib.sh) --------------------
# shellcheck disable=SC2034 # the OP_* arrays are read by bench/lib.sh
define_reads() {
	OP_NAME=() OP_KIND=() OP_PRE=() OP_OURS=() OP_BASE=() OP_OURS_CHECK=() OP_CAP=() OP_OPTS=()
	OP_KEY=()
	local op
	for op in $OPS; do
		case $op in
		common)
			bench_op "search: common term 'ckout_fai'" page "" \
				"event_definitions.list(:P, search => 'ckout_fai')" \
				"$(base_page " AND $(ilike ckout_fai)" "$BASE_SEARCH_ORDER")" ;;
		rare)
			bench_op "search: rare term 'ab12'" page "" \
				"event_definitions.list(:P, search => 'ab12')" \
				"$(base_page " AND $(ilike ab12)" "$BASE_SEARCH_ORDER")" ;;
		two)
			bench_op "search: two terms 'checkout step'" page "" \
				"event_definitions.list(:P, search => 'checkout step')" \
				"$(base_page " AND $(ilike checkout) AND $(ilike step)" "$BASE_SEARCH_ORDER")" ;;
		page)
			bench_op "list: first page" page "" \
				"event_definitions.list(:P)" \
				"$(base_page "" "$BASE_ORDER")" ;;
		*) echo "BENCH_MT_OPS: unknown operation '$op' (common, rare, two, page)" >&2; exit 2 ;;
		esac
		OP_KEY+=("$op")
	done
}

# the statements of operation i on one side, as pgbench runs them
op_statements() {
	if [ "$2" = ours ]; then printf 'SELECT %s;\n' "${OP_OURS[$1]}"; else base_statements "$1"; fi
}

# $work/s/<i>.<side>.<band>.sql: draw the band's project, run the operation
write_scripts() {
	local i side b
	mkdir -p "$work/s"
	for i in "${!OP_NAME[@]}"; do
		for side in ours base; do
			for b in "${!BANDS[@]}"; do
				{ band_draw "${BANDS[b]}"; op_statements "$i" "$side"; } >"$work/s/$i.$side.$b.sql"
			done
		done
	done
	# the writer: a new name in a project drawn the same way, both sides in
	# one transaction (stopping the writer leaves both sides equal)
	for b in "${!BANDS[@]}"; do
		{
			band_draw "${BANDS[b]}"
			cat <<'EOF'
\set n random(1, 2000000000)
\set f random(1, 10)
BEGIN;
SELECT event_definitions.ingest(:P, ARRAY['live_' || (ARRAY['checkout_failed', 'checkout_step', 'page_view', 'clicked_button', 'signup_started', 'feature_flag_called', 'form_submitted', 'search_used', 'video_played', 'invite_sent'])[:f] || '_' || :client_id || '_' || :n]);
INSERT INTO posthog.posthog_eventdefinition AS d (id, team_id, project_id, name, created_at, last_seen_at)
VALUES (gen_random_uuid(), :P, :P, 'live_' || (ARRAY['checkout_failed', 'checkout_step', 'page_view', 'clicked_button', 'signup_started', 'feature_flag_called', 'form_submitted', 'search_used', 'video_played', 'invite_sent'])[:f] || '_' || :client_id || '_' || :n, now(), now())
ON CONFLICT ((coalesce(project_id, team_id)), name) DO UPDATE SET last_seen_at = greatest(d.last_seen_at, excluded.last_seen_at);
COMMIT;
EOF
		} >"$work/s/writer.$b.sql"
	done
}

# pgbench -f options for a script family: every band, weighted by its share
band_files() {
	local b
	for b in "${!BANDS[@]}"; do printf -- '-f\n%s@%s\n' "$1.$b.sql" "$(band_weight "${BANDS[b]}")"; done
}

# --- the server: preload, index mode, status ----------------------------------
PRELOADED=0
[[ $(psql -X -At -d postgres -c 'SHOW shared_preload_libraries') == *event_definitions* ]] && PRELOADED=1
datadir=$(psql -X -At -d postgres -c 'SHOW data_directory')
postmaster=$(head -1 "$datadir/postmaster.pid")

# "held bytes builds index_answers sql_answers" of this database's shared
# indexes ("n/a" where not observable; all n/a when indexes are per backend).
# From the server-wide view event_definitions.index_status when it exists:
# held = rows of projects 1..P with a base (bytes > 0), bytes = bases + published overlays,
# builds = its builds + merges counters (else the largest build id), and
# its counters of searches answered by the index and by SQL.  Else from
# name_index_status of every project (which marks the held ones used, from
# the smallest to the largest: read it outside the measured runs), builds =
# the largest build id.
index_state() {
	if [ "$HAS_VIEW" = 1 ]; then
		bench_q "
			WITH mine AS (
			  SELECT to_jsonb(v) AS j FROM event_definitions.index_status v
			  WHERE coalesce(to_jsonb(v)->>'database', to_jsonb(v)->>'datname', current_database())
			        = current_database()
			    AND coalesce(to_jsonb(v)->>'project_id', to_jsonb(v)->>'project')::bigint BETWEEN 1 AND $NP)
			SELECT count(*) FILTER (WHERE coalesce((j->>'bytes')::numeric, 0) > 0) || ' '
			    || coalesce(sum(coalesce((j->>'bytes')::numeric, 0) + coalesce((j->>'overlay_bytes')::numeric, 0)), 0) || ' '
			    || CASE WHEN bool_or(j ? 'builds') THEN (coalesce(sum((j->>'builds')::numeric), 0)
			                                             + coalesce(sum((j->>'merges')::numeric), 0))::text
			            WHEN bool_or(j ? 'build_id') THEN max((j->>'build_id')::numeric)::text
			            ELSE 'n/a' END || ' '
			    || coalesce(sum((j->>'index_answers')::numeric)::text, 'n/a') || ' '
			    || coalesce(sum((j->>'sql_answers')::numeric)::text, 'n/a')
			FROM mine"
	elif [ "$INDEX_MODE" = shared ]; then
		bench_q "
			SELECT count(*) FILTER (WHERE (s->>'built')::boolean) || ' '
			    || coalesce(sum((s->>'bytes')::bigint) FILTER (WHERE (s->>'built')::boolean), 0) || ' '
			    || coalesce(max((s->>'build_id')::bigint), 0) || ' n/a n/a'
			FROM (SELECT event_definitions.name_index_status(k) AS s
			      FROM generate_series($NP, 1, -1) AS k) x"
	else
		echo "n/a n/a n/a n/a n/a"
	fi
}

# wait (at most 15 s) until no index worker is building, twice in a row
wait_worker_idle() {
	[ "$PRELOADED" = 1 ] || return 0
	local quiet=0
	for _ in $(seq 1 60); do
		if [ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity
			WHERE backend_type LIKE 'event_definitions%' AND state = 'active'")" = 0 ]; then
			quiet=$((quiet + 1))
			[ "$quiet" -ge 2 ] && return 0
		else
			quiet=0
		fi
		sleep 0.25
	done
}

# wait (at most $2 s) until the shared indexes of the projects in $1 are
# built, asking again for those evicted meanwhile; prints "built/asked"
wait_builds() {
	local projects=$1 limit=$2 t0=$SECONDS built=0 n
	n=$(wc -w <<<"$projects")
	if [ "$INDEX_MODE" != shared ]; then echo "$n/$n"; return; fi
	while :; do
		built=$(bench_q "SELECT count(*) FROM unnest('{${projects// /,}}'::bigint[]) p
			WHERE (event_definitions.name_index_status(p)->>'built')::boolean")
		[ "$built" -ge "$n" ] || [ $((SECONDS - t0)) -ge "$limit" ] && break
		bench_q "SELECT count(event_definitions.list(p, search => 'zzzz'))
			FROM unnest('{${projects// /,}}'::bigint[]) p
			WHERE NOT (event_definitions.name_index_status(p)->>'built')::boolean" >/dev/null
		sleep 1
	done
	echo "$built/$n"
}

# --- memory: RssAnon of the database's backends, every 0.5 s -----------------
set_tag() { echo "$1" >"$tagfile"; }
sampler() {
	local tag pid cmd k v anon kind
	while [ -f "$tagfile" ]; do
		tag=$(<"$tagfile")
		for pid in $(pgrep -P "$postmaster"); do
			{
				cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline") || continue
				if [[ $cmd == *"index worker"* ]]; then kind=worker
				elif [[ $cmd == *" $BENCH_DB "* ]]; then
					grep -qx "$pid" "$work/writer_pids" 2>/dev/null && continue
					kind=reader
				else continue
				fi
				anon=0
				while read -r k v _; do
					case $k in RssAnon:) anon=$v ;; esac
				done <"/proc/$pid/status" || continue
				echo "$tag $kind $pid $anon"
			} 2>/dev/null
		done
		sleep 0.5
	done >>"$memlog"
}
# peak RssAnon (MB) of one kind of process over the samples of a tag
mem_peak() {
	awk -v t="$1" -v k="$2" '$1 == t && $2 == k && $4 > m { m = $4 } END { printf "%.0f", m / 1024 }' "$memlog"
}

# --- timing ---------------------------------------------------------------------
# the PGOPTIONS of one side's pgbench sessions
side_pgoptions() {
	if [ "$1" = base ]; then echo "${PGOPTIONS:-} $BASE_PGOPTIONS"; else echo "${PGOPTIONS:-}"; fi
}

# per_band LOGDIR: "band n p50 p95" per band (script number), then "all n
# p50 p95", from the kept transactions of every run in LOGDIR
per_band() {
	cat "$1"/*.kept | awk '{ print $4, $3 }' | sort -k1,1n -k2,2n | awk '
		{ b = $1; n[b]++; v[b, n[b]] = $2 }
		END {
			for (b in n) printf "%s %d %.2f %.2f\n", b, n[b], v[b, int(n[b] * 0.50) + 1] / 1000, v[b, int(n[b] * 0.95) + 1] / 1000
		}' | sort -n
	cat "$1"/*.kept | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 } END {
		if (NR) printf "all %d %.2f %.2f\n", NR, v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.95) + 1] / 1000 }'
}

# run_reads I SIDE TAG SEED SECS: one pgbench run of WARMUP + SECS seconds,
# 2 clients over every band's script.  The transactions that end in its
# first WARMUP seconds (new connections, cold caches, a backend's own
# indexes without preload) are dropped; the rest join those of TAG's other
# rounds: STAT[TAG/band] = "n p50 p95" and TPS[TAG] (kept transactions /
# kept seconds, over all rounds) are recomputed.  RUN_SECS = its wall time.
declare -A STAT TPS
run_reads() {
	local i=$1 side=$2 tag=$3 seed=$4 secs=$5 dir out files t0
	dir=$work/logs/${tag//\//_}
	mkdir -p "$dir"
	out=$dir/out.$seed.$RANDOM
	mapfile -t files < <(band_files "$work/s/$i.$side")
	set_tag "$tag"
	t0=$(date +%s.%N)
	if ! PGOPTIONS=$(side_pgoptions "$side") \
		"$PGBENCH" -n -M prepared "${files[@]}" -T $((WARMUP + secs)) -c 2 -j 2 --random-seed="$seed" \
		--log --log-prefix="$out.log" "$BENCH_DB" >"$out" 2>&1 ||
		grep -q "aborted\|error" "$out"; then
		printf '\n!!!!!!!! pgbench FAILED: %s %s\n' "${OP_NAME[i]}" "$side" >&2
		sed 's/^/    /' "$out" | tail -15 >&2
		run_failed=1
	fi
	RUN_SECS=$(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { print t1 - t0 }')
	set_tag idle
	# log lines: client transaction latency_us script end_epoch end_us
	cat "$out".log.* | awk -v w="$WARMUP" -v kept="$out.kept" '
		{ e[NR] = $5 * 1000000 + $6; line[NR] = $0
		  if (NR == 1 || e[NR] - $3 < first) first = e[NR] - $3
		  if (e[NR] > last) last = e[NR] }
		END { cut = first + w * 1000000; n = 0
		      for (k = 1; k <= NR; k++) if (e[k] >= cut) { print line[k] > kept; n++ }
		      if (n == 0) printf "" > kept
		      printf "%d %.6f\n", n, (n ? (last - cut) / 1000000 : 0) }' >>"$dir/tps"
	TPS[$tag]=$(awk '{ n += $1; t += $2 } END { printf "%.1f", (t > 0 ? n / t : 0) }' "$dir/tps")
	local b n p50 p95
	while read -r b n p50 p95; do STAT[$tag/$b]="$n $p50 $p95"; done < <(per_band "$dir")
}

start_writer() {
	local files
	mapfile -t files < <(band_files "$work/s/writer")
	PGAPPNAME=mt_writer "$PGBENCH" -n "${files[@]}" --rate "$1" -T 100000 -c 1 \
		--random-seed="$((SEED + 7))" "$BENCH_DB" >"$work/writer.log" 2>&1 &
	writer_pid=$!
	for _ in $(seq 1 20); do
		bench_q "SELECT pid FROM pg_stat_activity WHERE application_name = 'mt_writer'" >"$work/writer_pids"
		[ -s "$work/writer_pids" ] && break
		sleep 0.25
	done
}
stop_writer() {
	[ -n "$writer_pid" ] || return 0
	kill -TERM "$writer_pid" 2>/dev/null || true
	wait "$writer_pid" 2>/dev/null || true
	writer_pid=""
	if grep -q "error\|aborted" "$work/writer.log"; then
		printf '\n!!!!!!!! the writer FAILED\n' >&2
		tail -5 "$work/writer.log" >&2
		run_failed=1
	fi
}

# --- checks ---------------------------------------------------------------------
# every project's rows on both sides: name, last seen, hidden, verified, description
check_rows() {
	local diff
	diff=$(bench_q "
		WITH ours AS (SELECT project_id, name::text, last_seen_at, hidden, verified, coalesce(description, '') AS description
		              FROM event_definitions.definitions),
		     base AS (SELECT project_id, name::text, last_seen_at, hidden, verified, coalesce(description, '')
		              FROM posthog.posthog_eventdefinition)
		SELECT 'only ours: ' || (SELECT count(*) FROM (SELECT * FROM ours EXCEPT ALL SELECT * FROM base) a)
		    || ', only baseline: ' || (SELECT count(*) FROM (SELECT * FROM base EXCEPT ALL SELECT * FROM ours) b)
		    || ', rows: ' || (SELECT count(*) FROM ours)
		    || ', projects: ' || (SELECT count(DISTINCT project_id) FROM ours)" 2>&1) || true
	if [[ $diff == "only ours: 0, only baseline: 0, "* ]]; then
		bench_pass "$1: every project's rows identical ($diff)"
	else
		bench_fail "$1: rows differ" "$diff"
	fi
}

# ranks of band "lo hi" near a geometric spread of COUNT points, skipping
# those listed in EXCLUDE (space-separated)
spread() {
	awk -v lo="${1% *}" -v hi="${1#* }" -v c="$2" -v ex=" $3 " 'BEGIN {
		for (j = 0; j < c; j++) {
			t = (c == 1) ? lo : lo * exp(log(hi / lo) * j / (c - 1))
			best = 0
			for (k = lo; k <= hi; k++)
				if (index(ex, " " k " ") == 0 && !(k in used) && (best == 0 || (k - t) ^ 2 < (best - t) ^ 2)) best = k
			if (best) { used[best] = 1; printf "%d ", best }
		} }'
}

# --- first search of never-searched projects -------------------------------------
# first_search I SIDE CONN PROJECTS: pgbench, one client, one transaction per
# project (the first on an empty project, to open the connection: not
# counted); CONN "new" adds -C.  Prints "project query_ms total_ms" lines:
# total_ms is from the end of the previous transaction (connection included)
first_search() {
	local i=$1 side=$2 conn=$3 projects=$4 dir j=1 p cases="" copt=()
	[ "$conn" = new ] && copt=(-C)
	dir=$(mktemp -d -p "$work")
	cases=" WHEN :i = 1 THEN $((NP + 1))"
	for p in $projects; do
		j=$((j + 1))
		cases+=" WHEN :i = $j THEN $p"
	done
	{
		echo '\set i :i + 1'
		echo "\\set P CASE$cases ELSE $((NP + 1)) END"
		op_statements "$i" "$side"
	} >"$dir/script.sql"
	set_tag "first/$side"
	if ! PGOPTIONS=$(side_pgoptions "$side") \
		"$PGBENCH" -n -M prepared "${copt[@]}" -f "$dir/script.sql" -t "$j" -c 1 \
		-D i=0 --log --log-prefix="$dir/log" "$BENCH_DB" >"$dir/out" 2>&1 ||
		grep -q "aborted\|error" "$dir/out"; then
		printf '\n!!!!!!!! pgbench FAILED (first search): %s %s\n' "${OP_NAME[i]}" "$side" >&2
		tail -10 "$dir/out" >&2
		run_failed=1
	fi
	set_tag idle
	cat "$dir"/log.* | awk -v list="$projects" '
		BEGIN { np = split(list, p, " ") }
		{ end = $5 * 1000000 + $6 }
		NR > 1 { printf "%s %.2f %.2f\n", p[NR - 1], $3 / 1000, (end - prev) / 1000 }
		{ prev = end }'
	rm -rf "$dir"
}

# the projects of first-search set K in band B (or "all")
fs_projects() {
	local p
	for p in ${FS_SET[$1]}; do
		if [ "$2" = all ] || [ "${FS_BAND[$p]}" = "$2" ]; then printf '%s ' "$p"; fi
	done
}
# fs_column RESULTS COL PROJECTS: column COL of the result lines of those projects
fs_column() {
	awk -v col="$2" -v list="$3" 'BEGIN { n = split(list, l, " "); for (j = 1; j <= n; j++) want[l[j]] = 1 }
		($1 in want) { print $col }' <<<"$1"
}

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else printf "n/a" }'; }

# =================================================================================
bench_log "=== multi-tenant: $NP projects, project k with round($TOP / k^$EXP) names$([ "$SMOKE" = 1 ] && echo ", smoke (checks only)")"
LOAD_START=$(loadavg)
echo "setup" >"$tagfile"
sampler &
sampler_pid=$!

bench_create_db
bench_load_multitenant "$NP" "$TOP" "$EXP"
bench_psql -c "ANALYZE" >/dev/null
NNAMES=$(bench_q "SELECT count(*) FROM event_definitions.definitions")
INDEX_MODE=$(bench_q "SELECT event_definitions.name_index_status(1)->>'mode'")
HAS_VIEW=$(bench_q "SELECT (to_regclass('event_definitions.index_status') IS NOT NULL)::int")
define_reads
write_scripts
phase_end load
bench_log "loaded $(fmt_int "$NNAMES") names in ${PHASE[load]} s; index mode: $INDEX_MODE (preloaded: $PRELOADED, index_status view: $HAS_VIEW)"
if [ -n "${BENCH_USE_ENV:-}" ] && [ -n "${BENCH_MT_PRELOAD:-}" ] && [ "$BENCH_MT_PRELOAD" != "$PRELOADED" ]; then
	bench_log "WARNING: BENCH_MT_PRELOAD=$BENCH_MT_PRELOAD but the cluster in the environment has preload $PRELOADED" \
		"(it decides; with vtest.sh: VTEST_OPTS=\"-o shared_preload_libraries=\")"
fi

# the sample of projects checked: in every band, a geometric spread
SAMPLE=""
for b in "${!BANDS[@]}"; do
	read -r lo hi <<<"${BANDS[b]}"
	c=6
	[ "$lo" = 1 ] && c=2
	SAMPLE+=$(spread "${BANDS[b]}" "$c" "")
done
# and projects holding names with the rare term, so that every band has
# two (where it holds two) whose rare-term answer is not empty
RARE=" $(bench_q "SELECT string_agg(DISTINCT project_id::text, ' ') FROM event_definitions.definitions
	WHERE name LIKE '%ab12%'") "
for b in "${!BANDS[@]}"; do
	read -r lo hi <<<"${BANDS[b]}"
	c=0
	for p in $SAMPLE; do [ "$p" -ge "$lo" ] && [ "$p" -le "$hi" ] && [[ $RARE == *" $p "* ]] && c=$((c + 1)); done
	for p in $(tr ' ' '\n' <<<"$RARE" | sort -n); do
		[ "$c" -lt 2 ] || break
		[ "$p" -ge "$lo" ] && [ "$p" -le "$hi" ] && [[ " $SAMPLE " != *" $p "* ]] || continue
		SAMPLE+="$p "
		c=$((c + 1))
	done
done
SAMPLE=$(tr ' ' '\n' <<<"$SAMPLE" | sort -n | xargs)
bench_log "checking every read on projects $SAMPLE (never searched before)"
check_rows "after the load"
# shellcheck disable=SC2086 # one argument per project
bench_check_pages $SAMPLE
wait_worker_idle
phase_end check1

# --- the first search of never-searched projects ----------------------------------
# four disjoint sets (common/rare term x existing/new connection), each with
# FIRST_M projects of every band (fewer in a small band), none in SAMPLE
declare -A FS_SET FS_BAND
FS_KINDS=()
for i in "${!OP_KEY[@]}"; do
	[ "$FIRST_M" -gt 0 ] || break
	case ${OP_KEY[i]} in
	common) FS_KINDS+=("$i/existing" "$i/new") ;;
	rare) [ "$SMOKE" = 1 ] || FS_KINDS+=("$i/existing" "$i/new") ;;
	esac
done
if [ "${#FS_KINDS[@]}" -gt 0 ]; then
	nk=${#FS_KINDS[@]}
	for b in "${!BANDS[@]}"; do
		read -r lo hi <<<"${BANDS[b]}"
		avail=$(( (hi - lo + 1 - $(wc -w <<<"$(for p in $SAMPLE; do [ "$p" -ge "$lo" ] && [ "$p" -le "$hi" ] && echo "$p"; done)")) / nk ))
		m=$((avail < FIRST_M ? avail : FIRST_M))
		[ "$SMOKE" = 1 ] && m=$((m < 1 ? m : 1))
		[ "$m" -ge 1 ] || continue
		read -ra picked <<<"$(spread "${BANDS[b]}" $((m * nk)) "$SAMPLE")"
		for j in "${!picked[@]}"; do
			k=${FS_KINDS[j % nk]}
			FS_SET[$k]+="${picked[j]} "
			FS_BAND[${picked[j]}]=$b
		done
	done
fi
declare -A FS_RES
for k in "${FS_KINDS[@]}"; do
	i=${k%/*} conn=${k#*/}
	FS_SET[$k]=${FS_SET[$k]:-}
	bench_log "first search, ${OP_NAME[i]}, $conn connection: projects ${FS_SET[$k]}"
	for side in ours base; do
		FS_RES[$k/$side]=$(first_search "$i" "$side" "$conn" "${FS_SET[$k]}")
		wait_worker_idle
	done
done
phase_end first

bench_log "waiting for the sample's indexes"
BUILT=$(wait_builds "$SAMPLE" 60)
bench_log "checking every read again (indexes built: $BUILT)"
# shellcheck disable=SC2086 # one argument per project
bench_check_pages $SAMPLE
phase_end check2
if [ "$BENCH_FAILED" -ne 0 ]; then
	echo "!!!!!!!! MISMATCHES BEFORE THE TIMING: see above ($BENCH_PASSED passed, $BENCH_FAILED failed)" >&2
	exit 1
fi

# --- the timed runs -----------------------------------------------------------------
declare -A HELD BYTES BUILDS BY_INDEX
if [ "$SMOKE" = 1 ]; then
	# the scripts run, briefly, with the writer
	start_writer 50
	for side in ours base; do
		files=()
		for i in "${!OP_NAME[@]}"; do mapfile -t -O "${#files[@]}" files < <(band_files "$work/s/$i.$side"); done
		PGOPTIONS=$(side_pgoptions "$side") "$PGBENCH" -n -M prepared "${files[@]}" -t 20 -c 2 -j 2 \
			--random-seed="$SEED" "$BENCH_DB" >"$work/smoke.$side.out" 2>&1 &&
			! grep -q "aborted\|error" "$work/smoke.$side.out" || {
			printf '\n!!!!!!!! pgbench FAILED (%s)\n' "$side" >&2
			tail -15 "$work/smoke.$side.out" >&2
			run_failed=1
		}
		echo "smoke: $side, every read's scripts: $(grep -c '^ - [0-9]* transactions' "$work/smoke.$side.out") scripts ran"
	done
	stop_writer
	SCENARIOS=""
	phase_end smoke
fi
for scen in $SCENARIOS; do
	case $scen in
	quiet) ;;
	writer) start_writer "$RATE" ;;
	*) echo "BENCH_MT_SCENARIOS: unknown scenario '$scen' (quiet, writer)" >&2; exit 2 ;;
	esac
	for i in "${!OP_NAME[@]}"; do
		# ROUNDS alternating rounds (ours, baseline), each with its warm-up,
		# so that both sides meet the same load from the rest of the machine
		read -r _ _ build0 ia0 sa0 <<<"$(index_state)"
		ours_secs=0
		for r in $(seq 1 "$ROUNDS"); do
			run_reads "$i" ours "$scen/$i/ours" $((SEED + r)) "$ROUND_SECS"
			ours_secs=$(awk -v a="$ours_secs" -v b="$RUN_SECS" 'BEGIN { print a + b }')
			if [ "$r" = "$ROUNDS" ]; then
				read -r held bytes build1 ia1 sa1 <<<"$(index_state)"
				HELD[$scen/$i]=$held BYTES[$scen/$i]=$bytes
				BUILDS[$scen/$i]=$(awk -v a="$build0" -v b="$build1" -v t="$ours_secs" \
					'BEGIN { if (a == "n/a" || b == "n/a") print "n/a"; else printf "%.1f", (b - a) / t }')
				BY_INDEX[$scen/$i]=$(awk -v i0="$ia0" -v i1="$ia1" -v s0="$sa0" -v s1="$sa1" \
					'BEGIN { if (i0 == "n/a" || i1 == "n/a" || s0 == "n/a" || s1 == "n/a" || i1 - i0 + s1 - s0 <= 0) print "n/a"
					         else printf "%.0f%%", 100 * (i1 - i0) / (i1 - i0 + s1 - s0) }')
			fi
			wait_worker_idle
			run_reads "$i" base "$scen/$i/base" $((SEED + r)) "$ROUND_SECS"
		done
		for side in ours base; do
			bench_log "$(printf '%-7s %-36s %-4s %8s tps  all: %s  (load %s)' "$scen" "${OP_NAME[i]}" "$side" \
				"${TPS[$scen/$i/$side]}" "${STAT[$scen/$i/$side/all]:-}" "$(cut -d' ' -f1 /proc/loadavg)")"
		done
	done
	[ "$scen" = writer ] && stop_writer
	phase_end "$scen"
done

# --- after the writes: the same answers, the same rows ------------------------------
bench_log "checking every read after the timed runs"
wait_worker_idle
# shellcheck disable=SC2086 # one argument per project
bench_check_pages $SAMPLE
check_rows "after the timed runs"
phase_end check3
set_tag finished
LOAD_END=$(loadavg)

if [ "$SMOKE" = 1 ]; then
	echo "multi-tenant smoke: $NP projects, $NNAMES names, index $INDEX_MODE, $((SECONDS - start_all)) s" \
		"(load ${PHASE[load]}, checks $((PHASE[check1] + PHASE[check2] + PHASE[check3])), first searches ${PHASE[first]}, runs ${PHASE[smoke]})"
	echo "$BENCH_PASSED passed, $BENCH_FAILED failed"
	[ "$BENCH_FAILED" -eq 0 ] && [ "$run_failed" -eq 0 ]
	exit
fi

# --- the report ----------------------------------------------------------------------
out=$work/section.md
heading="## Multi-tenant: library $([ "$PRELOADED" = 1 ] && echo preloaded || echo "not preloaded")"
band_names() {
	bench_q "SELECT count(*) FROM event_definitions.definitions WHERE project_id BETWEEN ${1% *} AND ${1#* }"
}
scen_label() { case $1 in quiet) echo quiet ;; writer) echo "$RATE new names/s" ;; esac; }
{
	printf '\n%s\n\n' "$heading"
	printf 'Written by `bench/multitenant.sh` (see its header). %s projects, project k with round(%s / k^%s) definitions: %s in all, loaded through `ingest`; the baseline (PostHog'\''s table and indexes) holds the same rows. ' \
		"$(fmt_int "$NP")" "$(fmt_int "$TOP")" "$EXP" "$(fmt_int "$NNAMES")"
	printf 'Each request draws its project with probability ∝ 1/k (the same seeded sequence on both sides); 2 reader clients, `pgbench -M prepared`, per read %s rounds alternating ours and the baseline, each a run of %s s whose first %s s are dropped (new connections, cold caches); throughput = kept transactions / kept seconds. ' "$ROUNDS" $((WARMUP + ROUND_SECS)) "$WARMUP"
	printf 'The writer adds %s new names/s to both sides (one transaction each), its projects drawn the same way. Latencies in ms from pgbench'\''s per-transaction log; × = baseline / ours (> 1 = ours faster).\n\n' "$RATE"
	printf -- '- command: `%s`\n' "$COMMAND"
	printf -- '- date: %s; total run time %d min %d s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" $(((SECONDS - start_all) / 60)) $(((SECONDS - start_all) % 60))
	printf -- '- machine: %s cores (nproc), %s, %s; load average at the start %s, at the end %s (the machine is shared: other engineers'\'' tests ran meanwhile)\n' \
		"$(nproc)" "$(awk '/MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo)" \
		"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" "$LOAD_START" "$LOAD_END"
	printf -- '- PostgreSQL %s; server settings (both sides): %s\n' "$(psql -X -At -d postgres -c 'SHOW server_version')" \
		"$(psql -X -At -d postgres -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)
			FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit', 'fsync', 'synchronous_commit',
			  'max_parallel_workers_per_gather', 'max_worker_processes', 'shared_preload_libraries')")"
	printf -- '- the baseline'\''s sessions: PGOPTIONS=`%s` (PostHog'\''s Django sends literal values: each query planned for its project)\n' "$BASE_PGOPTIONS"
	printf -- '- extension settings: %s; index mode: %s%s\n' \
		"$(bench_psql -At -c "SELECT event_definitions.name_index_status(1) IS NOT NULL" \
			-c "SELECT coalesce(string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name), 'defaults')
			    FROM pg_settings WHERE name LIKE 'event_definitions.%' AND name <> 'event_definitions.user_id'" | tail -1)" "$INDEX_MODE" \
		"$([ "$HAS_VIEW" = 1 ] && echo " (figures from event_definitions.index_status)")"
	printf -- '- bands:'
	for b in "${!BANDS[@]}"; do
		printf ' ranks %s: %s names, %.1f%% of requests;' "$(band_label "${BANDS[b]}")" \
			"$(fmt_int "$(band_names "${BANDS[b]}")")" "$(awk -v w="$(band_weight "${BANDS[b]}")" 'BEGIN { print w / 10000 }')"
	done
	printf '\n- checks: %d passed, %d failed (every read on projects %s, before the timing through SQL and through the built indexes (%s built), after it; every project'\''s rows after the load and after the writes)\n' \
		"$BENCH_PASSED" "$BENCH_FAILED" "${SAMPLE// /, }" "$BUILT"
	printf -- '- phases: load %s s, checks %s s, first searches %s s' "${PHASE[load]}" $((PHASE[check1] + PHASE[check2] + PHASE[check3])) "${PHASE[first]}"
	for scen in $SCENARIOS; do printf ', %s %s s' "$(scen_label "$scen")" "${PHASE[$scen]}"; done
	printf '\n'
} >"$work/head.md"
{
	# the targets
	printf '\n**Targets** (throughput ≥ 3×, every band'\''s p50 and p95 ≥ 1×):\n\n'
	printf '| scenario | read | throughput ×'
	for b in "${!BANDS[@]}"; do printf ' | %s p50 × | p95 ×' "$(band_label "${BANDS[b]}")"; done
	printf ' |\n|---|---|---:'
	for b in "${!BANDS[@]}"; do printf '|---:|---:'; done
	printf '|\n'
	for scen in $SCENARIOS; do
		for i in "${!OP_NAME[@]}"; do
			mark "$(ratio "${TPS[$scen/$i/ours]}" "${TPS[$scen/$i/base]}")" 3
			printf '| %s | %s | %s' "$(scen_label "$scen")" "${OP_NAME[i]}" "$M"
			for b in "${!BANDS[@]}"; do
				read -r _ o50 o95 <<<"${STAT[$scen/$i/ours/$b]:-0 0 0}"
				read -r _ b50 b95 <<<"${STAT[$scen/$i/base/$b]:-0 0 0}"
				mark "$(ratio "$b50" "$o50")" 1
				printf ' | %s' "$M"
				mark "$(ratio "$b95" "$o95")" 1
				printf ' | %s' "$M"
			done
			printf ' |\n'
		done
	done

	# the figures
	printf '\n| scenario | read | band | requests ours / baseline | ours p50 | ours p95 | baseline p50 | baseline p95 | × p50 | × p95 |\n'
	printf '|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
	for scen in $SCENARIOS; do
		for i in "${!OP_NAME[@]}"; do
			for b in "${!BANDS[@]}" all; do
				read -r on o50 o95 <<<"${STAT[$scen/$i/ours/$b]:-0 0 0}"
				read -r bn b50 b95 <<<"${STAT[$scen/$i/base/$b]:-0 0 0}"
				printf '| %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s |\n' "$(scen_label "$scen")" "${OP_NAME[i]}" \
					"$([ "$b" = all ] && echo "all ($(printf '%.1f' "${TPS[$scen/$i/ours]}") / $(printf '%.1f' "${TPS[$scen/$i/base]}") tps)" || band_label "${BANDS[b]}")" \
					"$on" "$bn" "$o50" "$o95" "$b50" "$b95" "$(ratio "$b50" "$o50")" "$(ratio "$b95" "$o95")"
			done
		done
	done

	# first searches
	if [ "${#FS_KINDS[@]}" -gt 0 ]; then
		printf '\n**First search of a never-searched project** (median ms; query: pgbench'\''s latency; with connection: from the end of the previous request, so it includes connecting, with -C; target ≥ 1× on the query):\n\n'
		printf '| read | connection | band | projects | ours query | baseline query | × | ours with connection | baseline with connection | × |\n'
		printf '|---|---|---|---|---:|---:|---:|---:|---:|---:|\n'
		for k in "${FS_KINDS[@]}"; do
			i=${k%/*} conn=${k#*/}
			for b in "${!BANDS[@]}" all; do
				pl=$(fs_projects "$k" "$b")
				[ -n "$pl" ] || continue
				oq=$(fs_column "${FS_RES[$k/ours]}" 2 "$pl" | median) bq=$(fs_column "${FS_RES[$k/base]}" 2 "$pl" | median)
				ot=$(fs_column "${FS_RES[$k/ours]}" 3 "$pl" | median) bt=$(fs_column "${FS_RES[$k/base]}" 3 "$pl" | median)
				if [ "$b" = all ]; then M="$(ratio "$bq" "$oq")×"; else mark "$(ratio "$bq" "$oq")" 1; fi
				printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${OP_NAME[i]}" "$conn" \
					"$([ "$b" = all ] && echo all || band_label "${BANDS[b]}")" "${pl% }" "$oq" "$bq" \
					"$M" "$ot" "$bt" "$(ratio "$bt" "$ot")×"
			done
		done
	fi

	# the index and memory
	printf '\n**The index and memory** (after each of our measured runs: the projects whose index the server held and their bytes; over warm-up and runs: builds per second%s and the share of our searches answered by the index; peak private memory (RssAnon) of one reader backend, ours and the baseline, and of the index worker, sampled every 0.5 s):\n\n' \
		"$([ "$HAS_VIEW" = 1 ] && echo " (the view's builds and merges)" || echo " (growth of the largest build id)")"
	printf '| scenario | read | projects held | shared index MB | builds/s | answered by the index | reader RssAnon MB ours / baseline | worker RssAnon MB |\n'
	printf '|---|---|---:|---:|---:|---:|---:|---:|\n'
	for scen in $SCENARIOS; do
		for i in "${!OP_NAME[@]}"; do
			printf '| %s | %s | %s | %s | %s | %s | %s / %s | %s |\n' "$(scen_label "$scen")" "${OP_NAME[i]}" \
				"${HELD[$scen/$i]}" "$(awk -v b="${BYTES[$scen/$i]}" 'BEGIN { if (b == "n/a") print b; else printf "%.1f", b / 1048576 }')" \
				"${BUILDS[$scen/$i]}" "${BY_INDEX[$scen/$i]}" "$(mem_peak "$scen/$i/ours" reader)" "$(mem_peak "$scen/$i/base" reader)" \
				"$(mem_peak "$scen/$i/ours" worker)"
		done
	done
	[ "$INDEX_MODE" = shared ] || printf '\nThe indexes are per backend (%s mode): the projects held and the builds are not visible from another session; the reader'\''s RssAnon is their memory.\n' "$INDEX_MODE"
} >"$work/body.md"
{
	cat "$work/head.md"
	printf -- '- targets reached: **%d of %d** (the ✓ below: throughput, every band'\''s p50 and p95, the first search in every band)\n' "$MET" $((MET + MISSED))
	cat "$work/body.md"
} >"$out"

if [ -f "$RESULTS" ]; then
	# replace this configuration's section (up to the next heading: it has
	# none of its own), keep everything else
	awk -v h="$heading" '$0 == h { skip = 1; next } /^##+ / { skip = 0 } !skip' "$RESULTS" >"$work/results"
	cp "$work/results" "$RESULTS"
fi
cat "$out" >>"$RESULTS"
cat "$out"
echo
echo "$BENCH_PASSED passed, $BENCH_FAILED failed"
if [ "$BENCH_FAILED" -ne 0 ] || [ "$run_failed" -ne 0 ]; then
	echo "!!!!!!!! THE BENCHMARK FOUND MISMATCHES OR FAILED RUNS: see above" >&2
	exit 1
fi
