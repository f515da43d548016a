/*-------------------------------------------------------------------------
 *
 * value_text.c
 *	  A value as PostHog's ingestion warnings show it: a string as itself,
 *	  anything else as compact JSON ({"a":1}), cut to a number of
 *	  characters.  Only the start of a large object or array is written:
 *	  the cost is bounded by the cut, not by the caller's value.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/numeric.h"

#include "schema/value_text.h"

static void
ed_append_scalar(StringInfo buf, const JsonbValue *v, bool quote_strings)
{
	switch (v->type)
	{
		case jbvNull:
			appendStringInfoString(buf, "null");
			break;
		case jbvBool:
			appendStringInfoString(buf, v->val.boolean ? "true" : "false");
			break;
		case jbvNumeric:
			appendStringInfoString(buf, DatumGetCString(DirectFunctionCall1(numeric_out,
																			NumericGetDatum(v->val.numeric))));
			break;
		case jbvString:
			{
				/* never copy more of a long string than can be shown */
				int			keep = Min(v->val.string.len,
									   (ED_VALUE_TEXT_MAX_CHARS + 2) * pg_database_encoding_max_length());
				char	   *s = pnstrdup(v->val.string.val, keep);

				if (quote_strings)
					escape_json(buf, s);
				else
					appendStringInfoString(buf, s);
				pfree(s);
			}
			break;
		default:
			appendStringInfoString(buf, "?");
			break;
	}
}

/* compact JSON of a container, stopping once buf holds more than limit bytes */
static void
ed_append_container(StringInfo buf, JsonbContainer *c, int limit)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbIteratorToken tok;
	JsonbIteratorToken prev = WJB_BEGIN_ARRAY;
	JsonbValue	v;

	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		bool		after_open = prev == WJB_BEGIN_ARRAY || prev == WJB_BEGIN_OBJECT ||
			prev == WJB_KEY;

		CHECK_FOR_INTERRUPTS();
		if (buf->len > limit)
			break;
		/* raw scalars are wrapped in a one-element array: not ours here */
		if (tok == WJB_BEGIN_ARRAY && v.val.array.rawScalar)
			continue;
		if ((tok == WJB_KEY || tok == WJB_ELEM || tok == WJB_BEGIN_ARRAY ||
			 tok == WJB_BEGIN_OBJECT) && !after_open)
			appendStringInfoChar(buf, ',');
		switch (tok)
		{
			case WJB_BEGIN_ARRAY:
				appendStringInfoChar(buf, '[');
				break;
			case WJB_BEGIN_OBJECT:
				appendStringInfoChar(buf, '{');
				break;
			case WJB_END_ARRAY:
				appendStringInfoChar(buf, ']');
				break;
			case WJB_END_OBJECT:
				appendStringInfoChar(buf, '}');
				break;
			case WJB_KEY:
				ed_append_scalar(buf, &v, true);
				appendStringInfoChar(buf, ':');
				break;
			case WJB_VALUE:
			case WJB_ELEM:
				ed_append_scalar(buf, &v, true);
				break;
			default:
				break;
		}
		prev = tok;
	}
}

/* The text of a value, at most max_chars characters, in the current context. */
char *
ed_value_text(const JsonbValue *v, int max_chars)
{
	StringInfoData buf;
	int			limit = (max_chars + 1) * pg_database_encoding_max_length();

	initStringInfo(&buf);
	if (v->type == jbvBinary)
		ed_append_container(&buf, v->val.binary.data, limit);
	else
		ed_append_scalar(&buf, v, false);
	buf.len = pg_mbcharcliplen(buf.data, buf.len, max_chars);
	buf.data[buf.len] = '\0';
	return buf.data;
}
