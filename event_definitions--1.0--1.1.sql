/* event_definitions--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION event_definitions UPDATE TO '1.1'" to load this file. \quit

/*
 * Version 1.1.  A fresh 1.1 is 1.0 followed by this script, so an updated
 * 1.0 and a fresh 1.1 are the same (test/upgrade checks it).  Sections in
 * the order they were added; each says what it is for.
 */

-- == name index: change log, counters, cold-path trigram index ==

-- == hardening: change feed, users by project, role grants, recount ==

-- == new functions: by_name, primary_properties, bulk updates, restore ==

-- == tracked tables: track, untrack, backfill ==

-- == packaging: version, comments ==
