/*-------------------------------------------------------------------------
 *
 * event_schema.h
 *	  An event's schema as event_schema() shows it: the merged properties
 *	  of its groups, the conflicts among them, its version and hash.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_EVENT_SCHEMA_H
#define ED_EVENT_SCHEMA_H

#include "utils/jsonb.h"
#include "utils/uuid.h"

extern JsonbValue *ed_event_schema(int64 project_id, const pg_uuid_t *event_id, bool read_only);

#endif							/* ED_EVENT_SCHEMA_H */
