/*-------------------------------------------------------------------------
 *
 * event_name.c
 *	  The rules of an event name: 1 to 400 characters of valid text in the
 *	  database encoding, without control characters.
 *
 *	  The definitions table's CHECK constraint spells out the same rules,
 *	  so the database and this code agree whatever the locale.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "event_name.h"

int
ed_char_length(const char *s, int len)
{
	return pg_mbstrlen_with_len(s, len);
}

/* Control characters: C0, DEL, C1, and the Unicode line and paragraph separators. */
static inline bool
ed_is_control(pg_wchar c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

bool
ed_has_control_char(const char *s, int len)
{
	pg_wchar   *wide;
	int			nchars;
	bool		found = false;

	/* fast path: plain printable ASCII */
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == 0x7f)
			return true;
		if (c >= 0x80)
			goto slow;
	}
	return false;

slow:
	wide = palloc(sizeof(pg_wchar) * (len + 1));
	nchars = pg_mb2wchar_with_len(s, wide, len);
	for (int i = 0; i < nchars && !found; i++)
		found = ed_is_control(wide[i]);
	pfree(wide);
	return found;
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
