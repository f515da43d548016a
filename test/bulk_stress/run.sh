#!/usr/bin/env bash
# Concurrent bulk calls, ingestion and query-usage counting must not
# deadlock; see stress.py.  Runs against the cluster in the libpq
# environment (as under pg_virtualenv), with Debian's python3 and
# python3-psycopg2.  ED_BULK_STRESS_SECONDS (default 15) sets the duration.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec /usr/bin/python3 "$here/stress.py" "$@"
