/*-------------------------------------------------------------------------
 *
 * args.c
 *	  Arguments of the SQL-callable functions.
 *
 *	  Every entry point reads its arguments through these getters, so that
 *	  a NULL gets the same SQLSTATE and the same wording whichever function
 *	  received it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "args.h"

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

/* An optional name argument as a C string, or NULL. */
char *
ed_arg_name(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : pstrdup(NameStr(*PG_GETARG_NAME(argno)));
}
