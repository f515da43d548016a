/*-------------------------------------------------------------------------
 *
 * backfill.c
 *	  CALL event_definitions.backfill(table): ingest the rows a tracked
 *	  table held before track(), in batches, committing after each.
 *
 *	  A procedure, because progress must survive a cancel: each batch
 *	  reads a run of whole heap blocks of one partition (a TID range scan
 *	  under an ordinary snapshot: no lock beyond ACCESS SHARE, nothing
 *	  sorted), counts its rows (track_ingest.c), ingests the counts and
 *	  records the next block in tracked_relations, then commits.  A rerun
 *	  or a resumed run starts from the recorded block, so every block is
 *	  counted by exactly one committed batch.  Rows that track()'s snapshot
 *	  does not see were counted by the trigger and are skipped, so nothing
 *	  is counted twice; last_seen_at only moves forward (ingest takes the
 *	  greatest).
 *
 *	  Transaction control is not allowed in a SECURITY DEFINER procedure
 *	  (nor in one with SET), so the procedure runs as its caller, who must
 *	  own the table; only the catalog reads and writes run as the
 *	  extension's owner, with search_path pinned, as in a SECURITY DEFINER
 *	  function.  Called inside a transaction block,
 *	  it cannot commit, and does every batch in the caller's transaction.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/transam.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "portability/instr_time.h"
#include "storage/bufmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/xid8.h"

#include "spi_plan.h"
#include "track.h"

/* where a backfill stands, and track()'s snapshot */
typedef struct EdBackfill
{
	EdTrackConfig cfg;
	Oid			leaf;			/* partition being read; InvalidOid: none yet */
	BlockNumber block;			/* next block of leaf */
	bool		done;
	int64		system;
	uint64		xmin;
	uint64		xmax;
	uint64	   *xip;
	int			nxip;
	uint64		own_xid;		/* track()'s transaction, 0 if none */
	CommandId	own_cid;		/* and its command */
} EdBackfill;

typedef struct EdElevated
{
	Oid			save_user;
	int			save_sec;
	int			nest;
} EdElevated;

/* Act as the extension's owner (who owns its tables), search_path pinned. */
static void
ed_elevate(EdElevated *e)
{
	Oid			nsp = get_namespace_oid("event_definitions", false);
	Oid			catalog = get_relname_relid("tracked_relations", nsp);
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(catalog));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "event_definitions.tracked_relations is missing");
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	GetUserIdAndSecContext(&e->save_user, &e->save_sec);
	SetUserIdAndSecContext(owner, e->save_sec | SECURITY_LOCAL_USERID_CHANGE);
	e->nest = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
}

static void
ed_unelevate(EdElevated *e)
{
	AtEOXact_GUC(true, e->nest);
	SetUserIdAndSecContext(e->save_user, e->save_sec);
}

static bool
ed_backfill_load(Oid relid, EdBackfill *st)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];
	HeapTuple	tup;
	TupleDesc	desc;
	bool		isnull;
	ArrayType  *xip;
	Datum	   *elems;
	int			n;

	if (!ed_track_load(relid, true, &st->cfg))
		return false;
	ed_prepare_kept(&plan,
					"SELECT r.backfill_relid, r.backfill_block, r.backfill_done_at IS NOT NULL,"
					" r.boundary_system, r.boundary_xmin, r.boundary_xmax, r.boundary_xip,"
					" r.boundary_xid, r.boundary_cid"
					" FROM event_definitions.tracked_relations r WHERE r.relid = $1",
					1, argtypes);
	values[0] = ObjectIdGetDatum(relid);
	ed_execute_kept(plan, values, NULL, false, 1, SPI_OK_SELECT);
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	st->leaf = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull));
	if (isnull)
		st->leaf = InvalidOid;
	st->block = (BlockNumber) DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
	st->done = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
	st->system = DatumGetInt64(SPI_getbinval(tup, desc, 4, &isnull));
	st->xmin = U64FromFullTransactionId(DatumGetFullTransactionId(SPI_getbinval(tup, desc, 5, &isnull)));
	st->xmax = U64FromFullTransactionId(DatumGetFullTransactionId(SPI_getbinval(tup, desc, 6, &isnull)));
	xip = DatumGetArrayTypeP(SPI_getbinval(tup, desc, 7, &isnull));
	deconstruct_array(xip, XID8OID, sizeof(uint64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, NULL, &n);
	st->xip = palloc(sizeof(uint64) * Max(n, 1));
	st->nxip = n;
	for (int i = 0; i < n; i++)
		st->xip[i] = U64FromFullTransactionId(DatumGetFullTransactionId(elems[i]));
	st->own_xid = U64FromFullTransactionId(DatumGetFullTransactionId(SPI_getbinval(tup, desc, 8, &isnull)));
	if (isnull)
		st->own_xid = 0;
	st->own_cid = (CommandId) DatumGetInt32(SPI_getbinval(tup, desc, 9, &isnull));
	SPI_freetuptable(SPI_tuptable);
	return true;
}

/* Did the row exist when track() ran (its inserter visible to the snapshot)? */
static bool
ed_backfill_before_track(const EdBackfill *st, HeapTupleHeader tup, FullTransactionId next)
{
	TransactionId xmin;
	uint64		full;

	if (HeapTupleHeaderXminFrozen(tup))
		return true;
	xmin = HeapTupleHeaderGetRawXmin(tup);
	if (!TransactionIdIsNormal(xmin))
		return true;
	/* an unfrozen xmin is less than 2^31 transactions old */
	full = U64FromFullTransactionId(next) - (uint32) (XidFromFullTransactionId(next) - xmin);
	if (full == st->own_xid)
		return (tup->t_infomask & HEAP_COMBOCID) != 0 ||
			HeapTupleHeaderGetRawCommandId(tup) < st->own_cid;
	if (full < st->xmin)
		return true;
	if (full >= st->xmax)
		return false;
	for (int i = 0; i < st->nxip; i++)
		if (st->xip[i] == full)
			return false;
	return true;
}

static int
ed_oid_cmp(const void *a, const void *b)
{
	Oid			x = *(const Oid *) a;
	Oid			y = *(const Oid *) b;

	return (x > y) - (x < y);
}

/* The tables that hold rows: the table itself, or its leaf partitions, by OID. */
static Oid *
ed_backfill_leaves(Oid relid, int *n)
{
	/* no lock: each batch locks only the partition it reads */
	List	   *all = find_all_inheritors(relid, NoLock, NULL);
	Oid		   *leaves = palloc(sizeof(Oid) * list_length(all));
	ListCell   *lc;

	*n = 0;
	foreach(lc, all)
		if (get_rel_relkind(lfirst_oid(lc)) == RELKIND_RELATION)
			leaves[(*n)++] = lfirst_oid(lc);
	qsort(leaves, *n, sizeof(Oid), ed_oid_cmp);
	return leaves;
}

/*
 * Read from (leaf, block) on until batch_size rows are counted, stopping
 * at a block boundary; set where the next batch starts.
 */
static int64
ed_backfill_read(EdBackfill *st, Relation rel, int32 batch_size, EdTrackAgg *agg,
				 BlockNumber *next_block)
{
	EdTrackColumns cols;
	BlockNumber nblocks = RelationGetNumberOfBlocks(rel);
	ItemPointerData min;
	ItemPointerData max;
	Snapshot	snap;
	TableScanDesc scan;
	TupleTableSlot *slot;
	FullTransactionId next = ReadNextFullTransactionId();
	BlockNumber last = InvalidBlockNumber;
	int64		rows = 0;

	*next_block = InvalidBlockNumber;
	if (st->block >= nblocks)
		return 0;
	ed_track_resolve(rel, &st->cfg, &cols);
	ItemPointerSet(&min, st->block, FirstOffsetNumber);
	ItemPointerSet(&max, nblocks - 1, MaxOffsetNumber);
	snap = RegisterSnapshot(GetTransactionSnapshot());
	scan = table_beginscan_tidrange(rel, snap, &min, &max);
	slot = table_slot_create(rel, NULL);
	while (table_scan_getnextslot_tidrange(scan, ForwardScanDirection, slot))
	{
		BlockNumber blk = ItemPointerGetBlockNumber(&slot->tts_tid);
		bool		should_free;
		HeapTuple	tup;

		if (blk != last)
		{
			if (rows >= batch_size)
			{
				*next_block = blk;
				break;
			}
			last = blk;
			CHECK_FOR_INTERRUPTS();
		}
		rows++;
		tup = ExecFetchSlotHeapTuple(slot, false, &should_free);
		if (ed_backfill_before_track(st, tup->t_data, next))
			ed_track_agg_add_slot(agg, slot, &cols, &st->cfg);
		if (should_free)
			heap_freetuple(tup);
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	UnregisterSnapshot(snap);
	return rows;
}

static void
ed_backfill_save(Oid relid, Oid leaf, BlockNumber block, int64 rows, int64 rejected, bool done)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[6] = {OIDOID, OIDOID, INT8OID, INT8OID, INT8OID, BOOLOID};
	Datum		values[6];

	ed_prepare_kept(&plan,
					"UPDATE event_definitions.tracked_relations r"
					" SET backfill_relid = $2, backfill_block = $3,"
					" backfill_rows = r.backfill_rows + $4,"
					" backfill_rejected = r.backfill_rejected + $5,"
					" backfill_done_at = CASE WHEN $6 THEN pg_catalog.now() END"
					" WHERE r.relid = $1",
					6, argtypes);
	values[0] = ObjectIdGetDatum(relid);
	values[1] = ObjectIdGetDatum(leaf);
	values[2] = Int64GetDatum((int64) block);
	values[3] = Int64GetDatum(rows);
	values[4] = Int64GetDatum(rejected);
	values[5] = BoolGetDatum(done);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_UPDATE);
}

/* Blocks left to read: exact for the current partition, estimated after it. */
static double
ed_backfill_blocks_left(Oid *leaves, int nleaves, int cur, BlockNumber block)
{
	double		left = 0;

	for (int i = cur; i < nleaves; i++)
	{
		HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(leaves[i]));
		double		n;

		if (!HeapTupleIsValid(tup))
			continue;
		/* the planner's estimate: no lock on partitions not read yet */
		n = ((Form_pg_class) GETSTRUCT(tup))->relpages;
		ReleaseSysCache(tup);
		left += i == cur ? Max(n - block, 0) : n;
	}
	return left;
}

/*
 * One batch; returns false when the table is done (or was already).
 * Totals of this run are added to *rows and *blocks.
 */
static bool
ed_backfill_batch(Oid relid, int32 batch_size, int64 *rows, double *blocks, double *left)
{
	EdBackfill	st;
	EdElevated	e;
	EdTrackAgg	agg;
	Oid		   *leaves;
	int			nleaves;
	int			cur = 0;
	BlockNumber next_block = InvalidBlockNumber;
	BlockNumber start;
	int64		read = 0;

	ed_elevate(&e);
	if (!ed_backfill_load(relid, &st))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("table %s is not tracked", get_rel_name(relid)),
				 errhint("Call event_definitions.track() first.")));
	ed_unelevate(&e);
	if (st.done)
	{
		ereport(NOTICE,
				(errmsg("table %s is already backfilled", get_rel_name(relid)),
				 errdetail("Rows written since track() are counted by its trigger.")));
		return false;
	}
	if (st.system != (int64) GetSystemIdentifier())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot backfill table %s: it was tracked in another cluster", get_rel_name(relid)),
				 errdetail("The table was restored after track(); its rows no longer tell which were counted."),
				 errhint("Untrack and track the table again to start anew.")));

	leaves = ed_backfill_leaves(relid, &nleaves);
	while (cur < nleaves && OidIsValid(st.leaf) && leaves[cur] < st.leaf)
		cur++;
	if (cur < nleaves && leaves[cur] != st.leaf)
		st.block = 0;
	start = st.block;
	ed_track_agg_init(&agg);
	if (cur < nleaves)
	{
		Relation	rel = try_table_open(leaves[cur], AccessShareLock);

		if (rel == NULL)		/* dropped meanwhile: nothing to read */
			goto save;
		if (rel->rd_tableam != GetHeapamTableAmRoutine())
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot backfill %s: only heap tables can be backfilled",
							RelationGetRelationName(rel))));
		read = ed_backfill_read(&st, rel, batch_size, &agg, &next_block);
		*blocks += (next_block == InvalidBlockNumber ?
					RelationGetNumberOfBlocks(rel) : next_block) - Min(start, RelationGetNumberOfBlocks(rel));
		table_close(rel, AccessShareLock);
	}
save:
	ed_elevate(&e);
	ed_track_agg_ingest(&agg);
	if (next_block != InvalidBlockNumber)
		ed_backfill_save(relid, leaves[cur], next_block, agg.seen, agg.rejected, false);
	else if (cur + 1 < nleaves)
		ed_backfill_save(relid, leaves[cur + 1], 0, agg.seen, agg.rejected, false);
	else
		ed_backfill_save(relid, InvalidOid, 0, agg.seen, agg.rejected, true);
	ed_unelevate(&e);
	ed_track_agg_free(&agg);
	*rows += read;
	*left = next_block != InvalidBlockNumber ?
		ed_backfill_blocks_left(leaves, nleaves, cur, next_block) :
		ed_backfill_blocks_left(leaves, nleaves, cur + 1, 0);
	return next_block != InvalidBlockNumber || cur + 1 < nleaves;
}

void
ed_backfill(FunctionCallInfo fcinfo, Oid relid, int32 batch_size)
{
	bool		nonatomic = fcinfo->context && IsA(fcinfo->context, CallContext) &&
		!castNode(CallContext, fcinfo->context)->atomic;
	instr_time	begin;
	int64		rows = 0;
	double		blocks = 0;
	double		left = 0;
	bool		more;

	if (batch_size < 1 || batch_size > 10000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("batch_size must be between 1 and 10000000")));
	ed_track_check_owner(relid, GetUserId());
	PreventCommandIfReadOnly("event_definitions.backfill()");
	if (SPI_connect_ext(nonatomic ? SPI_OPT_NONATOMIC : 0) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	INSTR_TIME_SET_CURRENT(begin);
	do
	{
		instr_time	now;
		double		secs;
		double		rate;
		double		rows_left;

		more = ed_backfill_batch(relid, batch_size, &rows, &blocks, &left);
		INSTR_TIME_SET_CURRENT(now);
		INSTR_TIME_SUBTRACT(now, begin);
		secs = Max(INSTR_TIME_GET_DOUBLE(now), 1e-6);
		rate = rows / secs;
		rows_left = blocks > 0 ? left * rows / blocks : 0;
		if (rows > 0 || more)
			ereport(NOTICE,
					(errmsg("backfill of %s: " INT64_FORMAT " rows read, %.0f rows/s, about %.0f rows (%.0f s) left",
							get_rel_name(relid), rows, rate, rows_left,
							rate > 0 ? rows_left / rate : 0)));
		if (nonatomic)
			SPI_commit();
		CHECK_FOR_INTERRUPTS();
	} while (more);
	SPI_finish();
}
