/*-------------------------------------------------------------------------
 *
 * args.h
 *	  Arguments of the SQL-callable functions: presence, defaults, the
 *	  project id.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_ARGS_H
#define ED_ARGS_H

#include "fmgr.h"
#include "utils/uuid.h"

extern void ed_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *argname);
extern int64 ed_arg_project_id(FunctionCallInfo fcinfo, int argno);
extern pg_uuid_t *ed_arg_uuid(FunctionCallInfo fcinfo, int argno, const char *argname);
extern int64 ed_arg_int64_default(FunctionCallInfo fcinfo, int argno, int64 dflt);
extern bool ed_arg_bool_default(FunctionCallInfo fcinfo, int argno, bool dflt);
extern char *ed_arg_cstring(FunctionCallInfo fcinfo, int argno);
extern char *ed_arg_name(FunctionCallInfo fcinfo, int argno);

#endif							/* ED_ARGS_H */
