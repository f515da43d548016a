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

#include "util.h"

typedef struct EdDefinition
{
	int64		project_id;
	pg_uuid_t	id;
	char	   *name;
	EdOptTimestamp created_at;	/* null: planned, never ingested (1.1) */
	EdOptTimestamp last_seen_at;
	char	   *description;	/* NULL for SQL NULL */
	EdOptInt64	owner;
	List	   *tags;			/* sorted C strings */
	bool		verified;
	EdOptTimestamp verified_at;
	EdOptInt64	verified_by;
	bool		hidden;
	bool		post_to_slack;
	List	   *default_columns;	/* C strings, in order */
	char	   *enforcement_mode;
	char	   *primary_property;	/* NULL for SQL NULL */
	TimestampTz updated_at;
	EdOptInt64	updated_by;
} EdDefinition;

/*
 * The select list every reader of definitions uses, in the order that
 * ed_definition_from_tuple() expects; "d" is the definitions table.
 */
#define ED_DEFINITION_COLUMNS \
	"d.project_id, d.id, d.name, d.created_at, d.last_seen_at, d.description, " \
	"d.owner_id, d.tags, d.verified, d.verified_at, d.verified_by, d.hidden, " \
	"d.post_to_slack, d.default_columns, d.enforcement_mode, d.primary_property, " \
	"d.updated_at, d.updated_by"
#define ED_DEFINITION_NCOLUMNS 18
/* the user columns among them (1-based): owner_id, verified_by, updated_by */
#define ED_COL_OWNER		7
#define ED_COL_VERIFIED_BY	11
#define ED_COL_UPDATED_BY	18

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

extern SPIPlanPtr ed_prepare_kept(SPIPlanPtr *cache, const char *sql, int nargs, Oid *argtypes);
extern void ed_execute_kept(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only,
							long tcount, int expected);

#endif							/* ED_CATALOG_H */
