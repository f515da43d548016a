/*-------------------------------------------------------------------------
 *
 * metrics.h
 *	  Usage metrics of a definition over the last 30 UTC days.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_METRICS_H
#define ED_METRICS_H

#include "lib/stringinfo.h"

#include "util.h"

#define ED_METRICS_WINDOW_DAYS 30

extern void ed_metrics_render(StringInfo buf, int64 project_id, const pg_uuid_t *id);

#endif							/* ED_METRICS_H */
