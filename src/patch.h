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

/*
 * A parsed patch: which writable keys it gives (ED_PATCH fields of
 * definition_fields.h) and their values, in the members of the same name.
 * "tags": null counts as absent.
 */
typedef struct EdPatch
{
	bool		present[ED_NFIELDS];
	EdDefinition values;		/* tags normalized: trimmed, lower-case, sorted, unique */
} EdPatch;

#define ed_patch_has(patch, member) ((patch)->present[ED_FIELD_##member])

extern void ed_patch_parse(Jsonb *patch, EdPatch *out);
extern void ed_patch_check_owner(const EdPatch *patch, int64 project_id);
extern void ed_patch_apply(const EdPatch *patch, EdDefinition *def,
						   EdOptInt64 actor, TimestampTz now);
extern List *ed_normalize_tags(List *tags, const char *argname);
extern const char *ed_jsonb_type_name(const JsonbValue *v);

#endif							/* ED_PATCH_H */
