#!/usr/bin/env bash
# Bounded, seeded fuzz test of every event_definitions function.
#
# Runs against the cluster in the libpq environment (PGHOST, PGPORT, PGUSER,
# PGPASSWORD, as pg_virtualenv sets them), in a database of its own that it
# creates and drops.  Environment overrides:
#   FUZZ_SEED        seed of the generator (default 20251127)
#   FUZZ_ITERATIONS  number of generated calls (default 10000; about 100 s)
#   FUZZ_DB          database to create and use (default event_definitions_fuzz)
#   FUZZ_KEEP_DB=1   keep the database afterwards
# Needs Debian's python3 and python3-psycopg2 (not a pyenv python on PATH).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py=/usr/bin/python3
if ! "$py" -c 'import psycopg2' 2>/dev/null; then
	echo "test/fuzz: $py cannot import psycopg2; install the Debian package python3-psycopg2" >&2
	exit 1
fi
exec "$py" "$here/fuzz.py" "$@"
