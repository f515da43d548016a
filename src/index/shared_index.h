/*-------------------------------------------------------------------------
 *
 * shared_index.h
 *	  Name index bases in shared memory (a DSA area), one per project and
 *	  server, built by a background worker and read by every backend.
 *	  Needs shared_preload_libraries = 'event_definitions'.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_SHARED_INDEX_H
#define ED_SHARED_INDEX_H

#include "index_overlay.h"

extern int	ed_shared_index_memory_mb;

extern void ed_shared_index_init(void);
extern bool ed_shared_index_available(void);

/* the current base of a project: its build id and a copy of its snapshot */
extern bool ed_shared_peek(int64 project_id, Oid relid, uint64 *build_id,
						   EdIndexSnapshot **snap, int *n);

/* map that base and hold it (shared lock) until ed_shared_release */
extern bool ed_shared_acquire(int64 project_id, uint64 build_id, EdIndexView *view);
extern void ed_shared_release(void);

/* a backend's overlay of a base, shared with backends that start afresh */
extern void ed_shared_publish_overlay(int64 project_id, uint64 build_id, const EdDeltaRow *rows,
									  int nrows, const EdIndexSnapshot *snap);
extern bool ed_shared_fetch_overlay(int64 project_id, uint64 build_id, EdDeltaRow **rows,
									int *nrows, EdIndexSnapshot **snap);

/* ask the worker to (re)build the project's base */
extern void ed_shared_request_build(int64 project_id);

extern bool ed_shared_status(int64 project_id, int *n, Size *bytes, uint64 *build_id,
							 bool *requested);

/* for the worker */
extern PGDLLEXPORT void ed_index_worker_main(Datum main_arg);

#endif							/* ED_SHARED_INDEX_H */
