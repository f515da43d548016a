/*-------------------------------------------------------------------------
 *
 * lookup.h
 *	  Reads of definitions by name: by_name and primary_properties (1.1).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_LOOKUP_H
#define ED_LOOKUP_H

#include "utils/array.h"
#include "utils/jsonb.h"

extern void ed_check_lookup_name(const char *name, int len);
extern JsonbValue *ed_lookup_by_name(int64 project_id, const char *name);
extern JsonbValue *ed_primary_properties(int64 project_id, ArrayType *names);

#endif							/* ED_LOOKUP_H */
