/*-------------------------------------------------------------------------
 *
 * catalog.c
 *	  Reads and writes of single definitions in event_definitions.definitions.
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

#define ED_SELECT_ONE \
	"SELECT " ED_DEFINITION_COLUMNS " FROM event_definitions.definitions d " \
	"WHERE d.project_id = $1 AND d.id = $2"

/*
 * Prepare a statement once per backend.  A kept plan is re-planned by the
 * plan cache when the tables change, even across DROP/CREATE EXTENSION.
 */
SPIPlanPtr
ed_prepare_kept(SPIPlanPtr *cache, const char *sql, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan;

	if (*cache != NULL)
		return *cache;
	plan = SPI_prepare(sql, nargs, argtypes);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s",
			 sql, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	*cache = plan;
	return plan;
}

/*
 * Column readers over a deformed tuple: v and n are the values and nulls
 * of heap_deform_tuple(), col is 0-based.
 */
/* Run a prepared statement; anything but the expected result is an error. */
void
ed_execute_kept(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only,
				long tcount, int expected)
{
	int			ret = SPI_execute_plan(plan, values, nulls, read_only, tcount);

	if (ret != expected)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
}

static List *
ed_getlist(Datum *v, bool *n, int col)
{
	return n[col] ? NIL : ed_text_array_to_list(DatumGetArrayTypeP(v[col]), "array column");
}

static char *
ed_gettext(Datum *v, bool *n, int col)
{
	return n[col] ? NULL : TextDatumGetCString(v[col]);
}

static EdOptInt64
ed_getint64(Datum *v, bool *n, int col)
{
	EdOptInt64	r = {n[col], n[col] ? 0 : DatumGetInt64(v[col])};

	return r;
}

static EdOptTimestamp
ed_gettimestamp(Datum *v, bool *n, int col)
{
	EdOptTimestamp r = {n[col], n[col] ? 0 : DatumGetTimestampTz(v[col])};

	return r;
}

static bool
ed_getbool(Datum *v, bool *n, int col)
{
	return !n[col] && DatumGetBool(v[col]);
}

/*
 * Fill *def from ED_DEFINITION_COLUMNS starting at column firstcol
 * (1-based).  The tuple is deformed once (reading columns one by one is
 * quadratic past the first NULL).  Strings are copied into the current
 * memory context.
 */
void
ed_definition_from_tuple(HeapTuple tuple, TupleDesc desc, int firstcol, EdDefinition *def)
{
	Datum	   *v = palloc(sizeof(Datum) * desc->natts);
	bool	   *n = palloc(sizeof(bool) * desc->natts);
	int			c = firstcol - 1;

	heap_deform_tuple(tuple, desc, v, n);
	def->project_id = DatumGetInt64(v[c++]);
	memcpy(&def->id, DatumGetUUIDP(v[c++]), sizeof(pg_uuid_t));
	def->name = ed_gettext(v, n, c++);
	def->created_at = ed_gettimestamp(v, n, c++);
	def->last_seen_at = ed_gettimestamp(v, n, c++);
	def->description = ed_gettext(v, n, c++);
	def->owner = ed_getint64(v, n, c++);
	def->tags = ed_getlist(v, n, c++);
	def->verified = ed_getbool(v, n, c++);
	def->verified_at = ed_gettimestamp(v, n, c++);
	def->verified_by = ed_getint64(v, n, c++);
	def->hidden = ed_getbool(v, n, c++);
	def->post_to_slack = ed_getbool(v, n, c++);
	def->default_columns = ed_getlist(v, n, c++);
	def->enforcement_mode = ed_gettext(v, n, c++);
	def->primary_property = ed_gettext(v, n, c++);
	def->updated_at = ed_gettimestamp(v, n, c++).value;
	def->updated_by = ed_getint64(v, n, c++);
	Assert(c == firstcol - 1 + ED_DEFINITION_NCOLUMNS);
	StaticAssertStmt(ED_COL_UPDATED_BY == ED_DEFINITION_NCOLUMNS,
					 "updated_by is the last definition column");
	pfree(v);
	pfree(n);
}

/*
 * Add the users a row of ED_DEFINITION_COLUMNS refers to (ids has room for
 * three more), without decoding the rest of the row: a page looks all its
 * users up at once before rendering any row.
 */
void
ed_definition_user_ids(HeapTuple tuple, TupleDesc desc, int64 *ids, int *nids)
{
	static const int cols[] = {ED_COL_OWNER, ED_COL_VERIFIED_BY, ED_COL_UPDATED_BY};

	for (size_t c = 0; c < lengthof(cols); c++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(tuple, desc, cols[c], &isnull);

		if (!isnull)
			ids[(*nids)++] = DatumGetInt64(d);
	}
}

/* A new definition with every field at its default. */
void
ed_definition_init(EdDefinition *def, int64 project_id, const char *name, TimestampTz now)
{
	EdOptInt64	no_user = {true, 0};
	EdOptTimestamp never = {true, 0};

	memset(def, 0, sizeof(EdDefinition));
	def->project_id = project_id;
	def->name = pstrdup(name);
	def->created_at.isnull = false;
	def->created_at.value = now;
	def->last_seen_at = never;
	def->description = pstrdup("");
	def->owner = no_user;
	def->tags = NIL;
	def->verified = false;
	def->verified_at = never;
	def->verified_by = no_user;
	def->hidden = false;
	def->post_to_slack = false;
	def->default_columns = NIL;
	def->enforcement_mode = pstrdup("allow");
	def->primary_property = NULL;
	def->updated_at = now;
	def->updated_by = no_user;
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

static Datum
ed_opt_int64_datum(EdOptInt64 v, char *null)
{
	*null = v.isnull ? 'n' : ' ';
	return Int64GetDatum(v.value);
}

static Datum
ed_opt_timestamp_datum(EdOptTimestamp v, char *null)
{
	*null = v.isnull ? 'n' : ' ';
	return TimestampTzGetDatum(v.value);
}

static Datum
ed_opt_text_datum(const char *s, char *null)
{
	*null = s == NULL ? 'n' : ' ';
	return s == NULL ? (Datum) 0 : CStringGetTextDatum(s);
}

/*
 * The curated and bookkeeping columns, as parameters $3..$15 of the insert
 * and update statements.
 */
#define ED_WRITE_NARGS 15
static void
ed_write_params(const EdDefinition *def, Datum *values, char *nulls)
{
	memset(nulls, ' ', ED_WRITE_NARGS);
	values[0] = Int64GetDatum(def->project_id);
	values[1] = UUIDPGetDatum(&def->id);
	values[2] = ed_opt_text_datum(def->description, &nulls[2]);
	values[3] = ed_opt_int64_datum(def->owner, &nulls[3]);
	values[4] = PointerGetDatum(ed_list_to_text_array(def->tags));
	values[5] = BoolGetDatum(def->verified);
	values[6] = ed_opt_timestamp_datum(def->verified_at, &nulls[6]);
	values[7] = ed_opt_int64_datum(def->verified_by, &nulls[7]);
	values[8] = BoolGetDatum(def->hidden);
	values[9] = BoolGetDatum(def->post_to_slack);
	values[10] = PointerGetDatum(ed_list_to_text_array(def->default_columns));
	values[11] = CStringGetTextDatum(def->enforcement_mode);
	values[12] = ed_opt_text_datum(def->primary_property, &nulls[12]);
	values[13] = TimestampTzGetDatum(def->updated_at);
	values[14] = ed_opt_int64_datum(def->updated_by, &nulls[14]);
}

static Oid	ed_write_argtypes[ED_WRITE_NARGS + 2] = {
	INT8OID, UUIDOID, TEXTOID, INT8OID, TEXTARRAYOID, BOOLOID, TIMESTAMPTZOID,
	INT8OID, BOOLOID, BOOLOID, TEXTARRAYOID, TEXTOID, TEXTOID, TIMESTAMPTZOID,
	INT8OID,
	/* insert only: name, created_at */
	TEXTOID, TIMESTAMPTZOID
};

/*
 * Insert a new definition (a generated id is written back to def->id).
 * Returns false, inserting nothing, when the name exists in the project.
 */
bool
ed_catalog_insert(EdDefinition *def)
{
	static SPIPlanPtr plan = NULL;
	Datum		values[ED_WRITE_NARGS + 2];
	char		nulls[ED_WRITE_NARGS + 2];
	bool		inserted;

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.definitions AS d "
					"(project_id, id, description, owner_id, tags, verified, verified_at, "
					" verified_by, hidden, post_to_slack, default_columns, enforcement_mode, "
					" primary_property, updated_at, updated_by, name, created_at) "
					"VALUES ($1, coalesce($2, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, "
					"        $10, $11, $12, $13, $14, $15, $16, $17) "
					"ON CONFLICT (project_id, name) DO NOTHING RETURNING d.id",
					ED_WRITE_NARGS + 2, ed_write_argtypes);
	ed_write_params(def, values, nulls);
	nulls[1] = 'n';				/* the id is generated */
	values[15] = CStringGetTextDatum(def->name);
	values[16] = ed_opt_timestamp_datum(def->created_at, &nulls[16]);
	nulls[15] = ' ';

	ed_execute_maintained(plan, values, nulls, SPI_OK_INSERT_RETURNING);
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
	Datum		values[ED_WRITE_NARGS];
	char		nulls[ED_WRITE_NARGS];

	ed_prepare_kept(&plan,
					"UPDATE event_definitions.definitions d SET "
					"description = $3, owner_id = $4, tags = $5, verified = $6, "
					"verified_at = $7, verified_by = $8, hidden = $9, post_to_slack = $10, "
					"default_columns = $11, enforcement_mode = $12, primary_property = $13, "
					"updated_at = $14, updated_by = $15 "
					"WHERE d.project_id = $1 AND d.id = $2",
					ED_WRITE_NARGS, ed_write_argtypes);
	ed_write_params(def, values, nulls);
	ed_execute_maintained(plan, values, nulls, SPI_OK_UPDATE);
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
