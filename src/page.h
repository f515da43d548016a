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
#include "utils/jsonb.h"

#include "jsonb_writer.h"

#define ED_DEFAULT_PAGE_LIMIT 100
#define ED_DEFAULT_MAX_PAGE_LIMIT 10000

/*
 * The least a row of a page takes in jsonb: its keys, their entries and the
 * values that are never empty (a definition's uuid, two timestamps,
 * enforcement_mode; an entry's uuids, scope and created_at).
 */
#define ED_DEFINITION_MIN_JSONB_BYTES 400
#define ED_ACTIVITY_MIN_JSONB_BYTES 200

extern void ed_page_define_gucs(void);
extern void ed_check_max_page_limit(int64 limit, const char *rest);
extern void ed_check_page_bounds(int64 limit, int64 offset);
extern void ed_url_arg(StringInfo query, const char *name, const char *value);
extern void ed_page_check(int64 count, int64 limit, int64 offset, int min_row_bytes);
extern JsonbValue *ed_page_envelope(JsonbValue *rows, int64 count, const char *query,
									int64 limit, int64 offset, bool with_capped_flag);
extern void ed_page_begin(EdJsonbWriter *w, MemoryContext cxt, int64 count, const char *query,
						  int64 limit, int64 offset, bool with_capped_flag, int nrows);
extern void ed_page_row(EdJsonbWriter *w, JsonbValue *row);
extern Jsonb *ed_page_finish(EdJsonbWriter *w);

#endif							/* ED_PAGE_H */
