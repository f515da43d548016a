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
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "access.h"
#include "catalog.h"
#include "user_projects.h"

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

	if (nids == 0 || !ed_caller_restricted())
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
	if (ed_caller_restricted())
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
