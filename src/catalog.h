/*-------------------------------------------------------------------------
 *
 * catalog.h
 *	  The definitions table: one definition in memory, and the reads and
 *	  writes of single definitions (SPI with kept plans).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_CATALOG_H
#define ED_CATALOG_H

#include "executor/spi.h"
#include "utils/uuid.h"

#include "definition_fields.h"
#include "nullable.h"
#include "spi_plan.h"			/* for callers that still take it from here */
#include "util.h"				/* likewise */

/* A definition in memory: project_id, then every field of definition_fields.h */
typedef struct EdDefinition
{
	int64		project_id;
#define ED_FIELD_MEMBER(member, column, kind, flags, check) ED_CTYPE_##kind member;
	ED_DEFINITION_FIELDS(ED_FIELD_MEMBER)
#undef ED_FIELD_MEMBER
} EdDefinition;

/* what the generic code knows of a field */
typedef struct EdField
{
	const char *name;			/* member and JSON key */
	const char *column;
	EdFieldKind kind;
	int			flags;
	size_t		offset;			/* in EdDefinition */
	size_t		size;
} EdField;

extern const EdField ed_fields[ED_NFIELDS];

#define ED_FIELD_PTR(def, f)	((char *) (def) + ed_fields[f].offset)

/*
 * The select list every reader of definitions uses, in the order that
 * ed_definition_from_tuple() expects; "d" is the definitions table.
 * Column 1 is project_id, field f is column f + 2.
 */
#define ED_FIELD_SELECT(member, column, kind, flags, check) ", d." #column
#define ED_DEFINITION_COLUMNS \
	"d.project_id" ED_DEFINITION_FIELDS(ED_FIELD_SELECT)
#define ED_DEFINITION_NCOLUMNS (ED_NFIELDS + 1)
#define ED_FIELD_COLUMN(f)	((f) + 2)
/* the user columns among them (1-based) */
#define ED_COL_OWNER		ED_FIELD_COLUMN(ED_FIELD_owner)
#define ED_COL_VERIFIED_BY	ED_FIELD_COLUMN(ED_FIELD_verified_by)
#define ED_COL_UPDATED_BY	ED_FIELD_COLUMN(ED_FIELD_updated_by)

extern void ed_definition_from_tuple(HeapTuple tuple, TupleDesc desc, int firstcol,
									 EdDefinition *def);
extern void ed_definition_user_ids(HeapTuple tuple, TupleDesc desc, int64 *ids, int *nids);
extern void ed_definition_init(EdDefinition *def, int64 project_id, const char *name,
							   TimestampTz now);

extern bool ed_catalog_fetch(int64 project_id, const pg_uuid_t *id, bool for_update,
							 EdDefinition *def);
extern bool ed_catalog_insert(EdDefinition *def);
extern void ed_catalog_update(const EdDefinition *def);
extern bool ed_catalog_delete(int64 project_id, const pg_uuid_t *id, EdDefinition *old);
extern bool ed_catalog_user_exists(int64 user_id);

#endif							/* ED_CATALOG_H */
