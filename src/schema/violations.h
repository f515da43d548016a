/*-------------------------------------------------------------------------
 *
 * violations.h
 *	  Schema violations counted at ingestion: the page of violations(),
 *	  and their sum over a definition's last 30 days (metrics).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_VIOLATIONS_H
#define ED_VIOLATIONS_H

#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

/* a violation row rendered as the least jsonb can hold it */
#define ED_VIOLATION_MIN_JSONB_BYTES 120

extern JsonbValue *ed_violations_page(int64 project_id, const pg_uuid_t *id, bool has_since,
									  TimestampTz since, int64 limit, int64 offset);

#endif							/* ED_VIOLATIONS_H */
