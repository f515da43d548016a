/*-------------------------------------------------------------------------
 *
 * index_worker.c
 *	  The background worker that builds shared name index bases.
 *
 *	  One worker per database, started on demand by the first backend that
 *	  asks for a base there (RegisterDynamicBackgroundWorker, as pg_prewarm
 *	  starts its worker) and gone after a short idle time, so that it never
 *	  holds a database that someone wants to drop.  For each requested
 *	  project it builds the base in its own transaction from a fresh
 *	  snapshot, publishes it (shared_index.c), and trims the change log
 *	  below that snapshot's xmin: every change older than that is in the
 *	  new base, and readers of older bases switch to the new one.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/xid8.h"

#include "catalog.h"
#include "project_stats.h"
#include "shared_index.h"
#include "shared_index_internal.h"
#include "version.h"

/* exit after this many idle rounds of ED_WORKER_NAP_MS */
#define ED_WORKER_NAP_MS	100
#define ED_WORKER_IDLE_ROUNDS 20

typedef struct EdDsaAlloc
{
	dsa_area   *area;
	int			slot;			/* being built: never evicted for room */
	dsa_pointer dp;
} EdDsaAlloc;

static void
ed_worker_detach(int code, Datum arg)
{
	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	for (int i = 0; i < ED_SHARED_WORKERS; i++)
		if (ed_shared->workers[i].dboid == MyDatabaseId && ed_shared->workers[i].pid == MyProcPid)
			ed_shared->workers[i].dboid = InvalidOid;
	for (int i = 0; i < ED_SHARED_SLOTS; i++)
		if (ed_shared->slots[i].dboid == MyDatabaseId && ed_shared->slots[i].building)
			ed_shared->slots[i].building = false;
	LWLockRelease(ed_shared->lock);
}

static bool
ed_worker_attach(void)
{
	bool		ok = false;

	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	for (int i = 0; i < ED_SHARED_WORKERS && !ok; i++)
		if (ed_shared->workers[i].dboid == MyDatabaseId && ed_shared->workers[i].pid == 0)
		{
			ed_shared->workers[i].pid = MyProcPid;
			ok = true;
		}
	LWLockRelease(ed_shared->lock);
	return ok;
}

/* The next requested project of this database, marked as being built. */
static int
ed_worker_next(int64 *project_id)
{
	int			found = -1;
	uint64		newest = 0;

	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	for (int i = 0; i < ED_SHARED_SLOTS; i++)
	{
		EdSharedSlot *slot = &ed_shared->slots[i];
		uint64		used = pg_atomic_read_u64(&slot->last_used);

		/* the most recently used project first: someone is waiting for it */
		if (slot->dboid == MyDatabaseId && slot->requested && !slot->building &&
			(found < 0 || used > newest))
		{
			found = i;
			newest = used;
		}
	}
	if (found >= 0)
	{
		ed_shared->slots[found].requested = false;
		ed_shared->slots[found].building = true;
		*project_id = ed_shared->slots[found].project_id;
	}
	LWLockRelease(ed_shared->lock);
	return found;
}

/* Room for "size" more bytes: evict least recently used bases of any database. */
static bool
ed_worker_make_room(Size size, int keep)
{
	for (;;)
	{
		Size		used = 0;
		int			victim = -1;
		uint64		oldest = PG_UINT64_MAX;

		for (int i = 0; i < ED_SHARED_SLOTS; i++)
		{
			EdSharedSlot *slot = &ed_shared->slots[i];
			uint64		last = pg_atomic_read_u64(&slot->last_used);

			used += slot->bytes;
			if (i != keep && !slot->building && DsaPointerIsValid(slot->blob) && last < oldest)
			{
				oldest = last;
				victim = i;
			}
		}
		if (used + size <= ed_shared_budget())
			return true;
		if (victim < 0)
			return false;
		ed_shared_evict(victim);
	}
}

static void *
ed_worker_alloc(Size size, void *arg)
{
	EdDsaAlloc *a = arg;
	bool		room;

	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	room = ed_worker_make_room(size, a->slot);
	LWLockRelease(ed_shared->lock);
	if (!room)
		return NULL;
	a->dp = dsa_allocate_extended(a->area, size, DSA_ALLOC_HUGE | DSA_ALLOC_NO_OOM);
	if (!DsaPointerIsValid(a->dp))
		return NULL;
	return dsa_get_address(a->area, a->dp);
}

/* Changes below the new base's xmin are in it: trim them. */
static void
ed_worker_trim(int64 project_id, uint64 below)
{
	static SPIPlanPtr del_plan = NULL;
	static SPIPlanPtr horizon_plan = NULL;
	Oid			argtypes[2] = {INT8OID, XID8OID};
	Datum		values[2];

	values[0] = Int64GetDatum(project_id);
	values[1] = FullTransactionIdGetDatum(FullTransactionIdFromU64(below));
	ed_prepare_kept(&horizon_plan,
					"INSERT INTO event_definitions.name_change_horizon AS h (project_id, trimmed_below) "
					"VALUES ($1, $2) ON CONFLICT (project_id) DO UPDATE "
					"SET trimmed_below = greatest(h.trimmed_below, excluded.trimmed_below)",
					2, argtypes);
	ed_execute_kept(horizon_plan, values, NULL, false, 0, SPI_OK_INSERT);
	ed_prepare_kept(&del_plan,
					"DELETE FROM event_definitions.name_changes ch "
					"WHERE ch.project_id = $1 AND ch.xid < $2",
					2, argtypes);
	ed_execute_kept(del_plan, values, NULL, false, 0, SPI_OK_DELETE);
}

static void
ed_worker_publish(int i, EdDsaAlloc *a, EdIndexBlob *blob)
{
	EdSharedSlot *slot = &ed_shared->slots[i];

	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	if (DsaPointerIsValid(slot->blob))
		dsa_free(a->area, slot->blob);
	ed_shared_drop_overlay(i);	/* it was an overlay of the old base */
	slot->blob = a->dp;
	slot->bytes = blob->total;
	slot->build_id = ed_shared->next_build_id++;
	blob->build_id = slot->build_id;
	slot->building = false;
	slot->failed_at = 0;
	/* asked for while building: the request was about the old base */
	slot->requested = false;
	LWLockRelease(ed_shared->lock);
}

static void
ed_worker_failed(int i)
{
	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	ed_shared->slots[i].building = false;
	ed_shared->slots[i].failed_at = GetCurrentTimestamp();
	LWLockRelease(ed_shared->lock);
}

/* Build one project's base in a transaction of its own. */
static void
ed_worker_build(int i, int64 project_id)
{
	EdDsaAlloc	a;
	EdIndexBlob *volatile blob = NULL;
	MemoryContext cxt = CurrentMemoryContext;

	a.area = ed_shared_area();
	a.slot = i;
	a.dp = InvalidDsaPointer;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "building a name index");
	PG_TRY();
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (ed_sql_version() >= ED_SQL_1_1)
		{
			Oid			relid = ed_index_definitions_relid();

			blob = ed_index_base_build(project_id, relid, GetActiveSnapshot(), ed_shared_budget(),
									   ed_worker_alloc, &a);
		}
		if (blob != NULL)
		{
			uint64		xmin = ((EdIndexSnapshot *) ((char *) blob + blob->off_snapshot))->xmin;

			elog(DEBUG1, "event_definitions: built the name index of project " INT64_FORMAT
				 " (%d names, %zu bytes)", project_id, blob->n, (size_t) blob->total);
			ed_worker_publish(i, &a, blob);
			ed_worker_trim(project_id, xmin);
		}
		else
		{
			if (DsaPointerIsValid(a.dp))
				dsa_free(a.area, a.dp);
			ed_worker_failed(i);
		}
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		if (blob == NULL && DsaPointerIsValid(a.dp))
			dsa_free(a.area, a.dp);
		ed_worker_failed(i);
	}
	PG_END_TRY();
	pgstat_report_activity(STATE_IDLE, NULL);
}

void
ed_index_worker_main(Datum main_arg)
{
	Oid			dboid = DatumGetObjectId(main_arg);
	int			idle = 0;

	pqsignal(SIGTERM, die);
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(dboid, InvalidOid, 0);
	if (ed_shared == NULL || !ed_worker_attach())
		proc_exit(0);
	before_shmem_exit(ed_worker_detach, (Datum) 0);

	while (idle < ED_WORKER_IDLE_ROUNDS)
	{
		int64		project_id;
		int			i;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		i = ed_worker_next(&project_id);
		if (i < 0)
		{
			idle++;
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
							 ED_WORKER_NAP_MS, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
			continue;
		}
		idle = 0;
		ed_worker_build(i, project_id);
	}
	proc_exit(0);
}
