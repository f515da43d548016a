/*-------------------------------------------------------------------------
 *
 * page.h
 *	  The paged envelope of list and activity: count, next and previous
 *	  links built from the call's own arguments, results.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_PAGE_H
#define ED_PAGE_H

#include "lib/stringinfo.h"

#define ED_DEFAULT_PAGE_LIMIT 100

extern void ed_check_page_bounds(int64 limit, int64 offset);
extern void ed_url_arg(StringInfo query, const char *name, const char *value);
extern void ed_page_open(StringInfo buf, int64 count, const char *query,
						 int64 limit, int64 offset);
extern void ed_page_close(StringInfo buf, const char *query, int64 limit, int64 offset,
						  bool with_capped_flag);

#endif							/* ED_PAGE_H */
