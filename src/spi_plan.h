/*-------------------------------------------------------------------------
 *
 * spi_plan.h
 *	  Kept SPI plans: prepare a statement once per backend, run it and
 *	  check its result.  A leaf module: it depends on nothing of ours.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_SPI_PLAN_H
#define ED_SPI_PLAN_H

#include "executor/spi.h"

extern SPIPlanPtr ed_prepare_kept(SPIPlanPtr *cache, const char *sql, int nargs, Oid *argtypes);
extern SPIPlanPtr ed_prepare_kept_generic(SPIPlanPtr *cache, const char *sql, int nargs,
										  Oid *argtypes);
extern void ed_execute_kept(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only,
							long tcount, int expected);

#endif							/* ED_SPI_PLAN_H */
