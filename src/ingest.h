/*-------------------------------------------------------------------------
 *
 * ingest.h
 *	  The write path of events: ingestion batches and query-usage counts.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_INGEST_H
#define ED_INGEST_H

#include "util.h"

/* events of one name on one UTC day, counted by the caller */
typedef struct EdEventCount
{
	char	   *name;			/* a valid event name */
	DateADT		day;			/* UTC day */
	TimestampTz newest;			/* newest time of these events */
	int64		events;			/* how many */
} EdEventCount;

extern int32 ed_ingest_batch(int64 project_id, ArrayType *names, ArrayType *seen_at);
extern int32 ed_ingest_counted(int64 project_id, EdEventCount *counts, int ncounts);
extern int32 ed_record_query_usage(int64 project_id, ArrayType *names, TimestampTz at);

#endif							/* ED_INGEST_H */
