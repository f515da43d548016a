/*-------------------------------------------------------------------------
 *
 * js_text.h
 *	  Text read the way PostHog's validator (JavaScript) reads it: the
 *	  white space that String.prototype.trim() removes, and the strings
 *	  Number() turns into a finite number.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_JS_TEXT_H
#define ED_JS_TEXT_H

#include "utils/numeric.h"

extern void ed_js_trim(const char **s, int *len);
extern bool ed_js_numeric_text(const char *s, int len);
extern bool ed_numeric_is_finite_double(Numeric num);

#endif							/* ED_JS_TEXT_H */
