# Makefile for event_definitions (PGXS)

MODULE_big = event_definitions
OBJS = \
	event_definitions.o \
	src/access.o \
	src/activity.o \
	src/catalog.o \
	src/ingest.o \
	src/json_out.o \
	src/list_query.o \
	src/metrics.o \
	src/notify.o \
	src/page.o \
	src/patch.o \
	src/util.o

EXTENSION = event_definitions
DATA = event_definitions--1.0.sql
PGFILEDESC = "event_definitions - event definitions catalog"

PG_CPPFLAGS = -I$(srcdir)/src

REGRESS = setup create retrieve update delete activity ingest metrics list search ordering pagination errors privileges
ISOLATION = ingest_overlap update_delete

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
