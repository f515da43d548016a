#!/usr/bin/env bash
# Run the pg_regress suite against a throwaway PostgreSQL cluster whose
# backends run under valgrind memcheck, and report the errors it finds.
#
#   test/valgrind/run.sh            (from the repository root, as root or a
#                                    normal user; the extension must be
#                                    built and installed)
#
# Not part of the default test run: it takes several minutes.
# Environment:
#   PG_CONFIG           pg_config to use (default: pg_config on PATH)
#   VALGRIND_ISOLATION=1  also run the isolation specs (timing-sensitive
#                       under valgrind; off by default)
#   VALGRIND_KEEP=1     keep the temporary directory (logs, data)
#   VALGRIND_PRELOAD=1  preload the library (shared name indexes, their worker)
# Exit status: 0 when valgrind reported no error and the suite passed.
set -uo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
supp="$repo/test/valgrind/postgres-15.supp"
pg_config="${PG_CONFIG:-pg_config}"
bindir="$("$pg_config" --bindir)"
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)" >&2; exit 1; }

tmp="$(mktemp -d /tmp/ed-valgrind.XXXXXX)"
port=$(( 56000 + $$ % 1000 ))
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
	# initdb and postgres refuse to run as root
	chown postgres: "$tmp"
	as_owner=(runuser -u postgres --)
fi

cleanup() {
	if [ -f "$tmp/data/postmaster.pid" ]; then
		"${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m fast -w -t 600 stop >/dev/null 2>&1
	fi
	if [ "${VALGRIND_KEEP:-}" = 1 ]; then
		echo "valgrind: kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

echo "valgrind: throwaway cluster in $tmp, port $port"
"${as_owner[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres -A trust --no-sync >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log"; exit 1; }

# Every backend (forked from the postmaster) runs under memcheck.  No leak
# checking: PostgreSQL frees memory by context, not piecemeal.  JIT is off:
# LLVM's generated code is not ours and confuses memcheck.
"${as_owner[@]}" valgrind \
	--quiet --trace-children=yes --leak-check=no --error-exitcode=1 \
	--track-origins=yes --read-var-info=no --num-callers=30 \
	--suppressions="$supp" \
	--error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \
	--log-file="$tmp/valgrind.%p.log" \
	"$bindir/postgres" -D "$tmp/data" -p "$port" -k "$tmp" \
	-c listen_addresses= -c jit=off -c max_connections=20 \
	-c shared_buffers=16MB -c fsync=off -c deadlock_timeout=5s \
	${VALGRIND_PRELOAD:+-c shared_preload_libraries=event_definitions} \
	>"$tmp/postgres.log" 2>&1 &

for _ in $(seq 1 600); do
	"$bindir/pg_isready" -q -h "$tmp" -p "$port" && break
	sleep 1
done
"$bindir/pg_isready" -q -h "$tmp" -p "$port" || { echo "valgrind: server did not start"; cat "$tmp/postgres.log"; exit 1; }

echo "valgrind: server up; running make installcheck"
isolation=()
[ "${VALGRIND_ISOLATION:-}" = 1 ] || isolation=(ISOLATION=)
# the memory test measures the backend's peak memory, which under valgrind
# is valgrind's
regress=$(sed -n 's/^REGRESS = //p' "$repo/Makefile" | sed 's/ memory\b//')
# results go to the temporary directory, not the working tree
make -C "$repo" installcheck PG_CONFIG="$pg_config" PGHOST="$tmp" PGPORT="$port" PGUSER=postgres \
	EXTRA_REGRESS_OPTS="--outputdir=$tmp/regress" REGRESS="$regress" "${isolation[@]}" \
	>"$tmp/installcheck.log" 2>&1
suite=$?
tail -n 30 "$tmp/installcheck.log"
[ $suite -ne 0 ] && [ -f "$tmp/regress/regression.diffs" ] && head -n 100 "$tmp/regress/regression.diffs"

"${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m fast -w -t 600 stop >/dev/null 2>&1
sleep 1

# Count the errors, and show the stacks of every error that passes through
# the extension (event_definitions.so) in full.
errors=0
ours=0
for log in "$tmp"/valgrind.*.log; do
	[ -s "$log" ] || continue
	n=$(grep -c '^==[0-9]*== VALGRINDERROR-BEGIN' "$log")
	[ "$n" -gt 0 ] || continue
	errors=$((errors + n))
	if grep -q 'event_definitions' "$log"; then
		ours=$((ours + $(awk '/VALGRINDERROR-BEGIN/{b="";e=1} e{b=b"\n"$0} /VALGRINDERROR-END/{if(b~/event_definitions/)c++;e=0} END{print c+0}' "$log")))
	fi
	echo "==== $log ($n errors)"
	awk '/VALGRINDERROR-BEGIN/{e=1} e{print} /VALGRINDERROR-END/{e=0}' "$log" | head -n 200
done

echo
echo "valgrind: $errors error(s), $ours in event_definitions code; regression suite $([ $suite -eq 0 ] && echo passed || echo FAILED)"
[ $errors -eq 0 ] && [ $suite -eq 0 ]
