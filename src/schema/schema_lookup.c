/*-------------------------------------------------------------------------
 *
 * schema_lookup.c
 *	  An event's definition, enforcement_mode and schema_versions row in
 *	  one probe of the unique key (project_id, name), read in the
 *	  statement's snapshot: whether to check, and which compiled schema
 *	  (compiled_schema.c) is current.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "spi_plan.h"
#include "schema/schema_lookup.h"

EdEnforcement
ed_enforcement_parse(const char *mode)
{
	if (strcmp(mode, "reject") == 0)
		return ED_ENFORCE_REJECT;
	if (strcmp(mode, "warn") == 0)
		return ED_ENFORCE_WARN;
	return ED_ENFORCE_ALLOW;
}

/* Fill *out from a row of (id, enforcement_mode, schema_version, xmin). */
static void
ed_schema_ref_from_row(HeapTuple tup, TupleDesc desc, EdEventSchemaRef *out)
{
	bool		isnull;
	Datum		d;
	char	   *mode;

	memcpy(&out->id, DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull)), sizeof(pg_uuid_t));
	mode = SPI_getvalue(tup, desc, 2);
	out->mode = ed_enforcement_parse(mode);
	pfree(mode);
	d = SPI_getbinval(tup, desc, 3, &isnull);
	out->version.exists = !isnull;
	out->version.version = isnull ? 0 : DatumGetInt64(d);
	d = SPI_getbinval(tup, desc, 4, &isnull);
	out->version.xmin = isnull ? InvalidTransactionId : DatumGetTransactionId(d);
}

/*
 * The event of this name; false when the project has none.  Runs inside
 * SPI, read-only: in the caller's snapshot.
 */
bool
ed_schema_lookup_name(int64 project_id, const char *name, EdEventSchemaRef *out)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, TEXTOID};
	Datum		values[2];
	bool		found;

	ed_prepare_kept(&plan,
					"SELECT d.id, d.enforcement_mode, v.schema_version, v.xmin"
					" FROM event_definitions.definitions d"
					" LEFT JOIN event_definitions.schema_versions v"
					"   ON v.project_id = d.project_id AND v.definition_id = d.id"
					" WHERE d.project_id = $1 AND d.name = $2",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = CStringGetTextDatum(name);
	ed_execute_kept(plan, values, NULL, true, 1, SPI_OK_SELECT);
	found = SPI_processed == 1;
	if (found)
		ed_schema_ref_from_row(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, out);
	SPI_freetuptable(SPI_tuptable);
	return found;
}
