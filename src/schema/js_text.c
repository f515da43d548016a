/*-------------------------------------------------------------------------
 *
 * js_text.c
 *	  Which strings and numbers count as Numeric, as PostHog decides it:
 *	  Number(value.trim()) must give a finite number, and '' (or only
 *	  white space) does not count.
 *
 *	  White space is what trim() removes: tab, vertical tab, form feed,
 *	  space, line feed, carriage return, and in a UTF-8 database also
 *	  U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
 *	  U+3000 and U+FEFF.  Other encodings trim the ASCII ones only.
 *
 *	  Number() reads, after trimming: an optional sign, digits with an
 *	  optional fraction ("1", "1.", ".5", "1.5") and an optional exponent
 *	  ("1e3", "2E-7"); or, without a sign, a binary, octal or hexadecimal
 *	  integer ("0b101", "0o17", "0xff"); or "Infinity" with an optional
 *	  sign.  The value must be finite as a double: "Infinity" and
 *	  "1e400" are not, and neither is a hexadecimal integer of 2^1024 or
 *	  more once rounded.  Nothing else is a number ("1_000", "1,5",
 *	  "0x", "--1", "NaN").
 *
 *	  A JSON number is Numeric when it is finite as a double: jsonb keeps
 *	  numbers exactly, JavaScript rounds them, and 1e400 becomes Infinity.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "schema/js_text.h"

static inline bool
ed_js_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The length of the UTF-8 white space character at s (at most len bytes),
 * or 0 when s does not start with one.
 */
static int
ed_js_utf8_space(const unsigned char *s, int len)
{
	if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;				/* U+00A0 */
	if (len < 3)
		return 0;
	if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
		return 3;				/* U+1680 */
	if (s[0] == 0xE2 && s[1] == 0x80 &&
		((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3;				/* U+2000..U+200A, U+2028, U+2029, U+202F */
	if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;				/* U+205F */
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;				/* U+3000 */
	if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;				/* U+FEFF */
	return 0;
}

/* the white space character ending at s + len, or 0 */
static int
ed_js_utf8_space_before(const unsigned char *s, int len)
{
	if (len >= 2 && ed_js_utf8_space(s + len - 2, 2) == 2)
		return 2;
	if (len >= 3 && ed_js_utf8_space(s + len - 3, 3) == 3)
		return 3;
	return 0;
}

/* Narrow *s, *len to the text without leading and trailing white space. */
void
ed_js_trim(const char **s, int *len)
{
	const unsigned char *p = (const unsigned char *) *s;
	int			n = *len;
	bool		utf8 = GetDatabaseEncoding() == PG_UTF8;

	for (;;)
	{
		int			w = 0;

		if (n > 0 && ed_js_ascii_space(p[0]))
			w = 1;
		else if (utf8 && n > 0 && p[0] >= 0xC2)
			w = ed_js_utf8_space(p, n);
		if (w == 0)
			break;
		p += w;
		n -= w;
	}
	for (;;)
	{
		int			w = 0;

		if (n > 0 && ed_js_ascii_space(p[n - 1]))
			w = 1;
		else if (utf8 && n > 0 && p[n - 1] >= 0x80)
			w = ed_js_utf8_space_before(p, n);
		if (w == 0)
			break;
		n -= w;
	}
	*s = (const char *) p;
	*len = n;
}

static int
ed_js_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * "0b..", "0o.." or "0x..": digits of the base only, at least one.  The
 * integer is finite as a double unless it has more than 1024 significant
 * bits, or exactly 1024 with the top 54 all ones (it then rounds up to
 * 2^1024: the halfway point between DBL_MAX and 2^1024 is 54 ones
 * followed by 970 zeros).
 */
static bool
ed_js_radix_integer_is_finite(const char *s, int len, int bits_per_digit)
{
	int			i = 0;
	int			bits;
	int			ones = 0;
	bool		counting = true;

	if (len == 0)
		return false;
	for (int k = 0; k < len; k++)
		if (ed_js_digit_value(s[k]) >= (1 << bits_per_digit))
			return false;
	while (i < len && s[i] == '0')
		i++;
	if (i == len)
		return true;			/* zero */
	/* significant bits: those of the leading digit, then full digits */
	bits = (len - i - 1) * bits_per_digit;
	for (int v = ed_js_digit_value(s[i]); v > 0; v >>= 1)
		bits++;
	if (bits != 1024)
		return bits < 1024;
	/* count the leading one bits, up to 54 */
	for (int k = i; k < len && counting && ones < 54; k++)
	{
		int			v = ed_js_digit_value(s[k]);
		int			width = k == i ? (bits - (len - i - 1) * bits_per_digit) : bits_per_digit;

		for (int b = width - 1; b >= 0 && ones < 54; b--)
		{
			if ((v >> b) & 1)
				ones++;
			else
			{
				counting = false;
				break;
			}
		}
	}
	return ones < 54;
}

static int
ed_js_digits(const char *s, int len, int i)
{
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/*
 * A decimal literal: [+-] (digits [. [digits]] | . digits) [(e|E) [+-] digits].
 * Returns whether the whole text is one; its finiteness is then strtod's
 * (PostgreSQL runs with LC_NUMERIC C, and rounds like JavaScript).
 */
static bool
ed_js_decimal_is_finite(const char *s, int len)
{
	int			i = 0;
	int			int_end;
	int			frac_digits = 0;
	char		buf[64];
	char	   *copy;
	double		d;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (len - i == 8 && memcmp(s + i, "Infinity", 8) == 0)
		return false;
	int_end = ed_js_digits(s, len, i);
	if (int_end < len && s[int_end] == '.')
	{
		int			frac_end = ed_js_digits(s, len, int_end + 1);

		frac_digits = frac_end - int_end - 1;
		i = frac_end;
	}
	else
	{
		frac_digits = 0;
		i = int_end;
	}
	if (int_end == (s[0] == '+' || s[0] == '-' ? 1 : 0) && frac_digits == 0)
		return false;			/* no digit before or after the point */
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		int			exp_start = i + 1;
		int			exp_end;

		if (exp_start < len && (s[exp_start] == '+' || s[exp_start] == '-'))
			exp_start++;
		exp_end = ed_js_digits(s, len, exp_start);
		if (exp_end == exp_start)
			return false;
		i = exp_end;
	}
	if (i != len)
		return false;
	copy = len < (int) sizeof(buf) ? buf : palloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	errno = 0;
	d = strtod(copy, NULL);
	if (copy != buf)
		pfree(copy);
	return !isinf(d);
}

/*
 * Does Number(text.trim()) give a finite number, text.trim() not being
 * empty?  s is len bytes, not terminated.
 */
bool
ed_js_numeric_text(const char *s, int len)
{
	ed_js_trim(&s, &len);
	if (len == 0)
		return false;
	if (len >= 2 && s[0] == '0')
	{
		switch (s[1])
		{
			case 'b':
			case 'B':
				return ed_js_radix_integer_is_finite(s + 2, len - 2, 1);
			case 'o':
			case 'O':
				return ed_js_radix_integer_is_finite(s + 2, len - 2, 3);
			case 'x':
			case 'X':
				return ed_js_radix_integer_is_finite(s + 2, len - 2, 4);
		}
	}
	return ed_js_decimal_is_finite(s, len);
}

/*
 * Is a jsonb number finite once read as a double?  |x| must be below the
 * halfway point between DBL_MAX and 2^1024 (2^1024 - 2^970), which rounds
 * to infinity.  Two comparisons with a constant made once per backend.
 */
bool
ed_numeric_is_finite_double(Numeric num)
{
	static Numeric limit = NULL;
	static Numeric neg_limit = NULL;

	if (numeric_is_nan(num) || numeric_is_inf(num))
		return false;
	if (limit == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
		const char *digits =
			"17976931348623158079372897140530341507993413271003782693617377898044496829276475094664"
			"90179775872070963302864166928879109465555478519404026306574886715058206819089020007083"
			"83676273854845817711531764475730270069855571366959622842914819860834936475292719074168"
			"444365510704342711559699508093042880177904174497792";
		Numeric		pos = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(digits),
															  ObjectIdGetDatum(InvalidOid),
															  Int32GetDatum(-1)));
		Numeric		neg = DatumGetNumeric(DirectFunctionCall1(numeric_uminus,
															  NumericGetDatum(pos)));

		neg_limit = neg;
		limit = pos;
		MemoryContextSwitchTo(old);
	}
	return DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(num),
											NumericGetDatum(limit))) &&
		DatumGetBool(DirectFunctionCall2(numeric_gt, NumericGetDatum(num),
										 NumericGetDatum(neg_limit)));
}
