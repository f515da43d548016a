/*-------------------------------------------------------------------------
 *
 * group_render.h
 *	  Property groups as the API returns them: one group, or a page of a
 *	  project's groups, each with its properties and the events it is
 *	  attached to.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_GROUP_RENDER_H
#define ED_GROUP_RENDER_H

#include "utils/jsonb.h"
#include "utils/uuid.h"

#include "nullable.h"

/* what a group is made of, read in one snapshot */
typedef struct EdGroupView
{
	pg_uuid_t	id;
	char	   *name;
	char	   *description;
	TimestampTz created_at;
	EdOptInt64	created_by;
	TimestampTz updated_at;
	EdOptInt64	updated_by;
	JsonbValue	properties;		/* [{"name", "description", "is_required", "property_type"}] */
	JsonbValue	events;			/* [{"id", "name"}], by name */
} EdGroupView;

extern void ed_group_not_found(int64 project_id, const pg_uuid_t *id) pg_attribute_noreturn();
extern EdGroupView *ed_group_view(int64 project_id, const pg_uuid_t *id, bool read_only);
extern JsonbValue *ed_group_render(int64 project_id, const EdGroupView *group);
extern JsonbValue *ed_group_page(int64 project_id, const char *search, int64 limit, int64 offset);

#endif							/* ED_GROUP_RENDER_H */
