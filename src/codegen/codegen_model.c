/*-------------------------------------------------------------------------
 *
 * codegen_model.c
 *	  Which events code is generated for, and what each one carries.
 *
 *	  The events are PostHog's selection: the project's definitions whose
 *	  name does not start with "$", plus $pageview, $pageleave and $screen
 *	  (the system events people capture by hand), or, when the caller
 *	  names events, exactly those of them the project has; hidden
 *	  definitions are left out either way.  They come in name order
 *	  (bytewise, the names being COLLATE "C").
 *
 *	  An event's properties are those of its attached groups, merged by
 *	  name as event_schema() merges them (src/schema/event_schema.c): the
 *	  types are the union of the groups' (more than one: the groups
 *	  disagree); the typed code makes a property optional unless every
 *	  group that lists it requires it, as PostHog's generators do, while
 *	  the JSON Schema requires it when any group does, as validate() does.
 *	  An event with no property (no group, or empty groups) is an open map.
 *
 *	  One query reads everything, a row per (event, group property), in
 *	  the order of PostHog's hash: event, then property, type and
 *	  required.  It is read through a cursor, a batch at a time, so the
 *	  rows are never all in memory beside the model; the model itself is
 *	  bounded by event_definitions.codegen_max_events.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "codegen/codegen_hash.h"
#include "codegen/codegen_model.h"
#include "codegen/codegen_names.h"
#include "spi_plan.h"
#include "text_arrays.h"

#define ED_CG_FETCH_ROWS 1000

int			ed_codegen_max_events = 10000;

void
ed_codegen_define_gucs(void)
{
	DefineCustomIntVariable("event_definitions.codegen_max_events",
							"The most events codegen() generates code for in one call.",
							"A project with more events to generate code for is refused; "
							"pass names to generate code for some of them.",
							&ed_codegen_max_events,
							10000,
							1, 10000000,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);
}

#define ED_CG_COLUMNS \
	"SELECT d.name, p.name, p.property_type, p.is_required" \
	" FROM event_definitions.definitions d"
#define ED_CG_SCHEMA_JOIN \
	" LEFT JOIN (event_definitions.event_schemas a" \
	"   JOIN event_definitions.property_group_properties p" \
	"     ON p.project_id = a.project_id AND p.group_id = a.group_id)" \
	"   ON a.project_id = d.project_id AND a.definition_id = d.id"
#define ED_CG_ORDER \
	" ORDER BY d.name, p.name, p.property_type COLLATE \"C\", p.is_required"

/* The cursor over the rows of the selection (names NULL) or of the names. */
static Portal
ed_cg_open(int64 project_id, ArrayType *names)
{
	static SPIPlanPtr all_plan = NULL;
	static SPIPlanPtr names_plan = NULL;
	Oid			argtypes[2] = {INT8OID, TEXTARRAYOID};
	Datum		values[2];
	SPIPlanPtr	plan;
	Portal		portal;

	values[0] = Int64GetDatum(project_id);
	if (names == NULL)
		plan = ed_prepare_kept(&all_plan,
							   ED_CG_COLUMNS ED_CG_SCHEMA_JOIN
							   " WHERE d.project_id = $1 AND NOT d.hidden"
							   "   AND (NOT starts_with(d.name, '$')"
							   "        OR d.name IN ('$pageview', '$pageleave', '$screen'))"
							   ED_CG_ORDER,
							   1, argtypes);
	else
	{
		/* one unique-key probe per name: a join, which checks for cancels */
		plan = ed_prepare_kept(&names_plan,
							   "SELECT d.name, p.name, p.property_type, p.is_required"
							   " FROM unnest($2::text[]) AS n(name)"
							   " JOIN event_definitions.definitions d"
							   "   ON d.project_id = $1 AND d.name = n.name"
							   ED_CG_SCHEMA_JOIN
							   " WHERE NOT d.hidden"
							   ED_CG_ORDER,
							   2, argtypes);
		values[1] = PointerGetDatum(ed_list_to_text_array(
			ed_sort_unique_strings(ed_text_array_to_list(names, "names"))));
	}
	portal = SPI_cursor_open(NULL, plan, values, NULL, true);
	if (portal == NULL)
		elog(ERROR, "SPI_cursor_open failed: %s", SPI_result_code_string(SPI_result));
	return portal;
}

/* The model as it is built: growable arrays, properties by offset. */
typedef struct EdCgBuild
{
	EdCgModel  *model;
	int			events_cap;
	EdCgProperty *props;		/* of every event, in order */
	int			nprops;
	int			props_cap;
	int		   *first_prop;		/* per event: its first in props */
	EdCgEvent  *cur;			/* the event being read */
	StringInfoData entry;		/* its hash entry */
	EdCgHash   *hash;
} EdCgBuild;

static void
ed_cg_finish_event(EdCgBuild *b)
{
	if (b->cur == NULL)
		return;
	ed_cg_entry_end(&b->entry);
	ed_cg_hash_add(b->hash, &b->entry);
	ed_cg_hash_one(&b->entry, b->cur->fingerprint);
	b->cur = NULL;
}

static void
ed_cg_start_event(EdCgBuild *b, text *name)
{
	EdCgModel  *m = b->model;

	ed_cg_finish_event(b);
	if (m->nevents >= ed_codegen_max_events)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("more than %d events to generate code for", ed_codegen_max_events),
				 errhint("Pass names to generate code for some of them, or raise "
						 "event_definitions.codegen_max_events.")));
	if (m->nevents == b->events_cap)
	{
		b->events_cap *= 2;
		m->events = repalloc(m->events, sizeof(EdCgEvent) * b->events_cap);
		b->first_prop = repalloc(b->first_prop, sizeof(int) * b->events_cap);
	}
	b->cur = &m->events[m->nevents];
	memset(b->cur, 0, sizeof(EdCgEvent));
	b->cur->name = text_to_cstring(name);
	b->first_prop[m->nevents] = b->nprops;
	m->nevents++;
	ed_cg_entry_begin(&b->entry, b->cur->name);
}

/* One group's property of the current event: merge it, hash it. */
static void
ed_cg_add_row(EdCgBuild *b, text *name, const char *type, bool required)
{
	EdCgProperty *p = b->cur->nprops > 0 ? &b->props[b->nprops - 1] : NULL;
	EdPropertyType t;

	if (!ed_property_type_parse(type, strlen(type), &t))
		elog(ERROR, "unknown property type \"%s\" in a property group", type);
	if (p == NULL || strlen(p->name) != VARSIZE_ANY_EXHDR(name) ||
		memcmp(p->name, VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)) != 0)
	{
		if (b->nprops == b->props_cap)
		{
			b->props_cap *= 2;
			b->props = repalloc(b->props, sizeof(EdCgProperty) * b->props_cap);
		}
		p = &b->props[b->nprops++];
		b->cur->nprops++;
		p->name = text_to_cstring(name);
		p->ident = NULL;
		p->types = 0;
		p->required_all = true;
		p->required_any = false;
	}
	p->types |= ED_PT_BIT(t);
	p->required_all &= required;
	p->required_any |= required;
	b->model->types_used |= ED_PT_BIT(t);
	ed_cg_entry_row(&b->entry, p->name, type, required);
}

static void
ed_cg_read_batch(EdCgBuild *b, SPITupleTable *rows)
{
	TupleDesc	desc = rows->tupdesc;

	for (uint64 i = 0; i < rows->numvals; i++)
	{
		HeapTuple	tup = rows->vals[i];
		bool		isnull;
		text	   *event = DatumGetTextPP(SPI_getbinval(tup, desc, 1, &isnull));
		Datum		prop = SPI_getbinval(tup, desc, 2, &isnull);

		CHECK_FOR_INTERRUPTS();
		if (b->cur == NULL || strlen(b->cur->name) != VARSIZE_ANY_EXHDR(event) ||
			memcmp(b->cur->name, VARDATA_ANY(event), VARSIZE_ANY_EXHDR(event)) != 0)
			ed_cg_start_event(b, event);
		if (!isnull)
		{
			char	   *type = TextDatumGetCString(SPI_getbinval(tup, desc, 3, &isnull));
			bool		required = DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull));

			ed_cg_add_row(b, DatumGetTextPP(prop), type, required);
			pfree(type);
		}
	}
}

/* Point every event at its properties and give everything its identifier. */
static void
ed_cg_link(EdCgBuild *b)
{
	EdCgModel  *m = b->model;
	const char **names = palloc(sizeof(char *) * Max(m->nevents, 1));
	const char **idents = palloc(sizeof(char *) * Max(m->nevents, 1));

	for (int i = 0; i < m->nevents; i++)
	{
		EdCgEvent  *e = &m->events[i];

		CHECK_FOR_INTERRUPTS();
		e->props = &b->props[b->first_prop[i]];
		names[i] = e->name;
		/* the same rule among the properties of each event */
		if (e->nprops > 0)
		{
			const char **pnames = palloc(sizeof(char *) * e->nprops);
			const char **pidents = palloc(sizeof(char *) * e->nprops);

			for (int j = 0; j < e->nprops; j++)
				pnames[j] = e->props[j].name;
			ed_cg_assign_idents(pnames, pidents, e->nprops);
			for (int j = 0; j < e->nprops; j++)
				e->props[j].ident = pidents[j];
			pfree(pnames);
			pfree(pidents);
		}
	}
	ed_cg_assign_idents(names, idents, m->nevents);
	for (int i = 0; i < m->nevents; i++)
		m->events[i].ident = idents[i];
	pfree(names);
	pfree(idents);
}

/*
 * The model of a project's events (names NULL: PostHog's selection), in
 * the current memory context.  Runs inside SPI, in the caller's snapshot.
 */
EdCgModel *
ed_codegen_model(int64 project_id, ArrayType *names)
{
	EdCgBuild	b;
	Portal		portal;

	memset(&b, 0, sizeof(b));
	b.model = palloc0(sizeof(EdCgModel));
	b.events_cap = 64;
	b.model->events = palloc(sizeof(EdCgEvent) * b.events_cap);
	b.first_prop = palloc(sizeof(int) * b.events_cap);
	b.props_cap = 256;
	b.props = palloc(sizeof(EdCgProperty) * b.props_cap);
	initStringInfo(&b.entry);
	b.hash = ed_cg_hash_begin();

	portal = ed_cg_open(project_id, names);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, ED_CG_FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		ed_cg_read_batch(&b, SPI_tuptable);
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_freetuptable(SPI_tuptable);
	SPI_cursor_close(portal);
	ed_cg_finish_event(&b);
	ed_cg_hash_finish(b.hash, b.model->schema_hash);
	ed_cg_link(&b);
	pfree(b.entry.data);
	return b.model;
}
