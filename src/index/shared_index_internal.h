/*-------------------------------------------------------------------------
 *
 * shared_index_internal.h
 *	  The shared control block of the name indexes, shared by
 *	  shared_index.c (backends) and index_worker.c (the builder).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_SHARED_INDEX_INTERNAL_H
#define ED_SHARED_INDEX_INTERNAL_H

#include "port/atomics.h"
#include "storage/lwlock.h"
#include "utils/dsa.h"
#include "utils/timestamp.h"

#define ED_SHARED_SLOTS		64		/* projects indexed at once, all databases */
#define ED_SHARED_WORKERS	8		/* databases building at once */
#define ED_RETRY_MS			10000	/* after a failed build, wait this long */

typedef struct EdSharedSlot
{
	Oid			dboid;			/* InvalidOid: free */
	int64		project_id;
	dsa_pointer blob;			/* the current base, or invalid */
	Size		bytes;
	uint64		build_id;
	pg_atomic_uint64 last_used;
	bool		requested;		/* a (re)build is wanted */
	bool		building;
	TimestampTz failed_at;		/* last build that did not produce a base */
	dsa_pointer overlay;		/* a backend's overlay of this base, or invalid */
	TimestampTz overlay_at;		/* when it was published */
} EdSharedSlot;

typedef struct EdSharedWorker
{
	Oid			dboid;			/* InvalidOid: none */
	pid_t		pid;			/* 0 while starting */
	TimestampTz launched_at;
} EdSharedWorker;

typedef struct EdSharedControl
{
	LWLock	   *lock;			/* protects everything below */
	int			dsa_tranche;
	dsa_handle	area;
	uint64		next_build_id;
	pg_atomic_uint64 clock;
	EdSharedWorker workers[ED_SHARED_WORKERS];
	EdSharedSlot slots[ED_SHARED_SLOTS];
} EdSharedControl;

extern EdSharedControl *ed_shared;

extern dsa_area *ed_shared_area(void);
extern int	ed_shared_find_slot(Oid dboid, int64 project_id);
extern void ed_shared_evict(int i);
extern void ed_shared_drop_overlay(int i);
extern Size ed_shared_budget(void);

#endif							/* ED_SHARED_INDEX_INTERNAL_H */
