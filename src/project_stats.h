/*-------------------------------------------------------------------------
 *
 * project_stats.h
 *	  What writers record besides the definitions themselves: the exact
 *	  definition count of a project (counter slots in project_stats) and
 *	  the names whose index-visible state changed (name_changes).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_PROJECT_STATS_H
#define ED_PROJECT_STATS_H

#include "executor/spi.h"

extern bool ed_transaction_writer_lock;

extern void ed_project_stats_define_gucs(void);

/* before a write: in a 1.0 schema, the project's writer lock */
extern void ed_write_begin(int64 project_id);

/* after a write that found its row: count and index-visible change */
extern void ed_write_done(int64 project_id, int64 delta_definitions, const char *name,
						  bool index_changed);

/* has the current transaction written to this project (read your writes) */
extern bool ed_project_written_here(int64 project_id);
extern void ed_project_mark_written(int64 project_id);

extern void ed_execute_maintained(SPIPlanPtr plan, Datum *values, const char *nulls,
								  int expected);
extern int64 ed_count_read(int64 project_id);
extern void ed_changes_maybe_trim(int64 project_id);
extern int64 ed_recount(int64 project_id, bool all_projects);

#endif							/* ED_PROJECT_STATS_H */
