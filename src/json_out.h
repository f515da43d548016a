/*-------------------------------------------------------------------------
 *
 * json_out.h
 *	  Rendering of the API's JSON as jsonb values: scalars in the
 *	  contract's formats, users, definitions, and the conversion to jsonb.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_JSON_OUT_H
#define ED_JSON_OUT_H

#include "lib/stringinfo.h"
#include "utils/jsonb.h"

#include "catalog.h"

/* rendered users of one call, looked up once */
typedef struct EdUserDir EdUserDir;

/* the most users one definition refers to (owner, verified_by, updated_by) */
#define ED_DEFINITION_MAX_USERS 3

/*
 * Values of a jsonb tree, filled in place in the current memory context.
 * Strings are not copied: they must live as long as the tree.  Objects
 * are made with their keys in jsonb's order (shorter first, then
 * bytewise), which JsonbValueToJsonb() expects and does not check.
 */
extern void ed_jv_null(JsonbValue *v);
extern void ed_jv_bool(JsonbValue *v, bool b);
extern void ed_jv_string(JsonbValue *v, const char *s);
extern void ed_jv_string_or_null(JsonbValue *v, const char *s);
extern void ed_jv_int64(JsonbValue *v, int64 x);
extern void ed_jv_opt_int64(JsonbValue *v, EdOptInt64 x);
extern void ed_jv_timestamp(JsonbValue *v, TimestampTz ts);
extern void ed_jv_opt_timestamp(JsonbValue *v, EdOptTimestamp ts);
extern void ed_jv_string_list(JsonbValue *v, List *strings);
extern JsonbValue *ed_jv_array(JsonbValue *v, int nelems);
extern JsonbPair *ed_jv_object(JsonbValue *v, int npairs, const char *const *keys);
extern void ed_jv_embed(JsonbValue *v, Jsonb *jb);
extern Jsonb *ed_jv_to_jsonb(JsonbValue *v, MemoryContext cxt);

extern EdUserDir *ed_users_load(int64 project_id, const int64 *ids, int nids);
extern void ed_users_collect(const EdDefinition *def, int64 *ids, int *nids);
extern void ed_jv_user(JsonbValue *v, EdUserDir *dir, EdOptInt64 user);

extern void ed_jv_field(JsonbValue *v, const EdDefinition *def, int field, EdUserDir *users);
extern void ed_jv_definition(JsonbValue *v, const EdDefinition *def, EdUserDir *users);
extern JsonbValue *ed_definition_with_users(const EdDefinition *def);

/* JSON text, for the one output that is text (metrics) */
extern Jsonb *ed_json_finish(StringInfo buf);

#endif							/* ED_JSON_OUT_H */
