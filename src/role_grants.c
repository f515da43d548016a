/*-------------------------------------------------------------------------
 *
 * role_grants.c
 *	  Per-role project grants (table event_definitions.role_grants).
 *
 *	  request.jwt.claims is a setting that any session may change, so it is
 *	  a boundary only behind an HTTP layer that sets it per request.  For
 *	  roles that run SQL themselves, the extension owner grants projects to
 *	  roles: a role with at least one grant may use only its granted
 *	  projects, with the granted scope ('write' includes 'read'), on every
 *	  call, whatever its claims say.  Roles without grants are not limited
 *	  by this table (the claims and EXECUTE privileges still apply).
 *
 *	  Two roles are checked on each call: the session's login role and the
 *	  current role outside of SECURITY DEFINER functions (the role of SET
 *	  ROLE, or PostgREST's SET LOCAL ROLE).  So a limited login role stays
 *	  limited after SET ROLE to a role without grants, and a limited role
 *	  that a superuser becomes with SET ROLE is limited too.  Grants are not
 *	  inherited through role membership: they name the roles they limit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"

#include "catalog.h"
#include "role_grants.h"

static void
ed_grants_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

static void
ed_grants_finish(void)
{
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed");
}

static void
ed_grants_denied(Oid role, int64 project_id, EdScope scope, bool has_read)
{
	const char *name = GetUserNameFromId(role, true);

	if (name == NULL)
		name = psprintf("%u", role);
	if (has_read && scope == ED_SCOPE_WRITE)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied: role \"%s\" may only read project " INT64_FORMAT,
						name, project_id),
				 errdetail("The role's grant on this project in event_definitions.role_grants has scope \"read\"."),
				 errhint("The extension owner can call event_definitions.grant_project() with scope \"write\".")));
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied for project " INT64_FORMAT, project_id),
			 errdetail("Role \"%s\" is limited to the projects granted to it in event_definitions.role_grants, and this is not one of them.",
					   name)));
}

/*
 * Refuse the call with 42501 when the login role or the current role has
 * grants but none that allows this scope on this project.
 */
void
ed_role_grants_check(int64 project_id, EdScope scope)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {REGROLEOID, INT8OID, REGROLEOID};
	Datum		values[3];
	Oid			denied_role = InvalidOid;
	bool		denied_has_read = false;

	ed_grants_connect();
	/* one row per role that has grants: its scope on this project, or null */
	ed_prepare_kept(&plan,
					"SELECT r.role::oid, (SELECT g.scope FROM event_definitions.role_grants g "
					"WHERE g.project_id = $2 AND g.role = r.role) "
					"FROM (VALUES ($1), ($3)) AS r(role) "
					"WHERE EXISTS (SELECT 1 FROM event_definitions.role_grants g "
					"WHERE g.role = r.role)",
					3, argtypes);
	values[0] = ObjectIdGetDatum(GetSessionUserId());
	values[1] = Int64GetDatum(project_id);
	values[2] = ObjectIdGetDatum(GetOuterUserId());
	ed_execute_kept(plan, values, NULL, true, 0, SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed && denied_role == InvalidOid; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		Oid			role = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull));
		Datum		granted = SPI_getbinval(tup, desc, 2, &isnull);

		if (isnull)
			denied_role = role;
		else if (scope == ED_SCOPE_WRITE &&
				 strcmp(TextDatumGetCString(granted), "write") != 0)
		{
			denied_role = role;
			denied_has_read = true;
		}
	}
	ed_grants_finish();
	if (denied_role != InvalidOid)
		ed_grants_denied(denied_role, project_id, scope, denied_has_read);
}

/* Is the login role or the current role limited by grants? */
bool
ed_role_grants_restricted(void)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {REGROLEOID, REGROLEOID};
	Datum		values[2];
	bool		restricted;

	ed_grants_connect();
	ed_prepare_kept(&plan,
					"SELECT 1 FROM event_definitions.role_grants g "
					"WHERE g.role = $1 OR g.role = $2 LIMIT 1",
					2, argtypes);
	values[0] = ObjectIdGetDatum(GetSessionUserId());
	values[1] = ObjectIdGetDatum(GetOuterUserId());
	ed_execute_kept(plan, values, NULL, true, 1, SPI_OK_SELECT);
	restricted = SPI_processed > 0;
	ed_grants_finish();
	return restricted;
}

/* 'read' or 'write' for a scope given as such or as a scope name */
const char *
ed_role_grant_scope(const char *given)
{
	if (strcmp(given, "read") == 0 || strcmp(given, "event_definition:read") == 0)
		return "read";
	if (strcmp(given, "write") == 0 || strcmp(given, "event_definition:write") == 0)
		return "write";
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid scope \"%s\"", ed_truncated(given, 64)),
			 errhint("Valid scopes are \"read\" and \"write\" (or \"event_definition:read\" and \"event_definition:write\").")));
	return NULL;				/* keep the compiler quiet */
}

void
ed_role_grant_set(Oid role, int64 project_id, const char *scope)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {INT8OID, REGROLEOID, TEXTOID};
	Datum		values[3];

	ed_grants_connect();
	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.role_grants AS g (project_id, role, scope) "
					"VALUES ($1, $2, $3) ON CONFLICT (project_id, role) "
					"DO UPDATE SET scope = EXCLUDED.scope",
					3, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = ObjectIdGetDatum(role);
	values[2] = CStringGetTextDatum(scope);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
	ed_grants_finish();
}

/*
 * Remove one grant of a role, or all of them.  Removing the last one
 * alone would lift the role's limit, so that takes all = true.  The role's
 * grants are locked first: two revokes of its last two grants queue, and
 * the second sees that it would remove the last one.
 */
int32
ed_role_grant_remove(Oid role, bool all, int64 project_id)
{
	static SPIPlanPtr lock_plan = NULL;
	static SPIPlanPtr delete_plan = NULL;
	Oid			argtypes[2] = {REGROLEOID, INT8OID};
	Datum		values[2];
	bool		has_grant = false;
	uint64		ngrants;
	int32		removed;

	ed_grants_connect();
	ed_prepare_kept(&lock_plan,
					"SELECT g.project_id FROM event_definitions.role_grants g "
					"WHERE g.role = $1 ORDER BY g.project_id FOR UPDATE",
					1, argtypes);
	ed_prepare_kept(&delete_plan,
					"DELETE FROM event_definitions.role_grants g "
					"WHERE g.role = $1 AND ($2 IS NULL OR g.project_id = $2)",
					2, argtypes);
	values[0] = ObjectIdGetDatum(role);
	values[1] = Int64GetDatum(project_id);
	ed_execute_kept(lock_plan, values, NULL, false, 0, SPI_OK_SELECT);
	ngrants = SPI_processed;
	for (uint64 i = 0; i < ngrants && !all; i++)
	{
		bool		isnull;

		if (DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc,
										1, &isnull)) == project_id)
			has_grant = true;
	}
	if (!all && has_grant && ngrants == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot revoke the last project grant of role \"%s\"",
						GetUserNameFromId(role, false)),
				 errdetail("A role without grants is not limited to projects, so revoking its last grant would widen its access."),
				 errhint("Revoke EXECUTE on the functions to take its access away, or call event_definitions.revoke_project(role) without a project to lift its limit.")));
	ed_execute_kept(delete_plan, values, all ? " n" : "  ", false, 0, SPI_OK_DELETE);
	removed = (int32) SPI_processed;
	ed_grants_finish();
	return removed;
}
