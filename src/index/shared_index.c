/*-------------------------------------------------------------------------
 *
 * shared_index.c
 *	  Name index bases in shared memory, one per project and server.
 *
 *	  When the library is preloaded, a small control block in the main
 *	  shared memory segment (requested through shmem_request_hook, set up
 *	  by shmem_startup_hook, as pg_stat_statements does) holds a table of
 *	  slots, one per indexed project: the database and project, the base's
 *	  chunk in a DSA area, its size, a build id and an LRU clock.  The DSA
 *	  area is created by the first backend that needs it and pinned, so it
 *	  lives as long as the server; every backend maps it once.
 *
 *	  Bases are built by a background worker of the database (index_worker.c),
 *	  never by a request: a backend that finds no base (after a restart, a
 *	  new project, an eviction) answers through SQL (the trigram index) and
 *	  asks the worker for one; a backend whose overlay has grown asks for a
 *	  rebuild and goes on with the old base and its overlay meanwhile.  The
 *	  worker builds outside any lock, then swaps the slot's chunk under the
 *	  control lock held exclusively and frees the old one; readers hold the
 *	  lock shared while they read a base, so a chunk is never freed under
 *	  them.  Bases are immutable once published.
 *
 *	  Memory: all bases together stay under event_definitions.shared_index_memory;
 *	  the worker evicts the least recently used bases to make room.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/procarray.h"
#include "storage/shmem.h"
#include "utils/dsa.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "shared_index.h"
#include "shared_index_internal.h"

int			ed_shared_index_memory_mb = 1024;

EdSharedControl *ed_shared = NULL;
static dsa_area *ed_area = NULL;

#ifdef ED_HAVE_SHMEM_REQUEST_HOOK
static shmem_request_hook_type prev_shmem_request_hook = NULL;
#endif
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static void
ed_shmem_request(void)
{
#ifdef ED_HAVE_SHMEM_REQUEST_HOOK
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
#endif
	RequestAddinShmemSpace(MAXALIGN(sizeof(EdSharedControl)));
	RequestNamedLWLockTranche("event_definitions", 1);
}

static void
ed_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	ed_shared = ShmemInitStruct("event_definitions", sizeof(EdSharedControl), &found);
	if (!found)
	{
		memset(ed_shared, 0, sizeof(EdSharedControl));
		ed_shared->lock = &(GetNamedLWLockTranche("event_definitions"))->lock;
		ed_shared->dsa_tranche = LWLockNewTrancheId();
		ed_shared->area = DSM_HANDLE_INVALID;
		ed_shared->next_build_id = 1;
		for (int i = 0; i < ED_SHARED_SLOTS; i++)
		{
			ed_shared->slots[i].blob = InvalidDsaPointer;
			ed_shared->slots[i].overlay = InvalidDsaPointer;
			pg_atomic_init_u64(&ed_shared->slots[i].last_used, 0);
		}
	}
	LWLockRelease(AddinShmemInitLock);
}

void
ed_shared_index_init(void)
{
	if (!process_shared_preload_libraries_in_progress)
		return;
	DefineCustomIntVariable("event_definitions.shared_index_memory",
							"Shared memory for the name indexes of all projects, in megabytes.",
							"Used when the library is in shared_preload_libraries; the least "
							"recently used indexes are evicted to stay under it. 0 turns the "
							"shared indexes off (a session that sets it to 0 builds indexes of "
							"its own, within name_index_memory).",
							&ed_shared_index_memory_mb,
							1024, 0, 1024 * 1024,
							PGC_SUSET,
							GUC_UNIT_MB,
							NULL, NULL, NULL);
#ifdef ED_HAVE_SHMEM_REQUEST_HOOK
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = ed_shmem_request;
#else
	ed_shmem_request();
#endif
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = ed_shmem_startup;
}

bool
ed_shared_index_available(void)
{
	return ed_shared != NULL && ed_shared_index_memory_mb > 0;
}

Size
ed_shared_budget(void)
{
	return (Size) ed_shared_index_memory_mb * 1024 * 1024;
}

/*
 * This backend's mapping of the area, created by the first backend that
 * needs it and pinned for the life of the server.
 */
dsa_area *
ed_shared_area(void)
{
	MemoryContext oldcxt;

	if (ed_area != NULL)
		return ed_area;
	/* the control lock is not reentrant: map the area before taking it */
	Assert(!LWLockHeldByMe(ed_shared->lock));
	LWLockRegisterTranche(ed_shared->dsa_tranche, "event_definitions_dsa");
	oldcxt = MemoryContextSwitchTo(TopMemoryContext);
	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	if (ed_shared->area == DSM_HANDLE_INVALID)
	{
		ed_area = dsa_create(ed_shared->dsa_tranche);
		dsa_pin(ed_area);
		ed_shared->area = dsa_get_handle(ed_area);
	}
	else
		ed_area = dsa_attach(ed_shared->area);
	LWLockRelease(ed_shared->lock);
	dsa_pin_mapping(ed_area);
	MemoryContextSwitchTo(oldcxt);
	return ed_area;
}

/* The slot of (this database, project), or -1; caller holds the lock. */
int
ed_shared_find_slot(Oid dboid, int64 project_id)
{
	for (int i = 0; i < ED_SHARED_SLOTS; i++)
		if (ed_shared->slots[i].dboid == dboid && ed_shared->slots[i].project_id == project_id)
			return i;
	return -1;
}

bool
ed_shared_peek(int64 project_id, Oid relid, uint64 *build_id, EdIndexSnapshot **snap, int *n)
{
	dsa_area   *area = ed_shared_area();
	bool		found = false;
	int			i;

	LWLockAcquire(ed_shared->lock, LW_SHARED);
	i = ed_shared_find_slot(MyDatabaseId, project_id);
	if (i >= 0 && DsaPointerIsValid(ed_shared->slots[i].blob))
	{
		EdSharedSlot *slot = &ed_shared->slots[i];
		EdIndexView view;

		ed_index_view(dsa_get_address(area, slot->blob), &view);
		/* a base of a definitions table dropped since (DROP EXTENSION) is no base */
		if (view.blob->relid == relid || !OidIsValid(relid))
		{
			*build_id = slot->build_id;
			*n = view.n;
			*snap = palloc(ED_SNAPSHOT_SIZE(view.snapshot->nxip));
			memcpy(*snap, view.snapshot, ED_SNAPSHOT_SIZE(view.snapshot->nxip));
			pg_atomic_write_u64(&slot->last_used, pg_atomic_fetch_add_u64(&ed_shared->clock, 1));
			found = true;
		}
	}
	LWLockRelease(ed_shared->lock);
	return found;
}

bool
ed_shared_acquire(int64 project_id, uint64 build_id, EdIndexView *view)
{
	dsa_area   *area = ed_shared_area();
	int			i;

	LWLockAcquire(ed_shared->lock, LW_SHARED);
	i = ed_shared_find_slot(MyDatabaseId, project_id);
	if (i >= 0 && DsaPointerIsValid(ed_shared->slots[i].blob) &&
		ed_shared->slots[i].build_id == build_id)
	{
		ed_index_view(dsa_get_address(area, ed_shared->slots[i].blob), view);
		return true;
	}
	LWLockRelease(ed_shared->lock);
	return false;
}

void
ed_shared_release(void)
{
	LWLockRelease(ed_shared->lock);
}

/* Free a slot's published overlay; caller holds the lock exclusively. */
void
ed_shared_drop_overlay(int i)
{
	EdSharedSlot *slot = &ed_shared->slots[i];

	if (DsaPointerIsValid(slot->overlay))
		dsa_free(ed_area, slot->overlay);
	slot->overlay = InvalidDsaPointer;
	slot->overlay_at = 0;
}

/* Free a slot's base; caller holds the lock exclusively. */
void
ed_shared_evict(int i)
{
	EdSharedSlot *slot = &ed_shared->slots[i];

	Assert(ed_area != NULL);
	if (DsaPointerIsValid(slot->blob))
		dsa_free(ed_area, slot->blob);
	ed_shared_drop_overlay(i);
	slot->blob = InvalidDsaPointer;
	slot->bytes = 0;
	slot->dboid = InvalidOid;
	slot->project_id = 0;
	slot->requested = false;
	slot->building = false;
	slot->failed_at = 0;
}

/* A slot for a new project: a free one, else the least recently used idle one. */
static int
ed_shared_new_slot(void)
{
	int			victim = -1;
	uint64		oldest = PG_UINT64_MAX;

	for (int i = 0; i < ED_SHARED_SLOTS; i++)
	{
		EdSharedSlot *slot = &ed_shared->slots[i];
		uint64		used = pg_atomic_read_u64(&slot->last_used);

		if (!OidIsValid(slot->dboid))
			return i;
		if (!slot->building && used < oldest)
		{
			oldest = used;
			victim = i;
		}
	}
	if (victim >= 0)
		ed_shared_evict(victim);
	return victim;
}

static void
ed_shared_launch_worker(Oid dboid)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	strlcpy(worker.bgw_library_name, "event_definitions", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "ed_index_worker_main", BGW_MAXLEN);
	snprintf(worker.bgw_name, BGW_MAXLEN, "event_definitions index worker");
	snprintf(worker.bgw_type, BGW_MAXLEN, "event_definitions index worker");
	worker.bgw_main_arg = ObjectIdGetDatum(dboid);
	worker.bgw_notify_pid = 0;
	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
	{
		/* no free worker slot: a later request tries again */
		LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
		for (int i = 0; i < ED_SHARED_WORKERS; i++)
			if (ed_shared->workers[i].dboid == dboid && ed_shared->workers[i].pid == 0)
				ed_shared->workers[i].dboid = InvalidOid;
		LWLockRelease(ed_shared->lock);
	}
}

/*
 * Ask for a (re)build of the project's base, unless one is pending or
 * failed a moment ago; start the database's worker if none runs, or wake
 * it.
 */
void
ed_shared_request_build(int64 project_id)
{
	TimestampTz now = GetCurrentTimestamp();
	int			i;
	int			w = -1;
	int			free_w = -1;
	bool		launch = false;
	pid_t		pid = 0;

	(void) ed_shared_area();	/* evicting a slot frees DSA memory */
	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	i = ed_shared_find_slot(MyDatabaseId, project_id);
	if (i < 0)
	{
		i = ed_shared_new_slot();
		if (i < 0)
		{
			LWLockRelease(ed_shared->lock);
			return;
		}
		ed_shared->slots[i].dboid = MyDatabaseId;
		ed_shared->slots[i].project_id = project_id;
		pg_atomic_write_u64(&ed_shared->slots[i].last_used,
							pg_atomic_fetch_add_u64(&ed_shared->clock, 1));
	}
	if (ed_shared->slots[i].requested || ed_shared->slots[i].building ||
		(ed_shared->slots[i].failed_at != 0 &&
		 !TimestampDifferenceExceeds(ed_shared->slots[i].failed_at, now, ED_RETRY_MS)))
	{
		LWLockRelease(ed_shared->lock);
		return;
	}
	ed_shared->slots[i].requested = true;

	for (int k = 0; k < ED_SHARED_WORKERS; k++)
	{
		EdSharedWorker *wk = &ed_shared->workers[k];

		if (wk->dboid == MyDatabaseId)
			w = k;
		else if (!OidIsValid(wk->dboid) && free_w < 0)
			free_w = k;
	}
	/* a worker that was launched but never started counts as gone after a while */
	if (w >= 0 && ed_shared->workers[w].pid == 0 &&
		TimestampDifferenceExceeds(ed_shared->workers[w].launched_at, now, 10000))
	{
		ed_shared->workers[w].dboid = InvalidOid;
		free_w = w;
		w = -1;
	}
	if (w >= 0)
		pid = ed_shared->workers[w].pid;
	else if (free_w >= 0)
	{
		ed_shared->workers[free_w].dboid = MyDatabaseId;
		ed_shared->workers[free_w].pid = 0;
		ed_shared->workers[free_w].launched_at = now;
		launch = true;
	}
	LWLockRelease(ed_shared->lock);

	if (launch)
		ed_shared_launch_worker(MyDatabaseId);
	else if (pid != 0)
	{
		PGPROC	   *proc = BackendPidGetProc(pid);

		if (proc != NULL)
			SetLatch(&proc->procLatch);
	}
}

/* For the status function: the base of the project, if any. */
bool
ed_shared_status(int64 project_id, int *n, Size *bytes, uint64 *build_id, bool *requested)
{
	EdIndexSnapshot *snap;
	bool		found;
	int			i;

	found = ed_shared_peek(project_id, InvalidOid, build_id, &snap, n);
	LWLockAcquire(ed_shared->lock, LW_SHARED);
	i = ed_shared_find_slot(MyDatabaseId, project_id);
	*requested = i >= 0 && (ed_shared->slots[i].requested || ed_shared->slots[i].building);
	*bytes = (found && i >= 0) ? ed_shared->slots[i].bytes : 0;
	LWLockRelease(ed_shared->lock);
	return found;
}

/*
 * Published overlays.  A backend that has brought a shared base up to date
 * (an overlay of many names) publishes that state now and then, with the
 * snapshot it is exact for, so that a new backend starts from it instead
 * of reading every name written since the base was built.
 */
typedef struct EdPublishedRow
{
	uint32		name_off;
	uint16		len;
	int32		day;
	uint8		flags;
	bool		present;
} EdPublishedRow;

typedef struct EdPublished
{
	uint64		build_id;
	int32		nrows;
	Size		names_off;
	Size		snap_off;
	Size		total;
	EdPublishedRow rows[FLEXIBLE_ARRAY_MEMBER];
} EdPublished;

#define ED_PUBLISH_EVERY_MS 1000

void
ed_shared_publish_overlay(int64 project_id, uint64 build_id, const EdDeltaRow *rows, int nrows,
						  const EdIndexSnapshot *snap)
{
	dsa_area   *area = ed_shared_area();
	TimestampTz now = GetCurrentTimestamp();
	Size		names_len = 0;
	Size		names_off;
	Size		snap_off;
	Size		total;
	dsa_pointer dp;
	EdPublished *pub;
	char	   *names;
	int			i;

	if (snap->nxip < 0)
		return;
	LWLockAcquire(ed_shared->lock, LW_SHARED);
	i = ed_shared_find_slot(MyDatabaseId, project_id);
	if (i < 0 || ed_shared->slots[i].build_id != build_id ||
		(ed_shared->slots[i].overlay_at != 0 &&
		 !TimestampDifferenceExceeds(ed_shared->slots[i].overlay_at, now, ED_PUBLISH_EVERY_MS)))
	{
		LWLockRelease(ed_shared->lock);
		return;
	}
	LWLockRelease(ed_shared->lock);

	for (int k = 0; k < nrows; k++)
		names_len += rows[k].len;
	names_off = MAXALIGN(offsetof(EdPublished, rows) + sizeof(EdPublishedRow) * nrows);
	snap_off = MAXALIGN(names_off + names_len);
	total = snap_off + ED_SNAPSHOT_SIZE(snap->nxip);
	dp = dsa_allocate_extended(area, total, DSA_ALLOC_HUGE | DSA_ALLOC_NO_OOM);
	if (!DsaPointerIsValid(dp))
		return;
	pub = dsa_get_address(area, dp);
	pub->build_id = build_id;
	pub->nrows = nrows;
	pub->names_off = names_off;
	pub->snap_off = snap_off;
	pub->total = total;
	names = (char *) pub + names_off;
	names_len = 0;
	for (int k = 0; k < nrows; k++)
	{
		pub->rows[k].name_off = (uint32) names_len;
		pub->rows[k].len = (uint16) rows[k].len;
		pub->rows[k].day = rows[k].day;
		pub->rows[k].flags = rows[k].flags;
		pub->rows[k].present = rows[k].present;
		memcpy(names + names_len, rows[k].name, rows[k].len);
		names_len += rows[k].len;
	}
	memcpy((char *) pub + snap_off, snap, ED_SNAPSHOT_SIZE(snap->nxip));

	LWLockAcquire(ed_shared->lock, LW_EXCLUSIVE);
	i = ed_shared_find_slot(MyDatabaseId, project_id);
	if (i >= 0 && ed_shared->slots[i].build_id == build_id)
	{
		ed_shared_drop_overlay(i);
		ed_shared->slots[i].overlay = dp;
		ed_shared->slots[i].overlay_at = now;
		dp = InvalidDsaPointer;
	}
	LWLockRelease(ed_shared->lock);
	if (DsaPointerIsValid(dp))
		dsa_free(area, dp);
}

/*
 * The overlay last published for this base, copied into local memory, with
 * the snapshot it is exact for; false when there is none.
 */
bool
ed_shared_fetch_overlay(int64 project_id, uint64 build_id, EdDeltaRow **rows, int *nrows,
						EdIndexSnapshot **snap)
{
	dsa_area   *area = ed_shared_area();
	bool		found = false;
	int			i;

	LWLockAcquire(ed_shared->lock, LW_SHARED);
	i = ed_shared_find_slot(MyDatabaseId, project_id);
	if (i >= 0 && ed_shared->slots[i].build_id == build_id &&
		DsaPointerIsValid(ed_shared->slots[i].overlay))
	{
		const EdPublished *pub = dsa_get_address(area, ed_shared->slots[i].overlay);
		const char *names = (const char *) pub + pub->names_off;
		const EdIndexSnapshot *s = (const EdIndexSnapshot *) ((const char *) pub + pub->snap_off);

		if (pub->build_id == build_id)
		{
			EdDeltaRow *out = palloc(sizeof(EdDeltaRow) * Max(pub->nrows, 1));

			for (int k = 0; k < pub->nrows; k++)
			{
				out[k].name = pnstrdup(names + pub->rows[k].name_off, pub->rows[k].len);
				out[k].len = pub->rows[k].len;
				out[k].day = pub->rows[k].day;
				out[k].flags = pub->rows[k].flags;
				out[k].present = pub->rows[k].present;
			}
			*snap = palloc(ED_SNAPSHOT_SIZE(s->nxip));
			memcpy(*snap, s, ED_SNAPSHOT_SIZE(s->nxip));
			*rows = out;
			*nrows = pub->nrows;
			found = true;
		}
	}
	LWLockRelease(ed_shared->lock);
	return found;
}
