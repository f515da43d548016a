/*-------------------------------------------------------------------------
 *
 * codegen_api.c
 *	  The SQL-callable functions of typed code generation (1.2): codegen()
 *	  and codegen_status().  Each checks access and arguments (api.c) and
 *	  delegates:
 *
 *	    codegen_model.c       the selected events and their merged schemas
 *	    codegen_names.c       identifiers, the same in every language
 *	    codegen_hash.c        schema_hash, PostHog's formula
 *	    codegen_text.c        literals, header and manifest of every file
 *	    codegen_typescript.c  TypeScript over posthog-js
 *	    codegen_golang.c      Go, over anything posthog-go's client is
 *	    codegen_python.c      Python over posthog-python
 *	    codegen_jsonschema.c  JSON Schema, as validate() checks
 *	    codegen_patterns.c    its patterns for Numeric and DateTime strings
 *	    codegen_status.c      codegen_status()
 *
 *	  Both read the catalog in the caller's snapshot and write nothing
 *	  (STABLE): the same catalog gives the same bytes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "api.h"
#include "args.h"
#include "codegen/codegen_languages.h"
#include "codegen/codegen_model.h"
#include "codegen/codegen_status.h"
#include "json_out.h"
#include "messages.h"

PG_FUNCTION_INFO_V1(event_definitions_codegen);
PG_FUNCTION_INFO_V1(event_definitions_codegen_status);

typedef struct EdCgLanguage
{
	const char *name;
	EdCgGenerator generate;
} EdCgLanguage;

/* in the order of the hint */
static const EdCgLanguage ed_cg_languages[] = {
	{"typescript", ed_codegen_typescript},
	{"golang", ed_codegen_golang},
	{"python", ed_codegen_python},
	{"jsonschema", ed_codegen_jsonschema},
};

static const EdCgLanguage *
ed_cg_language(const char *name)
{
	for (int i = 0; i < (int) lengthof(ed_cg_languages); i++)
		if (strcmp(name, ed_cg_languages[i].name) == 0)
			return &ed_cg_languages[i];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown language \"%s\"", ed_truncated(name, ED_ECHO_MAX_CHARS)),
			 errhint("Use typescript, golang, python or jsonschema.")));
	pg_unreachable();
}

/* codegen(project_id, language, names = null) */
Datum
event_definitions_codegen(PG_FUNCTION_ARGS)
{
	static const char *const keys[] = {
		"content", "language", "event_count", "schema_hash", "generator_version"
	};
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	const EdCgLanguage *language;
	ArrayType  *names;
	MemoryContext callercxt;
	EdCgModel  *model;
	StringInfoData content;
	JsonbValue	result;
	JsonbPair  *p;

	ed_arg_not_null(fcinfo, 1, "language");
	language = ed_cg_language(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	names = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);

	callercxt = ed_spi_connect();
	model = ed_codegen_model(project_id, names);
	initStringInfo(&content);
	language->generate(&content, model);
	p = ed_jv_object(&result, lengthof(keys), keys);
	ed_jv_string(&p[0].value, content.data);
	ed_jv_string(&p[1].value, language->name);
	ed_jv_int64(&p[2].value, model->nevents);
	ed_jv_string(&p[3].value, model->schema_hash);
	ed_jv_string(&p[4].value, ED_CODEGEN_GENERATOR_VERSION);
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(&result, callercxt));
}

/* codegen_status(project_id, schema_hash, names = null, content = null) */
Datum
event_definitions_codegen_status(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	char	   *schema_hash;
	ArrayType  *names;
	text	   *content;
	MemoryContext callercxt;

	ed_arg_not_null(fcinfo, 1, "schema_hash");
	schema_hash = ed_cg_check_hash(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	names = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);
	content = PG_ARGISNULL(3) ? NULL : PG_GETARG_TEXT_PP(3);

	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_codegen_status(ed_codegen_model(project_id, names),
															schema_hash, content),
										  callercxt));
}
