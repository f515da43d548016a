/*-------------------------------------------------------------------------
 *
 * group_store.h
 *	  Reads and writes of property groups, their properties, attachments
 *	  and the schema_versions they bump (SPI, kept plans).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_GROUP_STORE_H
#define ED_GROUP_STORE_H

#include "executor/spi.h"
#include "utils/uuid.h"

#include "nullable.h"
#include "schema/group_input.h"

extern bool ed_group_insert(int64 project_id, const EdGroupInput *in, EdOptInt64 actor,
							TimestampTz now, pg_uuid_t *id);
extern char *ed_group_lock(int64 project_id, const pg_uuid_t *id);
extern bool ed_group_name_taken(int64 project_id, const char *name, const pg_uuid_t *except);
extern void ed_group_write(int64 project_id, const pg_uuid_t *id, const char *name,
						   const char *description, EdOptInt64 actor, TimestampTz now);
extern void ed_group_replace_properties(int64 project_id, const pg_uuid_t *id,
										const EdGroupInput *in);
extern void ed_group_delete_row(int64 project_id, const pg_uuid_t *id);
extern int64 ed_schema_bump_group(int64 project_id, const pg_uuid_t *group_id);
extern void ed_schema_bump_event(int64 project_id, const pg_uuid_t *event_id);
extern bool ed_attachment_insert(int64 project_id, const pg_uuid_t *event_id,
								 const pg_uuid_t *group_id);
extern bool ed_attachment_delete(int64 project_id, const pg_uuid_t *event_id,
								 const pg_uuid_t *group_id);
extern char *ed_event_lock_name(int64 project_id, const pg_uuid_t *event_id);
extern SPITupleTable *ed_event_groups(int64 project_id, const pg_uuid_t *event_id, bool read_only);
extern List *ed_event_group_names(int64 project_id, const pg_uuid_t *event_id);

#endif							/* ED_GROUP_STORE_H */
