/*-------------------------------------------------------------------------
 *
 * track.c
 *	  Tracked tables: track() and untrack(), the catalog row of a tracked
 *	  table (event_definitions.tracked_relations), the statement triggers on
 *	  the table and every partition, and the event triggers that keep them
 *	  right when the table changes.
 *
 *	  track() takes the lock CREATE TRIGGER takes (SHARE ROW EXCLUSIVE), so
 *	  it waits for inserters in progress and later inserters wait for it:
 *	  every row written after track() commits fires the trigger, every row
 *	  written before is visible to the snapshot track() records.  backfill
 *	  counts exactly the rows whose inserting transaction that snapshot
 *	  sees, so the trigger and backfill never count a row twice.
 *
 *	  A statement trigger on a partitioned table fires only for statements
 *	  that name it; rows inserted into a partition directly fire the
 *	  partition's own statement triggers.  So the triggers go on the root
 *	  and on every partition; the event trigger at ddl_command_end adds them
 *	  to partitions created or attached later, follows a RENAME of a tracked
 *	  column (the triggers are made again with the new name) and checks the
 *	  columns' types after every ALTER TABLE.  At sql_drop, dropping a
 *	  tracked column or one of the triggers is refused, and dropping the
 *	  table removes its catalog row.
 *
 *	  Who may: the owner of the table (or a member of the owning role) or a
 *	  superuser.  The functions are SECURITY DEFINER, so the caller is the
 *	  session's role (GetOuterUserId), the one SET ROLE chose.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "access/transam.h"
#include "access/xlog.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/xid8.h"

#include "access.h"
#include "spi_plan.h"
#include "track.h"

/* true while track()/untrack()/the event trigger change our own triggers */
static bool ed_track_changing_triggers = false;

static char *
ed_rel_display(Oid relid)
{
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
									  get_rel_name(relid));
}

void
ed_track_check_owner(Oid relid, Oid roleid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	if (!superuser_arg(roleid) && !has_privs_of_role(roleid, owner))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table %s", get_rel_name(relid)),
				 errdetail("Only the owner of a table or a superuser can track, untrack or backfill it.")));
}

static AttrNumber
ed_track_column(Relation rel, const char *column, const char *role,
				const Oid *types, int ntypes, const char *type_names, Oid *type_out)
{
	TupleDesc	desc = RelationGetDescr(rel);
	AttrNumber	attnum = InvalidAttrNumber;
	Oid			type;

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), column) == 0)
		{
			attnum = att->attnum;
			break;
		}
	}
	if (attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						column, RelationGetRelationName(rel)),
				 errdetail("It is the %s column of the tracked table.", role)));
	type = getBaseType(TupleDescAttr(desc, attnum - 1)->atttypid);
	for (int i = 0; i < ntypes; i++)
		if (type == types[i])
		{
			if (type_out)
				*type_out = type;
			return attnum;
		}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("column \"%s\" of relation \"%s\" has type %s",
					column, RelationGetRelationName(rel), format_type_be(type)),
			 errdetail("The %s column must be of type %s.", role, type_names)));
	pg_unreachable();
}

/* Resolve the configured columns against rel; errors name the column. */
void
ed_track_resolve(Relation rel, const EdTrackConfig *cfg, EdTrackColumns *cols)
{
	static const Oid project_types[] = {INT8OID, INT4OID, INT2OID};
	static const Oid event_types[] = {TEXTOID, VARCHAROID};
	static const Oid seen_types[] = {TIMESTAMPTZOID, TIMESTAMPOID};

	cols->project = InvalidAttrNumber;
	cols->seen_at = InvalidAttrNumber;
	cols->project_type = InvalidOid;
	if (cfg->project_column != NULL)
		cols->project = ed_track_column(rel, cfg->project_column, "project", project_types, 3,
										"bigint, integer or smallint", &cols->project_type);
	cols->event = ed_track_column(rel, cfg->event_column, "event", event_types, 2,
								  "text or character varying", NULL);
	if (cfg->seen_at_column != NULL)
		cols->seen_at = ed_track_column(rel, cfg->seen_at_column, "seen_at", seen_types, 2,
										"timestamp with time zone or timestamp", NULL);
}

/* Read a tracked table's catalog row; lock it FOR NO KEY UPDATE if asked. */
bool
ed_track_load(Oid relid, bool lock, EdTrackConfig *cfg)
{
	static SPIPlanPtr plan_read = NULL;
	static SPIPlanPtr plan_lock = NULL;
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];
	SPIPlanPtr	plan;
	bool		found;

#define ED_LOAD_SQL "SELECT r.project_column::text, r.event_column::text, r.seen_at_column::text," \
	" r.project_id FROM event_definitions.tracked_relations r WHERE r.relid = $1"
	if (lock)
		plan = ed_prepare_kept(&plan_lock, ED_LOAD_SQL " FOR NO KEY UPDATE", 1, argtypes);
	else
		plan = ed_prepare_kept(&plan_read, ED_LOAD_SQL, 1, argtypes);
#undef ED_LOAD_SQL
	values[0] = ObjectIdGetDatum(relid);
	ed_execute_kept(plan, values, NULL, !lock, 1, SPI_OK_SELECT);
	found = SPI_processed == 1;
	if (found)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		cfg->relid = relid;
		cfg->project_column = SPI_getvalue(tup, desc, 1);
		cfg->event_column = SPI_getvalue(tup, desc, 2);
		cfg->seen_at_column = SPI_getvalue(tup, desc, 3);
		cfg->project_id = DatumGetInt64(SPI_getbinval(tup, desc, 4, &cfg->has_project_id));
		cfg->has_project_id = !cfg->has_project_id;
	}
	SPI_freetuptable(SPI_tuptable);
	return found;
}

static void
ed_track_exec(const char *sql, int expected)
{
	int			ret = SPI_execute(sql, false, 0);

	if (ret != expected)
		elog(ERROR, "SPI_execute failed: %s: %s", SPI_result_code_string(ret), sql);
}

static const char *
ed_trigger_arg(const char *s)
{
	return quote_literal_cstr(s ? s : "");
}

/*
 * Put the triggers on the table and every partition: on all of them when
 * "all" (the configuration changed), else only where they are missing.
 */
static void
ed_track_sync(const EdTrackConfig *cfg, bool all)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {OIDOID, BOOLOID};
	Datum		values[2];
	char		project_id[32] = "";
	SPITupleTable *rels;
	uint64		nrels;
	bool		save = ed_track_changing_triggers;

	ed_prepare_kept(&plan,
					"SELECT p.relid::oid, p.relid = $1,"
					" EXISTS (SELECT FROM pg_catalog.pg_trigger t WHERE t.tgrelid = p.relid"
					"  AND t.tgname = '" ED_TRACK_INSERT_TRIGGER "'),"
					" EXISTS (SELECT FROM pg_catalog.pg_trigger t WHERE t.tgrelid = p.relid"
					"  AND t.tgname = '" ED_TRACK_UPDATE_TRIGGER "')"
					" FROM (SELECT $1::pg_catalog.regclass"
					"  UNION SELECT t.relid FROM pg_catalog.pg_partition_tree($1::pg_catalog.regclass) t) p(relid)"
					" ORDER BY p.relid",
					2, argtypes);
	values[0] = ObjectIdGetDatum(cfg->relid);
	values[1] = BoolGetDatum(all);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_SELECT);
	rels = SPI_tuptable;
	nrels = SPI_processed;
	if (cfg->has_project_id)
		snprintf(project_id, sizeof(project_id), INT64_FORMAT, cfg->project_id);

	ed_track_changing_triggers = true;
	PG_TRY();
	{
		for (uint64 i = 0; i < nrels; i++)
		{
			bool		isnull;
			Oid			relid = DatumGetObjectId(SPI_getbinval(rels->vals[i], rels->tupdesc, 1, &isnull));
			bool		root = DatumGetBool(SPI_getbinval(rels->vals[i], rels->tupdesc, 2, &isnull));
			char	   *rel = ed_rel_display(relid);
			char	   *args = psprintf("%s, %s, %s, %s, '%s'",
										ed_trigger_arg(cfg->project_column),
										ed_trigger_arg(cfg->event_column),
										ed_trigger_arg(cfg->seen_at_column),
										ed_trigger_arg(project_id),
										root ? "root" : "partition");

			bool		has_insert = DatumGetBool(SPI_getbinval(rels->vals[i], rels->tupdesc, 3, &isnull));
			bool		has_update = DatumGetBool(SPI_getbinval(rels->vals[i], rels->tupdesc, 4, &isnull));

			if (has_insert && has_update && !all)
				continue;
			if (has_insert)
				ed_track_exec(psprintf("DROP TRIGGER " ED_TRACK_INSERT_TRIGGER " ON %s", rel),
							  SPI_OK_UTILITY);
			if (has_update)
				ed_track_exec(psprintf("DROP TRIGGER " ED_TRACK_UPDATE_TRIGGER " ON %s", rel),
							  SPI_OK_UTILITY);
			ed_track_exec(psprintf("CREATE TRIGGER " ED_TRACK_INSERT_TRIGGER " AFTER INSERT ON %s"
								   " REFERENCING NEW TABLE AS ed_new_rows FOR EACH STATEMENT"
								   " EXECUTE FUNCTION event_definitions.tracked_changed(%s)",
								   rel, args), SPI_OK_UTILITY);
			ed_track_exec(psprintf("CREATE TRIGGER " ED_TRACK_UPDATE_TRIGGER " AFTER UPDATE ON %s"
								   " REFERENCING NEW TABLE AS ed_new_rows FOR EACH STATEMENT"
								   " EXECUTE FUNCTION event_definitions.tracked_changed(%s)",
								   rel, args), SPI_OK_UTILITY);
			CHECK_FOR_INTERRUPTS();
		}
	}
	PG_FINALLY();
	{
		ed_track_changing_triggers = save;
	}
	PG_END_TRY();
	SPI_freetuptable(rels);
}

static Datum
ed_xid8_datum(FullTransactionId next, TransactionId xid)
{
	/* xid is at most 2^31 behind next (it is in a current snapshot) */
	uint64		full = U64FromFullTransactionId(next) -
		(uint32) (XidFromFullTransactionId(next) - xid);

	return FullTransactionIdGetDatum(FullTransactionIdFromU64(full));
}

/*
 * The snapshot that tells the rows written before track() (backfill's
 * work) from the rows the trigger counts: taken after the lock, so no
 * writer of the table is in progress.  Subtransactions of transactions in
 * progress go into the list too: one of them may insert after track().
 * Rows of track()'s own transaction written by earlier commands are old
 * rows (told by their command id); rows its subtransactions wrote before
 * track() cannot be told from later ones and are left to the trigger's
 * side, that is not backfilled (README).
 */
static void
ed_track_boundary(Datum *values, char *nulls)
{
	Snapshot	snap = GetLatestSnapshot();
	FullTransactionId next = ReadNextFullTransactionId();
	int			n = (int) snap->xcnt + Max(snap->subxcnt, 0);
	Datum	   *xip = palloc(sizeof(Datum) * Max(n, 1));
	int			k = 0;

	for (int i = 0; i < (int) snap->xcnt; i++)
		xip[k++] = ed_xid8_datum(next, snap->xip[i]);
	for (int i = 0; i < snap->subxcnt; i++)
		xip[k++] = ed_xid8_datum(next, snap->subxip[i]);
	values[0] = Int64GetDatum((int64) GetSystemIdentifier());
	values[1] = ed_xid8_datum(next, snap->xmin);
	values[2] = ed_xid8_datum(next, snap->xmax);
	values[3] = PointerGetDatum(construct_array(xip, k, XID8OID, sizeof(uint64),
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	/* rows this transaction wrote before this command are old rows too */
	nulls[4] = FullTransactionIdIsValid(GetTopFullTransactionIdIfAny()) ? ' ' : 'n';
	values[4] = FullTransactionIdGetDatum(GetTopFullTransactionIdIfAny());
	values[5] = Int32GetDatum((int32) GetCurrentCommandId(false));
}

static void
ed_track_check_table(Relation rel)
{
	char		kind = rel->rd_rel->relkind;

	if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", RelationGetRelationName(rel)),
				 errdetail("Only plain and partitioned tables can be tracked.")));
	if (rel->rd_rel->relispartition)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot track \"%s\": it is a partition", RelationGetRelationName(rel)),
				 errhint("Track the partitioned table: its partitions are tracked with it.")));
	if (rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot track temporary table \"%s\"", RelationGetRelationName(rel))));
}

void
ed_track(EdTrackConfig *cfg)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[11] = {OIDOID, NAMEOID, NAMEOID, NAMEOID, INT8OID,
	INT8OID, XID8OID, XID8OID, XID8ARRAYOID, XID8OID, INT4OID};
	Datum		values[11];
	char		nulls[11] = "           ";
	EdTrackColumns cols;
	EdTrackConfig existing;
	Relation	rel;

	ed_track_check_owner(cfg->relid, GetOuterUserId());
	LockRelationOid(cfg->relid, ShareRowExclusiveLock);
	rel = table_open(cfg->relid, NoLock);
	ed_track_check_table(rel);
	ed_track_resolve(rel, cfg, &cols);
	table_close(rel, NoLock);

	if (ed_track_load(cfg->relid, true, &existing))
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("table %s is already tracked", get_rel_name(cfg->relid)),
				 errhint("Call event_definitions.untrack() first to track it with other columns.")));

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.tracked_relations"
					" (relid, project_column, event_column, seen_at_column, project_id,"
					"  boundary_system, boundary_xmin, boundary_xmax, boundary_xip,"
					"  boundary_xid, boundary_cid)"
					" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
					11, argtypes);
	values[0] = ObjectIdGetDatum(cfg->relid);
	if (cfg->project_column)
		values[1] = DirectFunctionCall1(namein, CStringGetDatum(cfg->project_column));
	else
		nulls[1] = 'n';
	values[2] = DirectFunctionCall1(namein, CStringGetDatum(cfg->event_column));
	if (cfg->seen_at_column)
		values[3] = DirectFunctionCall1(namein, CStringGetDatum(cfg->seen_at_column));
	else
		nulls[3] = 'n';
	values[4] = Int64GetDatum(cfg->project_id);
	nulls[4] = cfg->has_project_id ? ' ' : 'n';
	ed_track_boundary(&values[5], &nulls[5]);
	ed_execute_kept(plan, values, nulls, false, 0, SPI_OK_INSERT);
	ed_track_sync(cfg, true);
}

void
ed_untrack(Oid relid)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];
	SPITupleTable *rels;
	uint64		nrels;
	bool		save = ed_track_changing_triggers;

	ed_track_check_owner(relid, GetOuterUserId());
	LockRelationOid(relid, ShareRowExclusiveLock);
	ed_prepare_kept(&plan,
					"WITH gone AS (DELETE FROM event_definitions.tracked_relations r"
					"  WHERE r.relid = $1 RETURNING r.relid),"
					" counters AS (DELETE FROM event_definitions.tracked_counters c"
					"  WHERE c.relid = $1)"
					" SELECT DISTINCT t.tgrelid FROM gone,"
					"  (SELECT $1::pg_catalog.regclass UNION"
					"   SELECT t.relid FROM pg_catalog.pg_partition_tree($1::pg_catalog.regclass) t) p(relid)"
					"  JOIN pg_catalog.pg_trigger t ON t.tgrelid = p.relid"
					"  WHERE t.tgname IN ('" ED_TRACK_INSERT_TRIGGER "', '" ED_TRACK_UPDATE_TRIGGER "')"
					" UNION ALL SELECT 0 FROM gone",
					1, argtypes);
	values[0] = ObjectIdGetDatum(relid);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_SELECT);
	rels = SPI_tuptable;
	nrels = SPI_processed;
	if (nrels == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("table %s is not tracked", get_rel_name(relid))));

	ed_track_changing_triggers = true;
	PG_TRY();
	{
		for (uint64 i = 0; i < nrels; i++)
		{
			bool		isnull;
			Oid			rel = DatumGetObjectId(SPI_getbinval(rels->vals[i], rels->tupdesc, 1, &isnull));

			if (rel == InvalidOid)
				continue;
			ed_track_exec(psprintf("DROP TRIGGER IF EXISTS " ED_TRACK_INSERT_TRIGGER " ON %s",
								   ed_rel_display(rel)), SPI_OK_UTILITY);
			ed_track_exec(psprintf("DROP TRIGGER IF EXISTS " ED_TRACK_UPDATE_TRIGGER " ON %s",
								   ed_rel_display(rel)), SPI_OK_UTILITY);
		}
	}
	PG_FINALLY();
	{
		ed_track_changing_triggers = save;
	}
	PG_END_TRY();
	SPI_freetuptable(rels);
}

/*
 * A stored column name that no longer resolves after a RENAME COLUMN of
 * attnum takes the column's new name.  Returns whether anything changed.
 */
static bool
ed_track_follow_rename(EdTrackConfig *cfg, AttrNumber attnum)
{
	char	   *newname = get_attname(cfg->relid, attnum, true);
	char	  **slots[3] = {&cfg->project_column, &cfg->event_column, &cfg->seen_at_column};
	bool		changed = false;

	if (newname == NULL)
		return false;
	for (int i = 0; i < 3; i++)
		if (*slots[i] != NULL && get_attnum(cfg->relid, *slots[i]) == InvalidAttrNumber)
		{
			*slots[i] = newname;
			changed = true;
		}
	if (changed)
	{
		Oid			argtypes[4] = {OIDOID, TEXTOID, TEXTOID, TEXTOID};
		Datum		values[4];
		char		nulls[4] = "    ";

		values[0] = ObjectIdGetDatum(cfg->relid);
		values[1] = (Datum) 0;
		values[2] = CStringGetTextDatum(cfg->event_column);
		values[3] = (Datum) 0;
		if (cfg->project_column)
			values[1] = CStringGetTextDatum(cfg->project_column);
		else
			nulls[1] = 'n';
		if (cfg->seen_at_column)
			values[3] = CStringGetTextDatum(cfg->seen_at_column);
		else
			nulls[3] = 'n';
		if (SPI_execute_with_args("UPDATE event_definitions.tracked_relations"
								  " SET project_column = $2, event_column = $3, seen_at_column = $4"
								  " WHERE relid = $1", 4, argtypes, values, nulls, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "updating tracked_relations failed");
	}
	return changed;
}

/*
 * ddl_command_end of CREATE TABLE and ALTER TABLE: for every tracked table
 * that a command touched (itself or a partition of it), follow a column
 * rename, check the columns, and put the triggers on new partitions.
 */
void
ed_track_ddl_end(void)
{
	SPITupleTable *hits;
	uint64		nhits;

	if (ed_track_changing_triggers)
		return;
	if (SPI_execute("SELECT r.relid::oid, max(c.objsubid) FILTER (WHERE c.objid = r.relid"
					"  AND c.object_type = 'table column')"
					" FROM pg_catalog.pg_event_trigger_ddl_commands() c"
					" CROSS JOIN LATERAL (SELECT c.objid::pg_catalog.regclass"
					"  UNION SELECT p.relid FROM pg_catalog.pg_partition_ancestors(c.objid) p) a(relid)"
					" JOIN event_definitions.tracked_relations r ON r.relid = a.relid"
					" WHERE c.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
					" GROUP BY r.relid ORDER BY r.relid", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the DDL commands failed");
	hits = SPI_tuptable;
	nhits = SPI_processed;
	for (uint64 i = 0; i < nhits; i++)
	{
		bool		isnull;
		Oid			relid = DatumGetObjectId(SPI_getbinval(hits->vals[i], hits->tupdesc, 1, &isnull));
		Datum		sub = SPI_getbinval(hits->vals[i], hits->tupdesc, 2, &isnull);
		EdTrackConfig cfg;
		EdTrackColumns cols;
		Relation	rel;
		bool		renamed = false;

		if (!ed_track_load(relid, true, &cfg))
			continue;
		if (!isnull && DatumGetInt32(sub) > 0)
			renamed = ed_track_follow_rename(&cfg, (AttrNumber) DatumGetInt32(sub));
		rel = table_open(relid, AccessShareLock);
		ed_track_resolve(rel, &cfg, &cols);
		table_close(rel, AccessShareLock);
		ed_track_sync(&cfg, renamed);
	}
}

/*
 * sql_drop: refuse to drop a tracked column or a tracking trigger of a
 * table that stays; forget tables that are dropped.
 */
void
ed_track_sql_drop(void)
{
	if (SPI_execute("SELECT d.object_identity, r.relid::text"
					" FROM pg_catalog.pg_event_trigger_dropped_objects() d"
					" JOIN event_definitions.tracked_relations r ON r.relid = d.objid"
					" WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid > 0"
					" AND d.address_names[3] IN (r.project_column, r.event_column, r.seen_at_column)",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading the dropped objects failed");
	if (SPI_processed > 0)
	{
		char	   *column = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		char	   *table = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("cannot drop column %s: table %s is tracked by event_definitions", column, table),
				 errhint("Call event_definitions.untrack('%s') first.", table)));
	}
	if (!ed_track_changing_triggers)
	{
		if (SPI_execute("SELECT d.object_identity, k.oid::pg_catalog.regclass::text"
						" FROM pg_catalog.pg_event_trigger_dropped_objects() d"
						" JOIN pg_catalog.pg_namespace n ON n.nspname = d.address_names[1]"
						" JOIN pg_catalog.pg_class k ON k.relnamespace = n.oid AND k.relname = d.address_names[2]"
						" WHERE d.object_type = 'trigger' AND d.original"
						" AND d.address_names[3] IN ('" ED_TRACK_INSERT_TRIGGER "', '" ED_TRACK_UPDATE_TRIGGER "')"
						" AND EXISTS (SELECT FROM (SELECT k.oid::pg_catalog.regclass UNION"
						"   SELECT p.relid FROM pg_catalog.pg_partition_ancestors(k.oid) p) a(relid)"
						"  JOIN event_definitions.tracked_relations r ON r.relid = a.relid)",
						true, 1) != SPI_OK_SELECT)
			elog(ERROR, "reading the dropped objects failed");
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
					 errmsg("cannot drop trigger %s: it tracks the table for event_definitions",
							SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1)),
					 errhint("Call event_definitions.untrack() to stop tracking the table.")));
	}
	ed_track_exec("WITH gone AS (SELECT d.objid FROM pg_catalog.pg_event_trigger_dropped_objects() d"
				  "  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0),"
				  " c AS (DELETE FROM event_definitions.tracked_counters c USING gone"
				  "  WHERE c.relid = gone.objid)"
				  " DELETE FROM event_definitions.tracked_relations r USING gone"
				  " WHERE r.relid = gone.objid", SPI_OK_DELETE);
}
