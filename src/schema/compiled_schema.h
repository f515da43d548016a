/*-------------------------------------------------------------------------
 *
 * compiled_schema.h
 *	  An event's schema compiled for validation (the merged properties of
 *	  its groups, sorted by name), and the backend's cache of them, keyed
 *	  by event and checked against the event's schema_versions row.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_COMPILED_SCHEMA_H
#define ED_COMPILED_SCHEMA_H

#include "utils/uuid.h"

#include "schema/property_type.h"

typedef struct EdSchemaProperty
{
	uint32		name_offset;	/* of the terminated name, from the schema's start */
	int			len;
	EdTypeMask	types;			/* more than one: the groups disagree */
	bool		required;		/* required by at least one group */
} EdSchemaProperty;

typedef struct EdCompiledSchema
{
	void	   *cache_entry;	/* NULL: not cached, owned by the caller */
	int			nprops;
	EdSchemaProperty props[FLEXIBLE_ARRAY_MEMBER];
	/* then the names; the block has no pointers, so it can be copied */
} EdCompiledSchema;

#define ED_SCHEMA_PROP_NAME(schema, p) ((const char *) (schema) + (p)->name_offset)

/* what an event's schema_versions row says, in a statement's snapshot */
typedef struct EdSchemaVersion
{
	bool		exists;			/* false: no group was ever attached */
	int64		version;
	TransactionId xmin;			/* of the row: a version rolled back and redone differs */
} EdSchemaVersion;

extern int	ed_schema_cache_kb;

extern void ed_schema_define_gucs(void);
extern const EdCompiledSchema *ed_schema_acquire(int64 project_id, const pg_uuid_t *id,
												 const EdSchemaVersion *seen);
extern void ed_schema_release(const EdCompiledSchema *schema);

#endif							/* ED_COMPILED_SCHEMA_H */
