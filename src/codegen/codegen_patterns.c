/*-------------------------------------------------------------------------
 *
 * codegen_patterns.c
 *	  The strings validate() takes for Numeric and DateTime properties
 *	  (src/schema/js_text.c, src/schema/date_text.c), as regular
 *	  expressions of JSON Schema's dialect (ECMA-262, with lookahead).
 *	  Both start and end with the white space trim() removes: the
 *	  Unicode spaces in a UTF-8 database, the ASCII ones otherwise.
 *
 *	  DateTime is exact: Unix times, and dates that exist (leap years
 *	  included) with an optional time and zone, the same separator twice.
 *
 *	  Numeric is exact for binary, octal and hexadecimal integers (their
 *	  finiteness is a matter of digit counts) and for decimal numbers
 *	  without exponent.  A decimal number with an exponent is finite when
 *	  its order of magnitude k (digits before the point, or minus the
 *	  zeros after it, plus the exponent) is at most 308, infinite from
 *	  310; at 309 its digits decide against 2^1024 - 2^970, the limit
 *	  doubles round below.  A regular expression cannot add two unbounded
 *	  numbers, so that is spelled out for mantissas of at most
 *	  ED_RE_MANTISSA digits before the point (or zeros after it) and
 *	  compares at most ED_RE_COMPARED significant digits with the limit;
 *	  beyond, the pattern accepts.  Hence the two places where it accepts
 *	  what validate() rejects: an exponent on a mantissa longer than that
 *	  whose value overflows ("123456789012345678901e300"), and a value
 *	  whose first 20 significant digits are the limit's
 *	  (1.79769313486231580793e308).
 *
 *	  "[0-9]", not "\d": a Python validator's \d takes other digits too.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "codegen/codegen_patterns.h"

#define ED_RE_MANTISSA 20		/* digits before the point, or zeros after it */
#define ED_RE_COMPARED 20		/* significant digits compared with the limit */

/* 2^1024 - 2^970: a double rounds to infinity from there on */
static const char ed_re_limit[] = "17976931348623158079";

/* the white space JavaScript's trim() removes */
static const char *
ed_re_space(void)
{
	if (GetDatabaseEncoding() == PG_UTF8)
		return "[\\t-\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
	return "[\\t-\\r ]";
}

/* decimal integers from 0 to n, leading zeros allowed (0* goes before) */
static void
ed_re_at_most(StringInfo re, int n)
{
	char		digits[16];
	int			d = snprintf(digits, sizeof(digits), "%d", n);

	appendStringInfoString(re, "(?:");
	if (d > 1)
		appendStringInfo(re, "[0-9]{1,%d}|", d - 1);
	for (int i = 0; i < d; i++)
	{
		char		lo = (i == 0 && d > 1) ? '1' : '0';

		if (digits[i] <= lo)
			continue;
		appendStringInfo(re, "%.*s[%c-%c]", i, digits, lo, digits[i] - 1);
		if (d - i - 1 > 0)
			appendStringInfo(re, "[0-9]{%d}", d - i - 1);
		appendStringInfoChar(re, '|');
	}
	appendStringInfo(re, "%s)", digits);
}

/*
 * The significant digits of a mantissa (a point may come between any
 * two) no greater than the limit's first ED_RE_COMPARED, padded with
 * zeros: consumes the mantissa.
 */
static void
ed_re_below_limit(StringInfo re, int i)
{
	if (i == ED_RE_COMPARED)
	{
		appendStringInfoString(re, "[0-9.]*");
		return;
	}
	appendStringInfoString(re, "(?:");
	if (ed_re_limit[i] > '0')
		appendStringInfo(re, "[0-%c][0-9.]*|", ed_re_limit[i] - 1);
	appendStringInfo(re, "%c\\.?", ed_re_limit[i]);
	ed_re_below_limit(re, i + 1);
	appendStringInfoString(re, "|(?![0-9.]))");
}

/* the exponent that follows the mantissa: "-...", or at most n */
static void
ed_re_exponent_at_most(StringInfo re, int n)
{
	appendStringInfoString(re, "(?=[^eE]*[eE](?:-|\\+?0*");
	ed_re_at_most(re, n);
	appendStringInfoString(re, "(?![0-9])))");
}

static void
ed_re_exponent_is(StringInfo re, int n)
{
	appendStringInfo(re, "(?=[^eE]*[eE]\\+?0*%d(?![0-9]))", n);
}

/* a decimal number with an exponent: from its mantissa on */
static void
ed_re_decimal_exponent(StringInfo re)
{
	/* clearly finite: k <= 308, or a mantissa of zero, or too long to tell */
	appendStringInfoString(re, "(?:(?:(?=[0.]*[eE])");
	for (int a = 1; a <= ED_RE_MANTISSA; a++)
	{
		appendStringInfo(re, "|(?=0*[1-9][0-9]{%d}[.eE])", a - 1);
		ed_re_exponent_at_most(re, 308 - a);
	}
	for (int z = 0; z <= ED_RE_MANTISSA; z++)
	{
		appendStringInfo(re, "|(?=0*\\.0{%d}[1-9])", z);
		ed_re_exponent_at_most(re, 308 + z);
	}
	appendStringInfo(re, "|(?=0*[1-9][0-9]{%d})|(?=0*\\.0{%d})",
					 ED_RE_MANTISSA, ED_RE_MANTISSA + 1);
	appendStringInfoString(re, ")[0-9.]*");

	/* k = 309: the digits against the limit */
	appendStringInfoString(re, "|(?:");
	for (int a = 1; a <= ED_RE_MANTISSA; a++)
	{
		appendStringInfo(re, "%s(?=0*[1-9][0-9]{%d}[.eE])", a > 1 ? "|" : "", a - 1);
		ed_re_exponent_is(re, 309 - a);
	}
	appendStringInfoString(re, ")0*(?=[1-9])");
	ed_re_below_limit(re, 0);
	appendStringInfoString(re, "|(?:");
	for (int z = 0; z <= ED_RE_MANTISSA; z++)
	{
		appendStringInfo(re, "%s(?=0*\\.0{%d}[1-9])", z > 0 ? "|" : "", z);
		ed_re_exponent_is(re, 309 + z);
	}
	appendStringInfoString(re, ")0*\\.0*(?=[1-9])");
	ed_re_below_limit(re, 0);
	appendStringInfoString(re, ")[eE][+-]?[0-9]+");
}

/*
 * Number(s.trim()) is finite, s.trim() not empty: the strings a Numeric
 * property takes.
 */
char *
ed_cg_numeric_text_pattern(void)
{
	StringInfoData re;
	const char *ws = ed_re_space();

	initStringInfo(&re);
	appendStringInfo(&re, "^%s*(?:", ws);
	/* radix integers: below 2^1024 - 2^970 once rounded to 53 bits */
	appendStringInfoString(&re,
						   "0[bB](?=[01])0*(?:1[01]{0,1022}|(?!1{54})1[01]{1023})?"
						   "|0[oO](?=[0-7])0*(?:[1-7][0-7]{0,340}|1(?!7{17}[67])[0-7]{341})?"
						   "|0[xX](?=[0-9a-fA-F])0*(?:[1-9a-fA-F][0-9a-fA-F]{0,254}"
						   "|[1-7][0-9a-fA-F]{255}|(?![fF]{13}[c-fC-F])[89a-fA-F][0-9a-fA-F]{255})?");
	/* decimal: the grammar first, then finiteness */
	appendStringInfo(&re,
					 "|(?=[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?%s*$)[+-]?",
					 ws);
	/* without exponent: at most 308 digits before the point, or 309 below the limit */
	appendStringInfoString(&re,
						   "(?:(?![0-9.]*[eE])(?:0*(?:[1-9][0-9]{0,307})?(?:\\.[0-9]*)?"
						   "|0*(?=[1-9][0-9]{308}(?![0-9]))");
	ed_re_below_limit(&re, 0);
	appendStringInfoString(&re, ")|");
	ed_re_decimal_exponent(&re);
	appendStringInfo(&re, "))%s*$", ws);
	return re.data;
}

/* month and day of a date that exists in every year, separated by sep */
static void
ed_re_month_day(StringInfo re, const char *sep)
{
	appendStringInfo(re,
					 "(?:(?:0[13578]|1[02])%s(?:0[1-9]|[12][0-9]|3[01])"
					 "|(?:0[469]|11)%s(?:0[1-9]|[12][0-9]|30)"
					 "|02%s(?:0[1-9]|1[0-9]|2[0-8]))",
					 sep, sep, sep);
}

/* The strings a DateTime property takes. */
char *
ed_cg_datetime_text_pattern(void)
{
	static const char *const seps[] = {"-", "/", "\\."};
	StringInfoData re;
	const char *ws = ed_re_space();

	initStringInfo(&re);
	appendStringInfo(&re, "^%s*(?:[0-9]{9,10}(?:\\.[0-9]+)?|[0-9]{13}|(?:", ws);
	for (int i = 0; i < (int) lengthof(seps); i++)
	{
		appendStringInfo(&re, "%s[0-9]{4}%s", i > 0 ? "|" : "", seps[i]);
		ed_re_month_day(&re, seps[i]);
		/* February 29th of leap years: by 4 but not 100, or by 400 */
		appendStringInfo(&re,
						 "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
						 "%s02%s29",
						 seps[i], seps[i]);
	}
	appendStringInfoString(&re,
						   ")(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]"
						   "(?::(?:[0-5][0-9]|60)(?:\\.[0-9]{1,9})?)?"
						   "(?: ?(?:Z|UTC|GMT|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?))?)?");
	appendStringInfo(&re, ")%s*$", ws);
	return re.data;
}
