/*-------------------------------------------------------------------------
 *
 * user_projects.c
 *	  Users linked to projects (table event_definitions.user_projects,
 *	  filled by the host application).
 *
 *	  A caller limited to projects (a "project_ids" claim, or grants in
 *	  event_definitions.role_grants) sees only the records of the users
 *	  linked to the project of the call: the others render like an acting
 *	  user missing from the directory, {"id": N} with the other keys null.
 *	  Such a caller may set as owner only a linked user, and "no such user"
 *	  and "not linked" are one error, so ids cannot be probed.  Any other
 *	  caller (psql without claims) sees the whole directory, as in 1.0.
 *
 *	  A database still on version 1.0 of the SQL objects (the library is
 *	  installed first, then each database runs ALTER EXTENSION UPDATE) has
 *	  no user_projects table and keeps the 1.0 behaviour until updated.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "access.h"
#include "catalog.h"
#include "user_projects.h"

static bool
ed_user_projects_installed(void)
{
	return OidIsValid(get_relname_relid("user_projects",
										get_namespace_oid("event_definitions", false)));
}

/* Does the caller see only the users linked to the project of the call? */
static bool
ed_users_limited(void)
{
	return ed_caller_restricted() && ed_user_projects_installed();
}

/*
 * Keep, of the sorted distinct ids, those the caller may see in this
 * project; returns how many are left (in order, at the front of ids).
 * Runs inside SPI.
 */
int
ed_users_visible(int64 project_id, int64 *ids, int nids)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, INT8ARRAYOID};
	Datum		values[2];
	Datum	   *elems;
	int			kept;

	if (nids == 0 || !ed_users_limited())
		return nids;

	elems = palloc(sizeof(Datum) * nids);
	for (int i = 0; i < nids; i++)
		elems[i] = Int64GetDatum(ids[i]);
	ed_prepare_kept(&plan,
					"SELECT m.user_id FROM event_definitions.user_projects m "
					"WHERE m.project_id = $1 AND m.user_id = ANY ($2) ORDER BY m.user_id",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = PointerGetDatum(construct_array(elems, nids, INT8OID, 8,
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	ed_execute_kept(plan, values, NULL, true, 0, SPI_OK_SELECT);
	kept = (int) SPI_processed;
	for (int i = 0; i < kept; i++)
	{
		bool		isnull;

		ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc,
											 1, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	pfree(elems);
	return kept;
}

static bool
ed_user_is_member(int64 project_id, int64 user_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, INT8OID};
	Datum		values[2];

	ed_prepare_kept(&plan,
					"SELECT 1 FROM event_definitions.user_projects m "
					"WHERE m.project_id = $1 AND m.user_id = $2",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = Int64GetDatum(user_id);
	ed_execute_kept(plan, values, NULL, false, 1, SPI_OK_SELECT);
	return SPI_processed == 1;
}

/*
 * The owner of a definition of this project must be a user of the
 * directory, and for a caller limited to projects one linked to the
 * project.  Runs inside SPI.
 */
void
ed_users_check_owner(int64 project_id, int64 user_id)
{
	if (ed_users_limited())
	{
		/* the same error whether the user is missing or not linked */
		if (!ed_user_is_member(project_id, user_id))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for \"owner\": user " INT64_FORMAT " is not a user of project " INT64_FORMAT,
							user_id, project_id),
					 errhint("Owners must be users linked to the project in event_definitions.user_projects.")));
		return;
	}
	if (!ed_catalog_user_exists(user_id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for \"owner\": user " INT64_FORMAT " does not exist",
						user_id),
				 errhint("Owners must be users of event_definitions.users.")));
}
