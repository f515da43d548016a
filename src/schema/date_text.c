/*-------------------------------------------------------------------------
 *
 * date_text.c
 *	  Does a string hold a date or a time?  PostHog asks ClickHouse's
 *	  best-effort parser, which also takes "12", "Jan 2021" or
 *	  "01/02/2021" (day first) for dates; this extension takes a precise
 *	  grammar instead, the same in every locale, which a JSON Schema
 *	  pattern can express.  After trimming white space (as trim() does),
 *	  one of:
 *
 *	    Unix time   9 or 10 digits, optionally "." and digits (seconds),
 *	                or 13 digits (milliseconds)
 *	    date        YYYY-MM-DD (also YYYY/MM/DD or YYYY.MM.DD)
 *	    date-time   a date, "T" or one space, hh:mm, optionally :ss and
 *	                optionally a fraction (".", 1 to 9 digits), then
 *	                optionally a zone: "Z", "UTC", "GMT", +hh, +hhmm or
 *	                +hh:mm (or "-"), optionally after one space
 *
 *	  The date must exist (2021-02-29 does not), hours are 00 to 23,
 *	  minutes 00 to 59, seconds 00 to 60 (a leap second), zone hours 00
 *	  to 23 and zone minutes 00 to 59.  A JSON number is a Unix time
 *	  whatever its value (coercion.c); this file reads strings only.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "schema/date_text.h"
#include "schema/js_text.h"

typedef struct EdScan
{
	const char *s;
	int			len;
	int			pos;
} EdScan;

static inline bool
ed_scan_is_digit(const EdScan *sc, int at)
{
	return at < sc->len && sc->s[at] >= '0' && sc->s[at] <= '9';
}

/* exactly n digits at the position, as a number; false when there are not */
static bool
ed_scan_number(EdScan *sc, int n, int *out)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (!ed_scan_is_digit(sc, sc->pos + i))
			return false;
		v = v * 10 + (sc->s[sc->pos + i] - '0');
	}
	sc->pos += n;
	*out = v;
	return true;
}

static bool
ed_scan_char(EdScan *sc, char c)
{
	if (sc->pos < sc->len && sc->s[sc->pos] == c)
	{
		sc->pos++;
		return true;
	}
	return false;
}

static int
ed_scan_run_of_digits(const EdScan *sc, int at)
{
	int			n = 0;

	while (ed_scan_is_digit(sc, at + n))
		n++;
	return n;
}

static bool
ed_is_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool
ed_date_exists(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12 || d < 1)
		return false;
	if (m == 2 && ed_is_leap_year(y))
		return d <= 29;
	return d <= days[m - 1];
}

/* 9 or 10 digits with an optional fraction, or 13 digits */
static bool
ed_unix_time_text(EdScan *sc)
{
	int			n = ed_scan_run_of_digits(sc, 0);

	if (n == sc->len)
		return n == 9 || n == 10 || n == 13;
	if ((n == 9 || n == 10) && sc->s[n] == '.')
	{
		int			f = ed_scan_run_of_digits(sc, n + 1);

		return f > 0 && n + 1 + f == sc->len;
	}
	return false;
}

/* the zone after a time: Z, UTC, GMT, or a sign, hh, and optionally [:]mm */
static bool
ed_scan_zone(EdScan *sc)
{
	int			hh;
	int			mm = 0;
	int			rest = sc->len - sc->pos;

	if (rest == 1 && sc->s[sc->pos] == 'Z')
	{
		sc->pos++;
		return true;
	}
	if (rest == 3 && (memcmp(sc->s + sc->pos, "UTC", 3) == 0 ||
					  memcmp(sc->s + sc->pos, "GMT", 3) == 0))
	{
		sc->pos += 3;
		return true;
	}
	if (!ed_scan_char(sc, '+') && !ed_scan_char(sc, '-'))
		return false;
	if (!ed_scan_number(sc, 2, &hh) || hh > 23)
		return false;
	if (sc->pos == sc->len)
		return true;
	(void) ed_scan_char(sc, ':');
	if (!ed_scan_number(sc, 2, &mm) || mm > 59)
		return false;
	return sc->pos == sc->len;
}

/* hh:mm[:ss[.fraction]][[ ]zone] after the date and its separator */
static bool
ed_scan_time(EdScan *sc)
{
	int			hh,
				mi,
				ss;

	if (!ed_scan_number(sc, 2, &hh) || hh > 23 || !ed_scan_char(sc, ':') ||
		!ed_scan_number(sc, 2, &mi) || mi > 59)
		return false;
	if (ed_scan_char(sc, ':'))
	{
		if (!ed_scan_number(sc, 2, &ss) || ss > 60)
			return false;
		if (ed_scan_char(sc, '.'))
		{
			int			f = ed_scan_run_of_digits(sc, sc->pos);

			if (f < 1 || f > 9)
				return false;
			sc->pos += f;
		}
	}
	if (sc->pos == sc->len)
		return true;
	(void) ed_scan_char(sc, ' ');
	return ed_scan_zone(sc);
}

/* Is the text (len bytes, not terminated) a DateTime? */
bool
ed_datetime_text(const char *s, int len)
{
	EdScan		sc;
	int			y = 0,
				m,
				d;
	char		sep;

	ed_js_trim(&s, &len);
	sc.s = s;
	sc.len = len;
	sc.pos = 0;
	if (len == 0)
		return false;
	if (ed_scan_run_of_digits(&sc, 0) != 4)
		return ed_unix_time_text(&sc);
	(void) ed_scan_number(&sc, 4, &y);
	if (sc.pos >= len)
		return false;
	sep = s[sc.pos];
	if (sep != '-' && sep != '/' && sep != '.')
		return false;
	sc.pos++;
	if (!ed_scan_number(&sc, 2, &m) || !ed_scan_char(&sc, sep) ||
		!ed_scan_number(&sc, 2, &d) || !ed_date_exists(y, m, d))
		return false;
	if (sc.pos == len)
		return true;
	if (!ed_scan_char(&sc, 'T') && !ed_scan_char(&sc, ' '))
		return false;
	return ed_scan_time(&sc);
}
