#!/usr/bin/env bash
# bench/smoke.sh: the CI variant of bench/run (run by `make installcheck-all`
# under pg_virtualenv).  On the cluster in the libpq environment (PGHOST,
# PGPORT, PGUSER, PGPASSWORD) it creates its own database, loads 10,000
# definitions (plus 2 background projects) through event_definitions.ingest,
# builds the PostHog-shaped baseline with the same rows, runs every
# benchmarked operation once both ways and checks that the results are the
# same (count, names and their order; the row for retrieve/update/metrics;
# the effects of an ingest batch; finally both whole tables).  No timing.
# Prints "N passed, M failed"; exits non-zero on any mismatch.  Drops its
# database at the end.
#   BENCH_SMOKE_SIZE   definitions in the measured project (default 10000)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BENCH_DB=${BENCH_DB:-ed_bench_smoke}
size=${BENCH_SMOKE_SIZE:-10000}
trap bench_drop_db EXIT

start=$SECONDS
bench_create_db
bench_load "$size" 2 5000
bench_define_ops "$size"
bench_check_all
for i in "${!OP_NAME[@]}"; do
	if [ "${OP_KIND[i]}" = ingest ]; then
		bench_ingest_once "$i"
		bench_check_ingest "$i"
	fi
done
bench_check_consistency
echo "bench smoke: $size definitions, $((SECONDS - start)) s"
echo "$BENCH_PASSED passed, $BENCH_FAILED failed"
[ "$BENCH_FAILED" -eq 0 ]
