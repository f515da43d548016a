/*-------------------------------------------------------------------------
 *
 * jsonb_writer.h
 *	  A jsonb object written straight into one buffer, one array of it
 *	  streamed element by element: a page of any size without holding a
 *	  tree of the whole page.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_JSONB_WRITER_H
#define ED_JSONB_WRITER_H

#include "lib/stringinfo.h"
#include "utils/jsonb.h"

#define ED_JW_MAX_PAIRS 8

typedef struct EdJsonbWriter
{
	StringInfoData buf;			/* the jsonb being written */
	int			npairs;
	JsonbValue	values[ED_JW_MAX_PAIRS];	/* scalars after the array */
	int			array_pair;		/* which value is the streamed array */
	int			entries;		/* offset of the object's JEntries */
	int			nentries;		/* JEntries filled so far */
	int			datalen;		/* the object's data so far */
	int			array_base;		/* where the array starts (before padding) */
	int			array_entries;	/* offset of the array's JEntries */
	int			nelems;
	int			elem;			/* elements written so far */
	int			array_datalen;
} EdJsonbWriter;

extern void ed_jw_begin(EdJsonbWriter *w, MemoryContext cxt, int npairs,
						const char *const *keys, const JsonbValue *values,
						int array_pair, int nelems);
extern void ed_jw_element(EdJsonbWriter *w, JsonbValue *elem);
extern Jsonb *ed_jw_finish(EdJsonbWriter *w);

#endif							/* ED_JSONB_WRITER_H */
