/*-------------------------------------------------------------------------
 *
 * text_arrays.h
 *	  text[] to and from Lists of C strings; sorted sets of strings.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_TEXT_ARRAYS_H
#define ED_TEXT_ARRAYS_H

#include "nodes/pg_list.h"
#include "utils/array.h"

extern List *ed_text_array_to_list(ArrayType *arr, const char *argname);
extern ArrayType *ed_list_to_text_array(List *strings);
extern int	ed_cstring_cmp(const void *a, const void *b);
extern List *ed_sort_unique_strings(List *strings);

#endif							/* ED_TEXT_ARRAYS_H */
