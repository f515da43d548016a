/*-------------------------------------------------------------------------
 *
 * project_stats.c
 *	  Per-project bookkeeping: writer lock, exact count, generation.
 *
 *	  Every write to a project's definitions (ingest, create, update,
 *	  delete) first locks the project's stats row, and only then touches
 *	  definitions.  So all writers of a project take their locks in one
 *	  order, whatever they do next and however many calls one transaction
 *	  makes: concurrent writers of a project queue, they never deadlock.
 *
 *	  A write that changes what the name index caches (the set of names,
 *	  a last-seen day, the hidden or verified flags) increases the
 *	  generation in the same transaction.  Two snapshots that see the same
 *	  committed generation therefore see the same cached state, which is
 *	  what lets name_index.c reuse an index across transactions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"

#include "catalog.h"
#include "project_stats.h"

/*
 * Take the project's writer lock (FOR UPDATE of its stats row), creating
 * the row when the project is new.  ON CONFLICT ... DO UPDATE locks the
 * existing row even though its WHERE clause updates nothing.
 */
void
ed_stats_lock(int64 project_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	int			ret;

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.project_stats AS s (project_id) VALUES ($1) "
					"ON CONFLICT (project_id) DO UPDATE SET generation = s.generation WHERE false",
					1, argtypes);
	values[0] = Int64GetDatum(project_id);
	ret = SPI_execute_plan(plan, values, NULL, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
}

/* Record a change: adjust the count and move to a new generation. */
void
ed_stats_changed(int64 project_id, int64 delta_definitions)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, INT8OID};
	Datum		values[2];
	int			ret;

	ed_prepare_kept(&plan,
					"UPDATE event_definitions.project_stats s "
					"SET definitions = s.definitions + $2, generation = s.generation + 1 "
					"WHERE s.project_id = $1",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = Int64GetDatum(delta_definitions);
	ret = SPI_execute_plan(plan, values, NULL, false, 0);
	if (ret != SPI_OK_UPDATE)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
	if (SPI_processed != 1)
		elog(ERROR, "project " INT64_FORMAT " has no stats row while locked", project_id);
}

EdStats
ed_stats_read(int64 project_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	EdStats		stats = {false, 0, 0, false};
	int			ret;

	ed_prepare_kept(&plan,
					"SELECT s.definitions, s.generation, s.xmin "
					"FROM event_definitions.project_stats s WHERE s.project_id = $1",
					1, argtypes);
	values[0] = Int64GetDatum(project_id);
	ret = SPI_execute_plan(plan, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
	if (SPI_processed == 1)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		stats.found = true;
		stats.definitions = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		stats.generation = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
		stats.written_here = TransactionIdIsCurrentTransactionId(
			DatumGetTransactionId(SPI_getbinval(tup, desc, 3, &isnull)));
	}
	SPI_freetuptable(SPI_tuptable);
	return stats;
}
