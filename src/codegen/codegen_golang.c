/*-------------------------------------------------------------------------
 *
 * codegen_golang.c
 *	  Go, package typed: a struct per event (a map type for an event
 *	  without a schema) and a typed capture method per event on a Client
 *	  that sends through any Enqueuer: posthog-go's posthog.Client is an
 *	  Enqueuer[posthog.Message].  The package imports nothing but "time",
 *	  so it builds without downloading anything; the caller says once how
 *	  a Capture becomes a posthog.Capture.
 *
 *	  Fields are the properties' identifiers, in the order of their names;
 *	  Properties() sends them under their own names.  A required property
 *	  is a plain field (its zero value is sent when it is not set: Go
 *	  cannot make a field mandatory), an optional one a pointer (nil: not
 *	  sent; Ptr() makes one), or a nil map or interface.  Extra carries
 *	  properties outside the schema, under the typed ones.
 *
 *	  Types: String string, Numeric float64, Boolean bool, DateTime
 *	  time.Time, Object map[string]interface{}; a property whose groups
 *	  disagree is an interface{}.  Output is gofmt's layout: no column is
 *	  aligned, since every field has its own comment and blank line.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "port/pg_bitutils.h"

#include "codegen/codegen_languages.h"
#include "codegen/codegen_text.h"

static const char *const ed_go_types[ED_PT_COUNT] = {
	[ED_PT_BOOLEAN] = "bool",
	[ED_PT_DATETIME] = "time.Time",
	[ED_PT_NUMERIC] = "float64",
	[ED_PT_OBJECT] = "map[string]interface{}",
	[ED_PT_STRING] = "string",
};

static const char ed_go_usage[] =
	"Package typed sends the events of this catalog with typed properties,\n"
	"through posthog-go or anything else with an Enqueue method:\n"
	"\n"
	"\tclient := posthog.New(\"<project api key>\")\n"
	"\tevents := typed.NewClient[posthog.Message](client, func(c typed.Capture) posthog.Message {\n"
	"\t\treturn posthog.Capture{DistinctId: c.DistinctID, Event: c.Event, Properties: c.Properties}\n"
	"\t})\n"
	"\terr := events.CheckoutCompleted(\"user_1\", typed.CheckoutCompleted{Amount: 12.5})\n"
	"\n"
	"Regenerate with event_definitions.codegen(project_id, 'golang');\n"
	"event_definitions.codegen_status() says whether this file is current.\n";

static const char ed_go_client[] =
	"// Enqueuer sends messages of type M: posthog-go's posthog.Client is an\n"
	"// Enqueuer[posthog.Message].\n"
	"type Enqueuer[M any] interface {\n"
	"\tEnqueue(M) error\n"
	"}\n"
	"\n"
	"// Capture is one event as the typed methods build it.\n"
	"type Capture struct {\n"
	"\tDistinctID string\n"
	"\tEvent      string\n"
	"\tProperties map[string]interface{}\n"
	"}\n"
	"\n"
	"// Client sends typed events through Enqueuer, each Capture made a message\n"
	"// by Message.\n"
	"type Client[M any] struct {\n"
	"\tEnqueuer Enqueuer[M]\n"
	"\tMessage  func(Capture) M\n"
	"}\n"
	"\n"
	"// NewClient returns a Client over enqueuer.\n"
	"func NewClient[M any](enqueuer Enqueuer[M], message func(Capture) M) *Client[M] {\n"
	"\treturn &Client[M]{Enqueuer: enqueuer, Message: message}\n"
	"}\n"
	"\n"
	"func (c *Client[M]) send(distinctID string, event string, properties map[string]interface{}) error {\n"
	"\treturn c.Enqueuer.Enqueue(c.Message(Capture{DistinctID: distinctID, Event: event, Properties: properties}))\n"
	"}\n"
	"\n"
	"// Ptr returns a pointer to v, for optional properties.\n"
	"func Ptr[T any](v T) *T {\n"
	"\treturn &v\n"
	"}\n";

/* The field type of a property: a pointer when optional and scalar. */
static void
ed_go_field_type(StringInfo buf, const EdCgProperty *p)
{
	if (ED_TYPE_MASK_IS_CONFLICT(p->types))
		appendStringInfoString(buf, "interface{}");
	else
	{
		int			t = pg_rightmost_one_pos32(p->types);

		if (!p->required_all && t != ED_PT_OBJECT)
			appendStringInfoChar(buf, '*');
		appendStringInfoString(buf, ed_go_types[t]);
	}
}

/* optional: nil is "not set" (pointer, map, interface) */
static bool
ed_go_sent_when_set(const EdCgProperty *p)
{
	return !p->required_all;
}

static bool
ed_go_is_pointer(const EdCgProperty *p)
{
	return !p->required_all && !ED_TYPE_MASK_IS_CONFLICT(p->types) &&
		pg_rightmost_one_pos32(p->types) != ED_PT_OBJECT;
}

static void
ed_go_open_event(StringInfo buf, const EdCgEvent *e)
{
	appendStringInfo(buf, "// %s holds the properties of the ", e->ident);
	ed_cg_literal(buf, e->name);
	appendStringInfo(buf,
					 " event, which has no schema.\n"
					 "type %s map[string]interface{}\n"
					 "\n"
					 "// Properties returns a copy of the properties.\n"
					 "func (e %s) Properties() map[string]interface{} {\n"
					 "\tp := make(map[string]interface{}, len(e))\n"
					 "\tfor k, v := range e {\n"
					 "\t\tp[k] = v\n"
					 "\t}\n"
					 "\treturn p\n"
					 "}\n",
					 e->ident, e->ident);
}

static void
ed_go_struct_event(StringInfo buf, const EdCgEvent *e)
{
	appendStringInfo(buf, "// %s holds the properties of the ", e->ident);
	ed_cg_literal(buf, e->name);
	appendStringInfo(buf, " event.\ntype %s struct {\n", e->ident);
	for (int j = 0; j < e->nprops; j++)
	{
		const EdCgProperty *p = &e->props[j];

		appendStringInfo(buf, "%s\t// %s is ", j > 0 ? "\n" : "", p->ident);
		ed_cg_literal(buf, p->name);
		appendStringInfo(buf, "%s.\n\t%s ", p->required_all ? ", required" : "", p->ident);
		ed_go_field_type(buf, p);
		appendStringInfoChar(buf, '\n');
	}
	appendStringInfo(buf,
					 "\n"
					 "\t// Extra holds properties outside the schema, sent as they are.\n"
					 "\tExtra map[string]interface{}\n"
					 "}\n"
					 "\n"
					 "// Properties returns the properties to send, by their names.\n"
					 "func (e %s) Properties() map[string]interface{} {\n"
					 "\tp := make(map[string]interface{}, %d+len(e.Extra))\n"
					 "\tfor k, v := range e.Extra {\n"
					 "\t\tp[k] = v\n"
					 "\t}\n",
					 e->ident, e->nprops);
	for (int j = 0; j < e->nprops; j++)
	{
		const EdCgProperty *p = &e->props[j];

		if (ed_go_sent_when_set(p))
		{
			appendStringInfo(buf, "\tif e.%s != nil {\n\t\tp[", p->ident);
			ed_cg_literal(buf, p->name);
			appendStringInfo(buf, "] = %se.%s\n\t}\n", ed_go_is_pointer(p) ? "*" : "", p->ident);
		}
		else
		{
			appendStringInfoString(buf, "\tp[");
			ed_cg_literal(buf, p->name);
			appendStringInfo(buf, "] = e.%s\n", p->ident);
		}
	}
	appendStringInfoString(buf, "\treturn p\n}\n");
}

static void
ed_go_event(StringInfo buf, const EdCgEvent *e)
{
	appendStringInfoChar(buf, '\n');
	if (e->nprops == 0)
		ed_go_open_event(buf, e);
	else
		ed_go_struct_event(buf, e);
	appendStringInfo(buf, "\n// EventName returns ");
	ed_cg_literal(buf, e->name);
	appendStringInfo(buf, ".\nfunc (%s) EventName() string {\n\treturn ", e->ident);
	ed_cg_literal(buf, e->name);
	appendStringInfo(buf, "\n}\n\n// %s captures a ", e->ident);
	ed_cg_literal(buf, e->name);
	appendStringInfo(buf,
					 " event.\n"
					 "func (c *Client[M]) %s(distinctID string, e %s) error {\n"
					 "\treturn c.send(distinctID, e.EventName(), e.Properties())\n"
					 "}\n",
					 e->ident, e->ident);
}

/* Does a field have type time.Time (a DateTime without another type)? */
static bool
ed_go_uses_time(const EdCgModel *m)
{
	for (int i = 0; i < m->nevents; i++)
		for (int j = 0; j < m->events[i].nprops; j++)
			if (m->events[i].props[j].types == ED_PT_BIT(ED_PT_DATETIME))
				return true;
	return false;
}

void
ed_codegen_golang(StringInfo buf, const EdCgModel *m)
{
	ed_cg_header(buf, "//", m);
	appendStringInfoChar(buf, '\n');
	ed_cg_comment_lines(buf, "//", ed_go_usage);
	appendStringInfoString(buf, "package typed\n\n");
	if (ed_go_uses_time(m))
		appendStringInfoString(buf, "import \"time\"\n\n");
	appendStringInfoString(buf, ed_go_client);
	for (int i = 0; i < m->nevents; i++)
	{
		CHECK_FOR_INTERRUPTS();
		ed_go_event(buf, &m->events[i]);
	}
	appendStringInfoString(buf, "\n// The schema of each event, as codegen_status() compares it\n");
	ed_cg_manifest(buf, "//", m);
}
