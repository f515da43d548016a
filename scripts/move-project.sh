#!/usr/bin/env bash
# Move one project of a sharded event_definitions to another PL/Proxy
# partition (and so, usually, to another shard) without losing definitions,
# counters or activity entries.
#
#   scripts/move-project.sh [-d ROUTER] PROJECT_ID TARGET_PARTITION
#
# ROUTER is the router database (a name or a libpq connection string;
# default: the libpq environment).  The shards are reached with the
# connection strings of the PL/Proxy server event_definitions_cluster (its
# p0, p1, ... options) and the credentials of your libpq environment
# (PGUSER/PGPASSWORD, ~/.pgpass).
#
# Procedure, each step safe to interrupt (rerun the same command):
#  1. On the router, take the project's move lock: the exclusive advisory
#     lock (1162104920, hashint8(project_id)).  Every router call for the
#     project takes it shared (event_definitions_proxy.partition_of), so the
#     move waits for calls in flight and new calls wait for the move.
#  2. Export the project from the source shard in one REPEATABLE READ
#     transaction: definitions, daily_volume, query_usage, activity_log,
#     and the users its rows refer to.
#  3. Import into the target shard in one transaction: drop leftovers of an
#     interrupted run, copy users missing there, then the tables in
#     foreign-key order (the target's statement triggers recount
#     project_stats and record the names for its name index); move the
#     activity_log sequence past the copied entries
#     (activity is ordered by seq); check the row counts.
#  4. Compare a fingerprint (row count and md5 of every row) of each table
#     on both shards.
#  5. On the router, pin the project to the target partition in
#     event_definitions_proxy.placement (or drop the pin when the target is
#     its hash partition), then release the lock: waiting calls go to the
#     target.
#  6. Delete the project from the source shard in one transaction.
# Until step 5 commits, the source stays authoritative and the router
# unchanged; a failure before it leaves at most a stale copy on the target,
# which the next run replaces.
set -euo pipefail

usage() {
	echo "usage: $0 [-d ROUTER] PROJECT_ID TARGET_PARTITION" >&2
	exit 2
}

router="${PGDATABASE:-}"
while getopts "d:h" opt; do
	case "$opt" in
	d) router="$OPTARG" ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage
project="$1"
target="$2"
[[ "$project" =~ ^[1-9][0-9]{0,18}$ ]] || { echo "$0: invalid project id \"$project\"" >&2; exit 2; }
[[ "$target" =~ ^[0-9]{1,9}$ ]] || { echo "$0: invalid partition \"$target\"" >&2; exit 2; }

LOCK_KEY="1162104920, pg_catalog.hashint8(${project}::bigint)"
# Copied as they are, in foreign-key order.  project_stats is derived (the
# count of each project): the target's triggers keep it.
TABLES="definitions daily_volume query_usage activity_log"

rpsql() { psql -X -q -v ON_ERROR_STOP=1 ${router:+-d "$router"} "$@"; }
log() { echo "move-project: $*" >&2; }

# --- the cluster: partitions and their connection strings -----------------
declare -a parts=()
while IFS='|' read -r name value; do
	parts[${name#p}]="$value"
done < <(rpsql -At -c "
	SELECT o.option_name, o.option_value
	  FROM pg_catalog.pg_foreign_server s,
	       pg_catalog.pg_options_to_table(s.srvoptions) o
	 WHERE s.srvname = 'event_definitions_cluster' AND o.option_name ~ '^p[0-9]+\$'")
nparts=${#parts[@]}
[ "$nparts" -gt 0 ] || { log "no PL/Proxy server event_definitions_cluster with partitions p0, p1, ..."; exit 1; }
[ "$target" -lt "$nparts" ] || { log "partition $target does not exist (the cluster has $nparts)"; exit 1; }

read -r current hashpart < <(rpsql -At -F ' ' -c "
	SELECT COALESCE((SELECT p.partition FROM event_definitions_proxy.placement p
	                  WHERE p.project_id = $project),
	                pg_catalog.hashint8(${project}::bigint) & ($nparts - 1)),
	       pg_catalog.hashint8(${project}::bigint) & ($nparts - 1)")
src="${parts[$current]}"
dst="${parts[$target]}"
if [ "$current" -eq "$target" ]; then
	log "project $project is already on partition $target"
	exit 0
fi
log "project $project: partition $current ($src) -> partition $target ($dst)"

work=$(mktemp -d)
lock_pid=
cleanup() {
	if [ -n "$lock_pid" ]; then kill "$lock_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# --- 1. the move lock, held by a router session for the whole move --------
coproc LOCKER { rpsql -At 2>&1; }
lock_pid=$LOCKER_PID
# bash forgets LOCKER once psql exits: keep our own copies of the pipes
exec {lock_out}<&"${LOCKER[0]}" {lock_in}>&"${LOCKER[1]}"
echo "SET lock_timeout = '${MOVE_LOCK_TIMEOUT:-30s}';
      SELECT pg_catalog.pg_advisory_lock($LOCK_KEY) IS NULL;
      \\echo LOCKED" >&"$lock_in"
while :; do
	if ! read -r -t 600 line <&"$lock_out"; then
		log "could not take the move lock on the router"
		exit 1
	fi
	[ "$line" = "LOCKED" ] && break
	[ "$line" = "f" ] || log "router: $line"
done
log "locked: router calls for project $project wait"

same_db=0
[ "$src" = "$dst" ] && same_db=1

if [ "$same_db" -eq 0 ]; then
	spsql() { psql -X -q -v ON_ERROR_STOP=1 -d "$1" "${@:2}"; }

	# The columns COPY can write: all but generated ones.
	declare -A cols=()
	for t in $TABLES; do
		cols[$t]=$(spsql "$src" -At -c "
			SELECT string_agg(pg_catalog.quote_ident(attname), ', ' ORDER BY attnum)
			  FROM pg_catalog.pg_attribute
			 WHERE attrelid = 'event_definitions.$t'::regclass
			   AND attnum > 0 AND NOT attisdropped AND attgenerated = ''")
	done
	# One row per table: name, row count, md5 of all rows in a fixed order;
	# for project_stats (derived, kept by the target's triggers) the count.
	fingerprint() {
		local q="" t
		for t in $TABLES; do
			q+="SELECT '$t', count(*), md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), ''))
			      FROM event_definitions.$t x WHERE x.project_id = $project UNION ALL "
		done
		q+="SELECT 'project_stats', 1, sum(x.definitions)::text
		      FROM event_definitions.project_stats x WHERE x.project_id = $project"
		spsql "$1" -At -c "$q"
	}

	# --- 2. export ---------------------------------------------------------
	{
		echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
		for t in $TABLES; do
			echo "\\copy (SELECT ${cols[$t]} FROM event_definitions.$t WHERE project_id = $project) TO '$work/$t.copy'"
		done
		echo "\\copy (SELECT u.* FROM event_definitions.users u WHERE u.id IN (SELECT d.owner_id FROM event_definitions.definitions d WHERE d.project_id = $project UNION SELECT d.verified_by FROM event_definitions.definitions d WHERE d.project_id = $project UNION SELECT d.updated_by FROM event_definitions.definitions d WHERE d.project_id = $project UNION SELECT a.user_id FROM event_definitions.activity_log a WHERE a.project_id = $project)) TO '$work/users.copy'"
		echo "COMMIT;"
	} | spsql "$src"
	fingerprint "$src" >"$work/source.fp"

	# --- 3. import ---------------------------------------------------------
	checks=""
	for t in $TABLES; do
		n=$(wc -l <"$work/$t.copy")
		checks+="
			IF (SELECT count(*) FROM event_definitions.$t WHERE project_id = $project) <> $n THEN
				RAISE EXCEPTION 'move-project: % rows of $t on the target, expected $n',
					(SELECT count(*) FROM event_definitions.$t WHERE project_id = $project);
			END IF;"
	done
	{
		echo "BEGIN;"
		echo "DELETE FROM event_definitions.activity_log WHERE project_id = $project;"
		echo "DELETE FROM event_definitions.definitions WHERE project_id = $project;"
		echo "CREATE TEMP TABLE moved_users (LIKE event_definitions.users) ON COMMIT DROP;"
		echo "\\copy moved_users FROM '$work/users.copy'"
		echo "INSERT INTO event_definitions.users SELECT * FROM moved_users ON CONFLICT (id) DO NOTHING;"
		for t in $TABLES; do
			echo "\\copy event_definitions.$t (${cols[$t]}) FROM '$work/$t.copy'"
		done
		# project_stats and the name index's change log are kept by the
		# target's statement triggers: the COPY recounts the project and
		# records its names, so no index of an earlier stay here survives.
		echo "SELECT pg_catalog.setval('event_definitions.activity_log_seq_seq',
		              greatest(s.last_value, (SELECT max(seq) FROM event_definitions.activity_log)))
		        FROM event_definitions.activity_log_seq_seq s;"
		echo "DO \$\$ BEGIN $checks END \$\$;"
		echo "COMMIT;"
	} | spsql "$dst" >/dev/null

	# --- 4. verify ---------------------------------------------------------
	fingerprint "$dst" >"$work/target.fp"
	if ! cmp -s "$work/source.fp" "$work/target.fp"; then
		log "the copy on the target differs from the source; nothing switched"
		diff "$work/source.fp" "$work/target.fp" >&2 || true
		exit 1
	fi
	log "copied and verified: $(awk -F'|' '{printf "%s%s %s", sep, $2, $1; sep=", "}' "$work/source.fp")"
fi

# --- 5. switch the router, then let calls through ---------------------------
if [ "$target" -eq "$hashpart" ]; then
	pin="DELETE FROM event_definitions_proxy.placement WHERE project_id = $project;"
else
	pin="INSERT INTO event_definitions_proxy.placement (project_id, partition) VALUES ($project, $target)
	     ON CONFLICT (project_id) DO UPDATE SET partition = excluded.partition, moved_at = now();"
fi
echo "$pin
      SELECT pg_catalog.pg_advisory_unlock($LOCK_KEY) IS NULL;
      \\echo SWITCHED
      \\q" >&"$lock_in"
switched=0
while read -r -t 600 line <&"$lock_out"; do
	if [ "$line" = "SWITCHED" ]; then switched=1; break; fi
	[ "$line" = "f" ] || log "router: $line"
done
if [ "$switched" -ne 1 ]; then
	log "could not switch the router; the source is still authoritative"
	exit 1
fi
wait "$lock_pid" 2>/dev/null || true
lock_pid=
log "router: project $project now on partition $target"

# --- 6. drop the source copy ------------------------------------------------
if [ "$same_db" -eq 0 ]; then
	if ! psql -X -q -v ON_ERROR_STOP=1 -d "$src" >/dev/null <<-SQL; then
		BEGIN;
		DELETE FROM event_definitions.activity_log WHERE project_id = $project;
		DELETE FROM event_definitions.definitions WHERE project_id = $project;
		DELETE FROM event_definitions.project_stats WHERE project_id = $project;
		COMMIT;
	SQL
		log "moved, but could not delete the old copy; run on $src:"
		for t in activity_log definitions project_stats; do
			log "  DELETE FROM event_definitions.$t WHERE project_id = $project;"
		done
		exit 1
	fi
	log "deleted project $project from $src"
fi
log "done"
