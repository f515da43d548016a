/*-------------------------------------------------------------------------
 *
 * util.c
 *	  Argument checking and small shared helpers.
 *
 *	  Every SQL-callable function validates its arguments through these
 *	  helpers, so that a NULL, a malformed array or an invalid name gets the
 *	  same SQLSTATE and the same wording whichever function received it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "compat.h"
#include "util.h"

void
ed_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be null", argname)));
}

/*
 * The project of a call: present and positive.
 */
int64
ed_arg_project_id(FunctionCallInfo fcinfo, int argno)
{
	int64		project_id;

	ed_arg_not_null(fcinfo, argno, "project_id");
	project_id = PG_GETARG_INT64(argno);
	if (project_id <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("project_id must be positive, got " INT64_FORMAT, project_id)));
	return project_id;
}

pg_uuid_t *
ed_arg_uuid(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	ed_arg_not_null(fcinfo, argno, argname);
	return PG_GETARG_UUID_P(argno);
}

/* An optional bigint argument; SQL NULL means "the default". */
int64
ed_arg_int64_default(FunctionCallInfo fcinfo, int argno, int64 dflt)
{
	return PG_ARGISNULL(argno) ? dflt : PG_GETARG_INT64(argno);
}

bool
ed_arg_bool_default(FunctionCallInfo fcinfo, int argno, bool dflt)
{
	return PG_ARGISNULL(argno) ? dflt : PG_GETARG_BOOL(argno);
}

/* An optional text argument as a C string, or NULL. */
char *
ed_arg_cstring(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/*
 * A one-dimensional text[] without NULL elements, as a List of C strings.
 * The error names the argument and the 1-based position of a NULL element.
 */
List *
ed_text_array_to_list(ArrayType *arr, const char *argname)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	List	   *result = NIL;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", argname)));
	if (ARR_ELEMTYPE(arr) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be an array of text", argname)));

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	for (int i = 0; i < nelems; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not contain null elements", argname),
					 errdetail("Element %d is null.", i + 1)));
		result = lappend(result, TextDatumGetCString(elems[i]));
	}
	return result;
}

ArrayType *
ed_list_to_text_array(List *strings)
{
	int			n = list_length(strings);
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	int			i = 0;
	ListCell   *lc;

	foreach(lc, strings)
	{
		CHECK_FOR_INTERRUPTS();
		elems[i++] = CStringGetTextDatum((char *) lfirst(lc));
	}
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

int
ed_char_length(const char *s, int len)
{
	return pg_mbstrlen_with_len(s, len);
}

/*
 * Control characters: C0, DEL, C1, and the Unicode line and paragraph
 * separators.  The table's CHECK constraint spells out the same ranges, so
 * the database and this code agree whatever the locale.
 */
static inline bool
ed_is_control(pg_wchar c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

/*
 * Character by character, allocating nothing: s may be any length (a name
 * is checked for length first, but a message may quote a longer one).
 */
bool
ed_has_control_char(const char *s, int len)
{
	int			i = 0;
	uint32		steps = 0;

	while (i < len)
	{
		unsigned char c = (unsigned char) s[i];
		pg_wchar	wide[2];
		int			l;

		if ((++steps & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* plain ASCII needs no decoding */
		if (c < 0x80)
		{
			if (c < 0x20 || c == 0x7f)
				return true;
			i++;
			continue;
		}
		l = pg_mblen(s + i);
		if (l > len - i)
			break;				/* a partial character at the end */
		if (pg_mb2wchar_with_len(s + i, wide, l) == 1 && ed_is_control(wide[0]))
			return true;
		i += l;
	}
	return false;
}

/*
 * An event name is 1 to 400 characters of valid text without control
 * characters.  On failure *reason says why, as an errdetail sentence.
 */
bool
ed_name_is_valid(const char *name, int len, const char **reason)
{
	int			nchars;

	if (len == 0)
	{
		*reason = "An event name must not be empty.";
		return false;
	}
	/* too many bytes for 400 characters: too long, without reading it */
	if (len > ED_NAME_MAX_CHARS * pg_database_encoding_max_length())
	{
		*reason = "An event name must not be longer than 400 characters.";
		return false;
	}
	if (!pg_verifymbstr(name, len, true))
	{
		*reason = "An event name must be valid text in the database encoding.";
		return false;
	}
	nchars = ed_char_length(name, len);
	if (nchars > ED_NAME_MAX_CHARS)
	{
		*reason = "An event name must not be longer than 400 characters.";
		return false;
	}
	if (ed_has_control_char(name, len))
	{
		*reason = "An event name must not contain control characters.";
		return false;
	}
	return true;
}

/*
 * A JSON number that is an integer within int64, as int64.  jsonb keeps a
 * number's scale, so 5.0 is refused; 1e2 has scale 0 and reads as 100.
 */
bool
ed_numeric_to_int64(Numeric num, int64 *out)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return false;
	*out = (int64) v;
	return true;
}

/* The UTC day of a finite timestamp (TimestampTz counts UTC microseconds). */
DateADT
ed_utc_day(TimestampTz ts)
{
	int64		day = ts / USECS_PER_DAY;

	if (ts < 0 && ts % USECS_PER_DAY != 0)
		day--;
	return (DateADT) day;
}

/*
 * s cut to max_chars characters, with "..." when cut: for messages.  Only
 * the characters kept are read (s may be a gigabyte).
 */
char *
ed_truncated(const char *s, int max_chars)
{
	int			len = strnlen(s, (size_t) (max_chars + 1) * pg_database_encoding_max_length());
	int			cut = pg_mbcharcliplen(s, len, max_chars);

	if (cut >= len && s[len] == '\0')
		return pstrdup(s);
	return psprintf("%.*s...", cut, s);
}

char *
ed_uuid_out(const pg_uuid_t *uuid)
{
	return DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(uuid)));
}

/*
 * The single way a missing definition is reported.  A definition of another
 * project is reported exactly the same way, so ids cannot be probed.
 */
void
ed_not_found(int64 project_id, const pg_uuid_t *id)
{
	ereport(ERROR,
			(errcode(ERRCODE_ED_NOT_FOUND),
			 errmsg("event definition %s not found in project " INT64_FORMAT,
					ed_uuid_out(id), project_id)));
}

int
ed_cstring_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Sort C strings bytewise and drop duplicates. */
List *
ed_sort_unique_strings(List *strings)
{
	int			n = list_length(strings);
	char	  **items;
	List	   *result = NIL;
	int			i = 0;
	ListCell   *lc;

	if (n == 0)
		return NIL;
	items = palloc(sizeof(char *) * n);
	foreach(lc, strings)
		items[i++] = lfirst(lc);
	qsort(items, n, sizeof(char *), ed_cstring_cmp);
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i == 0 || strcmp(items[i], items[i - 1]) != 0)
			result = lappend(result, items[i]);
	}
	pfree(items);
	return result;
}
