/*-------------------------------------------------------------------------
 *
 * patch.h
 *	  Validation of an update's JSON patch, and its application to a
 *	  definition under the verified/hidden rules.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_PATCH_H
#define ED_PATCH_H

#include "utils/jsonb.h"

#include "catalog.h"

typedef struct EdPatch
{
	bool		has_description;
	char	   *description;	/* NULL for JSON null */
	bool		has_owner;
	EdOptInt64	owner;
	bool		has_tags;		/* false also for "tags": null */
	List	   *tags;			/* normalized: trimmed, lower-case, sorted, unique */
	bool		has_verified;
	bool		verified;
	bool		has_hidden;
	bool		hidden;
	bool		has_post_to_slack;
	bool		post_to_slack;
	bool		has_default_columns;
	List	   *default_columns;
	bool		has_enforcement_mode;
	char	   *enforcement_mode;
	bool		has_primary_property;
	char	   *primary_property;	/* NULL for JSON null */
} EdPatch;

extern void ed_patch_parse(Jsonb *patch, EdPatch *out);
extern void ed_patch_check_owner(const EdPatch *patch, int64 project_id);
extern void ed_patch_apply(const EdPatch *patch, EdDefinition *def,
						   EdOptInt64 actor, TimestampTz now);
extern List *ed_normalize_tags(List *tags, const char *argname);

#endif							/* ED_PATCH_H */
