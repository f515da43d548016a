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

extern int32 ed_ingest_batch(int64 project_id, ArrayType *names, ArrayType *seen_at);
extern int32 ed_record_query_usage(int64 project_id, ArrayType *names, TimestampTz at);

#endif							/* ED_INGEST_H */
