/*-------------------------------------------------------------------------
 *
 * activity.h
 *	  The activity log: entries written with each create, update and
 *	  delete, the paged reading of them, and the change feed (entries after
 *	  a position).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_ACTIVITY_H
#define ED_ACTIVITY_H

#include "utils/jsonb.h"

#include "catalog.h"

typedef enum EdActivityKind
{
	ED_ACTIVITY_CREATED,
	ED_ACTIVITY_CHANGED,
	ED_ACTIVITY_DELETED
} EdActivityKind;

extern int64 ed_activity_append(int64 project_id, const pg_uuid_t *item_id, EdActivityKind kind,
								EdOptInt64 actor, JsonbValue *detail);
extern int64 ed_activity_log(EdActivityKind kind, const EdDefinition *before,
							 const EdDefinition *after, EdOptInt64 actor);
extern JsonbValue *ed_activity_page(int64 project_id, const pg_uuid_t *item_id,
									int64 limit, int64 offset);
extern JsonbValue *ed_activity_changes(int64 project_id, int64 since_seq, int64 limit);

#endif							/* ED_ACTIVITY_H */
