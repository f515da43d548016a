/*-------------------------------------------------------------------------
 *
 * util.h
 *	  Argument checking and small shared helpers: SQLSTATEs of the API,
 *	  nullable scalars, text arrays, event-name validation.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_UTIL_H
#define ED_UTIL_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/pg_list.h"
#include "utils/array.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

/* "no such definition": PostgREST answers PTxyz with HTTP xyz */
#define ERRCODE_ED_NOT_FOUND	MAKE_SQLSTATE('P','T','4','0','4')

/* limits of the data model (SPEC section 2) */
#define ED_NAME_MAX_CHARS		400
#define ED_TAG_MAX_CHARS		255

typedef struct EdOptInt64
{
	bool		isnull;
	int64		value;
} EdOptInt64;

typedef struct EdOptTimestamp
{
	bool		isnull;
	TimestampTz value;
} EdOptTimestamp;

extern int64 ed_arg_project_id(FunctionCallInfo fcinfo, int argno);
extern pg_uuid_t *ed_arg_uuid(FunctionCallInfo fcinfo, int argno, const char *argname);
extern void ed_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *argname);
extern int64 ed_arg_int64_default(FunctionCallInfo fcinfo, int argno, int64 dflt);
extern bool ed_arg_bool_default(FunctionCallInfo fcinfo, int argno, bool dflt);
extern char *ed_arg_cstring(FunctionCallInfo fcinfo, int argno);

extern List *ed_text_array_to_list(ArrayType *arr, const char *argname);
extern ArrayType *ed_list_to_text_array(List *strings);

extern bool ed_name_is_valid(const char *name, int len, const char **reason);
extern bool ed_has_control_char(const char *s, int len);
extern int	ed_char_length(const char *s, int len);

#include "utils/numeric.h"
extern bool ed_numeric_to_int64(Numeric num, int64 *out);
#include "utils/date.h"
extern DateADT ed_utc_day(TimestampTz ts);
/* at most this many characters of an argument are quoted in a message */
#define ED_ECHO_MAX_CHARS		64
extern char *ed_truncated(const char *s, int max_chars);
extern char *ed_uuid_out(const pg_uuid_t *uuid);
extern void ed_not_found(int64 project_id, const pg_uuid_t *id) pg_attribute_noreturn();

extern int	ed_cstring_cmp(const void *a, const void *b);
extern List *ed_sort_unique_strings(List *strings);

#endif							/* ED_UTIL_H */
