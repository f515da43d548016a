#!/usr/bin/env bash
# The manual is code: every fenced ```sql block of README.md and docs/*.md
# runs, in order, one psql session per file in a fresh database of the
# cluster in the libpq environment (pg_virtualenv).  A block must succeed,
# unless its first line is a comment "-- fails with SQLSTATE XXXXX": then it
# must fail with exactly that SQLSTATE (psql's LAST_ERROR_SQLSTATE), and the
# session goes on.  psql variables set with \gset carry over to later
# blocks of the same file, so examples use ids they obtain themselves.
# Roles the examples create are dropped afterwards.
# Usage: test/docs/run.sh [FILE.md ...]   (default: README.md docs/*.md
# that carry the marker <!-- doctest -->)
set -uo pipefail
cd "$(dirname "$0")/../.."

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
	files=()
	for f in README.md docs/*.md; do
		# a file takes part once it says so (the README is being rewritten)
		[ -e "$f" ] && grep -q '<!-- doctest -->' "$f" && files+=("$f")
	done
fi

passed=0
failed=0

# the manual stands alone: nothing points outside the repository's own files
for f in README.md docs/*.md; do
	[ -f "$f" ] || continue
	if out=$(grep -nE '\.\./shared|SPEC\.md|\bissue [0-9]+' "$f"); then
		echo "not ok - $f points outside the repository:"
		echo "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

roles_before=$(psql -X -At -d postgres -c "SELECT string_agg(quote_literal(rolname), ',') FROM pg_roles")

# Turn a markdown file into a psql script: the sql blocks, each preceded by
# an echo of where it comes from; expected failures checked after the block.
to_script() {
	awk -v file="$1" '
	function flush_block() {
		if (expect != "") {
			print "\\set ON_ERROR_STOP 0"
			printf "%s", block
			print "\\set ON_ERROR_STOP 1"
			printf "SELECT :'"'"'LAST_ERROR_SQLSTATE'"'"' = '"'"'%s'"'"' AS doctest_ok \\gset\n", expect
			print "\\if :doctest_ok"
			print "\\else"
			printf "\\echo doctest: %s:%d: expected SQLSTATE %s, got :LAST_ERROR_SQLSTATE\n", file, start, expect
			print "SELECT 1 / 0 AS doctest_failed;"
			print "\\endif"
			print "\\set LAST_ERROR_SQLSTATE 00000"
		} else
			printf "%s", block
	}
	/^```sql[[:space:]]*$/ { inblock = 1; block = ""; expect = ""; start = NR; first = 1;
		printf "\\echo doctest: %s:%d\n", file, NR; next }
	inblock && /^```[[:space:]]*$/ { flush_block(); print ""; inblock = 0; next }
	inblock {
		if (first && match($0, /^-- fails with SQLSTATE [0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]/))
			expect = substr($0, 24, 5)
		first = 0
		block = block $0 "\n"
	}
	' "$1"
}

for f in "${files[@]}"; do
	[ -f "$f" ] || { echo "not ok - $f: no such file"; failed=$((failed + 1)); continue; }
	nblocks=$(grep -c '^```sql[[:space:]]*$' "$f" || true)
	[ "$nblocks" -gt 0 ] || continue
	db="ed_doctest_$(basename "$f" .md | tr -c 'a-zA-Z0-9_\n' '_')"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null 2>&1
	script=$(mktemp)
	{ echo '\set ON_ERROR_STOP 1'; echo '\set VERBOSITY verbose'; to_script "$f"; } >"$script"
	if out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$script" 2>&1); then
		echo "ok - $f: $nblocks sql blocks"
		passed=$((passed + 1))
	else
		echo "not ok - $f: a block failed"
		# the last block started, and what psql said
		echo "$out" | grep -n 'doctest: ' | tail -1 | sed 's/^/    at /'
		echo "$out" | grep -E 'ERROR|FATAL|doctest:.*expected' | tail -5 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
	rm -f "$script"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
done

# roles made by the examples
for r in $(psql -X -At -d postgres -c "SELECT quote_ident(rolname) FROM pg_roles WHERE rolname NOT IN ($roles_before)"); do
	psql -X -q -d postgres -c "DROP ROLE $r" >/dev/null 2>&1 ||
		for d in $(psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datallowconn"); do
			psql -X -q -d "$d" -c "DROP OWNED BY $r" >/dev/null 2>&1
		done
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
