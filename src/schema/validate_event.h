/*-------------------------------------------------------------------------
 *
 * validate_event.h
 *	  validate(): one event's properties against the schema of its name.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_VALIDATE_EVENT_H
#define ED_VALIDATE_EVENT_H

#include "utils/jsonb.h"

extern Jsonb *ed_validate_event(int64 project_id, const char *name, Jsonb *properties,
								MemoryContext resultcxt);

#endif							/* ED_VALIDATE_EVENT_H */
