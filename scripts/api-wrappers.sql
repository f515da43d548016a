/*
 * scripts/api-wrappers.sql: a schema of your own whose functions forward,
 * one for one, to the functions of the installed event_definitions.
 *
 *   psql -d mydb -v schema=event_definitions_api -f scripts/api-wrappers.sql
 *
 * (schema defaults to event_definitions_api.)  Why: the API functions are
 * members of the extension, and some tools leave members of extensions out
 * of what they serve; PostGraphile 5 does (docs/graphql.md).  A wrapper is
 * not a member of the extension, so such a tool serves it.
 *
 * What it makes, for every plain function of the extension in the
 * extension's schema (trigger, event trigger and internal-type functions,
 * procedures and aggregates excepted):
 *  - a LANGUAGE sql function of the same name, arguments (names, types,
 *    defaults, VARIADIC), result, volatility, strictness, PARALLEL label,
 *    cost and rows, and the same comment, whose body is the call;
 *  - SECURITY INVOKER: the caller calls the extension's function as
 *    itself, so its EXECUTE rights, its per-role project grants and its
 *    request.jwt.claims apply exactly as in a direct call, and every error
 *    (SQLSTATE, message, detail, hint) comes through unchanged;
 *  - EXECUTE on the wrapper for exactly the roles that have EXECUTE on the
 *    extension's function (PUBLIC included), so a tool that hides what its
 *    role may not run (PostGraphile's RBAC) hides the same functions; and
 *    USAGE on the schema for the roles that have it on the extension's
 *    schema.  Grant on the extension's functions, then rerun this script.
 *
 * Rerun it after ALTER EXTENSION event_definitions UPDATE, after GRANT or
 * REVOKE on the extension's functions, or any time: it creates the wrappers
 * of new functions, replaces the others (dropping and recreating one whose
 * arguments or result changed), drops the wrappers of functions that are
 * gone, and resets every wrapper's grants and comment to those of its
 * function.  It prints one row per wrapper: created, updated, unchanged
 * or dropped.  Everything happens in one transaction.
 *
 * It touches only the functions it made (their body starts with the marker
 * below): a function of yours with the name and arguments of a wrapper is
 * an error, and nothing changes.  The wrappers are owned by the role that
 * runs the script, which needs CREATE on the database (or an existing
 * schema it owns) and USAGE on the extension's schema, not superuser.
 * Their bodies are strings, so DROP EXTENSION leaves them behind (calls
 * then fail: the function does not exist); drop the schema too.
 */
\set ed_saved_on_error_stop :ON_ERROR_STOP
\set ed_saved_quiet :QUIET
\set ON_ERROR_STOP 1
\set QUIET 1
\if :{?schema}
\else
\set schema event_definitions_api
\endif

BEGIN;

-- what a wrapper is: its definition, grants and comment
CREATE FUNCTION pg_temp.ed_wrapper_state(fn oid) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT pg_get_functiondef(p.oid) || coalesce(p.proacl::text, '') || coalesce(obj_description(p.oid, 'pg_proc'), '')
FROM pg_proc p WHERE p.oid = fn
$$;

CREATE FUNCTION pg_temp.ed_api_wrappers(api_schema name)
RETURNS TABLE (wrapper text, action text)
LANGUAGE plpgsql
-- deparsed types and defaults come out schema-qualified
SET search_path = pg_catalog, pg_temp
AS $wrappers$
DECLARE
	marker constant text := '-- event_definitions API wrapper (scripts/api-wrappers.sql): ';
	ext_oid oid;
	ext_nsp oid;
	ext_nsp_name name;
	api_nsp oid;
	t record;
	w record;
	before text;
	after text;
	body text;
	args text;
	sig text;
	r record;
BEGIN
	SELECT e.oid, e.extnamespace, n.nspname INTO ext_oid, ext_nsp, ext_nsp_name
	FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
	WHERE e.extname = 'event_definitions';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'extension "event_definitions" is not installed in this database'
			USING ERRCODE = 'undefined_object',
				  HINT = 'Run CREATE EXTENSION event_definitions CASCADE first.';
	END IF;
	IF api_schema IS NULL OR api_schema = '' THEN
		RAISE EXCEPTION 'the wrapper schema name must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF api_schema = ext_nsp_name OR api_schema IN ('pg_catalog', 'information_schema') THEN
		RAISE EXCEPTION 'cannot make the wrappers in schema "%"', api_schema
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Name a schema of your own, e.g. event_definitions_api.';
	END IF;
	-- one run at a time per schema (concurrent CREATE OR REPLACE would fail)
	PERFORM pg_advisory_xact_lock(hashtext('event_definitions api-wrappers.sql'), hashtext(api_schema));
	SELECT n.oid INTO api_nsp FROM pg_namespace n WHERE n.nspname = api_schema;
	IF NOT FOUND THEN
		EXECUTE format('CREATE SCHEMA %I', api_schema);
		SELECT n.oid INTO STRICT api_nsp FROM pg_namespace n WHERE n.nspname = api_schema;
	END IF;

	-- the functions to forward: plain functions that belong to the
	-- extension and live in its schema, callable from SQL
	CREATE TEMP TABLE ed_targets ON COMMIT DROP AS
	SELECT p.oid, p.proname, pg_get_function_identity_arguments(p.oid) AS ident,
		   pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result,
		   p.proretset
	FROM pg_proc p
	JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
		AND d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext_oid AND d.deptype = 'e'
	WHERE p.pronamespace = ext_nsp
	  AND p.prokind = 'f'
	  AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype, 'internal'::regtype,
							   'language_handler'::regtype, 'fdw_handler'::regtype,
							   'index_am_handler'::regtype, 'tsm_handler'::regtype,
							   'table_am_handler'::regtype, 'cstring'::regtype)
	  AND NOT ('internal'::regtype = ANY (p.proargtypes::oid[])
			   OR 'cstring'::regtype = ANY (p.proargtypes::oid[]));

	-- 1. wrappers whose function is gone, or whose arguments or result
	-- changed (CREATE OR REPLACE cannot change those): drop
	FOR w IN
		SELECT p.oid, p.oid::regprocedure::text AS sig
		FROM pg_proc p
		WHERE p.pronamespace = api_nsp AND starts_with(p.prosrc, marker)
		  AND NOT EXISTS (SELECT FROM ed_targets x
						  WHERE x.proname = p.proname
							AND x.ident = pg_get_function_identity_arguments(p.oid)
							AND x.args = pg_get_function_arguments(p.oid)
							AND x.result = pg_get_function_result(p.oid)
							AND x.proretset = p.proretset)
		ORDER BY 2
	LOOP
		EXECUTE format('DROP FUNCTION %s', w.sig);
		wrapper := w.sig;
		action := 'dropped';
		RETURN NEXT;
	END LOOP;

	-- 2. create or replace one wrapper per function
	FOR t IN
		SELECT x.*, p.provolatile, p.proisstrict, p.proparallel, p.procost, p.prorows,
			   p.pronargs, p.provariadic, p.prorettype, p.proowner, p.proacl,
			   (p.proretset OR p.prorettype = 'record'::regtype
				OR EXISTS (SELECT FROM pg_type ty WHERE ty.oid = p.prorettype AND ty.typtype = 'c')
				OR 'o' = ANY (coalesce(p.proargmodes, '{}')::text[])
				OR 't' = ANY (coalesce(p.proargmodes, '{}')::text[])) AS rows_result
		FROM ed_targets x JOIN pg_proc p ON p.oid = x.oid
		ORDER BY x.proname, x.ident
	LOOP
		sig := format('%I.%I(%s)', api_schema, t.proname, t.ident);
		SELECT p.oid, p.prosrc INTO w
		FROM pg_proc p
		WHERE p.pronamespace = api_nsp AND p.proname = t.proname
		  AND pg_get_function_identity_arguments(p.oid) = t.ident;
		IF FOUND AND NOT starts_with(w.prosrc, marker) THEN
			RAISE EXCEPTION 'function % exists and was not made by this script', sig
				USING ERRCODE = 'duplicate_function',
					  DETAIL = 'The wrapper of ' || t.oid::regprocedure::text || ' would replace it.',
					  HINT = 'Drop or rename your function, or make the wrappers in a schema of their own.';
		END IF;
		before := CASE WHEN FOUND THEN pg_temp.ed_wrapper_state(w.oid) END;

		SELECT string_agg(CASE WHEN t.provariadic <> 0 AND i = t.pronargs THEN 'VARIADIC ' ELSE '' END || '$' || i,
						  ', ' ORDER BY i)
		INTO args
		FROM generate_series(1, t.pronargs) AS i;
		body := marker || 'forwards to ' || t.oid::regprocedure::text || E'\n'
			|| CASE WHEN t.rows_result
					THEN format('SELECT * FROM %I.%I(%s)', ext_nsp_name, t.proname, coalesce(args, ''))
					ELSE format('SELECT %I.%I(%s)', ext_nsp_name, t.proname, coalesce(args, '')) END;
		EXECUTE format('CREATE OR REPLACE FUNCTION %I.%I(%s) RETURNS %s LANGUAGE sql %s %s PARALLEL %s SECURITY INVOKER COST %s%s AS %L',
					   api_schema, t.proname, t.args, t.result,
					   CASE t.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
					   CASE WHEN t.proisstrict THEN 'STRICT' ELSE 'CALLED ON NULL INPUT' END,
					   CASE t.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END,
					   t.procost,
					   CASE WHEN t.proretset THEN ' ROWS ' || t.prorows ELSE '' END,
					   body);
		EXECUTE format('COMMENT ON FUNCTION %s IS %L', sig, obj_description(t.oid, 'pg_proc'));

		-- EXECUTE: the roles of the function's ACL, not its owner (0 is PUBLIC)
		SELECT p.oid, p.proowner, p.proacl INTO STRICT w
		FROM pg_proc p
		WHERE p.pronamespace = api_nsp AND p.proname = t.proname
		  AND pg_get_function_identity_arguments(p.oid) = t.ident;
		FOR r IN
			SELECT a.grantee, false AS want
			FROM aclexplode(coalesce(w.proacl, acldefault('f', w.proowner))) a
			WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> w.proowner
			EXCEPT
			SELECT a.grantee, false
			FROM aclexplode(coalesce(t.proacl, acldefault('f', t.proowner))) a
			WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> t.proowner
			UNION ALL
			(SELECT a.grantee, true
			 FROM aclexplode(coalesce(t.proacl, acldefault('f', t.proowner))) a
			 WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> t.proowner
			 EXCEPT
			 SELECT a.grantee, true
			 FROM aclexplode(coalesce(w.proacl, acldefault('f', w.proowner))) a
			 WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> w.proowner)
		LOOP
			EXECUTE format(CASE WHEN r.want THEN 'GRANT EXECUTE ON FUNCTION %s TO %s'
								ELSE 'REVOKE EXECUTE ON FUNCTION %s FROM %s' END,
						   sig,
						   CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE r.grantee::regrole::text END);
		END LOOP;

		after := pg_temp.ed_wrapper_state(w.oid);
		wrapper := w.oid::regprocedure::text;
		action := CASE WHEN before IS NULL THEN 'created'
					   WHEN before = after THEN 'unchanged'
					   ELSE 'updated' END;
		RETURN NEXT;
	END LOOP;

	-- USAGE on the schema for the roles that have it on the extension's
	FOR r IN
		SELECT DISTINCT a.grantee
		FROM pg_namespace n, aclexplode(n.nspacl) a
		WHERE n.oid = ext_nsp AND a.privilege_type = 'USAGE' AND a.grantee <> n.nspowner
	LOOP
		EXECUTE format('GRANT USAGE ON SCHEMA %I TO %s', api_schema,
					   CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE r.grantee::regrole::text END);
	END LOOP;
END
$wrappers$;

SELECT * FROM pg_temp.ed_api_wrappers(:'schema');
DROP FUNCTION pg_temp.ed_api_wrappers(name), pg_temp.ed_wrapper_state(oid);

COMMIT;

\set ON_ERROR_STOP :ed_saved_on_error_stop
\set QUIET :ed_saved_quiet
\unset ed_saved_on_error_stop
\unset ed_saved_quiet
