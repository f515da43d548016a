/*-------------------------------------------------------------------------
 *
 * schema_api.c
 *	  The SQL-callable functions of event schemas (1.2): property groups,
 *	  attachments, event_schema, validate and violations.  Each checks
 *	  access and arguments (api.c) and delegates:
 *
 *	    group_input.c      a group's name, description, properties, patch
 *	    schema_writes.c    group writes and attachments, in one lock order
 *	    group_store.c      their SQL
 *	    group_render.c     groups and pages of groups
 *	    schema_activity.c  activity entries of schema changes
 *	    event_schema.c     an event's merged schema and its hash
 *	    validate_event.c   validate()
 *	    schema_lookup.c    an event's mode and schema version, by name
 *	    compiled_schema.c  compiled schemas, cached per backend
 *	    validator.c        the check and its errors
 *	    coercion.c         which values fit which type
 *	    js_text.c          numeric strings, as PostHog's JavaScript reads them
 *	    date_text.c        date and time strings
 *	    value_text.c       values as short text (errors, samples)
 *	    property_type.c    the five types
 *	    violations_page.c  violations()
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "api.h"
#include "args.h"
#include "json_out.h"
#include "lookup.h"
#include "page.h"
#include "schema/event_schema.h"
#include "schema/group_input.h"
#include "schema/group_render.h"
#include "schema/schema_writes.h"
#include "schema/validate_event.h"
#include "schema/violations.h"

PG_FUNCTION_INFO_V1(event_definitions_property_group_create);
PG_FUNCTION_INFO_V1(event_definitions_property_group_retrieve);
PG_FUNCTION_INFO_V1(event_definitions_property_group_update);
PG_FUNCTION_INFO_V1(event_definitions_property_group_delete);
PG_FUNCTION_INFO_V1(event_definitions_property_group_list);
PG_FUNCTION_INFO_V1(event_definitions_schema_attach);
PG_FUNCTION_INFO_V1(event_definitions_schema_detach);
PG_FUNCTION_INFO_V1(event_definitions_event_schema);
PG_FUNCTION_INFO_V1(event_definitions_validate);
PG_FUNCTION_INFO_V1(event_definitions_violations);

/* property_group_create(project_id, name, properties = '[]', description = '') */
Datum
event_definitions_property_group_create(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.property_group_create()");
	EdGroupInput in;
	text	   *name;
	MemoryContext callercxt;

	ed_arg_not_null(fcinfo, 1, "name");
	name = PG_GETARG_TEXT_PP(1);
	ed_group_check_name(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	memset(&in, 0, sizeof(in));
	in.has_name = true;
	in.name = text_to_cstring(name);
	ed_group_parse_properties(PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2), &in);
	in.has_description = true;
	in.description = PG_ARGISNULL(3) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(3));

	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_group_create(project_id, &in, ed_acting_user()),
										  callercxt));
}

Datum
event_definitions_property_group_retrieve(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	pg_uuid_t  *id = ed_arg_uuid(fcinfo, 1, "id");
	MemoryContext callercxt = ed_spi_connect();
	EdGroupView *group = ed_group_view(project_id, id, true);

	if (group == NULL)
		ed_group_not_found(project_id, id);
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_group_render(project_id, group), callercxt));
}

Datum
event_definitions_property_group_update(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.property_group_update()");
	pg_uuid_t  *id = ed_arg_uuid(fcinfo, 1, "id");
	EdGroupInput patch;
	MemoryContext callercxt;

	ed_arg_not_null(fcinfo, 2, "patch");
	ed_group_parse_patch(PG_GETARG_JSONB_P(2), &patch);
	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_group_update(project_id, id, &patch, ed_acting_user()),
										  callercxt));
}

Datum
event_definitions_property_group_delete(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.property_group_delete()");
	pg_uuid_t  *id = ed_arg_uuid(fcinfo, 1, "id");
	EdOptInt64	actor = ed_acting_user();

	ed_spi_connect();
	ed_group_delete(project_id, id, actor);
	ed_spi_finish();
	PG_RETURN_VOID();
}

/* property_group_list(project_id, search = null, page_limit = 100, page_offset = 0) */
Datum
event_definitions_property_group_list(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	char	   *search = ed_arg_cstring(fcinfo, 1);
	int64		limit = ed_arg_int64_default(fcinfo, 2, ED_DEFAULT_PAGE_LIMIT);
	int64		offset = ed_arg_int64_default(fcinfo, 3, 0);
	MemoryContext callercxt;

	ed_check_page_bounds(limit, offset);
	ed_check_max_page_limit(limit, "page_offset");
	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_group_page(project_id, search, limit, offset),
										  callercxt));
}

Datum
event_definitions_schema_attach(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.schema_attach()");
	pg_uuid_t  *event_id = ed_arg_uuid(fcinfo, 1, "event_id");
	pg_uuid_t  *group_id = ed_arg_uuid(fcinfo, 2, "group_id");
	EdOptInt64	actor = ed_acting_user();
	MemoryContext callercxt = ed_spi_connect();

	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_schema_attach(project_id, event_id, group_id, actor),
										  callercxt));
}

Datum
event_definitions_schema_detach(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.schema_detach()");
	pg_uuid_t  *event_id = ed_arg_uuid(fcinfo, 1, "event_id");
	pg_uuid_t  *group_id = ed_arg_uuid(fcinfo, 2, "group_id");
	EdOptInt64	actor = ed_acting_user();
	MemoryContext callercxt = ed_spi_connect();

	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_schema_detach(project_id, event_id, group_id, actor),
										  callercxt));
}

Datum
event_definitions_event_schema(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	pg_uuid_t  *event_id = ed_arg_uuid(fcinfo, 1, "event_id");
	MemoryContext callercxt = ed_spi_connect();

	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_event_schema(project_id, event_id, true), callercxt));
}

/* validate(project_id, name, properties) */
Datum
event_definitions_validate(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	text	   *name;
	Jsonb	   *properties;
	MemoryContext callercxt;
	Jsonb	   *result;

	ed_arg_not_null(fcinfo, 1, "name");
	name = PG_GETARG_TEXT_PP(1);
	ed_check_lookup_name(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	properties = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	callercxt = ed_spi_connect();
	result = ed_validate_event(project_id, text_to_cstring(name), properties, callercxt);
	ed_spi_finish();
	PG_RETURN_JSONB_P(result);
}

/* violations(project_id, id = null, since = null, page_limit = 100, page_offset = 0) */
Datum
event_definitions_violations(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	pg_uuid_t  *id = PG_ARGISNULL(1) ? NULL : PG_GETARG_UUID_P(1);
	bool		has_since = !PG_ARGISNULL(2);
	TimestampTz since = has_since ? PG_GETARG_TIMESTAMPTZ(2) : 0;
	int64		limit = ed_arg_int64_default(fcinfo, 3, ED_DEFAULT_PAGE_LIMIT);
	int64		offset = ed_arg_int64_default(fcinfo, 4, 0);
	MemoryContext callercxt;

	if (has_since && TIMESTAMP_NOT_FINITE(since))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("since must be a finite timestamp")));
	ed_check_page_bounds(limit, offset);
	ed_check_max_page_limit(limit, "page_offset");
	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_violations_page(project_id, id, has_since, since,
															 limit, offset),
										  callercxt));
}
