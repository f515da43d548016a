/*-------------------------------------------------------------------------
 *
 * nullable.h
 *	  Nullable scalars of a definition: a value and whether it is SQL NULL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_NULLABLE_H
#define ED_NULLABLE_H

#include "utils/timestamp.h"

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

#endif							/* ED_NULLABLE_H */
