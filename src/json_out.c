/*-------------------------------------------------------------------------
 *
 * json_out.c
 *	  Rendering of the API's JSON.
 *
 *	  Output is built as JSON text in a StringInfo, keys in jsonb's own
 *	  order, and turned into jsonb once, at the end of a call.
 *	  Timestamps follow the contract: ISO 8601 in UTC with a "Z" suffix,
 *	  microseconds only when they are not zero.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"

#include "catalog.h"
#include "json_out.h"
#include "user_projects.h"

struct EdUserDir
{
	int			n;
	int64	   *ids;			/* sorted */
	char	  **json;			/* rendered user objects, same order */
};

/*
 * A JSON string.  Runs of characters that need no escape are copied in one
 * piece; only quotes, backslashes and control characters go through
 * escape_json().
 */
void
ed_json_string(StringInfo buf, const char *s)
{
	const char *run = s;
	const char *p = s;

	appendStringInfoChar(buf, '"');
	for (;; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c == '\0' || c == '"' || c == '\\' || c < 0x20)
		{
			char		one[2] = {(char) c, '\0'};
			StringInfoData esc;

			appendBinaryStringInfo(buf, run, p - run);
			if (c == '\0')
				break;
			/* escape_json() quotes what it writes: keep what is inside */
			initStringInfo(&esc);
			escape_json(&esc, one);
			appendBinaryStringInfo(buf, esc.data + 1, esc.len - 2);
			pfree(esc.data);
			run = p + 1;
		}
	}
	appendStringInfoChar(buf, '"');
}

void
ed_json_string_or_null(StringInfo buf, const char *s)
{
	if (s == NULL)
		appendStringInfoString(buf, "null");
	else
		ed_json_string(buf, s);
}

/* Write v as exactly "width" decimal digits (v >= 0, fits). */
static inline char *
ed_put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--)
	{
		p[i] = (char) ('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/*
 * "YYYY-MM-DDTHH:MM:SS[.ffffff]Z", written by hand: this runs four times
 * for every definition of a page, and a printf format is slow there.
 */
void
ed_json_timestamp(StringInfo buf, TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		out[48];
	char	   *p = out;
	int			year;

	if (TIMESTAMP_NOT_FINITE(ts))
	{
		/* not produced by this extension, but never crash on it */
		appendStringInfoString(buf, TIMESTAMP_IS_NOBEGIN(ts) ? "\"-infinity\"" : "\"infinity\"");
		return;
	}
	/* no time zone argument: the fields come out in UTC */
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	/* astronomical year numbering for BC dates, as ISO 8601 has it */
	year = tm.tm_year > 0 ? tm.tm_year : tm.tm_year - 1;
	*p++ = '"';
	if (year < 0 || year > 9999)
		p += snprintf(p, 16, "%04d", year);
	else
		p = ed_put_digits(p, year, 4);
	*p++ = '-';
	p = ed_put_digits(p, tm.tm_mon, 2);
	*p++ = '-';
	p = ed_put_digits(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = ed_put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = ed_put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = ed_put_digits(p, tm.tm_sec, 2);
	if (fsec != 0)
	{
		*p++ = '.';
		p = ed_put_digits(p, (int) fsec, 6);
	}
	*p++ = 'Z';
	*p++ = '"';
	appendBinaryStringInfo(buf, out, p - out);
}

void
ed_json_opt_timestamp(StringInfo buf, EdOptTimestamp ts)
{
	if (ts.isnull)
		appendStringInfoString(buf, "null");
	else
		ed_json_timestamp(buf, ts.value);
}

void
ed_json_opt_int64(StringInfo buf, EdOptInt64 v)
{
	if (v.isnull)
		appendStringInfoString(buf, "null");
	else
		appendStringInfo(buf, INT64_FORMAT, v.value);
}

void
ed_json_bool(StringInfo buf, bool b)
{
	appendStringInfoString(buf, b ? "true" : "false");
}

void
ed_json_string_list(StringInfo buf, List *strings)
{
	ListCell   *lc;

	appendStringInfoChar(buf, '[');
	foreach(lc, strings)
	{
		if (lc != list_head(strings))
			appendStringInfoChar(buf, ',');
		ed_json_string(buf, (const char *) lfirst(lc));
	}
	appendStringInfoChar(buf, ']');
}

static int
ed_int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* Add the users a definition refers to; ids has room for 3 more. */
void
ed_users_collect(const EdDefinition *def, int64 *ids, int *nids)
{
	if (!def->owner.isnull)
		ids[(*nids)++] = def->owner.value;
	if (!def->verified_by.isnull)
		ids[(*nids)++] = def->verified_by.value;
	if (!def->updated_by.isnull)
		ids[(*nids)++] = def->updated_by.value;
}

/*
 * Look the given users up in the directory and render each once, keeping
 * only those the caller may see in this project (user_projects.c).  Must
 * run inside an SPI connection; the result lives in the current memory
 * context.
 */
EdUserDir *
ed_users_load(int64 project_id, const int64 *ids, int nids)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8ARRAYOID};
	EdUserDir  *dir = palloc0(sizeof(EdUserDir));
	Datum	   *elems;
	Datum		values[1];
	int			nunique = 0;
	int64	   *sorted;

	if (nids == 0)
		return dir;

	sorted = palloc(sizeof(int64) * nids);
	memcpy(sorted, ids, sizeof(int64) * nids);
	qsort(sorted, nids, sizeof(int64), ed_int64_cmp);
	for (int i = 0; i < nids; i++)
		if (i == 0 || sorted[i] != sorted[nunique - 1])
			sorted[nunique++] = sorted[i];
	nunique = ed_users_visible(project_id, sorted, nunique);
	if (nunique == 0)
		return dir;

	elems = palloc(sizeof(Datum) * nunique);
	for (int i = 0; i < nunique; i++)
		elems[i] = Int64GetDatum(sorted[i]);
	values[0] = PointerGetDatum(construct_array(elems, nunique, INT8OID, 8,
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));

	ed_prepare_kept(&plan,
					"SELECT u.id, u.uuid::text, u.distinct_id, u.first_name, u.last_name, "
					"u.email, u.is_email_verified "
					"FROM event_definitions.users u WHERE u.id = ANY ($1) ORDER BY u.id",
					1, argtypes);
	ed_execute_kept(plan, values, NULL, true, 0, SPI_OK_SELECT);

	dir->n = (int) SPI_processed;
	dir->ids = palloc(sizeof(int64) * Max(dir->n, 1));
	dir->json = palloc(sizeof(char *) * Max(dir->n, 1));
	for (int i = 0; i < dir->n; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		StringInfoData u;
		bool		isnull;
		Datum		verified;

		dir->ids[i] = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		initStringInfo(&u);
		appendStringInfo(&u, "{\"id\":" INT64_FORMAT ",\"uuid\":", dir->ids[i]);
		ed_json_string_or_null(&u, SPI_getvalue(tup, desc, 2));
		appendStringInfoString(&u, ",\"email\":");
		ed_json_string_or_null(&u, SPI_getvalue(tup, desc, 6));
		appendStringInfoString(&u, ",\"last_name\":");
		ed_json_string_or_null(&u, SPI_getvalue(tup, desc, 5));
		appendStringInfoString(&u, ",\"first_name\":");
		ed_json_string_or_null(&u, SPI_getvalue(tup, desc, 4));
		appendStringInfoString(&u, ",\"distinct_id\":");
		ed_json_string_or_null(&u, SPI_getvalue(tup, desc, 3));
		appendStringInfoString(&u, ",\"is_email_verified\":");
		verified = SPI_getbinval(tup, desc, 7, &isnull);
		appendStringInfoString(&u, isnull ? "null" : (DatumGetBool(verified) ? "true" : "false"));
		appendStringInfoChar(&u, '}');
		dir->json[i] = u.data;
	}
	SPI_freetuptable(SPI_tuptable);
	return dir;
}

/*
 * A user as the contract has it: the directory's seven keys, or {"id": N}
 * with the others null when the id is not in the directory.
 */
void
ed_json_user(StringInfo buf, EdUserDir *dir, EdOptInt64 user)
{
	int64	   *hit;

	if (user.isnull)
	{
		appendStringInfoString(buf, "null");
		return;
	}
	hit = dir->n > 0 ? bsearch(&user.value, dir->ids, dir->n, sizeof(int64), ed_int64_cmp) : NULL;
	if (hit != NULL)
		appendStringInfoString(buf, dir->json[hit - dir->ids]);
	else
		appendStringInfo(buf,
						 "{\"id\":" INT64_FORMAT ",\"uuid\":null,\"email\":null,"
						 "\"last_name\":null,\"first_name\":null,\"distinct_id\":null,"
						 "\"is_email_verified\":null}",
						 user.value);
}

/*
 * Keys are written in jsonb's own order (shorter first, then bytewise), so
 * that jsonb_in() finds every object already sorted and does not reorder.
 */
void
ed_render_definition(StringInfo buf, const EdDefinition *def, EdUserDir *users)
{
	appendStringInfoString(buf, "{\"id\":\"");
	appendStringInfoString(buf, ed_uuid_out(&def->id));
	appendStringInfoString(buf, "\",\"name\":");
	ed_json_string(buf, def->name);
	appendStringInfoString(buf, ",\"tags\":");
	ed_json_string_list(buf, def->tags);
	appendStringInfoString(buf, ",\"owner\":");
	ed_json_user(buf, users, def->owner);
	appendStringInfoString(buf, ",\"hidden\":");
	ed_json_bool(buf, def->hidden);
	appendStringInfoString(buf, ",\"verified\":");
	ed_json_bool(buf, def->verified);
	appendStringInfoString(buf, ",\"is_action\":false,\"created_at\":");
	ed_json_opt_timestamp(buf, def->created_at);
	appendStringInfoString(buf, ",\"updated_at\":");
	ed_json_timestamp(buf, def->updated_at);
	appendStringInfoString(buf, ",\"updated_by\":");
	ed_json_user(buf, users, def->updated_by);
	appendStringInfoString(buf, ",\"description\":");
	ed_json_string_or_null(buf, def->description);
	appendStringInfoString(buf, ",\"verified_at\":");
	ed_json_opt_timestamp(buf, def->verified_at);
	appendStringInfoString(buf, ",\"verified_by\":");
	ed_json_user(buf, users, def->verified_by);
	appendStringInfoString(buf, ",\"last_seen_at\":");
	ed_json_opt_timestamp(buf, def->last_seen_at);
	appendStringInfoString(buf, ",\"post_to_slack\":");
	ed_json_bool(buf, def->post_to_slack);
	appendStringInfoString(buf, ",\"default_columns\":");
	ed_json_string_list(buf, def->default_columns);
	appendStringInfoString(buf, ",\"enforcement_mode\":");
	ed_json_string(buf, def->enforcement_mode);
	appendStringInfoString(buf, ",\"primary_property\":");
	ed_json_string_or_null(buf, def->primary_property);
	appendStringInfoChar(buf, '}');
}

/* One definition, with its users looked up.  Runs inside SPI. */
void
ed_render_definition_with_users(StringInfo buf, const EdDefinition *def)
{
	int64		ids[3];
	int			nids = 0;

	ed_users_collect(def, ids, &nids);
	ed_render_definition(buf, def, ed_users_load(def->project_id, ids, nids));
}

Jsonb *
ed_json_finish(StringInfo buf)
{
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf->data)));
}
