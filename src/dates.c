/*-------------------------------------------------------------------------
 *
 * dates.c
 *	  UTC days of timestamps.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "dates.h"

/* The UTC day of a finite timestamp (TimestampTz counts UTC microseconds). */
DateADT
ed_utc_day(TimestampTz ts)
{
	int64		day = ts / USECS_PER_DAY;

	if (ts < 0 && ts % USECS_PER_DAY != 0)
		day--;
	return (DateADT) day;
}
