/*-------------------------------------------------------------------------
 *
 * compiled_schema.c
 *	  Compiled schemas and the backend's cache of them.
 *
 *	  Compiling an event's schema is one query: its schema_versions row
 *	  and the properties of every attached group, sorted by name.  A name
 *	  that several groups list becomes one property whose types are the
 *	  union of theirs (more than one: a conflict, never checked) and which
 *	  is required when any group requires it.  The result is one flat
 *	  block: validation walks it with no SPI and no allocation.
 *
 *	  Cache.  Entries are keyed by (project_id, definition_id) and carry
 *	  the schema_versions row they were compiled from: its version and
 *	  xmin.  A caller passes the row as its own statement sees it; an
 *	  entry is used only when both match, else the schema is compiled
 *	  again.  Every change of an event's schema rewrites that row in the
 *	  same transaction, so an entry is never used in a snapshot that sees
 *	  a later change, and the xmin tells apart two transactions that wrote
 *	  the same version number (one rolled back).  Nothing else needs to be
 *	  invalidated: a statement after a change's commit reads the new row.
 *	  An event without the row has never had a group attached: its schema
 *	  is empty and costs no query.  (The row is written with every attach;
 *	  pg_dump dumps it with the attachments.  Attachments written around
 *	  the API without it are not enforced until the next schema change of
 *	  the event writes it.)
 *
 *	  Memory is bounded by event_definitions.schema_cache_size (kB): the
 *	  least recently used entries go first.  Entries in use (pinned by a
 *	  caller between acquire and release) are not evicted; a pin counts
 *	  only in the transaction that took it, so an error cannot leak one.
 *	  0 turns the cache off (every statement compiles).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "storage/proc.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/ilist.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "compat.h"
#include "spi_plan.h"
#include "schema/compiled_schema.h"

typedef struct EdSchemaKey
{
	int64		project_id;
	pg_uuid_t	id;
} EdSchemaKey;

typedef struct EdSchemaEntry
{
	EdSchemaKey key;			/* must be first */
	int64		version;
	TransactionId xmin;
	EdCompiledSchema *schema;
	Size		bytes;
	int			pins;			/* valid in transaction pin_lxid only */
	LocalTransactionId pin_lxid;
	dlist_node	lru;			/* most recently used at the tail */
} EdSchemaEntry;

int			ed_schema_cache_kb = 8192;

static HTAB *ed_cache = NULL;
static MemoryContext ed_cache_cxt = NULL;
static dlist_head ed_lru = DLIST_STATIC_INIT(ed_lru);
static Size ed_cache_bytes = 0;

void
ed_schema_define_gucs(void)
{
	DefineCustomIntVariable("event_definitions.schema_cache_size",
							"Memory for the compiled event schemas each backend keeps.",
							"Validation compiles an event's schema once and reuses it until the "
							"schema changes; least recently used schemas go first. 0 compiles "
							"for every statement.",
							&ed_schema_cache_kb,
							8192,
							0, INT_MAX / 2,
							PGC_USERSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);
}

/* Is the entry in use by the current transaction? */
static bool
ed_entry_pinned(const EdSchemaEntry *e)
{
	return e->pins > 0 && e->pin_lxid == ED_MY_LXID;
}

static void
ed_entry_pin(EdSchemaEntry *e)
{
	if (e->pin_lxid != ED_MY_LXID)
	{
		e->pin_lxid = ED_MY_LXID;
		e->pins = 0;
	}
	e->pins++;
}

static void
ed_cache_init(void)
{
	HASHCTL		ctl;

	if (ed_cache != NULL)
		return;
	ed_cache_cxt = AllocSetContextCreate(TopMemoryContext, "event_definitions schemas",
										 ALLOCSET_DEFAULT_SIZES);
	ctl.keysize = sizeof(EdSchemaKey);
	ctl.entrysize = sizeof(EdSchemaEntry);
	ctl.hcxt = ed_cache_cxt;
	ed_cache = hash_create("event_definitions compiled schemas", 256, &ctl,
						   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

static void
ed_cache_drop(EdSchemaEntry *e)
{
	dlist_delete(&e->lru);
	ed_cache_bytes -= e->bytes;
	pfree(e->schema);
	hash_search(ed_cache, &e->key, HASH_REMOVE, NULL);
}

/* Make room for bytes more, dropping unpinned entries, oldest first. */
static void
ed_cache_make_room(Size bytes)
{
	dlist_mutable_iter it;
	Size		budget = (Size) ed_schema_cache_kb * 1024;

	dlist_foreach_modify(it, &ed_lru)
	{
		EdSchemaEntry *e = dlist_container(EdSchemaEntry, lru, it.cur);

		if (ed_cache_bytes + bytes <= budget)
			break;
		if (!ed_entry_pinned(e))
			ed_cache_drop(e);
	}
}

/*
 * Run the compile query: one row when the event has no property, else one
 * per (property, group), by name.  The version row comes with every row,
 * from the same snapshot as the properties.
 */
static SPITupleTable *
ed_compile_query(int64 project_id, const pg_uuid_t *id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];

	ed_prepare_kept(&plan,
					"SELECT v.schema_version, v.xmin, p.name, p.property_type, p.is_required"
					" FROM (SELECT) AS one"
					" LEFT JOIN event_definitions.schema_versions v"
					"   ON v.project_id = $1 AND v.definition_id = $2"
					" LEFT JOIN (event_definitions.event_schemas a"
					"   JOIN event_definitions.property_group_properties p"
					"     ON p.project_id = a.project_id AND p.group_id = a.group_id)"
					"   ON a.project_id = $1 AND a.definition_id = $2"
					" ORDER BY p.name",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	ed_execute_kept(plan, values, NULL, true, 0, SPI_OK_SELECT);
	return SPI_tuptable;
}

/*
 * The rows as one block in the current memory context: the header, the
 * properties, then their names.  Rows of one name (sorted together)
 * merge.  *seen gets the version row the query read.
 */
static EdCompiledSchema *
ed_compile_rows(SPITupleTable *rows, EdSchemaVersion *seen, Size *bytes)
{
	TupleDesc	desc = rows->tupdesc;
	Size		names_bytes = 0;
	int			nprops = 0;
	char	   *prev = NULL;
	EdCompiledSchema *schema;
	Size		names_at;
	bool		isnull;
	Datum		d;

	d = SPI_getbinval(rows->vals[0], desc, 1, &isnull);
	seen->exists = !isnull;
	seen->version = isnull ? 0 : DatumGetInt64(d);
	d = SPI_getbinval(rows->vals[0], desc, 2, &isnull);
	seen->xmin = isnull ? InvalidTransactionId : DatumGetTransactionId(d);

	/* sizes first: one allocation */
	for (uint64 i = 0; i < rows->numvals; i++)
	{
		char	   *name = SPI_getvalue(rows->vals[i], desc, 3);

		if (name == NULL)
			continue;
		if (prev == NULL || strcmp(prev, name) != 0)
		{
			nprops++;
			names_bytes += strlen(name) + 1;
		}
		if (prev != NULL)
			pfree(prev);
		prev = name;
	}
	names_at = offsetof(EdCompiledSchema, props) + sizeof(EdSchemaProperty) * nprops;
	*bytes = names_at + names_bytes;
	schema = palloc(*bytes);
	schema->cache_entry = NULL;
	schema->nprops = 0;
	for (uint64 i = 0; i < rows->numvals; i++)
	{
		char	   *name = SPI_getvalue(rows->vals[i], desc, 3);
		char	   *type;
		bool		required;
		EdSchemaProperty *p;
		EdPropertyType t;

		CHECK_FOR_INTERRUPTS();
		if (name == NULL)
			continue;
		type = SPI_getvalue(rows->vals[i], desc, 4);
		required = DatumGetBool(SPI_getbinval(rows->vals[i], desc, 5, &isnull));
		if (!ed_property_type_parse(type, strlen(type), &t))
			elog(ERROR, "unknown property type \"%s\" in a property group", type);
		p = schema->nprops > 0 ? &schema->props[schema->nprops - 1] : NULL;
		if (p == NULL || strcmp(ED_SCHEMA_PROP_NAME(schema, p), name) != 0)
		{
			p = &schema->props[schema->nprops++];
			p->len = strlen(name);
			p->name_offset = (uint32) names_at;
			memcpy((char *) schema + names_at, name, p->len + 1);
			names_at += p->len + 1;
			p->types = 0;
			p->required = false;
		}
		p->types |= ED_PT_BIT(t);
		p->required |= required;
		pfree(name);
		pfree(type);
	}
	Assert(schema->nprops == nprops);
	return schema;
}

/* Keep a compiled schema under its key, pinned once; false when it cannot be. */
static bool
ed_cache_keep(const EdSchemaKey *key, EdCompiledSchema **schema, Size bytes,
			  const EdSchemaVersion *compiled_from)
{
	EdSchemaEntry *e = hash_search(ed_cache, key, HASH_FIND, NULL);
	EdCompiledSchema *copy;
	bool		found;

	/* an entry in use stays; the row gone meanwhile is nothing to key by */
	if ((e != NULL && ed_entry_pinned(e)) || !compiled_from->exists)
		return false;
	if (e != NULL)
		ed_cache_drop(e);
	ed_cache_make_room(bytes);
	copy = MemoryContextAlloc(ed_cache_cxt, bytes);
	memcpy(copy, *schema, bytes);
	e = hash_search(ed_cache, key, HASH_ENTER, &found);
	e->version = compiled_from->version;
	e->xmin = compiled_from->xmin;
	e->schema = copy;
	e->bytes = bytes;
	e->pins = 0;
	e->pin_lxid = InvalidLocalTransactionId;
	ed_entry_pin(e);
	dlist_push_tail(&ed_lru, &e->lru);
	ed_cache_bytes += bytes;
	copy->cache_entry = e;
	pfree(*schema);
	*schema = copy;
	return true;
}

/*
 * The compiled schema of an event whose schema_versions row the caller's
 * statement sees as *seen.  Runs inside SPI.  The result stays valid
 * until ed_schema_release() or the end of the transaction.
 */
const EdCompiledSchema *
ed_schema_acquire(int64 project_id, const pg_uuid_t *id, const EdSchemaVersion *seen)
{
	EdSchemaKey key;
	EdSchemaVersion compiled_from;
	EdCompiledSchema *schema;
	SPITupleTable *rows;
	Size		bytes;

	if (!seen->exists)
	{
		schema = palloc(offsetof(EdCompiledSchema, props));
		schema->cache_entry = NULL;
		schema->nprops = 0;
		return schema;
	}
	ed_cache_init();
	memset(&key, 0, sizeof(key));
	key.project_id = project_id;
	memcpy(&key.id, id, sizeof(pg_uuid_t));
	if (ed_schema_cache_kb > 0)
	{
		EdSchemaEntry *e = hash_search(ed_cache, &key, HASH_FIND, NULL);

		if (e != NULL && e->version == seen->version && TransactionIdEquals(e->xmin, seen->xmin))
		{
			dlist_move_tail(&ed_lru, &e->lru);
			ed_entry_pin(e);
			return e->schema;
		}
	}

	rows = ed_compile_query(project_id, id);
	schema = ed_compile_rows(rows, &compiled_from, &bytes);
	SPI_freetuptable(rows);
	if (ed_schema_cache_kb > 0)
		(void) ed_cache_keep(&key, &schema, bytes, &compiled_from);
	return schema;
}

/* The caller is done with the schema. */
void
ed_schema_release(const EdCompiledSchema *schema)
{
	EdSchemaEntry *e = schema->cache_entry;

	if (e == NULL)
	{
		pfree((void *) schema);
		return;
	}
	if (ed_entry_pinned(e))
		e->pins--;
}
