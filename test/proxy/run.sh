#!/usr/bin/env bash
# Scale-out test: a router (event_definitions_proxy) and two shards
# (event_definitions) in the cluster of the libpq environment (run under
# pg_virtualenv).  See proxy_test.py.  Debian's python3 (with
# python3-psycopg2), not whatever python3 comes first on PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec /usr/bin/python3 "$here/proxy_test.py" "$@"
