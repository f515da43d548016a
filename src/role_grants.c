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
 *	  Grants are written through SPI; the check made on every call reads
 *	  the table directly by index (see below).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

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

/* A role's name for a message; the OID of a dropped one */
static const char *
ed_role_name(Oid role)
{
	const char *name = GetUserNameFromId(role, true);

	return name != NULL ? name : psprintf("%u", role);
}

static void
ed_grants_denied(Oid role, int64 project_id, EdScope scope, bool has_read)
{
	const char *name = ed_role_name(role);
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
 * The per-call check reads the table directly, by index, instead of
 * through SPI: it runs before every call of the API, and a direct probe
 * costs a fraction of a planned query.  Columns of role_grants, in the
 * order of its CREATE TABLE.
 */
#define ED_GRANT_ATT_PROJECT	1
#define ED_GRANT_ATT_ROLE		2
#define ED_GRANT_ATT_SCOPE		3

typedef struct EdGrantRels
{
	Relation	table;
	Oid			pkey;			/* (project_id, role) */
	Oid			by_role;		/* (role) */
	Snapshot	snapshot;
} EdGrantRels;

/*
 * Open the table, or return false when there is none: a database still on
 * version 1.0 of the SQL objects (the library is installed first, then
 * each database runs ALTER EXTENSION UPDATE) has no grants, as in 1.0.
 */
static bool
ed_grant_rels_open(EdGrantRels *rels)
{
	Oid			nsp = get_namespace_oid("event_definitions", false);
	Oid			table = get_relname_relid("role_grants", nsp);

	if (!OidIsValid(table))
		return false;
	rels->pkey = get_relname_relid("role_grants_pkey", nsp);
	rels->by_role = get_relname_relid("role_grants_role_idx", nsp);
	if (!OidIsValid(rels->pkey) || !OidIsValid(rels->by_role))
		elog(ERROR, "the indexes of event_definitions.role_grants are missing");
	rels->table = table_open(table, AccessShareLock);
	/* the call's snapshot, as a query of the call would use */
	rels->snapshot = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	return true;
}

static void
ed_grant_rels_close(EdGrantRels *rels)
{
	table_close(rels->table, AccessShareLock);
}

/* Has this role any grant? */
static bool
ed_role_has_grants(EdGrantRels *rels, Oid role)
{
	ScanKeyData key;
	SysScanDesc scan;
	bool		found;

	ScanKeyInit(&key, ED_GRANT_ATT_ROLE, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(role));
	scan = systable_beginscan(rels->table, rels->by_role, true, rels->snapshot, 1, &key);
	found = HeapTupleIsValid(systable_getnext(scan));
	systable_endscan(scan);
	return found;
}

/* The role's scope on the project: "read", "write", or NULL without a grant. */
static char *
ed_role_scope_on(EdGrantRels *rels, Oid role, int64 project_id)
{
	ScanKeyData keys[2];
	SysScanDesc scan;
	HeapTuple	tup;
	char	   *scope = NULL;

	ScanKeyInit(&keys[0], ED_GRANT_ATT_PROJECT, BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(project_id));
	ScanKeyInit(&keys[1], ED_GRANT_ATT_ROLE, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(role));
	scan = systable_beginscan(rels->table, rels->pkey, true, rels->snapshot, 2, keys);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, ED_GRANT_ATT_SCOPE, RelationGetDescr(rels->table), &isnull);

		if (!isnull)
			scope = TextDatumGetCString(d);
	}
	systable_endscan(scan);
	return scope;
}

/*
 * Refuse the call with 42501 when the login role or the current role has
 * grants but none that allows this scope on this project.
 */
void
ed_role_grants_check(int64 project_id, EdScope scope)
{
	Oid			roles[2] = {GetSessionUserId(), GetOuterUserId()};
	EdGrantRels rels;

	if (!ed_grant_rels_open(&rels))
		return;
	for (int i = 0; i < 2; i++)
	{
		char	   *granted;

		if (i == 1 && roles[1] == roles[0])
			break;
		if (!ed_role_has_grants(&rels, roles[i]))
			continue;
		granted = ed_role_scope_on(&rels, roles[i], project_id);
		if (granted == NULL || (scope == ED_SCOPE_WRITE && strcmp(granted, "write") != 0))
		{
			ed_grant_rels_close(&rels);
			ed_grants_denied(roles[i], project_id, scope, granted != NULL);
		}
	}
	ed_grant_rels_close(&rels);
}

/* Is the login role or the current role limited by grants? */
bool
ed_role_grants_restricted(void)
{
	EdGrantRels rels;
	bool		restricted;

	if (!ed_grant_rels_open(&rels))
		return false;
	restricted = ed_role_has_grants(&rels, GetSessionUserId()) ||
		ed_role_has_grants(&rels, GetOuterUserId());
	ed_grant_rels_close(&rels);
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
						ed_role_name(role)),
				 errdetail("A role without grants is not limited to projects, so revoking its last grant would widen its access."),
				 errhint("Revoke EXECUTE on the functions to take its access away, or call event_definitions.revoke_project(role) without a project to lift its limit.")));
	ed_execute_kept(delete_plan, values, all ? " n" : "  ", false, 0, SPI_OK_DELETE);
	removed = (int32) SPI_processed;
	ed_grants_finish();
	return removed;
}
