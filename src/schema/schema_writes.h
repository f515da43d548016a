/*-------------------------------------------------------------------------
 *
 * schema_writes.h
 *	  The write operations of schemas: property groups created, changed
 *	  and deleted, groups attached to and detached from events.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_SCHEMA_WRITES_H
#define ED_SCHEMA_WRITES_H

#include "utils/jsonb.h"
#include "utils/uuid.h"

#include "nullable.h"
#include "schema/group_input.h"

extern JsonbValue *ed_group_create(int64 project_id, const EdGroupInput *in, EdOptInt64 actor);
extern JsonbValue *ed_group_update(int64 project_id, const pg_uuid_t *id, const EdGroupInput *patch,
								   EdOptInt64 actor);
extern void ed_group_delete(int64 project_id, const pg_uuid_t *id, EdOptInt64 actor);
extern JsonbValue *ed_schema_attach(int64 project_id, const pg_uuid_t *event_id,
									const pg_uuid_t *group_id, EdOptInt64 actor);
extern JsonbValue *ed_schema_detach(int64 project_id, const pg_uuid_t *event_id,
									const pg_uuid_t *group_id, EdOptInt64 actor);

#endif							/* ED_SCHEMA_WRITES_H */
