/*-------------------------------------------------------------------------
 *
 * codegen_typescript.c
 *	  TypeScript over posthog-js, in the shape of PostHog's generator:
 *
 *	    interface EventSchemas    one key per event (its name), the value
 *	                              its properties; an event without a
 *	                              schema is Record<string, any>
 *	    type <Ident>              EventSchemas[name], one per event
 *	    posthog.capture()         typed for known events: a required
 *	                              property missing or of the wrong type
 *	                              does not compile; other events as in
 *	                              posthog-js
 *	    posthog.captureRaw()      posthog-js's capture, unchecked
 *
 *	  Types: String string, Numeric number, Boolean boolean, DateTime
 *	  string | Date, Object Record<string, any>; a property whose groups
 *	  disagree gets the union of theirs.  Property keys are the names,
 *	  quoted, so nothing is renamed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "codegen/codegen_languages.h"
#include "codegen/codegen_text.h"

static const char *const ed_ts_types[ED_PT_COUNT] = {
	[ED_PT_BOOLEAN] = "boolean",
	[ED_PT_DATETIME] = "string | Date",
	[ED_PT_NUMERIC] = "number",
	[ED_PT_OBJECT] = "Record<string, any>",
	[ED_PT_STRING] = "string",
};

static const char ed_ts_usage[] =
	"Typed capture() for the events of this catalog, over posthog-js:\n"
	"\n"
	"    import posthog from './events'\n"
	"    posthog.init('<project api key>', { api_host: 'https://us.i.posthog.com' })\n"
	"    posthog.capture('checkout completed', { amount: 12.5 })  // checked\n"
	"    posthog.capture('some other event', { anything: true })  // not an event of the catalog\n"
	"    posthog.captureRaw(name, properties)                     // never checked\n"
	"\n"
	"Regenerate with event_definitions.codegen(project_id, 'typescript');\n"
	"event_definitions.codegen_status() says whether this file is current.\n";

static const char ed_ts_imports[] =
	"import originalPostHog from 'posthog-js'\n"
	"import type { CaptureOptions, CaptureResult, PostHog as OriginalPostHog, Properties } from 'posthog-js'\n";

static const char ed_ts_api[] =
	"export type EventName = keyof EventSchemas\n"
	"\n"
	"// The properties of an event: its schema, and any others\n"
	"export type EventProperties<K extends EventName> = EventSchemas[K] & Record<string, any>\n"
	"\n"
	"type HasRequiredProperties<K extends EventName> = {} extends EventSchemas[K] ? false : true\n"
	"\n"
	"type IsExactlyString<T> = string extends T ? (T extends string ? true : false) : false\n"
	"\n"
	"export interface TypedPostHog extends Omit<OriginalPostHog, 'capture'> {\n"
	"    // An event of the catalog: its properties are checked\n"
	"    capture<K extends EventName>(\n"
	"        event_name: K,\n"
	"        ...args: HasRequiredProperties<K> extends true\n"
	"            ? [properties: EventProperties<K>, options?: CaptureOptions]\n"
	"            : [properties?: EventProperties<K>, options?: CaptureOptions]\n"
	"    ): CaptureResult | undefined\n"
	"\n"
	"    // Another event, named by a literal (not a string variable)\n"
	"    capture<T extends string>(\n"
	"        event_name: IsExactlyString<T> extends true ? never : T extends EventName ? never : T,\n"
	"        properties?: Properties | null,\n"
	"        options?: CaptureOptions\n"
	"    ): CaptureResult | undefined\n"
	"\n"
	"    // Any event, nothing checked: posthog-js's capture\n"
	"    captureRaw(event_name: string, properties?: Properties | null, options?: CaptureOptions): CaptureResult | undefined\n"
	"}\n"
	"\n"
	"// A TypedPostHog over a posthog-js instance: everything else is the instance's\n"
	"export function createTypedPostHog(original: OriginalPostHog): TypedPostHog {\n"
	"    const enhanced: TypedPostHog = Object.create(original)\n"
	"    enhanced.capture = function (event_name: string, ...args: any[]): CaptureResult | undefined {\n"
	"        const [properties, options] = args\n"
	"        return original.capture(event_name, properties, options)\n"
	"    }\n"
	"    enhanced.captureRaw = function (\n"
	"        event_name: string,\n"
	"        properties?: Properties | null,\n"
	"        options?: CaptureOptions\n"
	"    ): CaptureResult | undefined {\n"
	"        return original.capture(event_name, properties, options)\n"
	"    }\n"
	"    return new Proxy(enhanced, {\n"
	"        get(target, prop) {\n"
	"            if (prop in target) {\n"
	"                return (target as any)[prop]\n"
	"            }\n"
	"            return (original as any)[prop]\n"
	"        },\n"
	"        set(target, prop, value) {\n"
	"            ;(original as any)[prop] = value\n"
	"            return true\n"
	"        },\n"
	"    })\n"
	"}\n"
	"\n"
	"const posthog = createTypedPostHog(originalPostHog as OriginalPostHog)\n"
	"\n"
	"export default posthog\n"
	"\n"
	"export * from 'posthog-js'\n";

/* A type mask as a TypeScript type: the union of the types' parts, once each. */
static void
ed_ts_type(StringInfo buf, EdTypeMask mask)
{
	const char *parts[2 * ED_PT_COUNT];
	int			nparts = 0;

	for (int t = 0; t < ED_PT_COUNT; t++)
	{
		const char *type;

		if (!(mask & ED_PT_BIT(t)))
			continue;
		/* "string | Date" is two parts: "string" may come from String too */
		type = ed_ts_types[t];
		while (type != NULL)
		{
			const char *bar = strstr(type, " | ");
			int			len = bar ? (int) (bar - type) : (int) strlen(type);
			bool		seen = false;
			char	   *part = pnstrdup(type, len);

			for (int i = 0; i < nparts; i++)
				seen |= strcmp(parts[i], part) == 0;
			if (!seen)
				parts[nparts++] = part;
			type = bar ? bar + 3 : NULL;
		}
	}
	for (int i = 0; i < nparts; i++)
		appendStringInfo(buf, "%s%s", i > 0 ? " | " : "", parts[i]);
}

static void
ed_ts_schemas(StringInfo buf, const EdCgModel *m)
{
	appendStringInfoString(buf,
						   "// The properties of every event of the catalog, by the event's name\n"
						   "export interface EventSchemas {\n");
	for (int i = 0; i < m->nevents; i++)
	{
		const EdCgEvent *e = &m->events[i];

		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(buf, "    ");
		ed_cg_literal(buf, e->name);
		if (e->nprops == 0)
		{
			appendStringInfoString(buf, ": Record<string, any>\n");
			continue;
		}
		appendStringInfoString(buf, ": {\n");
		for (int j = 0; j < e->nprops; j++)
		{
			const EdCgProperty *p = &e->props[j];

			appendStringInfoString(buf, "        ");
			ed_cg_literal(buf, p->name);
			appendStringInfoString(buf, p->required_all ? ": " : "?: ");
			ed_ts_type(buf, p->types);
			appendStringInfoChar(buf, '\n');
		}
		appendStringInfoString(buf, "    }\n");
	}
	appendStringInfoString(buf, "}\n");
}

static void
ed_ts_aliases(StringInfo buf, const EdCgModel *m)
{
	if (m->nevents == 0)
		return;
	appendStringInfoString(buf, "\n// The properties of each event, by the event's identifier\n");
	for (int i = 0; i < m->nevents; i++)
	{
		CHECK_FOR_INTERRUPTS();
		appendStringInfo(buf, "export type %s = EventSchemas[", m->events[i].ident);
		ed_cg_literal(buf, m->events[i].name);
		appendStringInfoString(buf, "]\n");
	}
}

void
ed_codegen_typescript(StringInfo buf, const EdCgModel *m)
{
	ed_cg_header(buf, "//", m);
	appendStringInfoString(buf, "//\n");
	ed_cg_comment_lines(buf, "//", ed_ts_usage);
	appendStringInfo(buf, "\n%s\n", ed_ts_imports);
	ed_ts_schemas(buf, m);
	ed_ts_aliases(buf, m);
	appendStringInfo(buf, "\n%s", ed_ts_api);
	appendStringInfoString(buf, "\n// The schema of each event, as codegen_status() compares it\n");
	ed_cg_manifest(buf, "//", m);
}
