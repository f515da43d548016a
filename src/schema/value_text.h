/*-------------------------------------------------------------------------
 *
 * value_text.h
 *	  A property value as the short text that errors and violation
 *	  samples show.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_VALUE_TEXT_H
#define ED_VALUE_TEXT_H

#include "utils/jsonb.h"

/* what actual_value and samples keep of a value, in characters */
#define ED_VALUE_TEXT_MAX_CHARS 64

extern char *ed_value_text(const JsonbValue *v, int max_chars);

#endif							/* ED_VALUE_TEXT_H */
