/*-------------------------------------------------------------------------
 *
 * list_query.c
 *	  The list operation.
 *
 *	  The arguments are checked first (ed_list_check_args), then turned into
 *	  one WHERE clause with bound parameters, shared by the exact count and
 *	  the page query.  Every query starts with project_id.  Search terms are
 *	  matched with strpos() on the ASCII-lower-cased name, so %, _ and \ are
 *	  ordinary characters.  Ordering keys map onto stored columns (the
 *	  "::date" keys onto the UTC-day columns that the recency index
 *	  carries), with name as the final key so the order is total.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "catalog.h"
#include "compat.h"
#include "json_out.h"
#include "list_query.h"
#include "metrics.h"
#include "page.h"
#include "index/name_index.h"
#include "patch.h"
#include "project_stats.h"
#include "spi_plan.h"

/*
 * Search terms matched by LIKE, each its own parameter: the trigram index
 * on lower(name) serves them.  Further terms (rare) go in one array.
 */
#define ED_LIKE_TERMS 4

/*
 * project, like terms, other terms, verified, tags, names, excluded,
 * violations since, limit, offset
 */
#define ED_LIST_MAX_PARAMS (9 + ED_LIKE_TERMS)

typedef struct EdQuery
{
	const char *from;			/* the rows "d" that the WHERE clause filters */
	StringInfoData where;
	int			nparams;
	Oid			types[ED_LIST_MAX_PARAMS];
	Datum		values[ED_LIST_MAX_PARAMS];
} EdQuery;

/*
 * Ordering keys.  Descending puts nulls last and ascending first (SPEC);
 * for columns that are never null the clause is left out, so that the
 * ORDER BY matches the B-tree's own null placement and the recency index
 * can deliver "-last_seen_at::date,name" without a sort.
 */
static const struct
{
	const char *key;
	const char *column;
	bool		nullable;
}			ed_order_keys[] =
{
	{"name", "d.name", false},
	{"last_seen_at", "d.last_seen_at", true},
	{"last_seen_at::date", "d.last_seen_day", true},
	{"created_at", "d.created_at", true},
	{"created_at::date", "d.created_day", true},
};

#define ED_DEFAULT_ORDERING "-last_seen_at::date,name"

/* a plain list this deep builds the name index rather than walk the B-tree */
#define ED_INDEX_BUILD_MIN_OFFSET 10000


/*
 * The rows of definitions named by a text[] expression, in its order.
 * Each name is one probe of the unique key (project_id, name): the lateral
 * subquery (OFFSET 0 keeps it from being flattened) pins a nested loop, so
 * the cost is that of the names, whatever the planner guesses about the
 * project.  A join or "name = ANY (...)" lets the planner scan the whole
 * project instead, once or once per name, when it believes it small.
 */
#define ED_LOOKUP_BY_NAME(outer) \
	"CROSS JOIN LATERAL (SELECT d.* FROM event_definitions.definitions d " \
	"WHERE d.project_id = $1 AND d.name = " outer ".name OFFSET 0) d"
#define ED_FETCH_BY_NAMES_FMT \
	"SELECT " ED_DEFINITION_COLUMNS " FROM unnest(%s) WITH ORDINALITY AS p(name, ord) " \
	ED_LOOKUP_BY_NAME("p") " ORDER BY p.ord"

/*
 * Kept plans of the list queries, by their text.  The text depends only on
 * which filters and ordering a call uses (values are parameters), so a
 * backend sees a bounded set of distinct queries (every combination of
 * filters and at most ten ordering keys); parsing and planning each call
 * would cost more than running it.  A hash table in TopMemoryContext,
 * keyed by the text, holds them; it is bounded (a caller choosing ordering
 * keys at will must not grow a backend without limit), and when full an
 * arbitrary entry makes room.
 */
#define ED_PLAN_KEY_MAX 4096
#define ED_PLAN_CACHE_SIZE 64

typedef struct EdCachedPlan
{
	char		sql[ED_PLAN_KEY_MAX];	/* hash key: the query text */
	SPIPlanPtr	plan;
} EdCachedPlan;

static HTAB *ed_plan_cache = NULL;

static void
ed_plan_cache_evict_one(void)
{
	HASH_SEQ_STATUS status;
	EdCachedPlan *victim;

	hash_seq_init(&status, ed_plan_cache);
	victim = hash_seq_search(&status);
	if (victim == NULL)
		return;
	hash_seq_term(&status);
	SPI_freeplan(victim->plan);
	hash_search(ed_plan_cache, victim->sql, HASH_REMOVE, NULL);
}

static SPIPlanPtr
ed_prepare(const char *sql, EdQuery *q)
{
	SPIPlanPtr	plan = SPI_prepare(sql, q->nparams, q->types);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
	return plan;
}

static void
ed_execute_cached(const char *sql, EdQuery *q, long tcount)
{
	EdCachedPlan *entry = NULL;
	SPIPlanPtr	plan;

	if (ed_plan_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = ED_PLAN_KEY_MAX;
		ctl.entrysize = sizeof(EdCachedPlan);
		ctl.hcxt = TopMemoryContext;
		ed_plan_cache = hash_create("event_definitions list plans", ED_PLAN_CACHE_SIZE, &ctl,
									HASH_ELEM | ED_HASH_STRINGS | HASH_CONTEXT);
	}
	/* a text too long for a key is planned for this call only */
	if (strlen(sql) < ED_PLAN_KEY_MAX)
		entry = hash_search(ed_plan_cache, sql, HASH_FIND, NULL);
	if (entry != NULL)
		plan = entry->plan;
	else
	{
		plan = ed_prepare(sql, q);
		if (strlen(sql) < ED_PLAN_KEY_MAX)
		{
			if (SPI_keepplan(plan) != 0)
				elog(ERROR, "SPI_keepplan failed");
			if (hash_get_num_entries(ed_plan_cache) >= ED_PLAN_CACHE_SIZE)
				ed_plan_cache_evict_one();
			entry = hash_search(ed_plan_cache, sql, HASH_ENTER, NULL);
			entry->plan = plan;
		}
	}
	ed_execute_kept(plan, q->values, NULL, true, tcount, SPI_OK_SELECT);
}

static int
ed_query_param(EdQuery *q, Oid type, Datum value)
{
	Assert(q->nparams < ED_LIST_MAX_PARAMS);
	q->types[q->nparams] = type;
	q->values[q->nparams] = value;
	return ++q->nparams;
}

/* ASCII white space, vertical tab included */
static inline bool
ed_is_search_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Split a search on white space; terms are ASCII-lower-cased, sorted and
 * unique (a repeated term adds nothing).
 */
static List *
ed_search_terms(const char *search)
{
	List	   *terms = NIL;
	const char *p = search;

	while (*p)
	{
		const char *start;
		char	   *term;

		while (*p && ed_is_search_space(*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && !ed_is_search_space(*p))
			p++;
		term = pnstrdup(start, p - start);
		for (char *c = term; *c; c++)
			*c = pg_ascii_tolower((unsigned char) *c);
		terms = lappend(terms, term);
	}
	return ed_sort_unique_strings(terms);
}

/* Turn an ordering argument (NULL or "": the default) into an ORDER BY list. */
static void
ed_order_by(const char *ordering, StringInfo out)
{
	bool		explicit = ordering != NULL && ordering[0] != '\0';
	char	   *copy = pstrdup(explicit ? ordering : ED_DEFAULT_ORDERING);
	char	   *item;
	char	   *save = NULL;
	bool		has_name = false;
	bool		first = true;
	int			nitems = 0;

	/* strtok_r would silently skip empty items: find them first */
	for (const char *p = copy; *p; p++)
		if (*p == ',' && (p == copy || p[1] == '\0' || p[1] == ','))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid ordering \"%s\": empty key",
							ed_truncated(ordering, ED_ECHO_MAX_CHARS)),
					 errhint("Separate keys with single commas.")));

	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save))
	{
		char	   *key = item;
		char	   *end;
		bool		desc = false;
		const char *column = NULL;
		bool		nullable = false;

		while (scanner_isspace(*key))
			key++;
		end = key + strlen(key);
		while (end > key && scanner_isspace(end[-1]))
			*--end = '\0';
		if (*key == '-')
		{
			desc = true;
			key++;
		}
		for (size_t i = 0; i < lengthof(ed_order_keys); i++)
			if (strcmp(key, ed_order_keys[i].key) == 0)
			{
				column = ed_order_keys[i].column;
				nullable = ed_order_keys[i].nullable;
			}
		if (column == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid ordering key \"%s\"", ed_truncated(item, ED_ECHO_MAX_CHARS)),
					 errhint("Valid keys are name, last_seen_at, last_seen_at::date, created_at "
							 "and created_at::date, each optionally prefixed with \"-\".")));
		if (++nitems > (int) lengthof(ed_order_keys) * 2)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid ordering \"%s\": too many keys",
							ed_truncated(ordering, ED_ECHO_MAX_CHARS))));
		has_name |= strcmp(column, "d.name") == 0;
		appendStringInfo(out, "%s%s %s%s", first ? "" : ", ", column,
						 desc ? "DESC" : "ASC",
						 !nullable ? "" : desc ? " NULLS LAST" : " NULLS FIRST");
		first = false;
	}
	if (!has_name)
		appendStringInfoString(out, ", d.name ASC");
}

static const char *
ed_event_type_filter(const char *event_type)
{
	if (event_type == NULL || strcmp(event_type, "event") == 0 ||
		strcmp(event_type, "all") == 0 || strcmp(event_type, "action_event") == 0)
		return NULL;
	if (strcmp(event_type, "event_custom") == 0)
		return " AND d.name NOT LIKE '$%'";
	if (strcmp(event_type, "event_posthog") == 0)
		return " AND d.name LIKE '$%'";
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid event_type \"%s\"", ed_truncated(event_type, ED_ECHO_MAX_CHARS)),
			 errhint("Use one of event, all, action_event, event_custom or event_posthog.")));
	return NULL;				/* keep compiler quiet */
}

/*
 * Everything that can be wrong with the arguments, checked before any
 * query runs.
 */
void
ed_list_check_args(const EdListArgs *args)
{
	StringInfoData scratch;

	ed_check_page_bounds(args->limit, args->offset);
	ed_check_max_page_limit(args->limit, "page_offset");
	(void) ed_event_type_filter(args->event_type);
	initStringInfo(&scratch);
	ed_order_by(args->ordering, &scratch);
	pfree(scratch.data);
	if (args->tags)
		(void) ed_normalize_tags(ed_text_array_to_list(args->tags, "tags"), "tags");
	if (args->names)
		(void) ed_text_array_to_list(args->names, "names");
	if (args->excluded_properties)
		(void) ed_text_array_to_list(args->excluded_properties, "excluded_properties");
}

/* "%term%" with LIKE's special characters escaped: a plain substring */
static char *
ed_like_pattern(const char *term)
{
	StringInfoData p;

	initStringInfo(&p);
	appendStringInfoChar(&p, '%');
	for (const char *c = term; *c; c++)
	{
		if (*c == '%' || *c == '_' || *c == '\\')
			appendStringInfoChar(&p, '\\');
		appendStringInfoChar(&p, *c);
	}
	appendStringInfoChar(&p, '%');
	return p.data;
}

static void
ed_list_where(EdQuery *q, const EdListArgs *args, List *terms)
{
	const char *type_filter = ed_event_type_filter(args->event_type);
	List	   *rest = NIL;
	ListCell   *lc;

	q->from = "event_definitions.definitions d";
	initStringInfo(&q->where);
	q->nparams = 0;
	/*
	 * A search is driven by the trigram index (the cold path of search): the
	 * planner, which knows nothing of a project's size (project_id has no
	 * statistics, see the 1.1 script), would otherwise walk the project's
	 * B-tree entries and filter, which costs the whole project at a million
	 * names.  Written as an expression, the project is a filter that no
	 * B-tree can serve, so the LIKE terms drive, as PostHog's query is
	 * driven by its trigram index.
	 */
	appendStringInfo(&q->where, terms != NIL ? "(d.project_id + 0) = $%d" : "d.project_id = $%d",
					 ed_query_param(q, INT8OID, Int64GetDatum(args->project_id)));
	/* every term must occur in the ASCII-lower-cased name */
	foreach(lc, terms)
	{
		if (foreach_current_index(lc) < ED_LIKE_TERMS)
			appendStringInfo(&q->where, " AND lower(d.name) LIKE $%d",
							 ed_query_param(q, TEXTOID,
											CStringGetTextDatum(ed_like_pattern(lfirst(lc)))));
		else
			rest = lappend(rest, lfirst(lc));
	}
	if (rest != NIL)
		appendStringInfo(&q->where,
						 " AND NOT EXISTS (SELECT FROM unnest($%d::text[]) AS t(term)"
						 " WHERE strpos(lower(d.name), t.term) = 0)",
						 ed_query_param(q, TEXTARRAYOID,
										PointerGetDatum(ed_list_to_text_array(rest))));
	if (type_filter)
		appendStringInfoString(&q->where, type_filter);
	if (args->exclude_hidden)
		appendStringInfoString(&q->where, " AND NOT d.hidden");
	if (args->exclude_stale)
		appendStringInfoString(&q->where,
							   " AND (d.last_seen_at IS NULL"
							   " OR d.last_seen_at >= now() - interval '30 days')");
	if (args->has_verified)
		appendStringInfo(&q->where, " AND d.verified = $%d",
						 ed_query_param(q, BOOLOID, BoolGetDatum(args->verified)));
	if (args->tags)
	{
		List	   *tags = ed_normalize_tags(ed_text_array_to_list(args->tags, "tags"), "tags");

		/* "<> '{}'" adds nothing but lets the partial GIN index serve */
		appendStringInfo(&q->where, " AND d.tags <> '{}' AND d.tags && $%d",
						 ed_query_param(q, TEXTARRAYOID,
										PointerGetDatum(ed_list_to_text_array(tags))));
	}
	/* the rows of the names, one unique-key probe each (no duplicates) */
	if (args->names)
		q->from = psprintf("unnest($%d::text[]) AS n(name) " ED_LOOKUP_BY_NAME("n"),
						   ed_query_param(q, TEXTARRAYOID, PointerGetDatum(
							   ed_list_to_text_array(ed_sort_unique_strings(
								   ed_text_array_to_list(args->names, "names"))))));
	/*
	 * An anti-join rather than "NOT (name = ANY (...))": the executor builds
	 * the hash of a long array for = ANY in one uninterruptible loop, while
	 * the anti-join reads the array through a scan that checks for cancels.
	 */
	if (args->excluded_properties)
		appendStringInfo(&q->where,
						 " AND NOT EXISTS (SELECT FROM unnest($%d::text[]) AS x(name)"
						 " WHERE x.name = d.name)",
						 ed_query_param(q, TEXTARRAYOID,
										PointerGetDatum(args->excluded_properties)));
	/* violations counted in the 30 UTC days of metrics: a probe of their key each */
	if (args->has_has_violations)
		appendStringInfo(&q->where,
						 " AND %sEXISTS (SELECT FROM event_definitions.schema_violations v"
						 " WHERE v.project_id = d.project_id AND v.definition_id = d.id"
						 " AND v.day >= $%d)",
						 args->has_violations ? "" : "NOT ",
						 ed_query_param(q, DATEOID,
										DateADTGetDatum(ed_utc_day(GetCurrentTransactionStartTimestamp()) -
														(ED_METRICS_WINDOW_DAYS - 1))));
}

static void
ed_array_url_arg(StringInfo query, const char *name, ArrayType *arr)
{
	if (arr != NULL)
		ed_url_arg(query, name, OidOutputFunctionCall(F_ARRAY_OUT, PointerGetDatum(arr)));
}

/* The call's arguments, as the query string of next/previous. */
static char *
ed_list_url_query(const EdListArgs *args)
{
	StringInfoData q;

	initStringInfo(&q);
	appendStringInfo(&q, "project_id=" INT64_FORMAT, args->project_id);
	if (args->search)
		ed_url_arg(&q, "search", args->search);
	if (args->event_type && strcmp(args->event_type, "event") != 0)
		ed_url_arg(&q, "event_type", args->event_type);
	if (args->exclude_hidden)
		ed_url_arg(&q, "exclude_hidden", "true");
	if (args->exclude_stale)
		ed_url_arg(&q, "exclude_stale", "true");
	if (args->has_verified)
		ed_url_arg(&q, "verified", args->verified ? "true" : "false");
	ed_array_url_arg(&q, "tags", args->tags);
	ed_array_url_arg(&q, "names", args->names);
	ed_array_url_arg(&q, "excluded_properties", args->excluded_properties);
	if (args->ordering)
		ed_url_arg(&q, "ordering", args->ordering);
	if (args->has_has_violations)
		ed_url_arg(&q, "has_violations", args->has_violations ? "true" : "false");
	return q.data;
}

static int64
ed_list_count(EdQuery *q)
{
	StringInfoData sql;
	bool		isnull;
	int64		count;

	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT count(*) FROM %s WHERE %s", q->from, q->where.data);
	ed_execute_cached(sql.data, q, 1);
	count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	pfree(sql.data);
	return count;
}

/*
 * Write the rows of a page into the page being written.  Each row's tree
 * lives in a context reset per row, and each tuple is freed once read, so
 * the page costs about its own size.
 */
static void
ed_write_rows(EdJsonbWriter *w, int64 project_id, HeapTuple *rows, uint64 nrows, TupleDesc desc)
{
	int64	   *user_ids = palloc(sizeof(int64) * ED_DEFINITION_MAX_USERS * Max(nrows, 1));
	int			nusers = 0;
	EdUserDir  *users;
	MemoryContext rowcxt;

	for (uint64 i = 0; i < nrows; i++)
	{
		CHECK_FOR_INTERRUPTS();
		ed_definition_user_ids(rows[i], desc, user_ids, &nusers);
	}
	users = ed_users_load(project_id, user_ids, nusers);
	pfree(user_ids);

	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "event_definitions list row",
								   ALLOCSET_DEFAULT_SIZES);
	for (uint64 i = 0; i < nrows; i++)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(rowcxt);
		EdDefinition def;
		JsonbValue	row;

		CHECK_FOR_INTERRUPTS();
		ed_definition_from_tuple(rows[i], desc, 1, &def);
		ed_jv_definition(&row, &def, users);
		ed_page_row(w, &row);
		MemoryContextSwitchTo(oldcxt);
		MemoryContextReset(rowcxt);
		heap_freetuple(rows[i]);
		rows[i] = NULL;
	}
	MemoryContextDelete(rowcxt);
}

/*
 * Fetch the named definitions, in the order given.  Returns their rows
 * (in SPI_tuptable), or NULL if any of them is not there.
 */
static SPITupleTable *
ed_fetch_named(int64 project_id, char **names, int n)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, TEXTARRAYOID};
	Datum		values[2];
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		elems[i] = CStringGetTextDatum(names[i]);
	}
	if (plan == NULL)
		ed_prepare_kept(&plan, psprintf(ED_FETCH_BY_NAMES_FMT, "$2::text[]"), 2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	ed_execute_kept(plan, values, NULL, true, 0, SPI_OK_SELECT);
	/* the names are distinct: one row each, unless one has gone */
	if (SPI_processed != (uint64) n)
	{
		SPI_freetuptable(SPI_tuptable);
		return NULL;
	}
	return SPI_tuptable;
}

static bool
ed_is_default_ordering(const char *ordering)
{
	return ordering == NULL || ordering[0] == '\0' ||
		strcmp(ordering, ED_DEFAULT_ORDERING) == 0 ||
		strcmp(ordering, "-last_seen_at::date") == 0;
}

/*
 * Answer from the in-memory name index when the query is one it can
 * answer: default order, and filters on name, hidden, verified and event
 * type only.  The index is built for searches and filtered lists; a plain
 * list uses it only when it is already there, since the SQL path serves
 * a first page from the recency index and the count from project_stats.
 */
static Jsonb *
ed_list_from_index(const EdListArgs *args, List *terms, MemoryContext resultcxt)
{
	EdIndexQuery iq;
	EdIndexResult res;
	EdJsonbWriter w;
	SPITupleTable *rows;
	bool		build;

	if (!ed_is_default_ordering(args->ordering) || args->tags || args->names ||
		args->excluded_properties || args->exclude_stale || args->has_has_violations)
		return NULL;

	memset(&iq, 0, sizeof(iq));
	iq.terms = terms;
	iq.length_first = terms != NIL && (args->ordering == NULL || args->ordering[0] == '\0');
	iq.event_type = args->event_type == NULL ? 0 :
		strcmp(args->event_type, "event_custom") == 0 ? 1 :
		strcmp(args->event_type, "event_posthog") == 0 ? 2 : 0;
	iq.exclude_hidden = args->exclude_hidden;
	iq.has_verified = args->has_verified;
	iq.verified = args->verified;
	iq.limit = args->limit;
	iq.offset = args->offset;
	build = terms != NIL || iq.event_type != 0 || iq.exclude_hidden || iq.has_verified ||
		args->offset >= ED_INDEX_BUILD_MIN_OFFSET;

	if (!ed_name_index_lookup(args->project_id, &iq, build, &res))
		return NULL;

	ed_page_check(res.count, args->limit, args->offset, ED_DEFINITION_MIN_JSONB_BYTES);
	if (res.npage == 0)
		rows = NULL;
	else if ((rows = ed_fetch_named(args->project_id, res.page_names, res.npage)) == NULL)
		return NULL;
	ed_page_begin(&w, resultcxt, res.count, ed_list_url_query(args), args->limit,
				  args->offset, true, res.npage);
	if (rows != NULL)
	{
		ed_write_rows(&w, args->project_id, rows->vals, res.npage, rows->tupdesc);
		SPI_freetuptable(rows);
	}
	return ed_page_finish(&w);
}

static bool
ed_list_is_unfiltered(const EdListArgs *args, List *terms)
{
	return terms == NIL && ed_event_type_filter(args->event_type) == NULL &&
		!args->exclude_hidden && !args->exclude_stale && !args->has_verified &&
		!args->tags && !args->names && !args->excluded_properties && !args->has_has_violations;
}

/* Could "count" be the number of rows that gave a page of nrows? */
static bool
ed_count_agrees(int64 count, const EdListArgs *args, uint64 nrows)
{
	if (nrows == 0)
		return count <= args->offset;
	if (nrows == (uint64) args->limit)
		return (uint64) count >= (uint64) args->offset + nrows;
	return (uint64) count == (uint64) args->offset + nrows;
}

/*
 * The page query: the WHERE of q (its parameters so far), then limit and
 * offset as two more parameters.  It finds the page's names first, then
 * fetches their rows: the inner query can walk an index (index-only when
 * the filters allow) past a deep offset without visiting the rows it
 * skips, and the rows are fetched by one unique-key probe per name.
 */
static char *
ed_list_page_sql(EdQuery *q, const EdListArgs *args, List *terms)
{
	StringInfoData order;
	StringInfoData sql;
	int			limit_param;
	int			offset_param;

	initStringInfo(&order);
	if (terms != NIL && (args->ordering == NULL || args->ordering[0] == '\0'))
		appendStringInfoString(&order, "char_length(d.name) ASC, ");
	ed_order_by(args->ordering, &order);
	limit_param = ed_query_param(q, INT8OID, Int64GetDatum(args->limit));
	offset_param = ed_query_param(q, INT8OID, Int64GetDatum(args->offset));
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "ARRAY(SELECT d.name FROM %s WHERE %s ORDER BY %s LIMIT $%d OFFSET $%d)",
					 q->from, q->where.data, order.data, limit_param, offset_param);
	return psprintf(ED_FETCH_BY_NAMES_FMT, sql.data);
}

/*
 * The page, as one jsonb allocated in resultcxt.  Runs inside SPI.
 */
Jsonb *
ed_list_page(const EdListArgs *args, MemoryContext resultcxt)
{
	EdQuery		q;
	List	   *terms = args->search ? ed_search_terms(args->search) : NIL;
	char	   *sql;
	int64		count;
	EdJsonbWriter w;
	Jsonb	   *page;
	bool		unfiltered = ed_list_is_unfiltered(args, terms);
	uint64		nrows = 0;
	int			where_nparams;
	SPITupleTable *found = NULL;

	if ((page = ed_list_from_index(args, terms, resultcxt)) != NULL)
		return page;

	ed_list_where(&q, args, terms);
	if (unfiltered)
		count = ed_count_read(args->project_id);
	else
		count = ed_list_count(&q);
	where_nparams = q.nparams;
	sql = ed_list_page_sql(&q, args, terms);

	ed_page_check(count, args->limit, args->offset, ED_DEFINITION_MIN_JSONB_BYTES);
	if (args->offset < count || unfiltered)
	{
		ed_execute_cached(sql, &q, 0);
		found = SPI_tuptable;
		nrows = found->numvals;
	}

	/*
	 * The unfiltered count comes from counters: never let it disagree with
	 * the rows (counters a restore left behind are caught here and counted).
	 */
	if (unfiltered && !ed_count_agrees(count, args, nrows))
	{
		int			nparams = q.nparams;

		q.nparams = where_nparams;
		count = ed_list_count(&q);
		q.nparams = nparams;
	}
	ed_page_begin(&w, resultcxt, count, ed_list_url_query(args), args->limit,
				  args->offset, true, (int) nrows);
	if (nrows > 0)
		ed_write_rows(&w, args->project_id, found->vals, nrows, found->tupdesc);
	if (found != NULL)
		SPI_freetuptable(found);
	return ed_page_finish(&w);
}
