# Makefile for event_definitions (PGXS)

EXTENSION = event_definitions event_definitions_proxy
# the SQL version this library serves, from the control file: one place
EXTVERSION = $(shell sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\\([^']*\\)'.*/\\1/p" event_definitions.control)
ifeq ($(EXTVERSION),)
$(error cannot read default_version from event_definitions.control)
endif

MODULE_big = event_definitions
OBJS = \
	event_definitions.o \
	src/access.o \
	src/activity.o \
	src/api.o \
	src/args.o \
	src/bulk_update.o \
	src/catalog.o \
	src/dates.o \
	src/event_name.o \
	src/ingest.o \
	src/json_out.o \
	src/jsonb_writer.o \
	src/list_query.o \
	src/lookup.o \
	src/messages.o \
	src/metrics.o \
	src/notify.o \
	src/numbers.o \
	src/page.o \
	src/patch.o \
	src/project_stats.o \
	src/restore.o \
	src/role_grants.o \
	src/spi_plan.o \
	src/text_arrays.o \
	src/user_projects.o \
	src/version.o \
	src/index/index_base.o \
	src/index/index_overlay.o \
	src/index/index_query.o \
	src/index/index_worker.o \
	src/index/name_index.o \
	src/index/shared_index.o \
	src/index/substring_scan.o \
	src/index/trigram_postings.o \
	src/track/backfill.o \
	src/track/track.o \
	src/track/track_ingest.o \
	src/schema/coercion.o \
	src/schema/compiled_schema.o \
	src/schema/date_text.o \
	src/schema/event_schema.o \
	src/schema/group_input.o \
	src/schema/group_render.o \
	src/schema/group_store.o \
	src/schema/js_text.o \
	src/schema/property_type.o \
	src/schema/schema_activity.o \
	src/schema/schema_api.o \
	src/schema/schema_lookup.o \
	src/schema/schema_writes.o \
	src/schema/validate_event.o \
	src/schema/validator.o \
	src/schema/value_text.o \
	src/schema/violations_page.o \
	src/codegen/codegen_api.o \
	src/codegen/codegen_golang.o \
	src/codegen/codegen_hash.o \
	src/codegen/codegen_jsonschema.o \
	src/codegen/codegen_model.o \
	src/codegen/codegen_names.o \
	src/codegen/codegen_patterns.o \
	src/codegen/codegen_python.o \
	src/codegen/codegen_status.o \
	src/codegen/codegen_text.o \
	src/codegen/codegen_typescript.o

DATA = event_definitions--1.0.sql event_definitions--1.0--1.1.sql event_definitions--1.1--1.2.sql \
	event_definitions_proxy--1.0.sql \
	event_definitions_proxy--1.0--1.1.sql event_definitions_proxy--1.1--1.2.sql
PGFILEDESC = "event_definitions - event definitions catalog"

PG_CPPFLAGS = -I$(srcdir)/src -DED_EXTVERSION='"$(EXTVERSION)"'

REGRESS = setup create retrieve update delete activity ingest metrics list search ordering pagination errors privileges security claims_encoding change_feed user_projects role_grants track by_name bulk_update restore packaging limits memory schema_validate schema_groups codegen
ISOLATION = ingest_overlap ingest_delete update_delete update_update create_race usage_writers name_index change_feed_order track_concurrent bulk_race schema_change

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# the version is compiled in: rebuild when the control file changes (after
# the include, so that the default goal stays PGXS's "all")
src/version.o: event_definitions.control

# The whole test suite: pg_regress and isolation (installcheck), then the
# script-driven suites, each against the cluster in PGHOST/PGPORT (run under
# pg_virtualenv).  Every script is run; the target fails if any failed.
EXTRA_CHECKS = test/upgrade/run.sh test/http/run.sh test/dump/run.sh test/fuzz/run.sh test/proxy/run.sh test/index_stress/run.sh test/index_recreate/run.sh \
	test/bulk_stress/run.sh test/encoding/run.sh test/restore/run.sh test/plans/run.sh test/interrupts/run.sh \
	test/postgraphile/run.sh test/postgraphile5/run.sh test/codegen/run.sh test/docs/run.sh bench/smoke.sh bench/multitenant_smoke.sh

.PHONY: installcheck-all installcheck-extra installcheck-valgrind
installcheck-all: installcheck
	$(MAKE) installcheck-extra

# A listed script that is missing or not executable is a failure, not a skip:
# a test that silently stops running is worse than one that fails.
installcheck-extra:
	@failed=0; for t in $(EXTRA_CHECKS); do \
		if [ ! -x $$t ]; then \
			echo "FAILED: $$t is missing or not executable (chmod +x $$t)"; \
			failed=1; continue; \
		fi; \
		echo "== $$t"; \
		$$t || { echo "FAILED: $$t"; failed=1; }; \
	done; exit $$failed

# The regression suite with every backend under valgrind (slow: minutes).
installcheck-valgrind:
	test/valgrind/run.sh
