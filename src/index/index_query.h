/*-------------------------------------------------------------------------
 *
 * index_query.h
 *	  Answering a list query from a name index base and its overlay.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_INDEX_QUERY_H
#define ED_INDEX_QUERY_H

#include "index_overlay.h"
#include "name_index.h"

extern void ed_index_answer(const EdIndexView *view, const EdOverlay *ov, const EdIndexQuery *q,
							EdIndexResult *result);

#endif							/* ED_INDEX_QUERY_H */
