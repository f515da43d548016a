/*-------------------------------------------------------------------------
 *
 * project_stats.c
 *	  Per-project bookkeeping: writer lock, exact count, generation.
 *
 *	  Every write to a project's definitions or counters (ingest, create,
 *	  update, delete, record_query_usage) first locks the project's stats row, and only then touches
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
 *	  The API's own writes keep the row exact themselves.  Any other write
 *	  to the definitions table (an administrator's UPDATE, a COPY while
 *	  moving a project between shards, TRUNCATE) fires a statement trigger
 *	  that recounts the projects it touched and moves their generation, so
 *	  counts and name indexes stay right whatever path changed the rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"

#include "commands/trigger.h"
#include "fmgr.h"

#include "catalog.h"
#include "project_stats.h"

PG_FUNCTION_INFO_V1(event_definitions_definitions_changed);

/* true while one of our own statements writes definitions */
static bool ed_writing_maintained = false;

/*
 * Run a write of definitions whose effect on project_stats the caller
 * records itself, so the table's statement trigger leaves it alone.
 */
void
ed_execute_maintained(SPIPlanPtr plan, Datum *values, const char *nulls, int expected)
{
	bool		save = ed_writing_maintained;

	ed_writing_maintained = true;
	PG_TRY();
	{
		ed_execute_kept(plan, values, nulls, false, 0, expected);
	}
	PG_FINALLY();
	{
		ed_writing_maintained = save;
	}
	PG_END_TRY();
}

/*
 * AFTER ... FOR EACH STATEMENT trigger of event_definitions.definitions:
 * recount the projects a foreign write touched and move their generation.
 */
Datum
event_definitions_definitions_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *sql;
	int			ret;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("definitions_changed() can only be called as a trigger")));
	if (ed_writing_maintained)
		return PointerGetDatum(NULL);

#define ED_RECOUNT(touched) \
	"INSERT INTO event_definitions.project_stats AS s (project_id, definitions, generation) " \
	"SELECT p.project_id, (SELECT count(*) FROM event_definitions.definitions d " \
	"  WHERE d.project_id = p.project_id), 1 " \
	"FROM (" touched ") p ORDER BY 1 " \
	"ON CONFLICT (project_id) DO UPDATE " \
	"SET definitions = excluded.definitions, generation = s.generation + 1"

	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		sql = "UPDATE event_definitions.project_stats s "
			"SET definitions = 0, generation = s.generation + 1";
	else if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		sql = ED_RECOUNT("SELECT DISTINCT n.project_id FROM ed_new_rows n");
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		sql = ED_RECOUNT("SELECT DISTINCT o.project_id FROM ed_old_rows o");
	else
		sql = ED_RECOUNT("SELECT o.project_id FROM ed_old_rows o "
						 "UNION SELECT n.project_id FROM ed_new_rows n");
#undef ED_RECOUNT

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "SPI_register_trigger_data failed");
	ret = SPI_execute(sql, false, 0);
	if (ret != SPI_OK_UPDATE && ret != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(ret));
	SPI_finish();
	return PointerGetDatum(NULL);
}

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

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.project_stats AS s (project_id) VALUES ($1) "
					"ON CONFLICT (project_id) DO UPDATE SET generation = s.generation WHERE false",
					1, argtypes);
	values[0] = Int64GetDatum(project_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
}

/*
 * Record a change: adjust the count and move to a new generation, taking
 * the writer lock if the caller does not hold it yet.  Writers that know
 * their effect up front (create +1, delete -1, update 0) call this first:
 * if the call then fails, its transaction, and so this change, rolls back.
 */
void
ed_stats_changed(int64 project_id, int64 delta_definitions)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, INT8OID};
	Datum		values[2];

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.project_stats AS s (project_id, definitions, generation) "
					"VALUES ($1, greatest($2, 0), 1) "
					"ON CONFLICT (project_id) DO UPDATE "
					"SET definitions = s.definitions + $2, generation = s.generation + 1",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = Int64GetDatum(delta_definitions);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
}

EdStats
ed_stats_read(int64 project_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	EdStats		stats = {false, 0, 0, false};

	ed_prepare_kept(&plan,
					"SELECT s.definitions, s.generation, s.xmin "
					"FROM event_definitions.project_stats s WHERE s.project_id = $1",
					1, argtypes);
	values[0] = Int64GetDatum(project_id);
	ed_execute_kept(plan, values, NULL, true, 1, SPI_OK_SELECT);
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
