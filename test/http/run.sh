#!/usr/bin/env bash
# The HTTP contract, PostgREST style: replays over libpq exactly the
# statements PostgREST 12 sends for each request and checks the HTTP status
# PostgREST would answer with.  Runs against the cluster in the libpq
# environment (PGHOST/PGPORT/PGUSER/PGPASSWORD, e.g. under pg_virtualenv);
# creates and drops its own database.  See test/http/postgrest_emulation.py.
set -euo pipefail
cd "$(dirname "$0")"

# Debian's interpreter, which has python3-psycopg2 (not a pyenv one on PATH)
PYTHON=/usr/bin/python3
if ! "$PYTHON" -c 'import psycopg2' 2>/dev/null; then
	echo "test/http: $PYTHON cannot import psycopg2 (apt-get install python3-psycopg2)" >&2
	exit 1
fi

exec "$PYTHON" -u postgrest_emulation.py "$@"
