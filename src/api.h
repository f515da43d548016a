/*-------------------------------------------------------------------------
 *
 * api.h
 *	  What every SQL-callable function of the API does first and last:
 *	  check the installed version, the project argument, the caller's
 *	  scope on it and read-only transactions; open SPI and close it,
 *	  leaving the result in the caller's memory context.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_API_H
#define ED_API_H

#include "fmgr.h"
#include "utils/jsonb.h"

#include "access.h"

extern int64 ed_begin(FunctionCallInfo fcinfo, EdScope scope, const char *operation);
extern MemoryContext ed_spi_connect(void);
extern void ed_spi_finish(void);
extern Jsonb *ed_spi_finish_jsonb(JsonbValue *result, MemoryContext callercxt);

#endif							/* ED_API_H */
