/*-------------------------------------------------------------------------
 *
 * codegen_jsonschema.c
 *	  JSON Schema (draft-07): one schema per event under "definitions",
 *	  keyed by the event's identifier, its name as "title"; each accepts
 *	  exactly the properties objects validate() accepts for that event:
 *
 *	    - a property is checked when present and not null; null counts as
 *	      missing (validate() reads it so);
 *	    - it is required when one of its groups requires it (what
 *	      validate() checks; the typed languages are laxer, following
 *	      PostHog's generators);
 *	    - a property whose groups disagree on its type is not checked at
 *	      all, nor required: {} (validate() skips it);
 *	    - other properties are allowed; an event without a schema is any
 *	      object.
 *
 *	  The types, shared under "definitions" by lower-case names (an
 *	  event's identifier always starts with an upper-case letter):
 *
 *	    string    anything but null
 *	    numeric   a number within the doubles, or a numeric string
 *	    boolean   true, false, "true" or "false"
 *	    datetime  a date string, or any number (a Unix time), however
 *	              large: "not a string, boolean, null, object or array"
 *	    object    an object or an array
 *
 *	  The patterns are in codegen_patterns.c.  A validator resolves an
 *	  event's schema inside this document: "<document>#/definitions/<Ident>".
 *	  The manifest of codegen_status() is the last lines of the root's
 *	  "$comment".
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "port/pg_bitutils.h"

#include "codegen/codegen_languages.h"
#include "codegen/codegen_patterns.h"
#include "codegen/codegen_text.h"

static const char *const ed_js_type_names[ED_PT_COUNT] = {
	[ED_PT_BOOLEAN] = "boolean",
	[ED_PT_DATETIME] = "datetime",
	[ED_PT_NUMERIC] = "numeric",
	[ED_PT_OBJECT] = "object",
	[ED_PT_STRING] = "string",
};

static const char ed_js_description[] =
	"Properties of the events of this catalog: one schema per event in definitions, keyed by "
	"the event's identifier, its name as title. Each accepts and rejects what "
	"event_definitions.validate() accepts and rejects for that event.";

/* the schema of a property of one type, null not allowed */
static void
ed_js_type_definition(StringInfo buf, EdPropertyType t)
{
	switch (t)
	{
		case ED_PT_STRING:
			appendStringInfoString(buf, "{\"not\": {\"type\": \"null\"}}");
			break;
		case ED_PT_NUMERIC:
			appendStringInfoString(buf,
								   "{\"anyOf\": [{\"type\": \"number\", \"minimum\": -1.7976931348623157e308, "
								   "\"maximum\": 1.7976931348623157e308}, {\"type\": \"string\", \"pattern\": ");
			ed_cg_literal(buf, ed_cg_numeric_text_pattern());
			appendStringInfoString(buf, "}]}");
			break;
		case ED_PT_BOOLEAN:
			appendStringInfoString(buf,
								   "{\"anyOf\": [{\"type\": \"boolean\"}, {\"enum\": [\"true\", \"false\"]}]}");
			break;
		case ED_PT_DATETIME:
			/*
			 * any number: not {"type": "number"}, which a validator
			 * reading JSON into doubles refuses for 1e400 (Infinity)
			 */
			appendStringInfoString(buf, "{\"anyOf\": [{\"type\": \"string\", \"pattern\": ");
			ed_cg_literal(buf, ed_cg_datetime_text_pattern());
			appendStringInfoString(buf,
								   "}, {\"not\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"boolean\"}, "
								   "{\"type\": \"null\"}, {\"type\": \"object\"}, {\"type\": \"array\"}]}}]}");
			break;
		case ED_PT_OBJECT:
			appendStringInfoString(buf,
								   "{\"anyOf\": [{\"type\": \"object\"}, {\"type\": \"array\"}]}");
			break;
		case ED_PT_COUNT:
			break;
	}
}

static void
ed_js_property(StringInfo buf, const EdCgProperty *p)
{
	int			t;

	if (ED_TYPE_MASK_IS_CONFLICT(p->types))
	{
		appendStringInfoString(buf, "{\"$comment\": \"its groups disagree on its type: not checked\"}");
		return;
	}
	t = pg_rightmost_one_pos32(p->types);
	if (p->required_any)
		appendStringInfo(buf, "{\"$ref\": \"#/definitions/%s\"}", ed_js_type_names[t]);
	else
		appendStringInfo(buf, "{\"anyOf\": [{\"type\": \"null\"}, {\"$ref\": \"#/definitions/%s\"}]}",
						 ed_js_type_names[t]);
}

static void
ed_js_event(StringInfo buf, const EdCgEvent *e)
{
	int			nrequired = 0;

	appendStringInfo(buf, "    \"%s\": {\n      \"title\": ", e->ident);
	ed_cg_literal(buf, e->name);
	appendStringInfoString(buf, ",\n      \"type\": \"object\"");
	if (e->nprops > 0)
		appendStringInfoString(buf, ",\n      \"properties\": {");
	for (int j = 0; j < e->nprops; j++)
	{
		appendStringInfo(buf, "%s\n        ", j > 0 ? "," : "");
		ed_cg_literal(buf, e->props[j].name);
		appendStringInfoString(buf, ": ");
		ed_js_property(buf, &e->props[j]);
	}
	if (e->nprops > 0)
		appendStringInfoString(buf, "\n      }");
	for (int j = 0; j < e->nprops; j++)
	{
		const EdCgProperty *p = &e->props[j];

		if (!p->required_any || ED_TYPE_MASK_IS_CONFLICT(p->types))
			continue;
		appendStringInfoString(buf, nrequired++ > 0 ? ", " : ",\n      \"required\": [");
		ed_cg_literal(buf, p->name);
	}
	if (nrequired > 0)
		appendStringInfoChar(buf, ']');
	appendStringInfoString(buf, "\n    }");
}

/* the root's "$comment": the header and the manifest, as one string */
static void
ed_js_comment(StringInfo buf, const EdCgModel *m)
{
	StringInfoData text;

	initStringInfo(&text);
	ed_cg_header(&text, "", m);
	appendStringInfoString(&text, "\nThe schema of each event, as codegen_status() compares it:\n");
	ed_cg_manifest(&text, "", m);
	ed_cg_literal(buf, text.data);
	pfree(text.data);
}

void
ed_codegen_jsonschema(StringInfo buf, const EdCgModel *m)
{
	EdTypeMask	referenced = 0;
	bool		first = true;

	appendStringInfoString(buf, "{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n"
						   "  \"$comment\": ");
	ed_js_comment(buf, m);
	appendStringInfoString(buf, ",\n  \"title\": \"Event properties\",\n  \"description\": ");
	ed_cg_literal(buf, ed_js_description);
	appendStringInfoString(buf, ",\n  \"definitions\": {");
	for (int i = 0; i < m->nevents; i++)
	{
		const EdCgEvent *e = &m->events[i];

		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(buf, first ? "\n" : ",\n");
		first = false;
		ed_js_event(buf, e);
		for (int j = 0; j < e->nprops; j++)
			if (!ED_TYPE_MASK_IS_CONFLICT(e->props[j].types))
				referenced |= e->props[j].types;
	}
	for (int t = 0; t < ED_PT_COUNT; t++)
	{
		if (!(referenced & ED_PT_BIT(t)))
			continue;
		appendStringInfo(buf, "%s    \"%s\": ", first ? "\n" : ",\n", ed_js_type_names[t]);
		first = false;
		ed_js_type_definition(buf, (EdPropertyType) t);
	}
	appendStringInfoString(buf, first ? "}\n}\n" : "\n  }\n}\n");
}
