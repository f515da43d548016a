/*-------------------------------------------------------------------------
 *
 * json_out.h
 *	  Rendering of the API's JSON: scalars in the contract's formats, users,
 *	  definitions, and the final conversion to jsonb.
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

extern void ed_json_string(StringInfo buf, const char *s);
extern void ed_json_string_or_null(StringInfo buf, const char *s);
extern void ed_json_timestamp(StringInfo buf, TimestampTz ts);
extern void ed_json_opt_timestamp(StringInfo buf, EdOptTimestamp ts);
extern void ed_json_opt_int64(StringInfo buf, EdOptInt64 v);
extern void ed_json_bool(StringInfo buf, bool b);
extern void ed_json_string_list(StringInfo buf, List *strings);

extern EdUserDir *ed_users_load(int64 project_id, const int64 *ids, int nids);
extern void ed_users_collect(const EdDefinition *def, int64 *ids, int *nids);
extern void ed_json_user(StringInfo buf, EdUserDir *dir, EdOptInt64 user);

extern void ed_render_definition(StringInfo buf, const EdDefinition *def, EdUserDir *users);

extern void ed_render_definition_with_users(StringInfo buf, const EdDefinition *def);

extern Jsonb *ed_json_finish(StringInfo buf);

#endif							/* ED_JSON_OUT_H */
