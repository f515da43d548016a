#!/usr/bin/env bash
# The code codegen() generates, checked with each language's tools: golden
# files, determinism, schema_hash against PostHog's formula, tsc --strict
# against posthog-js, mypy --strict, go vet, JSON Schema against validate().
# See codegen_check.py.  Runs against the cluster in the libpq environment
# (pg_virtualenv); the npm part skips only when the registry is unreachable.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py=/usr/bin/python3
if ! "$py" -c 'import psycopg2' 2>/dev/null; then
	echo "test/codegen: $py cannot import psycopg2 (apt-get install python3-psycopg2)" >&2
	exit 1
fi
exec "$py" -u "$here/codegen_check.py" "$@"
