#!/usr/bin/env bash
# Name index stress test: writers and searchers for a fixed time, every
# search compared with the SQL path in the same snapshot (stress.py).
# Runs against the cluster in the libpq environment (PGHOST, PGPORT, ...).
set -euo pipefail
# Debian's interpreter, which has python3-psycopg2 (not a pyenv one on PATH)
exec /usr/bin/python3 "$(dirname "$0")/stress.py"
