/*-------------------------------------------------------------------------
 *
 * spi_plan.c
 *	  Kept SPI plans.
 *
 *	  Every statement of the extension is prepared once per backend and
 *	  kept (SPI_keepplan): the plan cache re-plans it when the tables
 *	  change, even across DROP/CREATE EXTENSION.  Callers hold an SPI
 *	  connection.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "spi_plan.h"

static SPIPlanPtr
ed_prepare_kept_with(SPIPlanPtr *cache, const char *sql, int nargs, Oid *argtypes,
					 int cursor_options)
{
	SPIPlanPtr	plan;

	if (*cache != NULL)
		return *cache;
	plan = SPI_prepare_cursor(sql, nargs, argtypes, cursor_options);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s",
			 sql, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	*cache = plan;
	return plan;
}

/* The plan in *cache, prepared and kept on first use. */
SPIPlanPtr
ed_prepare_kept(SPIPlanPtr *cache, const char *sql, int nargs, Oid *argtypes)
{
	return ed_prepare_kept_with(cache, sql, nargs, argtypes, 0);
}

/*
 * The same, always run with its generic plan: for statements run on every
 * call whose shape does not depend on the values, where the plan cache
 * would otherwise keep choosing (and planning anew) custom plans because
 * the generic plan's row estimates look larger.
 */
SPIPlanPtr
ed_prepare_kept_generic(SPIPlanPtr *cache, const char *sql, int nargs, Oid *argtypes)
{
	return ed_prepare_kept_with(cache, sql, nargs, argtypes, CURSOR_OPT_GENERIC_PLAN);
}

/* Run a prepared statement; anything but the expected result is an error. */
void
ed_execute_kept(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only,
				long tcount, int expected)
{
	int			ret = SPI_execute_plan(plan, values, nulls, read_only, tcount);

	if (ret != expected)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
}
