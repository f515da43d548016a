/*-------------------------------------------------------------------------
 *
 * restore.h
 *	  Restore of a deleted definition from its activity entry (1.1).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_RESTORE_H
#define ED_RESTORE_H

#include "utils/jsonb.h"

#include "lib/stringinfo.h"

#include "util.h"

extern JsonbValue *ed_restore(int64 project_id, const pg_uuid_t *id);

#endif							/* ED_RESTORE_H */
