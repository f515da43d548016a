/*-------------------------------------------------------------------------
 *
 * numbers.c
 *	  Integers from JSON numbers and from text, without throwing: callers
 *	  (a GUC check hook, the patch parser) report their own error.  The
 *	  parsing itself is the core's (ed_strtoint64_soft in compat.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "compat.h"
#include "numbers.h"

/* A decimal int64 as int64 (int8in's syntax: white space and a sign allowed). */
bool
ed_parse_int64(const char *s, int64 *out)
{
	return s != NULL && ed_strtoint64_soft(s, out);
}

/*
 * A JSON number that is an integer within int64, as int64.  jsonb keeps a
 * number's scale, so 5.0 is refused; 1e2 has scale 0 and reads as 100.
 */
bool
ed_numeric_to_int64(Numeric num, int64 *out)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));

	/* digits and a sign, a point when the scale is not 0 (NaN fails to parse) */
	return strchr(s, '.') == NULL && ed_strtoint64_soft(s, out);
}
