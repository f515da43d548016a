/*-------------------------------------------------------------------------
 *
 * project_stats.h
 *	  The per-project row of event_definitions.project_stats: the writer
 *	  lock of a project, its exact definition count, and the generation
 *	  number that validates cached name indexes.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_PROJECT_STATS_H
#define ED_PROJECT_STATS_H

#include "util.h"

typedef struct EdStats
{
	bool		found;
	int64		definitions;
	int64		generation;
	bool		written_here;	/* changed by the current transaction */
} EdStats;

#include "executor/spi.h"

extern void ed_stats_lock(int64 project_id);
extern void ed_execute_maintained(SPIPlanPtr plan, Datum *values, const char *nulls,
								  int expected);
extern void ed_stats_changed(int64 project_id, int64 delta_definitions);
extern EdStats ed_stats_read(int64 project_id);

#endif							/* ED_PROJECT_STATS_H */
