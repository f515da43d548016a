/*-------------------------------------------------------------------------
 *
 * index_overlay.c
 *	  Bringing a name index up to date: read what changed since the last
 *	  snapshot, keep the current state of those names beside the base.
 *
 *	  Writers add every name whose index-visible state they change to
 *	  name_changes, with their transaction id (project_stats.c).  An
 *	  overlay is exact for a snapshot O; a later snapshot S that sees all O
 *	  saw (ed_index_snapshot_follows) can only see more changes from
 *	  transactions O did not take as completed: ids at or above O's xmax,
 *	  or running for O.  Those names, and only those, are read again in S
 *	  (their definitions row, or none if deleted) and replace what the
 *	  overlay or the base said; the overlay is then exact for S.  A name
 *	  not in the overlay is as the base has it.  So each call costs the
 *	  changes committed since the previous one, not the size of the
 *	  project.
 *
 *	  The overlay belongs to one backend (it follows that backend's
 *	  snapshots), even when the base it applies to is shared.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/xid8.h"

#include "catalog.h"
#include "index_overlay.h"

void
ed_overlay_reset(EdOverlay *ov, MemoryContext parent, uint64 base_id,
				 const EdIndexSnapshot *snap)
{
	if (ov->cxt != NULL)
		MemoryContextDelete(ov->cxt);
	memset(ov, 0, sizeof(*ov));
	ov->cxt = AllocSetContextCreate(parent, "event_definitions index overlay",
									ALLOCSET_SMALL_SIZES);
	ov->base_id = base_id;
	ov->snap = MemoryContextAlloc(ov->cxt, ED_SNAPSHOT_SIZE(snap->nxip));
	memcpy(ov->snap, snap, ED_SNAPSHOT_SIZE(snap->nxip));
	ov->mask = 63;
	ov->slots = MemoryContextAllocZero(ov->cxt, sizeof(EdOverlayEntry *) * (ov->mask + 1));
	ov->all_cap = 64;
	ov->all = MemoryContextAlloc(ov->cxt, sizeof(EdOverlayEntry *) * ov->all_cap);
}

void
ed_overlay_free(EdOverlay *ov)
{
	if (ov->cxt != NULL)
		MemoryContextDelete(ov->cxt);
	memset(ov, 0, sizeof(*ov));
}

Size
ed_overlay_bytes(const EdOverlay *ov)
{
	return ov->cxt != NULL ? MemoryContextMemAllocated(ov->cxt, true) : 0;
}

/*
 * The names changed since "since", with their rows as the active snapshot
 * sees them.  A null name in the log means the whole project changed.
 */
EdDeltaStatus
ed_delta_read(int64 project_id, const EdIndexSnapshot *since, int max_rows,
			  EdDeltaRow **rows, int *nrows)
{
	static SPIPlanPtr horizon_plan = NULL;
	static SPIPlanPtr plan = NULL;
	Oid			h_argtypes[1] = {INT8OID};
	Oid			argtypes[4] = {INT8OID, XID8OID, XID8ARRAYOID, INT4OID};
	Datum		values[4];
	Datum	   *xips;
	uint64		oldest_needed = since->xmax;
	EdDeltaRow *out;

	*rows = NULL;
	*nrows = 0;
	if (since->nxip < 0)
		return ED_DELTA_TRIMMED;
	for (int i = 0; i < since->nxip; i++)
		oldest_needed = Min(oldest_needed, since->xip[i]);

	ed_prepare_kept_generic(&horizon_plan,
					"SELECT h.trimmed_below FROM event_definitions.name_change_horizon h "
					"WHERE h.project_id = $1",
					1, h_argtypes);
	values[0] = Int64GetDatum(project_id);
	ed_execute_kept(horizon_plan, values, NULL, true, 1, SPI_OK_SELECT);
	if (SPI_processed == 1)
	{
		bool		isnull;
		FullTransactionId below = DatumGetFullTransactionId(
			SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

		if (U64FromFullTransactionId(below) > oldest_needed)
		{
			SPI_freetuptable(SPI_tuptable);
			return ED_DELTA_TRIMMED;
		}
	}
	SPI_freetuptable(SPI_tuptable);

	ed_prepare_kept_generic(&plan,
					   "SELECT c.name, d.found, d.last_seen_day, d.hidden, d.verified "
					   "FROM (SELECT DISTINCT ch.name FROM event_definitions.name_changes ch "
					   "      WHERE ch.project_id = $1 AND (ch.xid >= $2 OR ch.xid = ANY ($3)) "
					   "      LIMIT $4) c "
					   "LEFT JOIN LATERAL (SELECT true AS found, d.last_seen_day, d.hidden, d.verified "
					   "  FROM event_definitions.definitions d "
					   "  WHERE d.project_id = $1 AND d.name = c.name OFFSET 0) d ON true",
					   4, argtypes);
	xips = palloc(sizeof(Datum) * Max(since->nxip, 1));
	for (int i = 0; i < since->nxip; i++)
		xips[i] = FullTransactionIdGetDatum(FullTransactionIdFromU64(since->xip[i]));
	values[0] = Int64GetDatum(project_id);
	values[1] = FullTransactionIdGetDatum(FullTransactionIdFromU64(since->xmax));
	values[2] = PointerGetDatum(construct_array(xips, since->nxip, XID8OID, sizeof(uint64),
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[3] = Int32GetDatum(max_rows + 1);
	ed_execute_kept(plan, values, NULL, true, 0, SPI_OK_SELECT);
	if (SPI_processed > (uint64) max_rows)
	{
		SPI_freetuptable(SPI_tuptable);
		return ED_DELTA_TOO_MANY;
	}

	out = palloc(sizeof(EdDeltaRow) * Max(SPI_processed, 1));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		Datum		name = SPI_getbinval(tup, desc, 1, &isnull);
		Datum		found;
		Datum		day;
		text	   *t;

		if (isnull)
		{
			SPI_freetuptable(SPI_tuptable);
			return ED_DELTA_RESET;
		}
		t = DatumGetTextPP(name);
		out[i].len = VARSIZE_ANY_EXHDR(t);
		out[i].name = pnstrdup(VARDATA_ANY(t), out[i].len);
		found = SPI_getbinval(tup, desc, 2, &isnull);
		out[i].present = !isnull && DatumGetBool(found);
		out[i].day = ED_DAY_NULL;
		out[i].flags = 0;
		if (out[i].present)
		{
			day = SPI_getbinval(tup, desc, 3, &isnull);
			out[i].day = isnull ? ED_DAY_NULL : DatumGetInt32(day);
			if (DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull)))
				out[i].flags |= ED_IX_HIDDEN;
			if (DatumGetBool(SPI_getbinval(tup, desc, 5, &isnull)))
				out[i].flags |= ED_IX_VERIFIED;
			if (out[i].name[0] == '$')
				out[i].flags |= ED_IX_POSTHOG;
		}
	}
	*nrows = (int) SPI_processed;
	*rows = out;
	SPI_freetuptable(SPI_tuptable);
	return ED_DELTA_OK;
}

static uint32
ed_overlay_hash(const char *name, int len)
{
	return hash_bytes((const unsigned char *) name, len);
}

static EdOverlayEntry *
ed_overlay_find(const EdOverlay *ov, const char *name, int len)
{
	uint32		h = ed_overlay_hash(name, len) & ov->mask;

	while (ov->slots[h] != NULL)
	{
		EdOverlayEntry *e = ov->slots[h];

		if (e->len == len && memcmp(e->name, name, len) == 0)
			return e;
		h = (h + 1) & ov->mask;
	}
	return NULL;
}

static void
ed_overlay_insert_slot(EdOverlay *ov, EdOverlayEntry *e)
{
	uint32		h = ed_overlay_hash(e->name, e->len) & ov->mask;

	while (ov->slots[h] != NULL)
		h = (h + 1) & ov->mask;
	ov->slots[h] = e;
}

static EdOverlayEntry *
ed_overlay_add(EdOverlay *ov, const EdIndexView *view, const EdDeltaRow *row)
{
	EdOverlayEntry *e = MemoryContextAllocZero(ov->cxt, sizeof(EdOverlayEntry));
	unsigned char high = 0;

	e->len = (uint16) row->len;
	e->name = MemoryContextAlloc(ov->cxt, row->len + 1);
	e->lower = MemoryContextAlloc(ov->cxt, row->len + 1);
	memcpy(e->name, row->name, row->len);
	e->name[row->len] = '\0';
	for (int i = 0; i < row->len; i++)
	{
		unsigned char c = (unsigned char) row->name[i];

		high |= c;
		e->lower[i] = (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
	}
	e->lower[row->len] = '\0';
	e->chars = (uint16) Min((high & 0x80) ? ed_char_length(row->name, row->len) : row->len,
							ED_NAME_MAX_CHARS);
	e->base_index = ed_index_find_name(view, row->name, row->len);

	if ((uint32) (ov->nentries + 1) * 2 > ov->mask + 1)
	{
		/* grow the hash */
		ov->mask = ov->mask * 2 + 1;
		ov->slots = MemoryContextAllocZero(ov->cxt, sizeof(EdOverlayEntry *) * (ov->mask + 1));
		for (int i = 0; i < ov->nentries; i++)
			ed_overlay_insert_slot(ov, ov->all[i]);
	}
	ed_overlay_insert_slot(ov, e);
	if (ov->nentries == ov->all_cap)
	{
		ov->all_cap *= 2;
		ov->all = repalloc(ov->all, sizeof(EdOverlayEntry *) * ov->all_cap);
	}
	ov->all[ov->nentries++] = e;
	return e;
}

static int
ed_overlay_entry_cmp(const void *a, const void *b)
{
	const EdOverlayEntry *x = *(EdOverlayEntry *const *) a;
	const EdOverlayEntry *y = *(EdOverlayEntry *const *) b;

	return ed_index_entry_cmp(x->day, x->name, x->len, y->day, y->name, y->len);
}

static int
ed_int32_cmp(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/* The present names in the default order and the replaced base entries. */
static void
ed_overlay_derive(EdOverlay *ov)
{
	if (ov->present != NULL)
		pfree(ov->present);
	if (ov->masked != NULL)
		pfree(ov->masked);
	ov->present = MemoryContextAlloc(ov->cxt, sizeof(EdOverlayEntry *) * Max(ov->nentries, 1));
	ov->masked = MemoryContextAlloc(ov->cxt, sizeof(int32) * Max(ov->nentries, 1));
	ov->npresent = 0;
	ov->nmasked = 0;
	for (int i = 0; i < ov->nentries; i++)
	{
		EdOverlayEntry *e = ov->all[i];

		if (e->present)
			ov->present[ov->npresent++] = e;
		if (e->base_index >= 0)
			ov->masked[ov->nmasked++] = e->base_index;
	}
	qsort(ov->present, ov->npresent, sizeof(EdOverlayEntry *), ed_overlay_entry_cmp);
	qsort(ov->masked, ov->nmasked, sizeof(int32), ed_int32_cmp);
}

/* Take rows as the current state of their names (no snapshot change). */
void
ed_overlay_apply_rows(EdOverlay *ov, const EdIndexView *view, const EdDeltaRow *rows, int nrows)
{
	for (int i = 0; i < nrows; i++)
	{
		EdOverlayEntry *e = ed_overlay_find(ov, rows[i].name, rows[i].len);

		if ((i & 0xfff) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e == NULL)
			e = ed_overlay_add(ov, view, &rows[i]);
		e->present = rows[i].present;
		e->day = rows[i].day;
		e->flags = rows[i].flags;
	}
	if (nrows > 0)
		ov->present_stale = true;
}

/*
 * Apply rows read in snapshot "now": afterwards the overlay is exact for
 * it.  The caller has checked that "now" follows the overlay's snapshot.
 */
void
ed_overlay_apply(EdOverlay *ov, const EdIndexView *view, const EdDeltaRow *rows, int nrows,
				 Snapshot now)
{
	MemoryContext oldcxt;
	EdIndexSnapshot *snap;

	ed_overlay_apply_rows(ov, view, rows, nrows);
	if (ov->present_stale || ov->present == NULL)
		ed_overlay_derive(ov);
	ov->present_stale = false;
	oldcxt = MemoryContextSwitchTo(ov->cxt);
	snap = ed_index_snapshot_from(now);
	MemoryContextSwitchTo(oldcxt);
	pfree(ov->snap);
	ov->snap = snap;
}

/* The overlay's state as rows (names point into the overlay). */
EdDeltaRow *
ed_overlay_rows(const EdOverlay *ov, int *nrows)
{
	EdDeltaRow *rows = palloc(sizeof(EdDeltaRow) * Max(ov->nentries, 1));

	for (int i = 0; i < ov->nentries; i++)
	{
		const EdOverlayEntry *e = ov->all[i];

		rows[i].name = e->name;
		rows[i].len = e->len;
		rows[i].present = e->present;
		rows[i].day = e->day;
		rows[i].flags = e->flags;
	}
	*nrows = ov->nentries;
	return rows;
}

/* Start from a state another backend published: exact for "snap". */
void
ed_overlay_set_snapshot(EdOverlay *ov, const EdIndexSnapshot *snap)
{
	EdIndexSnapshot *copy = MemoryContextAlloc(ov->cxt, ED_SNAPSHOT_SIZE(snap->nxip));

	memcpy(copy, snap, ED_SNAPSHOT_SIZE(snap->nxip));
	pfree(ov->snap);
	ov->snap = copy;
}
