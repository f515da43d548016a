/*-------------------------------------------------------------------------
 *
 * page.c
 *	  The paged envelope shared by list and activity.
 *
 *	  next/previous are relative URLs: PostgREST's request.path (empty when
 *	  not behind PostgREST), "?", then the call's arguments percent-encoded
 *	  with the moved page_offset.  A function cannot tell an argument passed
 *	  at its default value from one left out, so arguments at their default
 *	  are left out of the links; project_id is always there.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/guc.h"
#include "utils/jsonb.h"

#include "json_out.h"
#include "page.h"

/* event_definitions.max_page_limit: the largest page_limit of list and changes; 0 = none */
static int	ed_max_page_limit = ED_DEFAULT_MAX_PAGE_LIMIT;

void
ed_page_define_gucs(void)
{
	DefineCustomIntVariable("event_definitions.max_page_limit",
							"Largest page_limit that list and changes accept (0: no limit).",
							"Bounds the memory and time of one list or changes call.  PostHog has no "
							"maximum; this default is the extension's decision.",
							&ed_max_page_limit,
							ED_DEFAULT_MAX_PAGE_LIMIT,
							0, INT_MAX,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);
}

/*
 * page_limit of list and changes against event_definitions.max_page_limit;
 * the hint says how to fetch the rest: with "rest" (the argument that
 * moves on, e.g. "page_offset")
 */
void
ed_check_max_page_limit(int64 limit, const char *rest)
{
	if (ed_max_page_limit > 0 && limit > ed_max_page_limit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("page_limit must be at most %d, got " INT64_FORMAT,
						ed_max_page_limit, limit),
				 errhint("The setting event_definitions.max_page_limit bounds page_limit "
						 "(0 removes the bound); fetch the rest with %s.", rest)));
}

/*
 * Refuse, before any row is read, a page that cannot fit in a jsonb: the
 * number of rows it holds times min_row_bytes, the least any row takes.  (A page
 * of rows larger than that bound can still exceed the limit; jsonb then
 * reports it with the same SQLSTATE while building.)
 */
void
ed_page_check(int64 count, int64 limit, int64 offset, int min_row_bytes)
{
	int64		rows = offset >= count ? 0 : Min(limit, count - offset);

	if (rows > (int64) JENTRY_OFFLENMASK / min_row_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("page of " INT64_FORMAT " rows cannot fit in a jsonb value", rows),
				 errdetail("A jsonb value holds at most %d bytes; each row takes at least %d.",
						   (int) JENTRY_OFFLENMASK, min_row_bytes),
				 errhint("Use a smaller page_limit and fetch the rest with page_offset.")));
}

void
ed_check_page_bounds(int64 limit, int64 offset)
{
	if (limit < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("page_limit must be at least 1, got " INT64_FORMAT, limit)));
	if (offset < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("page_offset must not be negative, got " INT64_FORMAT, offset)));
}

/* Append "&name=value" (or "name=value" first), percent-encoding value. */
void
ed_url_arg(StringInfo query, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";

	if (query->len > 0)
		appendStringInfoChar(query, '&');
	appendStringInfoString(query, name);
	appendStringInfoChar(query, '=');
	for (const unsigned char *p = (const unsigned char *) value; *p; p++)
	{
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			appendStringInfoChar(query, (char) *p);
		else
		{
			appendStringInfoChar(query, '%');
			appendStringInfoChar(query, hex[*p >> 4]);
			appendStringInfoChar(query, hex[*p & 0x0F]);
		}
	}
}

static void
ed_page_link(JsonbValue *v, const char *query, int64 limit, int64 offset)
{
	const char *path = GetConfigOption("request.path", true, false);
	StringInfoData url;

	initStringInfo(&url);
	appendStringInfoString(&url, path ? path : "");
	appendStringInfoChar(&url, '?');
	appendStringInfoString(&url, query);
	if (limit != ED_DEFAULT_PAGE_LIMIT)
		appendStringInfo(&url, "&page_limit=" INT64_FORMAT, limit);
	if (offset > 0)
		appendStringInfo(&url, "&page_offset=" INT64_FORMAT, offset);
	ed_jv_string(v, url.data);
}

static const char *const ed_page_keys[] = {
	"next", "count", "results", "previous", "count_is_capped"
};

#define ED_PAGE_RESULTS 2

/*
 * The envelope's values, results left out: next, count, results,
 * previous and, with with_capped_flag, count_is_capped, in jsonb's order.
 * Returns how many.
 */
static int
ed_page_values(JsonbValue *v, int64 count, const char *query, int64 limit, int64 offset,
			   bool with_capped_flag)
{
	/* offset + limit may overflow for absurd limits: compare without adding */
	if (offset >= count || limit >= count - offset)
		ed_jv_null(&v[0]);
	else
		ed_page_link(&v[0], query, limit, offset + limit);
	ed_jv_int64(&v[1], count);
	ed_jv_null(&v[ED_PAGE_RESULTS]);
	if (offset == 0)
		ed_jv_null(&v[3]);
	else
		ed_page_link(&v[3], query, limit, offset > limit ? offset - limit : 0);
	if (with_capped_flag)
		ed_jv_bool(&v[4], false);
	return with_capped_flag ? 5 : 4;
}

/* The envelope around rows (an array value), as a tree of values. */
JsonbValue *
ed_page_envelope(JsonbValue *rows, int64 count, const char *query, int64 limit,
				 int64 offset, bool with_capped_flag)
{
	JsonbValue	values[lengthof(ed_page_keys)];
	int			n = ed_page_values(values, count, query, limit, offset, with_capped_flag);
	JsonbValue *page = palloc(sizeof(JsonbValue));
	JsonbPair  *p = ed_jv_object(page, n, ed_page_keys);

	for (int i = 0; i < n; i++)
		p[i].value = i == ED_PAGE_RESULTS ? *rows : values[i];
	return page;
}

/*
 * Start a page of nrows rows written straight into one jsonb in cxt: give
 * each row with ed_page_row(), then take the page from ed_page_finish().
 */
void
ed_page_begin(EdJsonbWriter *w, MemoryContext cxt, int64 count, const char *query,
			  int64 limit, int64 offset, bool with_capped_flag, int nrows)
{
	JsonbValue	values[lengthof(ed_page_keys)];
	int			n = ed_page_values(values, count, query, limit, offset, with_capped_flag);

	ed_jw_begin(w, cxt, n, ed_page_keys, values, ED_PAGE_RESULTS, nrows);
}

void
ed_page_row(EdJsonbWriter *w, JsonbValue *row)
{
	ed_jw_element(w, row);
}

Jsonb *
ed_page_finish(EdJsonbWriter *w)
{
	return ed_jw_finish(w);
}
