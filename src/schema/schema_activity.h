/*-------------------------------------------------------------------------
 *
 * schema_activity.h
 *	  Activity entries of schema changes: a property group created,
 *	  changed or deleted, and the groups of an event definition changed.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_SCHEMA_ACTIVITY_H
#define ED_SCHEMA_ACTIVITY_H

#include "activity.h"
#include "schema/group_render.h"

#define ED_GROUP_ACTIVITY_SCOPE "PropertyGroup"

extern int64 ed_group_activity(int64 project_id, EdActivityKind kind, const EdGroupView *before,
							   const EdGroupView *after, EdOptInt64 actor);
extern int64 ed_event_groups_activity(int64 project_id, const pg_uuid_t *event_id,
									  const char *event_name, List *before, List *after,
									  EdOptInt64 actor);

#endif							/* ED_SCHEMA_ACTIVITY_H */
