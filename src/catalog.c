/*-------------------------------------------------------------------------
 *
 * catalog.c
 *	  Reads and writes of single definitions in event_definitions.definitions.
 *
 *	  Which columns are read and written, and how, comes from the field
 *	  descriptions of definition_fields.h (ed_fields[]): the statements'
 *	  column lists and parameters are derived from them.
 *
 *	  All statements go through SPI with bound parameters and plans kept for
 *	  the life of the backend.  Every statement names project_id, the
 *	  sharding key.  Callers hold an SPI connection.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "catalog.h"
#include "project_stats.h"
#include "spi_plan.h"
#include "text_arrays.h"

#define ED_SELECT_ONE \
	"SELECT " ED_DEFINITION_COLUMNS " FROM event_definitions.definitions d " \
	"WHERE d.project_id = $1 AND d.id = $2"

const EdField ed_fields[ED_NFIELDS] = {
#define ED_FIELD_DESC(member, column, kind, flags, check) \
	{#member, #column, ED_KIND_##kind, flags, offsetof(EdDefinition, member), \
	 sizeof(((EdDefinition *) 0)->member)},
	ED_DEFINITION_FIELDS(ED_FIELD_DESC)
#undef ED_FIELD_DESC
};

/*
 * A field as SQL NULL: the kind's empty value (NULL pointer, NIL, false, or
 * isnull), on a definition that was zeroed.
 */
static void
ed_field_set_null(EdDefinition *def, int f)
{
	if (ed_fields[f].kind == ED_KIND_USER)
		((EdOptInt64 *) ED_FIELD_PTR(def, f))->isnull = true;
	else if (ed_fields[f].kind == ED_KIND_OPT_TIMESTAMP)
		((EdOptTimestamp *) ED_FIELD_PTR(def, f))->isnull = true;
}

/* A column's value (not null) as the C value of its kind, at *dst. */
static void
ed_field_read(EdFieldKind kind, Datum d, void *dst)
{
	switch (kind)
	{
		case ED_KIND_UUID:
			memcpy(dst, DatumGetUUIDP(d), sizeof(pg_uuid_t));
			break;
		case ED_KIND_TEXT:
		case ED_KIND_OPT_TEXT:
			*(char **) dst = TextDatumGetCString(d);
			break;
		case ED_KIND_USER:
			((EdOptInt64 *) dst)->isnull = false;
			((EdOptInt64 *) dst)->value = DatumGetInt64(d);
			break;
		case ED_KIND_TAGS:
		case ED_KIND_STRINGS:
			*(List **) dst = ed_text_array_to_list(DatumGetArrayTypeP(d), "array column");
			break;
		case ED_KIND_BOOL:
			*(bool *) dst = DatumGetBool(d);
			break;
		case ED_KIND_TIMESTAMP:
			*(TimestampTz *) dst = DatumGetTimestampTz(d);
			break;
		case ED_KIND_OPT_TIMESTAMP:
			((EdOptTimestamp *) dst)->isnull = false;
			((EdOptTimestamp *) dst)->value = DatumGetTimestampTz(d);
			break;
	}
}

/*
 * Fill *def from ED_DEFINITION_COLUMNS starting at column firstcol
 * (1-based).  The tuple is deformed once (reading columns one by one is
 * quadratic past the first NULL).  Strings are copied into the current
 * memory context.  A NULL column reads as the kind's empty value: NULL
 * pointer, NIL, false, or isnull.
 */
void
ed_definition_from_tuple(HeapTuple tuple, TupleDesc desc, int firstcol, EdDefinition *def)
{
	Datum	   *v = palloc(sizeof(Datum) * desc->natts);
	bool	   *n = palloc(sizeof(bool) * desc->natts);
	int			c = firstcol - 1;

	heap_deform_tuple(tuple, desc, v, n);
	memset(def, 0, sizeof(EdDefinition));
	def->project_id = DatumGetInt64(v[c]);
	for (int f = 0; f < ED_NFIELDS; f++)
	{
		int			col = c + ED_FIELD_COLUMN(f) - 1;

		if (n[col])
			ed_field_set_null(def, f);
		else
			ed_field_read(ed_fields[f].kind, v[col], ED_FIELD_PTR(def, f));
	}
	pfree(v);
	pfree(n);
}

/*
 * Add the users a row of ED_DEFINITION_COLUMNS refers to (ids has room for
 * ED_DEFINITION_MAX_USERS more), without decoding the rest of the row: a
 * page looks all its users up at once before rendering any row.
 */
void
ed_definition_user_ids(HeapTuple tuple, TupleDesc desc, int64 *ids, int *nids)
{
	for (int f = 0; f < ED_NFIELDS; f++)
	{
		bool		isnull;
		Datum		d;

		if (ed_fields[f].kind != ED_KIND_USER)
			continue;
		d = SPI_getbinval(tuple, desc, ED_FIELD_COLUMN(f), &isnull);
		if (!isnull)
			ids[(*nids)++] = DatumGetInt64(d);
	}
}

/* A new definition with every field at its default (the table's defaults). */
void
ed_definition_init(EdDefinition *def, int64 project_id, const char *name, TimestampTz now)
{
	memset(def, 0, sizeof(EdDefinition));
	def->project_id = project_id;
	for (int f = 0; f < ED_NFIELDS; f++)
		ed_field_set_null(def, f);
	def->name = pstrdup(name);
	def->created_at.isnull = false;
	def->created_at.value = now;
	def->description = pstrdup("");
	def->enforcement_mode = pstrdup("allow");
	def->updated_at = now;
}

bool
ed_catalog_fetch(int64 project_id, const pg_uuid_t *id, bool for_update, EdDefinition *def)
{
	static SPIPlanPtr plan_read = NULL;
	static SPIPlanPtr plan_lock = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];
	SPIPlanPtr	plan;
	bool		found;

	if (for_update)
		plan = ed_prepare_kept(&plan_lock, ED_SELECT_ONE " FOR UPDATE", 2, argtypes);
	else
		plan = ed_prepare_kept(&plan_read, ED_SELECT_ONE, 2, argtypes);

	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	ed_execute_kept(plan, values, NULL, !for_update, 1, SPI_OK_SELECT);
	found = SPI_processed == 1;
	if (found)
		ed_definition_from_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, def);
	SPI_freetuptable(SPI_tuptable);
	return found;
}

static Oid
ed_kind_type(EdFieldKind kind)
{
	switch (kind)
	{
		case ED_KIND_UUID:
			return UUIDOID;
		case ED_KIND_TEXT:
		case ED_KIND_OPT_TEXT:
			return TEXTOID;
		case ED_KIND_USER:
			return INT8OID;
		case ED_KIND_TAGS:
		case ED_KIND_STRINGS:
			return TEXTARRAYOID;
		case ED_KIND_BOOL:
			return BOOLOID;
		case ED_KIND_TIMESTAMP:
		case ED_KIND_OPT_TIMESTAMP:
			return TIMESTAMPTZOID;
	}
	return InvalidOid;			/* keep compiler quiet */
}

/* A field's value as a parameter; *null is 'n' for SQL NULL. */
static Datum
ed_field_datum(const EdDefinition *def, int f, char *null)
{
	const void *p = ED_FIELD_PTR(def, f);

	*null = ' ';
	switch (ed_fields[f].kind)
	{
		case ED_KIND_UUID:
			return UUIDPGetDatum((pg_uuid_t *) p);
		case ED_KIND_TEXT:
		case ED_KIND_OPT_TEXT:
			if (*(char *const *) p == NULL)
				break;
			return CStringGetTextDatum(*(char *const *) p);
		case ED_KIND_USER:
			if (((const EdOptInt64 *) p)->isnull)
				break;
			return Int64GetDatum(((const EdOptInt64 *) p)->value);
		case ED_KIND_TAGS:
		case ED_KIND_STRINGS:
			return PointerGetDatum(ed_list_to_text_array(*(List *const *) p));
		case ED_KIND_BOOL:
			return BoolGetDatum(*(const bool *) p);
		case ED_KIND_TIMESTAMP:
			return TimestampTzGetDatum(*(const TimestampTz *) p);
		case ED_KIND_OPT_TIMESTAMP:
			if (((const EdOptTimestamp *) p)->isnull)
				break;
			return TimestampTzGetDatum(((const EdOptTimestamp *) p)->value);
	}
	*null = 'n';
	return (Datum) 0;
}

/*
 * The parameters of insert (with_insert) or update: $1 project_id, $2 id,
 * then the ED_WRITE fields, then (insert only) the ED_INSERT fields.  The
 * statement text is made to match, once per backend: see ed_write_sql().
 */
typedef struct EdWriteParams
{
	int			n;
	Oid			types[ED_NFIELDS + 1];
	Datum		values[ED_NFIELDS + 1];
	char		nulls[ED_NFIELDS + 1];
} EdWriteParams;

/* The fields update writes (ED_WRITE), then for insert the ED_INSERT ones. */
static int
ed_written_fields(bool with_insert, int *fields)
{
	int			n = 0;

	for (int f = 0; f < ED_NFIELDS; f++)
		if (ed_fields[f].flags & ED_WRITE)
			fields[n++] = f;
	if (with_insert)
		for (int f = 0; f < ED_NFIELDS; f++)
			if ((ed_fields[f].flags & (ED_INSERT | ED_WRITE)) == ED_INSERT)
				fields[n++] = f;
	return n;
}

static void
ed_write_params(const EdDefinition *def, bool with_insert, EdWriteParams *p)
{
	int			fields[ED_NFIELDS];
	int			nfields = ed_written_fields(with_insert, fields);

	p->types[0] = INT8OID;
	p->values[0] = Int64GetDatum(def->project_id);
	p->nulls[0] = ' ';
	p->n = 1;
	p->types[p->n] = UUIDOID;
	p->values[p->n] = ed_field_datum(def, ED_FIELD_id, &p->nulls[p->n]);
	p->n++;
	for (int i = 0; i < nfields; i++)
	{
		int			f = fields[i];

		p->types[p->n] = ed_kind_type(ed_fields[f].kind);
		p->values[p->n] = ed_field_datum(def, f, &p->nulls[p->n]);
		p->n++;
	}
}

/*
 * The insert or update statement for the parameters of ed_write_params().
 * Insert: generated id unless given, nothing when the name exists.
 */
static char *
ed_write_sql(bool with_insert)
{
	StringInfoData sql;
	StringInfoData vals;
	int			fields[ED_NFIELDS];
	int			nfields = ed_written_fields(with_insert, fields);
	int			param = 3;

	initStringInfo(&sql);
	initStringInfo(&vals);
	if (with_insert)
		appendStringInfoString(&sql, "INSERT INTO event_definitions.definitions AS d (project_id, id");
	else
		appendStringInfoString(&sql, "UPDATE event_definitions.definitions d SET ");
	for (int i = 0; i < nfields; i++)
	{
		int			f = fields[i];

		if (with_insert)
		{
			appendStringInfo(&sql, ", %s", ed_fields[f].column);
			appendStringInfo(&vals, ", $%d", param++);
		}
		else
			appendStringInfo(&sql, "%s%s = $%d", i > 0 ? ", " : "",
							 ed_fields[f].column, param++);
	}
	if (with_insert)
		appendStringInfo(&sql, ") VALUES ($1, coalesce($2, gen_random_uuid())%s) "
						 "ON CONFLICT (project_id, name) DO NOTHING RETURNING d.id", vals.data);
	else
		appendStringInfoString(&sql, " WHERE d.project_id = $1 AND d.id = $2");
	pfree(vals.data);
	return sql.data;
}

/*
 * Insert a new definition (a generated id is written back to def->id).
 * Returns false, inserting nothing, when the name exists in the project.
 */
bool
ed_catalog_insert(EdDefinition *def)
{
	static SPIPlanPtr plan = NULL;
	EdWriteParams p;
	bool		inserted;

	ed_write_params(def, true, &p);
	p.nulls[1] = 'n';			/* the id is generated */
	if (plan == NULL)
		ed_prepare_kept(&plan, ed_write_sql(true), p.n, p.types);
	ed_execute_maintained(plan, p.values, p.nulls, SPI_OK_INSERT_RETURNING);
	inserted = SPI_processed == 1;
	if (inserted)
	{
		bool		isnull;

		memcpy(&def->id,
			   DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)),
			   sizeof(pg_uuid_t));
	}
	SPI_freetuptable(SPI_tuptable);
	return inserted;
}

/* Write the curated fields of a definition the caller has locked. */
void
ed_catalog_update(const EdDefinition *def)
{
	static SPIPlanPtr plan = NULL;
	EdWriteParams p;

	ed_write_params(def, false, &p);
	if (plan == NULL)
		ed_prepare_kept(&plan, ed_write_sql(false), p.n, p.types);
	ed_execute_maintained(plan, p.values, p.nulls, SPI_OK_UPDATE);
	if (SPI_processed != 1)
		elog(ERROR, "event definition vanished while locked");
}

/*
 * Delete a definition; its counters go with it (ON DELETE CASCADE).
 * Returns false when there is no such definition; else *old is what it was.
 */
bool
ed_catalog_delete(int64 project_id, const pg_uuid_t *id, EdDefinition *old)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];
	bool		found;

	ed_prepare_kept(&plan,
					"DELETE FROM event_definitions.definitions d "
					"WHERE d.project_id = $1 AND d.id = $2 RETURNING " ED_DEFINITION_COLUMNS,
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	ed_execute_maintained(plan, values, NULL, SPI_OK_DELETE_RETURNING);
	found = SPI_processed == 1;
	if (found)
		ed_definition_from_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, old);
	SPI_freetuptable(SPI_tuptable);
	return found;
}

bool
ed_catalog_user_exists(int64 user_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];

	ed_prepare_kept(&plan,
					"SELECT 1 FROM event_definitions.users u WHERE u.id = $1",
					1, argtypes);
	values[0] = Int64GetDatum(user_id);
	ed_execute_kept(plan, values, NULL, false, 1, SPI_OK_SELECT);
	return SPI_processed == 1;
}
