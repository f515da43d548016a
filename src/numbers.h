/*-------------------------------------------------------------------------
 *
 * numbers.h
 *	  Integers from JSON numbers and from text, without throwing.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_NUMBERS_H
#define ED_NUMBERS_H

#include "utils/numeric.h"

extern bool ed_parse_int64(const char *s, int64 *out);
extern bool ed_numeric_to_int64(Numeric num, int64 *out);

#endif							/* ED_NUMBERS_H */
