/*-------------------------------------------------------------------------
 *
 * schema_lookup.h
 *	  What validation needs to know of an event, read in the statement's
 *	  snapshot: its definition, its enforcement_mode and its
 *	  schema_versions row.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_SCHEMA_LOOKUP_H
#define ED_SCHEMA_LOOKUP_H

#include "utils/uuid.h"

#include "schema/compiled_schema.h"

typedef enum EdEnforcement
{
	ED_ENFORCE_ALLOW,
	ED_ENFORCE_WARN,
	ED_ENFORCE_REJECT
} EdEnforcement;

typedef struct EdEventSchemaRef
{
	pg_uuid_t	id;
	EdEnforcement mode;
	EdSchemaVersion version;
} EdEventSchemaRef;

extern EdEnforcement ed_enforcement_parse(const char *mode);
extern bool ed_schema_lookup_name(int64 project_id, const char *name, EdEventSchemaRef *out);

#endif							/* ED_SCHEMA_LOOKUP_H */
