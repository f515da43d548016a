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

/* The plan in *cache, prepared and kept on first use. */
SPIPlanPtr
ed_prepare_kept(SPIPlanPtr *cache, const char *sql, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan;

	if (*cache != NULL)
		return *cache;
	plan = SPI_prepare(sql, nargs, argtypes);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s",
			 sql, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	*cache = plan;
	return plan;
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
