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

#include "json_out.h"
#include "page.h"

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
ed_page_link(StringInfo buf, const char *query, int64 limit, int64 offset)
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
	ed_json_string(buf, url.data);
	pfree(url.data);
}

/*
 * Open the envelope, up to and including the "[" of results.  Keys in
 * jsonb's order: next, count, results, then (ed_page_close) previous and
 * count_is_capped.
 */
void
ed_page_open(StringInfo buf, int64 count, const char *query, int64 limit, int64 offset)
{
	appendStringInfoString(buf, "{\"next\":");
	/* offset + limit may overflow for absurd limits: compare without adding */
	if (offset >= count || limit >= count - offset)
		appendStringInfoString(buf, "null");
	else
		ed_page_link(buf, query, limit, offset + limit);
	appendStringInfo(buf, ",\"count\":" INT64_FORMAT ",\"results\":[", count);
}

void
ed_page_close(StringInfo buf, const char *query, int64 limit, int64 offset,
			  bool with_capped_flag)
{
	appendStringInfoString(buf, "],\"previous\":");
	if (offset == 0)
		appendStringInfoString(buf, "null");
	else
		ed_page_link(buf, query, limit, offset > limit ? offset - limit : 0);
	if (with_capped_flag)
		appendStringInfoString(buf, ",\"count_is_capped\":false");
	appendStringInfoChar(buf, '}');
}
