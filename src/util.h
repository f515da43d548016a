/*-------------------------------------------------------------------------
 *
 * util.h
 *	  Compatibility umbrella: the small modules that util.c used to hold.
 *	  New code includes the header of what it uses instead:
 *	    args.h         arguments of SQL-callable functions
 *	    text_arrays.h  text[] and Lists of strings
 *	    event_name.h   event-name rules and limits
 *	    numbers.h      integers from JSON numbers and text
 *	    dates.h        UTC days
 *	    messages.h     PT404, "not found", truncated values for messages
 *	    nullable.h     nullable scalars
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_UTIL_H
#define ED_UTIL_H

#include "args.h"
#include "dates.h"
#include "event_name.h"
#include "messages.h"
#include "nullable.h"
#include "numbers.h"
#include "text_arrays.h"

#endif							/* ED_UTIL_H */
