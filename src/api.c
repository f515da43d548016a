/*-------------------------------------------------------------------------
 *
 * api.c
 *	  The start and the end of every SQL-callable function of the API.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"

#include "api.h"
#include "args.h"
#include "json_out.h"
#include "version.h"

/*
 * Every call starts here: the project (argument 0) must be given, the
 * caller's claims must allow the scope on it, and it must be positive.
 * Access is checked before anything else about the arguments, so a caller
 * without the scope learns nothing from argument errors.  A write in a
 * read-only transaction fails up front with 25006, whatever its arguments
 * (PostgREST runs GET requests READ ONLY and answers 25006 with 405).
 */
int64
ed_begin(FunctionCallInfo fcinfo, EdScope scope, const char *operation)
{
	ed_check_installed_version();
	ed_arg_not_null(fcinfo, 0, "project_id");
	ed_check_access(PG_GETARG_INT64(0), scope);
	if (scope == ED_SCOPE_WRITE)
		PreventCommandIfReadOnly(operation);
	return ed_arg_project_id(fcinfo, 0);
}

/* Connect to SPI; returns the caller's memory context, where results go. */
MemoryContext
ed_spi_connect(void)
{
	MemoryContext callercxt = CurrentMemoryContext;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	return callercxt;
}

void
ed_spi_finish(void)
{
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed");
}

/*
 * The result tree, built inside SPI, as one jsonb in the caller's context;
 * then SPI_finish frees everything else.
 */
Jsonb *
ed_spi_finish_jsonb(JsonbValue *result, MemoryContext callercxt)
{
	Jsonb	   *jb = ed_jv_to_jsonb(result, callercxt);

	ed_spi_finish();
	return jb;
}
