/*-------------------------------------------------------------------------
 *
 * event_schema.c
 *	  event_schema(): {"event", "event_id", "schema_version",
 *	  "schema_hash", "property_groups", "properties", "conflicts"}.
 *
 *	  properties lists every property of the attached groups once, by
 *	  name: "types" is the union of its types over the groups that list
 *	  it, "required" is true when any of them requires it (validation
 *	  checks it then), "description" is the first one that is not empty,
 *	  by group name.  A property with more than one type is also listed
 *	  in conflicts: validation does not check it.
 *
 *	  schema_hash identifies what validation checks, not how it is
 *	  described: the first 32 hexadecimal digits of the SHA-256 of the
 *	  compact JSON [[name, [types...], required], ...] (by name, types by
 *	  name).  Two events with the same checks have the same hash; a new
 *	  description or group name moves schema_version but not the hash.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/json.h"

#include "json_out.h"
#include "messages.h"
#include "spi_plan.h"
#include "schema/event_schema.h"
#include "schema/group_store.h"
#include "schema/property_type.h"

#define ED_SCHEMA_HASH_CHARS 32

typedef struct EdMergedProperty
{
	char	   *name;
	EdTypeMask	types;
	bool		required;
	char	   *description;
} EdMergedProperty;

/* The merged properties of the event, by name; returns how many. */
static int
ed_merged_properties(int64 project_id, const pg_uuid_t *event_id, bool read_only,
					 EdMergedProperty **out)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];
	SPITupleTable *rows;
	EdMergedProperty *props;
	int			n = 0;

	ed_prepare_kept(&plan,
					"SELECT p.name, p.property_type, p.is_required, p.description"
					" FROM event_definitions.event_schemas a"
					" JOIN event_definitions.property_groups g"
					"   ON g.project_id = a.project_id AND g.id = a.group_id"
					" JOIN event_definitions.property_group_properties p"
					"   ON p.project_id = a.project_id AND p.group_id = a.group_id"
					" WHERE a.project_id = $1 AND a.definition_id = $2"
					" ORDER BY p.name, g.name",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(event_id);
	ed_execute_kept(plan, values, NULL, read_only, 0, SPI_OK_SELECT);
	rows = SPI_tuptable;
	props = palloc(sizeof(EdMergedProperty) * Max(rows->numvals, 1));
	for (uint64 i = 0; i < rows->numvals; i++)
	{
		HeapTuple	tup = rows->vals[i];
		char	   *name = SPI_getvalue(tup, rows->tupdesc, 1);
		char	   *type = SPI_getvalue(tup, rows->tupdesc, 2);
		char	   *description = SPI_getvalue(tup, rows->tupdesc, 4);
		bool		isnull;
		EdMergedProperty *p;
		EdPropertyType t;

		CHECK_FOR_INTERRUPTS();
		if (!ed_property_type_parse(type, strlen(type), &t))
			elog(ERROR, "unknown property type \"%s\" in a property group", type);
		if (n == 0 || strcmp(props[n - 1].name, name) != 0)
		{
			p = &props[n++];
			p->name = name;
			p->types = 0;
			p->required = false;
			p->description = "";
		}
		p = &props[n - 1];
		p->types |= ED_PT_BIT(t);
		p->required |= DatumGetBool(SPI_getbinval(tup, rows->tupdesc, 3, &isnull));
		if (p->description[0] == '\0')
			p->description = description;
	}
	SPI_freetuptable(rows);
	*out = props;
	return n;
}

/* The groups attached to the event, by name: [{"id", "name"}]. */
static void
ed_jv_attached_groups(JsonbValue *v, int64 project_id, const pg_uuid_t *event_id, bool read_only)
{
	static const char *const keys[] = {"id", "name"};
	SPITupleTable *rows = ed_event_groups(project_id, event_id, read_only);
	JsonbValue *elems = ed_jv_array(v, (int) rows->numvals);

	for (uint64 i = 0; i < rows->numvals; i++)
	{
		JsonbPair  *p = ed_jv_object(&elems[i], lengthof(keys), keys);

		ed_jv_string(&p[0].value, SPI_getvalue(rows->vals[i], rows->tupdesc, 1));
		ed_jv_string(&p[1].value, SPI_getvalue(rows->vals[i], rows->tupdesc, 2));
	}
	SPI_freetuptable(rows);
}

/* The hash of what validation checks (see the file header). */
static char *
ed_schema_hash(const EdMergedProperty *props, int n)
{
	StringInfoData text;
	pg_cryptohash_ctx *ctx;
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	char	   *hex = palloc(ED_SCHEMA_HASH_CHARS + 1);

	initStringInfo(&text);
	appendStringInfoChar(&text, '[');
	for (int i = 0; i < n; i++)
	{
		bool		first = true;

		appendStringInfoString(&text, i > 0 ? ",[" : "[");
		escape_json(&text, props[i].name);
		appendStringInfoString(&text, ",[");
		for (int t = 0; t < ED_PT_COUNT; t++)
			if (props[i].types & ED_PT_BIT(t))
			{
				if (!first)
					appendStringInfoChar(&text, ',');
				escape_json(&text, ed_property_type_name((EdPropertyType) t));
				first = false;
			}
		appendStringInfo(&text, "],%s]", props[i].required ? "true" : "false");
	}
	appendStringInfoChar(&text, ']');

	ctx = pg_cryptohash_create(PG_SHA256);
	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (uint8 *) text.data, text.len) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute the schema hash: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	hex_encode((const char *) digest, ED_SCHEMA_HASH_CHARS / 2, hex);
	hex[ED_SCHEMA_HASH_CHARS] = '\0';
	pfree(text.data);
	return hex;
}

static void
ed_jv_merged(JsonbValue *properties, JsonbValue *conflicts, const EdMergedProperty *props, int n)
{
	static const char *const prop_keys[] = {"name", "types", "required", "description"};
	static const char *const conflict_keys[] = {"name", "types"};
	JsonbValue *pe = ed_jv_array(properties, n);
	JsonbValue *ce;
	int			nconflicts = 0;

	for (int i = 0; i < n; i++)
		nconflicts += ED_TYPE_MASK_IS_CONFLICT(props[i].types);
	ce = ed_jv_array(conflicts, nconflicts);
	nconflicts = 0;
	for (int i = 0; i < n; i++)
	{
		JsonbPair  *p = ed_jv_object(&pe[i], lengthof(prop_keys), prop_keys);

		ed_jv_string(&p[0].value, props[i].name);
		ed_jv_type_mask(&p[1].value, props[i].types);
		ed_jv_bool(&p[2].value, props[i].required);
		ed_jv_string(&p[3].value, props[i].description);
		if (ED_TYPE_MASK_IS_CONFLICT(props[i].types))
		{
			p = ed_jv_object(&ce[nconflicts++], lengthof(conflict_keys), conflict_keys);
			ed_jv_string(&p[0].value, props[i].name);
			ed_jv_type_mask(&p[1].value, props[i].types);
		}
	}
}

/*
 * The schema of an event definition (PT404 when there is none), as a tree
 * in the current (SPI) context.  read_only: in the caller's snapshot; else
 * in a new one that sees the caller's own writes.
 */
JsonbValue *
ed_event_schema(int64 project_id, const pg_uuid_t *event_id, bool read_only)
{
	static SPIPlanPtr plan = NULL;
	static const char *const keys[] = {
		"event", "event_id", "conflicts", "properties", "schema_hash", "schema_version",
		"property_groups"
	};
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];
	JsonbValue *v = palloc(sizeof(JsonbValue));
	JsonbPair  *p;
	EdMergedProperty *props;
	int			n;
	char	   *name;
	bool		isnull;
	Datum		d;
	int64		version;

	ed_prepare_kept(&plan,
					"SELECT d.name, v.schema_version FROM event_definitions.definitions d"
					" LEFT JOIN event_definitions.schema_versions v"
					"   ON v.project_id = d.project_id AND v.definition_id = d.id"
					" WHERE d.project_id = $1 AND d.id = $2",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(event_id);
	ed_execute_kept(plan, values, NULL, read_only, 1, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ed_not_found(project_id, event_id);
	name = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	version = isnull ? 0 : DatumGetInt64(d);
	SPI_freetuptable(SPI_tuptable);

	n = ed_merged_properties(project_id, event_id, read_only, &props);
	p = ed_jv_object(v, lengthof(keys), keys);
	ed_jv_string(&p[0].value, name);
	ed_jv_string(&p[1].value, ed_uuid_out(event_id));
	ed_jv_merged(&p[3].value, &p[2].value, props, n);
	ed_jv_string(&p[4].value, ed_schema_hash(props, n));
	ed_jv_int64(&p[5].value, version);
	ed_jv_attached_groups(&p[6].value, project_id, event_id, read_only);
	return v;
}
