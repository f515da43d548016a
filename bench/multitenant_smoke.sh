#!/usr/bin/env bash
# bench/multitenant_smoke.sh: the CI variant of bench/multitenant.sh (run by
# `make installcheck-all` under pg_virtualenv): on the cluster in the libpq
# environment, 150 projects of Zipf sizes (~14,000 names) on both sides;
# every read of the benchmark on a sample of projects in every band returns
# the same count and names on both sides, through SQL and through the built
# indexes, then again after the benchmark's pgbench scripts (readers and the
# writer) ran briefly; every project's rows compared.  No timing.  Exits
# non-zero on any mismatch.
BENCH_USE_ENV=1 BENCH_MT_SMOKE=1 exec "$(dirname "$0")/multitenant.sh" "$@"
