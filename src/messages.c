/*-------------------------------------------------------------------------
 *
 * messages.c
 *	  The "not found" error and values made fit for quoting in messages.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "messages.h"

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
