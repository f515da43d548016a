/*-------------------------------------------------------------------------
 *
 * index_overlay.h
 *	  The changes a backend has applied over a name index base: the
 *	  current state of every name written since the base was built, kept
 *	  exact for the last snapshot that read them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_INDEX_OVERLAY_H
#define ED_INDEX_OVERLAY_H

#include "index_base.h"

typedef struct EdOverlayEntry
{
	char	   *name;
	char	   *lower;			/* ASCII-lower-cased */
	uint16		len;
	uint16		chars;
	int32		day;
	uint8		flags;
	bool		present;		/* the definition exists */
	int32		base_index;		/* its entry in the base, or -1 */
} EdOverlayEntry;

typedef struct EdOverlay
{
	MemoryContext cxt;			/* everything below */
	uint64		base_id;		/* the base it applies to */
	EdIndexSnapshot *snap;		/* the state is exact for this snapshot */
	int			nentries;
	uint32		mask;			/* hash of entries by name: mask + 1 slots */
	EdOverlayEntry **slots;
	EdOverlayEntry **all;		/* nentries of them */
	int			all_cap;
	/* derived after every change */
	EdOverlayEntry **present;	/* existing names, in the default order */
	int			npresent;
	int32	   *masked;			/* base entries replaced, increasing */
	int			nmasked;
	bool		present_stale;	/* rows applied since they were derived */
} EdOverlay;

/* one name read from the change log, with its row in the caller's snapshot */
typedef struct EdDeltaRow
{
	char	   *name;
	int			len;
	bool		present;
	int32		day;
	uint8		flags;
} EdDeltaRow;

typedef enum EdDeltaStatus
{
	ED_DELTA_OK,
	ED_DELTA_TOO_MANY,			/* more names than the caller allows */
	ED_DELTA_RESET,				/* the whole project changed (TRUNCATE, recount) */
	ED_DELTA_TRIMMED			/* the changes needed were trimmed away */
} EdDeltaStatus;

extern void ed_overlay_reset(EdOverlay *ov, MemoryContext parent, uint64 base_id,
							 const EdIndexSnapshot *snap);
extern void ed_overlay_free(EdOverlay *ov);
extern EdDeltaStatus ed_delta_read(int64 project_id, const EdIndexSnapshot *since, int max_rows,
								   EdDeltaRow **rows, int *nrows);
extern void ed_overlay_apply(EdOverlay *ov, const EdIndexView *view, const EdDeltaRow *rows,
							 int nrows, Snapshot now);
extern void ed_overlay_apply_rows(EdOverlay *ov, const EdIndexView *view,
								  const EdDeltaRow *rows, int nrows);
extern EdDeltaRow *ed_overlay_rows(const EdOverlay *ov, int *nrows);
extern void ed_overlay_set_snapshot(EdOverlay *ov, const EdIndexSnapshot *snap);
extern Size ed_overlay_bytes(const EdOverlay *ov);

#endif							/* ED_INDEX_OVERLAY_H */
