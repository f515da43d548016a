/*-------------------------------------------------------------------------
 *
 * name_index.h
 *	  The in-memory name index of a project, kept up to date incrementally:
 *	  exact-count search and filtered paging in the default list order.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_NAME_INDEX_H
#define ED_NAME_INDEX_H

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

/* what the index can answer: set by list_query.c */
typedef struct EdIndexQuery
{
	List	   *terms;			/* ASCII-lower-cased search terms */
	bool		length_first;	/* shorter names first (search, default order) */
	int			event_type;		/* 0 all, 1 custom only, 2 posthog only */
	bool		exclude_hidden;
	bool		has_verified;
	bool		verified;
	int64		limit;
	int64		offset;
} EdIndexQuery;

typedef struct EdIndexResult
{
	int64		count;			/* exact number of matches */
	int			npage;
	char	  **page_names;		/* the page, in order */
} EdIndexResult;

extern int	ed_name_index_memory_mb;

extern void ed_name_index_define_gucs(void);
extern bool ed_name_index_lookup(int64 project_id, const EdIndexQuery *q, bool build,
								 EdIndexResult *result);
extern void ed_name_index_status(int64 project_id, StringInfo out);

#endif							/* ED_NAME_INDEX_H */
