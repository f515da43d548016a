#!/usr/bin/env bash
# Router overhead: throughput of list and ingest through a PL/Proxy router
# (event_definitions_proxy) vs directly on the shard that owns the projects.
#
#   bench/proxy.sh            # in the cluster of the libpq environment
#   BENCH_SECONDS=10 BENCH_CLIENTS=4 BENCH_DEFS=2000 bench/proxy.sh
#
# Builds a router and two shards in the cluster of the libpq environment
# (as test/proxy/run.sh does), loads BENCH_CLIENTS projects of BENCH_DEFS
# definitions each through the router, pins them all to partition 0
# (shard 0) so that each pgbench client works on its own project and the
# direct runs can use the same statements on shard 0, then runs each
# operation for BENCH_SECONDS both ways.  Prints the throughputs and the
# overhead ratios (direct tps / router tps) as a Markdown table.  Drops its
# databases at the end.
set -euo pipefail

seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-4}
defs=${BENCH_DEFS:-2000}
router=ed_bench_router
shards=(ed_bench_shard0 ed_bench_shard1)
work=$(mktemp -d)

p() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
drop_all() {
	for db in "$router" "${shards[@]}"; do
		p -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap drop_all EXIT
log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

drop_all
work=$(mktemp -d)
for db in "$router" "${shards[@]}"; do
	p -d postgres -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'" \
		-c "ALTER DATABASE $db SET timezone = 'UTC'"
done
for s in "${shards[@]}"; do
	p -d "$s" -c "CREATE EXTENSION event_definitions CASCADE"
done
conn() {
	local c="dbname=$1"
	[ -n "${PGHOST:-}" ] && c+=" host=$PGHOST"
	[ -n "${PGPORT:-}" ] && c+=" port=$PGPORT"
	echo "$c"
}
mapping=""
[ -n "${PGUSER:-}" ] && mapping+="user '${PGUSER}'"
[ -n "${PGPASSWORD:-}" ] && mapping+="${mapping:+, }password '${PGPASSWORD}'"
p -d "$router" <<SQL
CREATE EXTENSION event_definitions_proxy CASCADE;
CREATE SERVER event_definitions_cluster FOREIGN DATA WRAPPER plproxy OPTIONS (
    p0 '$(conn "${shards[0]}")', p1 '$(conn "${shards[1]}")',
    p2 '$(conn "${shards[0]}")', p3 '$(conn "${shards[1]}")');
CREATE USER MAPPING FOR CURRENT_USER SERVER event_definitions_cluster ${mapping:+OPTIONS ($mapping)};
-- every bench project on partition 0 (shard 0): pgbench client i uses project i + 1
INSERT INTO event_definitions_proxy.placement (project_id, partition)
SELECT g, 0 FROM generate_series(1, $clients) g;
SQL

log "loading $clients projects x $defs definitions through the router"
p -d "$router" -At >/dev/null <<SQL
SELECT event_definitions.ingest(g,
         ARRAY(SELECT 'event_' || i FROM generate_series(1, $defs) i),
         ARRAY(SELECT now() - (i % 60) * interval '1 day' FROM generate_series(1, $defs) i))
  FROM generate_series(1, $clients) g;
SQL
p -d "${shards[0]}" -c "VACUUM ANALYZE"
rows=$(p -d "${shards[0]}" -At -c "SELECT count(*) FROM event_definitions.definitions")
[ "$rows" -eq $((clients * defs)) ] || { log "expected $((clients * defs)) definitions on shard 0, found $rows"; exit 1; }

cat >"$work/list.sql" <<'SQL'
\set p 1 + :client_id
SELECT event_definitions.list(:p, search => 'event_1', page_limit => 20);
SQL
cat >"$work/ingest.sql" <<SQL
\set p 1 + :client_id
\set a random(1, $defs)
\set b random(1, $defs)
SELECT event_definitions.ingest(:p, ARRAY['event_' || :a, 'event_' || :b, 'event_' || :a]);
SQL

tps() {
	pgbench -n -M prepared -T "$seconds" -c "$clients" -j "$clients" -f "$2" "$1" 2>&1 |
		sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}
declare -A result=()
for op in list ingest; do
	log "$op: directly on shard 0, ${seconds}s, $clients clients"
	result[$op,direct]=$(tps "${shards[0]}" "$work/$op.sql")
	log "$op: through the router, ${seconds}s, $clients clients"
	result[$op,router]=$(tps "$router" "$work/$op.sql")
done

echo
echo "Router overhead: $clients projects x $defs definitions, $clients clients, ${seconds}s per run, $(nproc) CPUs"
echo
echo "| operation | direct on shard (tps) | through router (tps) | direct / router |"
echo "|---|---:|---:|---:|"
for op in list ingest; do
	d=${result[$op,direct]}
	r=${result[$op,router]}
	printf '| %s | %.0f | %.0f | %.2fx |\n' "$op" "$d" "$r" "$(awk -v d="$d" -v r="$r" 'BEGIN { print d / r }')"
done
