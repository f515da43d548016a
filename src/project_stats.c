/*-------------------------------------------------------------------------
 *
 * project_stats.c
 *	  Per-project bookkeeping of writers: exact counts and the change log
 *	  of the name index.
 *
 *	  Counts.  The exact number of definitions of a project (the count of
 *	  an unfiltered list) is the sum of its rows in project_stats: a writer
 *	  that creates or deletes a definition adds +1/-1 to the slot of its
 *	  backend (1..16), slot 0 holds what a recount found.  Writers of
 *	  different definitions therefore never wait for each other; they lock
 *	  only the rows they write, in one order (names sorted), so they do not
 *	  deadlock either.  A project with definitions but no stats rows (a
 *	  restore that bypassed triggers) is counted from the table, and its
 *	  first writer recounts it (the "base" of ED_SLOT_ADD).
 *
 *	  Changes.  A write that changes what the name index holds (a name
 *	  created or deleted, a last-seen day moved, hidden or verified
 *	  flipped) adds the name to name_changes in the same transaction, with
 *	  the transaction's id; name_index.c reads only those names to bring an
 *	  index up to date.  A description-only PATCH records nothing.
 *
 *	  Writes outside the API (an administrator's DML, COPY while moving a
 *	  project, TRUNCATE) fire statement triggers that record the names they
 *	  touched and recount the projects into slot 0.
 *
 *	  A 1.0 schema (the library is newer than the installed SQL, before
 *	  ALTER EXTENSION UPDATE) keeps 1.0's bookkeeping: one stats row per
 *	  project, locked by every writer, and a generation; the name index is
 *	  not used there.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/transam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/backendid.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "catalog.h"
#include "compat.h"
#include "project_stats.h"
#include "version.h"

PG_FUNCTION_INFO_V1(event_definitions_definitions_changed);

#define ED_COUNT_SLOTS 16

/* field4 of our lock tags: the SQL advisory functions use 1 and 2 */
#define ED_LOCKTAG_FIELD4 0x4544

bool		ed_transaction_writer_lock = true;

/* true while one of our own statements writes definitions */
static bool ed_writing_maintained = false;

/* projects written by the current transaction (read your writes) */
#define ED_MAX_WRITTEN 64
static LocalTransactionId ed_written_lxid = InvalidLocalTransactionId;
static int	ed_nwritten = 0;
static int64 ed_written[ED_MAX_WRITTEN];
static bool ed_written_overflow = false;

void
ed_project_stats_define_gucs(void)
{
	DefineCustomBoolVariable("event_definitions.transaction_writer_lock",
							 "Serialize the writers of a project that write inside a transaction block.",
							 "A write call in a transaction block may be followed by more, so it takes "
							 "the project's writer lock exclusively to rule out deadlocks between such "
							 "transactions. Off for callers that make one call per transaction "
							 "(PostgREST): their writers then run in parallel.",
							 &ed_transaction_writer_lock,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}

void
ed_project_mark_written(int64 project_id)
{
	if (ed_written_lxid != ED_MY_LXID)
	{
		ed_written_lxid = ED_MY_LXID;
		ed_nwritten = 0;
		ed_written_overflow = false;
	}
	for (int i = 0; i < ed_nwritten; i++)
		if (ed_written[i] == project_id)
			return;
	if (ed_nwritten < ED_MAX_WRITTEN)
		ed_written[ed_nwritten++] = project_id;
	else
		ed_written_overflow = true;
}

bool
ed_project_written_here(int64 project_id)
{
	if (ed_written_lxid != ED_MY_LXID)
		return false;
	if (ed_written_overflow)
		return true;
	for (int i = 0; i < ed_nwritten; i++)
		if (ed_written[i] == project_id)
			return true;
	return false;
}

/*
 * Run a write of definitions whose bookkeeping the caller does itself, so
 * the table's statement trigger leaves it alone.
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

/* 1.0: the writer lock (FOR UPDATE of the stats row, created if new) */
static void
ed_legacy_lock(int64 project_id)
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

/* 1.0: adjust the count and move to a new generation */
static void
ed_legacy_changed(int64 project_id, int64 delta_definitions)
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

/*
 * The project's writer lock, a heavyweight lock of our own (an advisory
 * tag no SQL advisory function produces), held to the end of the
 * transaction.  A single-statement call takes it shared: such writers of
 * a project run in parallel, locking only their rows in name order, and
 * cannot deadlock with each other.  A call inside a transaction block may
 * be followed by more write calls whose rows, locked across calls, could
 * form a cycle with another such transaction's: it takes the lock
 * exclusively (unless event_definitions.transaction_writer_lock is off),
 * so those transactions queue, as in 1.0.
 */
static void
ed_project_lock_mode(int64 project_id, LOCKMODE mode)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) ((uint64) project_id >> 32),
						 (uint32) project_id, ED_LOCKTAG_FIELD4);
	(void) LockAcquire(&tag, mode, false, false);
}

static void
ed_project_lock(int64 project_id)
{
	ed_project_lock_mode(project_id,
						 (IsTransactionBlock() && ed_transaction_writer_lock) ?
						 ExclusiveLock : ShareLock);
}

void
ed_write_begin(int64 project_id)
{
	ed_project_mark_written(project_id);
	if (ed_sql_version() < ED_SQL_1_1)
		ed_legacy_lock(project_id);
	else
		ed_project_lock(project_id);
}

/*
 * Add delta to this backend's slot.  When the project has no stats rows at
 * all, slot 0 first gets the count of the table as this statement sees it,
 * less the caller's own change, which the slot then adds.
 */
static void
ed_slot_add(int64 project_id, int64 delta)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {INT8OID, INT4OID, INT8OID};
	Datum		values[3];

	ed_prepare_kept(&plan,
					"WITH base AS ("
					"  INSERT INTO event_definitions.project_stats (project_id, slot, definitions)"
					"  SELECT $1, 0, (SELECT count(*) FROM event_definitions.definitions d"
					"                 WHERE d.project_id = $1) - $3"
					"  WHERE NOT EXISTS (SELECT FROM event_definitions.project_stats s"
					"                    WHERE s.project_id = $1)"
					"  ON CONFLICT DO NOTHING"
					") INSERT INTO event_definitions.project_stats AS s (project_id, slot, definitions)"
					" VALUES ($1, $2, $3) ON CONFLICT (project_id, slot) DO UPDATE"
					" SET definitions = s.definitions + excluded.definitions",
					3, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = Int32GetDatum((int32) (ED_MY_BACKEND_ID % ED_COUNT_SLOTS) + 1);
	values[2] = Int64GetDatum(delta);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
}

static void
ed_name_changed(int64 project_id, const char *name)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, TEXTOID};
	Datum		values[2];

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.name_changes (project_id, name) VALUES ($1, $2)",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = CStringGetTextDatum(name);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
}

/*
 * Keep the change log bounded: now and then (one write in 1024) a writer
 * that added to it deletes all but its newest ED_KEEP_CHANGES rows of the
 * project and records where it cut (name_change_horizon).  An index whose
 * snapshot is older than the cut can no longer be brought up to date and
 * is rebuilt.  The background worker trims far more often (after every
 * rebuild, below the new base); this is for servers without it.
 */
#define ED_KEEP_CHANGES 100000

void
ed_changes_maybe_trim(int64 project_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, INT8OID};
	Datum		values[2];

	if (ED_RANDOM_UINT32() % 1024 != 0)
		return;
	ed_prepare_kept(&plan,
					"WITH cut AS ("
					"  SELECT ch.xid FROM event_definitions.name_changes ch"
					"  WHERE ch.project_id = $1 ORDER BY ch.xid DESC OFFSET $2 LIMIT 1"
					"), h AS ("
					"  INSERT INTO event_definitions.name_change_horizon AS h (project_id, trimmed_below)"
					"  SELECT $1, cut.xid FROM cut ON CONFLICT (project_id) DO UPDATE"
					"  SET trimmed_below = greatest(h.trimmed_below, excluded.trimmed_below)"
					") DELETE FROM event_definitions.name_changes ch USING cut"
					" WHERE ch.project_id = $1 AND ch.xid < cut.xid",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = Int64GetDatum(ED_KEEP_CHANGES);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_DELETE);
}

/*
 * Record a write that has been made: delta_definitions for the count, and
 * whether the index-visible state of "name" changed.
 */
void
ed_write_done(int64 project_id, int64 delta_definitions, const char *name, bool index_changed)
{
	ed_project_mark_written(project_id);
	if (ed_sql_version() < ED_SQL_1_1)
	{
		if (delta_definitions != 0 || index_changed)
			ed_legacy_changed(project_id, delta_definitions);
		return;
	}
	if (delta_definitions != 0)
		ed_slot_add(project_id, delta_definitions);
	if (index_changed)
	{
		ed_name_changed(project_id, name);
		ed_changes_maybe_trim(project_id);
	}
}

/*
 * The exact number of definitions of a project.  Without stats rows (a
 * restore that bypassed triggers, or a project never written) the table is
 * counted.
 */
int64
ed_count_read(int64 project_id)
{
	static SPIPlanPtr plan_v11 = NULL;
	static SPIPlanPtr plan_v10 = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	bool		isnull;
	Datum		d;

	if (ed_sql_version() >= ED_SQL_1_1)
		ed_prepare_kept(&plan_v11,
						"SELECT CASE WHEN count(*) > 0 THEN sum(s.definitions)::int8"
						" ELSE (SELECT count(*) FROM event_definitions.definitions d"
						"       WHERE d.project_id = $1) END"
						" FROM event_definitions.project_stats s WHERE s.project_id = $1",
						1, argtypes);
	else
		ed_prepare_kept(&plan_v10,
						"SELECT coalesce((SELECT s.definitions FROM event_definitions.project_stats s"
						" WHERE s.project_id = $1), (SELECT count(*) FROM event_definitions.definitions d"
						" WHERE d.project_id = $1))",
						1, argtypes);
	values[0] = Int64GetDatum(project_id);
	ed_execute_kept(ed_sql_version() >= ED_SQL_1_1 ? plan_v11 : plan_v10, values, NULL, true, 1, SPI_OK_SELECT);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	SPI_freetuptable(SPI_tuptable);
	return isnull ? 0 : DatumGetInt64(d);
}

/*
 * 1.1's bookkeeping after a foreign write or for recount(): the projects
 * of "touched" (a query yielding project_id, name; name null means all of
 * the project) get their names recorded and their count rewritten into
 * slot 0.
 */
#define ED_V11_RECORD(touched) \
	"WITH t AS (" touched "), " \
	"ch AS (INSERT INTO event_definitions.name_changes (project_id, name) " \
	"       SELECT DISTINCT t.project_id, t.name FROM t), " \
	"p AS (SELECT DISTINCT t.project_id FROM t), " \
	"del AS (DELETE FROM event_definitions.project_stats s USING p " \
	"        WHERE s.project_id = p.project_id AND s.slot <> 0) " \
	"INSERT INTO event_definitions.project_stats AS s (project_id, slot, definitions) " \
	"SELECT p.project_id, 0, (SELECT count(*) FROM event_definitions.definitions d " \
	"  WHERE d.project_id = p.project_id) FROM p ORDER BY 1 " \
	"ON CONFLICT (project_id, slot) DO UPDATE SET definitions = excluded.definitions"

#define ED_V10_RECOUNT(touched) \
	"INSERT INTO event_definitions.project_stats AS s (project_id, definitions, generation) " \
	"SELECT p.project_id, (SELECT count(*) FROM event_definitions.definitions d " \
	"  WHERE d.project_id = p.project_id), 1 " \
	"FROM (SELECT DISTINCT t.project_id FROM (" touched ") t) p ORDER BY 1 " \
	"ON CONFLICT (project_id) DO UPDATE " \
	"SET definitions = excluded.definitions, generation = s.generation + 1"

static const char *
ed_foreign_write_sql(TriggerEvent event, bool v11)
{
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
		return v11 ?
			ED_V11_RECORD("SELECT s.project_id, NULL::text AS name "
						  "FROM event_definitions.project_stats s") :
			"UPDATE event_definitions.project_stats s "
			"SET definitions = 0, generation = s.generation + 1";
	if (TRIGGER_FIRED_BY_INSERT(event))
		return v11 ?
			ED_V11_RECORD("SELECT n.project_id, n.name FROM ed_new_rows n") :
			ED_V10_RECOUNT("SELECT n.project_id FROM ed_new_rows n");
	if (TRIGGER_FIRED_BY_DELETE(event))
		return v11 ?
			ED_V11_RECORD("SELECT o.project_id, o.name FROM ed_old_rows o") :
			ED_V10_RECOUNT("SELECT o.project_id FROM ed_old_rows o");
	return v11 ?
		ED_V11_RECORD("SELECT o.project_id, o.name FROM ed_old_rows o "
					  "UNION SELECT n.project_id, n.name FROM ed_new_rows n") :
		ED_V10_RECOUNT("SELECT o.project_id FROM ed_old_rows o "
					   "UNION SELECT n.project_id FROM ed_new_rows n");
}

/*
 * Before a foreign write recounts its projects: their writer locks,
 * exclusively, so that the count (taken by the next statement, with a
 * snapshot taken after the locks) sees every API writer of those projects
 * committed, and none is halfway.
 */
static void
ed_lock_touched_projects(TriggerEvent event)
{
	const char *sql;

	if (TRIGGER_FIRED_BY_TRUNCATE(event))
		sql = "SELECT DISTINCT s.project_id FROM event_definitions.project_stats s ORDER BY 1";
	else if (TRIGGER_FIRED_BY_INSERT(event))
		sql = "SELECT DISTINCT n.project_id FROM ed_new_rows n ORDER BY 1";
	else if (TRIGGER_FIRED_BY_DELETE(event))
		sql = "SELECT DISTINCT o.project_id FROM ed_old_rows o ORDER BY 1";
	else
		sql = "SELECT o.project_id FROM ed_old_rows o UNION SELECT n.project_id FROM ed_new_rows n "
			"ORDER BY 1";
	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		CHECK_FOR_INTERRUPTS();
		if (!isnull)
			ed_project_lock_mode(DatumGetInt64(d), ExclusiveLock);
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * AFTER ... FOR EACH STATEMENT trigger of event_definitions.definitions:
 * bookkeeping for writes made outside the API functions.
 */
Datum
event_definitions_definitions_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	int			ret;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("definitions_changed() can only be called as a trigger")));
	if (ed_writing_maintained)
		return PointerGetDatum(NULL);

	/* whatever it touched, this transaction now reads its own writes */
	ed_written_lxid = ED_MY_LXID;
	ed_written_overflow = true;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "SPI_register_trigger_data failed");
	if (ed_sql_version() >= ED_SQL_1_1)
		ed_lock_touched_projects(trigdata->tg_event);
	ret = SPI_execute(ed_foreign_write_sql(trigdata->tg_event, ed_sql_version() >= ED_SQL_1_1), false, 0);
	if (ret != SPI_OK_UPDATE && ret != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(ret));
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * Recount one project, or every project that has definitions or stats,
 * and invalidate their name indexes.  Returns the number of projects.
 */
int64
ed_recount(int64 project_id, bool all_projects)
{
	const char *sql;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	SPIPlanPtr	plan;
	int			ret;

	if (ed_sql_version() >= ED_SQL_1_1)
		sql = all_projects ?
			ED_V11_RECORD("SELECT x.project_id, NULL::text AS name FROM ("
						  "SELECT DISTINCT d.project_id FROM event_definitions.definitions d "
						  "UNION SELECT s.project_id FROM event_definitions.project_stats s) x "
						  "WHERE $1 IS NULL") :
			ED_V11_RECORD("SELECT $1::int8 AS project_id, NULL::text AS name");
	else
		sql = all_projects ?
			ED_V10_RECOUNT("SELECT d.project_id FROM event_definitions.definitions d "
						   "WHERE $1 IS NULL UNION SELECT s.project_id "
						   "FROM event_definitions.project_stats s") :
			ED_V10_RECOUNT("SELECT $1::int8 AS project_id");
	if (!all_projects)
		ed_project_lock_mode(project_id, ExclusiveLock);
	plan = SPI_prepare(sql, 1, argtypes);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	values[0] = Int64GetDatum(project_id);
	ret = SPI_execute_plan(plan, values, all_projects ? "n" : NULL, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
	SPI_freeplan(plan);
	if (!all_projects)
		ed_project_mark_written(project_id);
	else
	{
		ed_written_lxid = ED_MY_LXID;
		ed_written_overflow = true;
	}
	return (int64) SPI_processed;
}
