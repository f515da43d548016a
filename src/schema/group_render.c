/*-------------------------------------------------------------------------
 *
 * group_render.c
 *	  Rendering of property groups.
 *
 *	  A group renders as {"id", "name", "description", "properties",
 *	  "events", "created_at", "created_by", "updated_at", "updated_by"}:
 *	  properties by name, each {"name", "property_type", "is_required",
 *	  "description"}; events by name, each {"id", "name"}; users as the
 *	  user objects of definitions.  A page reads its groups, then the
 *	  properties and the events of all of them, three queries whatever
 *	  the page's size.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "json_out.h"
#include "messages.h"
#include "page.h"
#include "spi_plan.h"
#include "schema/group_render.h"

/* the columns of a group row, in the order ed_group_from_row() reads */
#define ED_GROUP_COLUMNS \
	"g.id, g.name, g.description, g.created_at, g.created_by, g.updated_at, g.updated_by"

/* a group of a page rendered as the least jsonb can hold it */
#define ED_GROUP_MIN_JSONB_BYTES 200

void
ed_group_not_found(int64 project_id, const pg_uuid_t *id)
{
	ereport(ERROR,
			(errcode(ERRCODE_ED_NOT_FOUND),
			 errmsg("property group %s not found in project " INT64_FORMAT,
					ed_uuid_out(id), project_id)));
}

static EdOptInt64
ed_opt_int64_col(HeapTuple tup, TupleDesc desc, int col)
{
	EdOptInt64	v;
	Datum		d = SPI_getbinval(tup, desc, col, &v.isnull);

	v.value = v.isnull ? 0 : DatumGetInt64(d);
	return v;
}

static void
ed_group_from_row(HeapTuple tup, TupleDesc desc, EdGroupView *g)
{
	bool		isnull;

	memcpy(&g->id, DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull)), sizeof(pg_uuid_t));
	g->name = SPI_getvalue(tup, desc, 2);
	g->description = SPI_getvalue(tup, desc, 3);
	g->created_at = DatumGetTimestampTz(SPI_getbinval(tup, desc, 4, &isnull));
	g->created_by = ed_opt_int64_col(tup, desc, 5);
	g->updated_at = DatumGetTimestampTz(SPI_getbinval(tup, desc, 6, &isnull));
	g->updated_by = ed_opt_int64_col(tup, desc, 7);
	ed_jv_array(&g->properties, 0);
	ed_jv_array(&g->events, 0);
}

static int
ed_uuid_cmp(const pg_uuid_t *a, const pg_uuid_t *b)
{
	return memcmp(a->data, b->data, UUID_LEN);
}

/* the group of a page with this id (groups sorted by id in order[]) */
static EdGroupView *
ed_find_group(EdGroupView *groups, int *order, int n, const pg_uuid_t *id)
{
	int			lo = 0;
	int			hi = n - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = ed_uuid_cmp(&groups[order[mid]].id, id);

		if (c == 0)
			return &groups[order[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	elog(ERROR, "property group of a row is not on the page");
	return NULL;				/* keep compiler quiet */
}

static EdGroupView *ed_sort_groups_groups;

static int
ed_group_order_cmp(const void *a, const void *b)
{
	return ed_uuid_cmp(&ed_sort_groups_groups[*(const int *) a].id,
					   &ed_sort_groups_groups[*(const int *) b].id);
}

/*
 * Append the rows of a (group_id, ...) query sorted by group to each
 * group's array: the array of a group grows by one element per row.
 */
static void
ed_fill_members(EdGroupView *groups, int n, SPITupleTable *rows, bool events)
{
	static const char *const prop_keys[] = {"name", "description", "is_required", "property_type"};
	static const char *const event_keys[] = {"id", "name"};
	int		   *order = palloc(sizeof(int) * Max(n, 1));
	TupleDesc	desc = rows->tupdesc;
	uint64		start = 0;

	for (int i = 0; i < n; i++)
		order[i] = i;
	ed_sort_groups_groups = groups;
	qsort(order, n, sizeof(int), ed_group_order_cmp);
	while (start < rows->numvals)
	{
		bool		isnull;
		pg_uuid_t  *id = DatumGetUUIDP(SPI_getbinval(rows->vals[start], desc, 1, &isnull));
		EdGroupView *g = ed_find_group(groups, order, n, id);
		JsonbValue *array = events ? &g->events : &g->properties;
		uint64		end = start;
		JsonbValue *elems;

		while (end < rows->numvals &&
			   ed_uuid_cmp(DatumGetUUIDP(SPI_getbinval(rows->vals[end], desc, 1, &isnull)), id) == 0)
			end++;
		elems = ed_jv_array(array, (int) (end - start));
		for (uint64 r = start; r < end; r++)
		{
			HeapTuple	tup = rows->vals[r];
			JsonbValue *e = &elems[r - start];

			CHECK_FOR_INTERRUPTS();
			if (events)
			{
				JsonbPair  *p = ed_jv_object(e, lengthof(event_keys), event_keys);

				ed_jv_string(&p[0].value, SPI_getvalue(tup, desc, 2));
				ed_jv_string(&p[1].value, SPI_getvalue(tup, desc, 3));
			}
			else
			{
				JsonbPair  *p = ed_jv_object(e, lengthof(prop_keys), prop_keys);

				ed_jv_string(&p[0].value, SPI_getvalue(tup, desc, 2));
				ed_jv_string(&p[1].value, SPI_getvalue(tup, desc, 5));
				ed_jv_bool(&p[2].value, DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull)));
				ed_jv_string(&p[3].value, SPI_getvalue(tup, desc, 3));
			}
		}
		start = end;
	}
	pfree(order);
}

/* The properties and the events of the groups, read with two queries. */
static void
ed_load_members(int64 project_id, EdGroupView *groups, int n, bool read_only)
{
	static SPIPlanPtr props_plan = NULL;
	static SPIPlanPtr events_plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDARRAYOID};
	Datum		values[2];
	Datum	   *ids;

	if (n == 0)
		return;
	ids = palloc(sizeof(Datum) * n);
	for (int i = 0; i < n; i++)
		ids[i] = UUIDPGetDatum(&groups[i].id);
	values[0] = Int64GetDatum(project_id);
	values[1] = PointerGetDatum(construct_array(ids, n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));

	ed_prepare_kept(&props_plan,
					"SELECT p.group_id, p.name, p.property_type, p.is_required, p.description"
					" FROM unnest($2::uuid[]) AS x(id)"
					" JOIN event_definitions.property_group_properties p"
					"   ON p.project_id = $1 AND p.group_id = x.id"
					" ORDER BY p.group_id, p.name",
					2, argtypes);
	ed_execute_kept(props_plan, values, NULL, read_only, 0, SPI_OK_SELECT);
	ed_fill_members(groups, n, SPI_tuptable, false);
	SPI_freetuptable(SPI_tuptable);

	ed_prepare_kept(&events_plan,
					"SELECT a.group_id, d.id, d.name"
					" FROM unnest($2::uuid[]) AS x(id)"
					" JOIN event_definitions.event_schemas a ON a.project_id = $1 AND a.group_id = x.id"
					" JOIN event_definitions.definitions d"
					"   ON d.project_id = a.project_id AND d.id = a.definition_id"
					" ORDER BY a.group_id, d.name",
					2, argtypes);
	ed_execute_kept(events_plan, values, NULL, read_only, 0, SPI_OK_SELECT);
	ed_fill_members(groups, n, SPI_tuptable, true);
	SPI_freetuptable(SPI_tuptable);
}

/*
 * The group with its properties and events; NULL when there is none.
 * read_only: in the caller's snapshot (a read); else in a new one that
 * sees the caller's own writes.
 */
EdGroupView *
ed_group_view(int64 project_id, const pg_uuid_t *id, bool read_only)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];
	EdGroupView *g;

	ed_prepare_kept(&plan,
					"SELECT " ED_GROUP_COLUMNS " FROM event_definitions.property_groups g"
					" WHERE g.project_id = $1 AND g.id = $2",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	ed_execute_kept(plan, values, NULL, read_only, 1, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return NULL;
	g = palloc(sizeof(EdGroupView));
	ed_group_from_row(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, g);
	SPI_freetuptable(SPI_tuptable);
	ed_load_members(project_id, g, 1, read_only);
	return g;
}

static void
ed_jv_group(JsonbValue *v, const EdGroupView *g, EdUserDir *users)
{
	static const char *const keys[] = {
		"id", "name", "events", "created_at", "created_by", "properties", "updated_at",
		"updated_by", "description"
	};
	JsonbPair  *p = ed_jv_object(v, lengthof(keys), keys);

	ed_jv_string(&p[0].value, ed_uuid_out(&g->id));
	ed_jv_string(&p[1].value, g->name);
	p[2].value = g->events;
	ed_jv_timestamp(&p[3].value, g->created_at);
	ed_jv_user(&p[4].value, users, g->created_by);
	p[5].value = g->properties;
	ed_jv_timestamp(&p[6].value, g->updated_at);
	ed_jv_user(&p[7].value, users, g->updated_by);
	ed_jv_string(&p[8].value, g->description);
}

static EdUserDir *
ed_group_users(int64 project_id, const EdGroupView *groups, int n)
{
	int64	   *ids = palloc(sizeof(int64) * 2 * Max(n, 1));
	int			nids = 0;

	for (int i = 0; i < n; i++)
	{
		if (!groups[i].created_by.isnull)
			ids[nids++] = groups[i].created_by.value;
		if (!groups[i].updated_by.isnull)
			ids[nids++] = groups[i].updated_by.value;
	}
	return ed_users_load(project_id, ids, nids);
}

JsonbValue *
ed_group_render(int64 project_id, const EdGroupView *group)
{
	JsonbValue *v = palloc(sizeof(JsonbValue));

	ed_jv_group(v, group, ed_group_users(project_id, group, 1));
	return v;
}

/*
 * A page of the project's groups by name: search (NULL: all) keeps those
 * whose name contains it, ignoring case.  Runs inside SPI.
 */
JsonbValue *
ed_group_page(int64 project_id, const char *search, int64 limit, int64 offset)
{
	static SPIPlanPtr count_plan = NULL;
	static SPIPlanPtr page_plan = NULL;
	Oid			argtypes[4] = {INT8OID, TEXTOID, INT8OID, INT8OID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	int64		count;
	bool		isnull;
	SPITupleTable *rows;
	EdGroupView *groups;
	EdUserDir  *users;
	JsonbValue	results;
	JsonbValue *elems;
	StringInfoData query;
	int			n;

	/* $2 null: no search; strpos of the lower-cased texts otherwise */
#define ED_GROUP_FILTER \
	" FROM event_definitions.property_groups g WHERE g.project_id = $1" \
	" AND ($2::text IS NULL OR strpos(lower(g.name), lower($2::text)) > 0)"
	ed_prepare_kept(&count_plan, "SELECT count(*)" ED_GROUP_FILTER, 2, argtypes);
	ed_prepare_kept(&page_plan,
					"SELECT " ED_GROUP_COLUMNS ED_GROUP_FILTER " ORDER BY g.name LIMIT $3 OFFSET $4",
					4, argtypes);
#undef ED_GROUP_FILTER
	values[0] = Int64GetDatum(project_id);
	values[1] = search ? CStringGetTextDatum(search) : (Datum) 0;
	nulls[1] = search ? ' ' : 'n';
	values[2] = Int64GetDatum(limit);
	values[3] = Int64GetDatum(offset);
	ed_execute_kept(count_plan, values, nulls, true, 1, SPI_OK_SELECT);
	count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	ed_page_check(count, limit, offset, ED_GROUP_MIN_JSONB_BYTES);

	ed_execute_kept(page_plan, values, nulls, true, 0, SPI_OK_SELECT);
	rows = SPI_tuptable;
	n = (int) rows->numvals;
	groups = palloc(sizeof(EdGroupView) * Max(n, 1));
	for (int i = 0; i < n; i++)
		ed_group_from_row(rows->vals[i], rows->tupdesc, &groups[i]);
	ed_load_members(project_id, groups, n, true);
	users = ed_group_users(project_id, groups, n);
	elems = ed_jv_array(&results, n);
	for (int i = 0; i < n; i++)
		ed_jv_group(&elems[i], &groups[i], users);

	initStringInfo(&query);
	appendStringInfo(&query, "project_id=" INT64_FORMAT, project_id);
	if (search)
		ed_url_arg(&query, "search", search);
	return ed_page_envelope(&results, count, query.data, limit, offset, false);
}
