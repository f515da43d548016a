/*-------------------------------------------------------------------------
 *
 * list_query.h
 *	  The list operation: filters, ordering and paging turned into one
 *	  parameterized query, and the page rendered from its rows.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_LIST_QUERY_H
#define ED_LIST_QUERY_H

#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/jsonb.h"


typedef struct EdListArgs
{
	int64		project_id;
	char	   *search;			/* NULL: no search */
	char	   *event_type;		/* NULL: "event" */
	bool		exclude_hidden;
	bool		exclude_stale;
	bool		has_verified;
	bool		verified;
	ArrayType  *tags;			/* NULL: no filter */
	ArrayType  *names;
	ArrayType  *excluded_properties;
	char	   *ordering;		/* NULL: the default order */
	bool		has_has_violations;	/* 1.2: filter on schema violations */
	bool		has_violations;
	int64		limit;
	int64		offset;
} EdListArgs;

extern void ed_list_check_args(const EdListArgs *args);
extern Jsonb *ed_list_page(const EdListArgs *args, MemoryContext resultcxt);

#endif							/* ED_LIST_QUERY_H */
