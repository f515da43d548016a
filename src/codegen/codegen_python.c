/*-------------------------------------------------------------------------
 *
 * codegen_python.c
 *	  Python over posthog-python, in the shape of PostHog's generator: a
 *	  TypedDict per event (a dict alias for an event without a schema) and
 *	  a capture() overloaded per event with Literal names, so a type
 *	  checker (mypy, pyright) reports an event outside the catalog, a
 *	  required property missing and a property of the wrong type.
 *
 *	  The TypedDicts are written in the functional syntax, keyed by the
 *	  properties' own names: nothing is renamed, and properties reach
 *	  PostHog as they are.  A TypedDict is closed, so properties outside
 *	  the schema go in extra=, merged under the typed ones.  posthog is
 *	  imported when capture() first runs (use_client() can give it a
 *	  posthog.Posthog instead): the file type-checks without the package.
 *
 *	  Types: String str, Numeric float (int fits), Boolean bool, DateTime
 *	  Union[str, datetime], Object Union[Dict[str, Any], List[Any]]; a
 *	  property whose groups disagree gets the union of theirs.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "codegen/codegen_languages.h"
#include "codegen/codegen_text.h"

/* the parts of each type's Python type: a union when more than one */
static const char *const ed_py_parts[ED_PT_COUNT][2] = {
	[ED_PT_BOOLEAN] = {"bool", NULL},
	[ED_PT_DATETIME] = {"str", "datetime"},
	[ED_PT_NUMERIC] = {"float", NULL},
	[ED_PT_OBJECT] = {"Dict[str, Any]", "List[Any]"},
	[ED_PT_STRING] = {"str", NULL},
};

static const char ed_py_usage[] =
	"Typed capture() for the events of this catalog, over posthog-python:\n"
	"\n"
	"    import events\n"
	"    events.capture(\"checkout completed\", distinct_id=\"user_1\", properties={\"amount\": 12.5})\n"
	"    events.use_client(posthog.Posthog(\"<project api key>\", host=\"https://us.i.posthog.com\"))\n"
	"\n"
	"A type checker reports an event outside the catalog, a required property\n"
	"missing and a property of the wrong type.  Properties outside an event's\n"
	"schema go in extra=.  Other keyword arguments (timestamp, groups, ...) are\n"
	"passed to posthog's capture.\n"
	"\n"
	"Regenerate with event_definitions.codegen(project_id, 'python');\n"
	"event_definitions.codegen_status() says whether this file is current.\n";

static const char ed_py_parameters[] =
	"    *,\n"
	"    distinct_id: Optional[str] = None,\n"
	"    %s\n"
	"    extra: Optional[Mapping[str, Any]] = None,\n"
	"    **kwargs: Any,\n"
	") -> Optional[str]";

static const char ed_py_implementation[] =
	"    \"\"\"Capture an event through posthog (or the client given to use_client).\"\"\"\n"
	"    merged: Dict[str, Any] = dict(extra or {})\n"
	"    merged.update(properties or {})\n"
	"    if distinct_id is not None:\n"
	"        kwargs[\"distinct_id\"] = distinct_id\n"
	"    target = _client if _client is not None else importlib.import_module(\"posthog\")\n"
	"    result: Optional[str] = target.capture(event=event, properties=merged, **kwargs)\n"
	"    return result\n";

static void
ed_py_type(StringInfo buf, EdTypeMask mask)
{
	const char *parts[2 * ED_PT_COUNT];
	int			nparts = 0;

	for (int t = 0; t < ED_PT_COUNT; t++)
		for (int k = 0; k < 2 && (mask & ED_PT_BIT(t)) && ed_py_parts[t][k]; k++)
		{
			bool		seen = false;

			for (int i = 0; i < nparts; i++)
				seen |= strcmp(parts[i], ed_py_parts[t][k]) == 0;
			if (!seen)
				parts[nparts++] = ed_py_parts[t][k];
		}
	if (nparts > 1)
		appendStringInfoString(buf, "Union[");
	for (int i = 0; i < nparts; i++)
		appendStringInfo(buf, "%s%s", i > 0 ? ", " : "", parts[i]);
	if (nparts > 1)
		appendStringInfoChar(buf, ']');
}

static void
ed_py_imports(StringInfo buf, const EdCgModel *m)
{
	appendStringInfoString(buf, "\nimport importlib\nimport sys\n");
	if (m->types_used & ED_PT_BIT(ED_PT_DATETIME))
		appendStringInfoString(buf, "from datetime import datetime\n");
	appendStringInfoString(buf,
						   "from typing import Any, Dict, List, Literal, Mapping, NoReturn, Optional, "
						   "TypedDict, Union, overload\n"
						   "\n"
						   "if sys.version_info >= (3, 11):\n"
						   "    from typing import NotRequired\n"
						   "else:\n"
						   "    from typing_extensions import NotRequired\n");
}

static void
ed_py_typed_dicts(StringInfo buf, const EdCgModel *m)
{
	for (int i = 0; i < m->nevents; i++)
	{
		const EdCgEvent *e = &m->events[i];

		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(buf, "\n# ");
		ed_cg_literal(buf, e->name);
		if (e->nprops == 0)
		{
			appendStringInfo(buf, ": no schema, any properties\n%s = Dict[str, Any]\n", e->ident);
			continue;
		}
		appendStringInfo(buf, "\n%s = TypedDict(\"%s\", {\n", e->ident, e->ident);
		for (int j = 0; j < e->nprops; j++)
		{
			const EdCgProperty *p = &e->props[j];

			appendStringInfoString(buf, "    ");
			ed_cg_literal(buf, p->name);
			appendStringInfoString(buf, p->required_all ? ": " : ": NotRequired[");
			ed_py_type(buf, p->types);
			appendStringInfoString(buf, p->required_all ? ",\n" : "],\n");
		}
		appendStringInfoString(buf, "})\n");
	}
}

/* "properties: ...," of an event's signature */
static char *
ed_py_properties_param(const EdCgEvent *e)
{
	bool		required = false;

	for (int j = 0; j < e->nprops; j++)
		required |= e->props[j].required_all;
	return psprintf(required ? "properties: %s," : "properties: Optional[%s] = None,", e->ident);
}

static void
ed_py_capture(StringInfo buf, const EdCgModel *m)
{
	appendStringInfoString(buf,
						   "\n\n_client: Any = None\n"
						   "\n\n"
						   "def use_client(client: Any) -> None:\n"
						   "    \"\"\"Capture through client (a posthog.Posthog) instead of the posthog module.\"\"\"\n"
						   "    global _client\n"
						   "    _client = client\n");
	/* typing wants two overloads or more: one event is a plain signature */
	for (int i = 0; m->nevents > 1 && i < m->nevents; i++)
	{
		const EdCgEvent *e = &m->events[i];

		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(buf, "\n\n@overload\ndef capture(\n    event: Literal[");
		ed_cg_literal(buf, e->name);
		appendStringInfoString(buf, "],\n");
		appendStringInfo(buf, ed_py_parameters, ed_py_properties_param(e));
		appendStringInfoString(buf, ":\n    ...\n");
	}
	appendStringInfoString(buf, "\n\ndef capture(\n");
	if (m->nevents == 1)
	{
		appendStringInfoString(buf, "    event: Literal[");
		ed_cg_literal(buf, m->events[0].name);
		appendStringInfoString(buf, "],\n");
		appendStringInfo(buf, ed_py_parameters, ed_py_properties_param(&m->events[0]));
	}
	else
	{
		/* no event: nothing can be captured */
		appendStringInfoString(buf, m->nevents == 0 ? "    event: NoReturn,\n" : "    event: str,\n");
		appendStringInfo(buf, ed_py_parameters,
						 "properties: Optional[Mapping[str, Any]] = None,");
	}
	appendStringInfo(buf, ":\n%s", ed_py_implementation);
}

void
ed_codegen_python(StringInfo buf, const EdCgModel *m)
{
	ed_cg_header(buf, "#", m);
	appendStringInfoString(buf, "#\n");
	ed_cg_comment_lines(buf, "#", ed_py_usage);
	ed_py_imports(buf, m);
	appendStringInfoChar(buf, '\n');
	ed_py_typed_dicts(buf, m);
	ed_py_capture(buf, m);
	appendStringInfoString(buf, "\n\n# The schema of each event, as codegen_status() compares it\n");
	ed_cg_manifest(buf, "#", m);
}
