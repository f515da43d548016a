/* event_definitions_proxy--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION event_definitions_proxy UPDATE TO '1.2'" to load this file. \quit

/*
 * Version 1.2 routes the API functions that event_definitions 1.2 adds,
 * with route() of version 1.1.  One section per concern.
 */

-- == property definitions ==

-- == event schemas and enforcement ==

-- == typed code generation ==
