/*-------------------------------------------------------------------------
 *
 * name_index.c
 *	  The in-memory name index of a project: where its base lives, how it
 *	  is kept up to date, and when it answers instead of SQL.
 *
 *	  An index is a base (index_base.c: every name in the default order,
 *	  built from one snapshot) plus this backend's overlay (index_overlay.c:
 *	  the current state of the names written since).  Each call reads, in
 *	  its own snapshot, only the names written since the overlay's
 *	  snapshot, applies them, and answers from base and overlay together
 *	  (index_query.c): the answer is exactly what SQL would answer in the
 *	  caller's snapshot, and a change costs work proportional to itself.
 *
 *	  With the library preloaded the base is shared by every backend of
 *	  the server (shared_index.c) and built by a background worker
 *	  (index_worker.c): no request builds one.  A project without a base
 *	  yet, or whose overlay outgrew its base, asks the worker for one; the
 *	  first answers through SQL meanwhile (a trigram index serves search),
 *	  the second goes on with the old base and its overlay.  Without
 *	  preload each backend builds its own base on the first call that
 *	  needs one and rebuilds it only when its overlay grows large.
 *
 *	  The index does not answer, and SQL does, when: the installed SQL is
 *	  1.0 (no change log); the current transaction wrote to the project
 *	  (SQL reads its own writes); the caller's snapshot does not see
 *	  everything the overlay saw (a REPEATABLE READ transaction older than
 *	  a rebuilt base); the database encoding is a multibyte one other than
 *	  UTF-8 (a byte match could start inside a character); or the project
 *	  does not fit the memory settings.
 *
 *	  Memory: event_definitions.name_index_memory bounds the bases a
 *	  backend builds itself (least recently used dropped first) and 0 turns
 *	  every index off; event_definitions.shared_index_memory bounds the
 *	  shared bases.  Overlays are small: a base is rebuilt before its
 *	  overlay holds more than a fraction of the project.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "index_query.h"
#include "name_index.h"
#include "project_stats.h"
#include "shared_index.h"
#include "version.h"

/* a shared base is rebuilt (in the background) past this many overlay names */
#define ED_SHARED_REBUILD_AT(n)	(1000 + (n) / 500)
/* a backend's own base is rebuilt (by the request) past this many */
#define ED_LOCAL_REBUILD_AT(n)	(20000 + (n) / 20)
/* names read from the change log in one call at most */
#define ED_DELTA_MAX			100000

typedef struct EdProjectIndex
{
	Oid			dboid;
	int64		project_id;
	Oid			relid;			/* definitions table the base was built from */
	bool		shared;
	uint64		base_id;		/* shared build id, or a local build number */
	EdIndexBlob *blob;			/* a base of our own (not shared) */
	Size		blob_bytes;
	bool		valid;			/* overlay complete (false while applying) */
	EdOverlay	overlay;
	uint64		last_used;
	MemoryContext cxt;
} EdProjectIndex;

int			ed_name_index_memory_mb = 256;

static List *ed_projects = NIL; /* of EdProjectIndex *, in TopMemoryContext */
static uint64 ed_clock = 0;
static uint64 ed_local_builds = 0;

void
ed_name_index_define_gucs(void)
{
	DefineCustomIntVariable("event_definitions.name_index_memory",
							"Memory for the name indexes a backend builds itself, in megabytes.",
							"Search and filtered lists of a project use an in-memory index of its "
							"names when it fits; without shared_preload_libraries each backend "
							"builds its own. 0 turns the indexes off.",
							&ed_name_index_memory_mb,
							256, 0, 16384,
							PGC_USERSET,
							GUC_UNIT_MB,
							NULL, NULL, NULL);
	ed_shared_index_init();
}

static Size
ed_local_budget(void)
{
	return (Size) ed_name_index_memory_mb * 1024 * 1024;
}

static void
ed_project_drop(EdProjectIndex *pi)
{
	ed_projects = list_delete_ptr(ed_projects, pi);
	MemoryContextDelete(pi->cxt);
}

static EdProjectIndex *
ed_project_find(int64 project_id)
{
	ListCell   *lc;

	foreach(lc, ed_projects)
	{
		EdProjectIndex *pi = lfirst(lc);

		if (pi->dboid == MyDatabaseId && pi->project_id == project_id)
			return pi;
	}
	return NULL;
}

static EdProjectIndex *
ed_project_new(int64 project_id, Oid relid, bool shared)
{
	MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "event_definitions name index",
											  ALLOCSET_SMALL_SIZES);
	EdProjectIndex *pi = MemoryContextAllocZero(cxt, sizeof(EdProjectIndex));
	MemoryContext oldcxt;

	pi->cxt = cxt;
	pi->dboid = MyDatabaseId;
	pi->project_id = project_id;
	pi->relid = relid;
	pi->shared = shared;
	oldcxt = MemoryContextSwitchTo(TopMemoryContext);
	ed_projects = lappend(ed_projects, pi);
	MemoryContextSwitchTo(oldcxt);
	return pi;
}

/* Drop least recently used bases of our own until "need" more bytes fit. */
static void
ed_local_make_room(Size need, EdProjectIndex *keep)
{
	for (;;)
	{
		Size		used = 0;
		EdProjectIndex *oldest = NULL;
		ListCell   *lc;

		foreach(lc, ed_projects)
		{
			EdProjectIndex *pi = lfirst(lc);

			used += pi->blob_bytes + ed_overlay_bytes(&pi->overlay);
			if (pi != keep && (oldest == NULL || pi->last_used < oldest->last_used))
				oldest = pi;
		}
		if (oldest == NULL || used + need <= ed_local_budget())
			return;
		ed_project_drop(oldest);
	}
}

static void *
ed_local_alloc(Size size, void *arg)
{
	EdProjectIndex *pi = arg;

	ed_local_make_room(size, pi);
	return MemoryContextAllocExtended(pi->cxt, size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

/* (Re)build a base of our own from the caller's snapshot. */
static bool
ed_local_build(EdProjectIndex *pi, Snapshot snap)
{
	EdIndexView view;

	ed_overlay_free(&pi->overlay);
	if (pi->blob != NULL)
		pfree(pi->blob);
	pi->blob = NULL;
	pi->blob_bytes = 0;
	pi->valid = false;
	pi->blob = ed_index_base_build(pi->project_id, pi->relid, snap, ed_local_budget(),
								   ed_local_alloc, pi);
	if (pi->blob == NULL)
		return false;
	pi->blob_bytes = pi->blob->total;
	pi->base_id = ++ed_local_builds;
	ed_index_view(pi->blob, &view);
	ed_overlay_reset(&pi->overlay, pi->cxt, pi->base_id, view.snapshot);
	pi->valid = true;
	return true;
}

/* Apply what changed and answer; the base is mapped in "view". */
static void
ed_apply_and_answer(EdProjectIndex *pi, const EdIndexView *view, const EdDeltaRow *rows,
					int nrows, Snapshot snap, const EdIndexQuery *q, EdIndexResult *result)
{
	pi->valid = false;
	ed_overlay_apply(&pi->overlay, view, rows, nrows, snap);
	pi->valid = true;
	ed_index_answer(view, &pi->overlay, q, result);
	elog(DEBUG2, "name index answered: project " INT64_FORMAT ", %d changed names applied, "
		 "%d in the overlay", pi->project_id, nrows, pi->overlay.nentries);
}

/* overlays of at least this many names are published for new backends */
#define ED_PUBLISH_MIN_NAMES	200

static bool
ed_lookup_shared(int64 project_id, Oid relid, Snapshot snap, const EdIndexQuery *q, bool build,
				 EdIndexResult *result)
{
	for (int attempt = 0; attempt < 2; attempt++)
	{
		EdProjectIndex *pi = ed_project_find(project_id);
		EdIndexSnapshot *base_snap;
		EdIndexView view;
		EdDeltaRow *rows;
		EdDeltaRow *published = NULL;
		int			npublished = 0;
		uint64		build_id;
		int			nrows;
		int			n;
		EdDeltaStatus status;

		if (!ed_shared_peek(project_id, relid, &build_id, &base_snap, &n))
		{
			if (build)
				ed_shared_request_build(project_id);
			return false;
		}
		if (pi == NULL)
			pi = ed_project_new(project_id, relid, true);
		if (pi->base_id != build_id || !pi->valid || pi->overlay.cxt == NULL)
		{
			EdIndexSnapshot *pub_snap;

			ed_overlay_reset(&pi->overlay, pi->cxt, build_id, base_snap);
			pi->base_id = build_id;
			pi->valid = true;
			/* start from what another backend published, when this snapshot follows it */
			if (ed_shared_fetch_overlay(project_id, build_id, &published, &npublished, &pub_snap) &&
				ed_index_snapshot_follows(snap, pub_snap))
			{
				ed_overlay_set_snapshot(&pi->overlay, pub_snap);
				pi->valid = false;	/* until the published rows are applied */
			}
			else
			{
				published = NULL;
				npublished = 0;
			}
		}
		pi->last_used = ++ed_clock;
		if (!ed_index_snapshot_follows(snap, pi->overlay.snap))
		{
			elog(DEBUG1, "name index of project " INT64_FORMAT ": snapshot does not follow the index", project_id);
			pi->valid = published == NULL && pi->valid;
			return false;
		}
		if ((status = ed_delta_read(project_id, pi->overlay.snap, ED_DELTA_MAX, &rows, &nrows)) != ED_DELTA_OK)
		{
			elog(DEBUG1, "name index of project " INT64_FORMAT ": change log status %d", project_id, (int) status);
			ed_overlay_free(&pi->overlay);
			pi->valid = false;
			ed_shared_request_build(project_id);
			return false;
		}
		if (!ed_shared_acquire(project_id, build_id, &view))
		{
			pi->valid = false;
			continue;			/* a new base was published meanwhile */
		}
		if (published != NULL)
		{
			ed_overlay_apply_rows(&pi->overlay, &view, published, npublished);
			elog(DEBUG2, "name index: started from a published overlay of %d names", npublished);
		}
		ed_apply_and_answer(pi, &view, rows, nrows, snap, q, result);
		ed_shared_release();
		if (pi->overlay.nentries > ED_SHARED_REBUILD_AT(n))
			ed_shared_request_build(project_id);
		else if (pi->overlay.nentries >= ED_PUBLISH_MIN_NAMES && nrows > 0)
		{
			int			nown;
			EdDeltaRow *own = ed_overlay_rows(&pi->overlay, &nown);

			ed_shared_publish_overlay(project_id, build_id, own, nown, pi->overlay.snap);
			pfree(own);
		}
		return true;
	}
	return false;
}

static bool
ed_lookup_local(int64 project_id, Oid relid, Snapshot snap, const EdIndexQuery *q, bool build,
				EdIndexResult *result)
{
	EdProjectIndex *pi = ed_project_find(project_id);
	EdIndexView view;
	EdDeltaRow *rows = NULL;
	int			nrows = 0;
	EdDeltaStatus status = ED_DELTA_TRIMMED;

	if (pi != NULL && (pi->relid != relid || pi->shared))
	{
		ed_project_drop(pi);
		pi = NULL;
	}
	if (pi == NULL)
	{
		if (!build)
			return false;
		pi = ed_project_new(project_id, relid, false);
		if (!ed_local_build(pi, snap))
		{
			ed_project_drop(pi);
			return false;
		}
	}
	pi->last_used = ++ed_clock;
	if (pi->valid && pi->blob != NULL)
	{
		if (!ed_index_snapshot_follows(snap, pi->overlay.snap))
			return false;
		if (pi->overlay.nentries <= ED_LOCAL_REBUILD_AT(pi->blob->n))
			status = ed_delta_read(project_id, pi->overlay.snap, ED_DELTA_MAX, &rows, &nrows);
	}
	if (status != ED_DELTA_OK)
	{
		/* too far behind to catch up: build again, from this snapshot */
		if (!build || !ed_local_build(pi, snap))
		{
			ed_project_drop(pi);
			return false;
		}
		rows = NULL;
		nrows = 0;
	}
	ed_index_view(pi->blob, &view);
	ed_apply_and_answer(pi, &view, rows, nrows, snap, q, result);
	return true;
}

/* Can a byte match start inside a character?  Only in non-UTF-8 multibyte encodings. */
static bool
ed_encoding_allows_index(void)
{
	return GetDatabaseEncoding() == PG_UTF8 || pg_database_encoding_max_length() == 1;
}

/*
 * Answer q from the project's index.  Returns false when the index cannot
 * answer (see the header comment), or when it has no base and "build" is
 * false.  Runs inside SPI; the result lives in the current memory context.
 */
bool
ed_name_index_lookup(int64 project_id, const EdIndexQuery *q, bool build,
					 EdIndexResult *result)
{
	Snapshot	snap;
	Oid			relid;

	if (ed_name_index_memory_mb <= 0 || !ed_encoding_allows_index() || ed_sql_version() < ED_SQL_1_1 ||
		ed_project_written_here(project_id) || !ActiveSnapshotSet())
		return false;
	snap = GetActiveSnapshot();
	relid = ed_index_definitions_relid();
	if (ed_shared_index_available())
		return ed_lookup_shared(project_id, relid, snap, q, build, result);
	return ed_lookup_local(project_id, relid, snap, q, build, result);
}

/*
 * What the index of a project looks like from this backend, as JSON:
 * where its base lives, whether it is built, its size and overlay.
 */
void
ed_name_index_status(int64 project_id, StringInfo out)
{
	EdProjectIndex *pi = ed_project_find(project_id);
	const char *mode;
	bool		built = false;
	bool		requested = false;
	int			n = 0;
	Size		bytes = 0;
	uint64		build_id = 0;

	if (ed_name_index_memory_mb <= 0 || !ed_encoding_allows_index() || ed_sql_version() < ED_SQL_1_1)
		mode = "off";
	else if (ed_shared_index_available())
	{
		mode = "shared";
		built = ed_shared_status(project_id, &n, &bytes, &build_id, &requested);
	}
	else
	{
		mode = "local";
		if (pi != NULL && !pi->shared && pi->blob != NULL)
		{
			built = true;
			n = pi->blob->n;
			bytes = pi->blob->total;
			build_id = pi->base_id;
		}
	}
	appendStringInfo(out, "{\"mode\": \"%s\", \"built\": %s, \"build_requested\": %s, "
					 "\"names\": %d, \"bytes\": %zu, \"build_id\": " UINT64_FORMAT ", "
					 "\"overlay_names\": %d}",
					 mode, built ? "true" : "false", requested ? "true" : "false", n,
					 (size_t) bytes, build_id,
					 (pi != NULL && pi->valid && pi->base_id == build_id) ? pi->overlay.nentries : 0);
}
