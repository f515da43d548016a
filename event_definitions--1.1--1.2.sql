/* event_definitions--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION event_definitions UPDATE TO '1.2'" to load this file. \quit

/*
 * Version 1.2.  A fresh 1.2 is 1.0 followed by the 1.0 -> 1.1 script and
 * this one, so an updated 1.0 or 1.1 and a fresh 1.2 are the same
 * (test/upgrade checks it).  One section per concern, each saying what it
 * is for; a section touches only its own objects.
 */

-- == name index: capacity, replicas, operators' view ==

-- == writes: tracked tables, the change feed, two-phase commit, grants ==

-- == property definitions ==

-- == event schemas and enforcement ==

-- == typed code generation ==
