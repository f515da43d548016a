/*-------------------------------------------------------------------------
 *
 * validate_event.c
 *	  validate(project_id, name, properties): what ingestion would find
 *	  wrong with an event, whatever the definition's enforcement_mode.
 *	  One probe of the definition (schema_lookup.c), the compiled schema
 *	  from the backend's cache (compiled_schema.c), the check
 *	  (validator.c): no SQL per property.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "parser/scansup.h"
#include "utils/builtins.h"

#include "json_out.h"
#include "messages.h"
#include "schema/schema_lookup.h"
#include "schema/validate_event.h"
#include "schema/validator.h"

/*
 * properties as an object.  PostgREST passes a GET's query-string values
 * as JSON strings, so a string holding a JSON object is read as that
 * object (bad JSON in it is 22P02); anything else is 22023.
 */
static Jsonb *
ed_properties_object(Jsonb *properties)
{
	JsonbValue	text;

	if (JB_ROOT_IS_SCALAR(properties) && JsonbExtractScalar(&properties->root, &text) &&
		text.type == jbvString)
	{
		int			i = 0;

		while (i < text.val.string.len && scanner_isspace(text.val.string.val[i]))
			i++;
		if (i < text.val.string.len && text.val.string.val[i] == '{')
			properties = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(
				pnstrdup(text.val.string.val, text.val.string.len))));
	}
	if (!JB_ROOT_IS_OBJECT(properties) || JB_ROOT_IS_SCALAR(properties))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("properties must be a JSON object"),
				 errhint("Give the event's properties as {\"name\": value, ...}.")));
	return properties;
}

/*
 * The answer as one jsonb in resultcxt; PT404 when the project has no
 * event of that name.  properties NULL: the event has none.  Runs inside
 * SPI.
 */
Jsonb *
ed_validate_event(int64 project_id, const char *name, Jsonb *properties, MemoryContext resultcxt)
{
	EdEventSchemaRef ref;
	const EdCompiledSchema *schema;
	EdSchemaError *errors;
	int			nerrors;
	JsonbValue	result;
	Jsonb	   *jb;

	if (properties != NULL)
		properties = ed_properties_object(properties);
	if (!ed_schema_lookup_name(project_id, name, &ref))
		ereport(ERROR,
				(errcode(ERRCODE_ED_NOT_FOUND),
				 errmsg("event definition \"%s\" not found in project " INT64_FORMAT,
						ed_truncated(name, ED_ECHO_MAX_CHARS), project_id)));
	schema = ed_schema_acquire(project_id, &ref.id, &ref.version);
	errors = palloc(sizeof(EdSchemaError) * Max(schema->nprops, 1));
	nerrors = ed_schema_check(schema, properties ? &properties->root : NULL, errors,
							  schema->nprops);
	/* the tree points into the schema: make the jsonb before letting it go */
	jb = ed_jv_to_jsonb(ed_jv_validation(&result, schema, errors, nerrors), resultcxt);
	ed_schema_release(schema);
	return jb;
}
