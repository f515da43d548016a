/*-------------------------------------------------------------------------
 *
 * dates.h
 *	  UTC days of timestamps (the volume counters and the "::date" keys).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_DATES_H
#define ED_DATES_H

#include "utils/date.h"

extern DateADT ed_utc_day(TimestampTz ts);

#endif							/* ED_DATES_H */
