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
#include "miscadmin.h"

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
