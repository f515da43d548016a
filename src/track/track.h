/*-------------------------------------------------------------------------
 *
 * track.h
 *	  Tracked tables: a user's own events table feeding ingestion.
 *
 *	  track.c        track/untrack, the catalog row, the tables' triggers,
 *	                 the event triggers that follow renames and partitions
 *	  track_ingest.c counting one statement's (or one batch's) rows and
 *	                 ingesting them; the statement trigger
 *	  backfill.c     the backfill procedure
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_TRACK_H
#define ED_TRACK_H

#include "access/tupdesc.h"
#include "commands/trigger.h"
#include "datatype/timestamp.h"
#include "executor/tuptable.h"
#include "utils/hsearch.h"
#include "utils/rel.h"

/* names of the triggers track() puts on the table and its partitions */
#define ED_TRACK_INSERT_TRIGGER "ed_track_insert"
#define ED_TRACK_UPDATE_TRIGGER "ed_track_update"

/* what track() was told: column names, or a fixed project */
typedef struct EdTrackConfig
{
	Oid			relid;			/* the tracked table (a root, never a partition) */
	char	   *project_column; /* NULL when project_id is fixed */
	char	   *event_column;
	char	   *seen_at_column; /* NULL: now() */
	bool		has_project_id;
	int64		project_id;
} EdTrackConfig;

/* the configured columns resolved against one relation's tuple descriptor */
typedef struct EdTrackColumns
{
	AttrNumber	project;		/* InvalidAttrNumber when fixed */
	AttrNumber	event;
	AttrNumber	seen_at;		/* InvalidAttrNumber: now() */
	Oid			project_type;	/* INT2OID, INT4OID or INT8OID */
} EdTrackColumns;

/* counts of one statement or one backfill batch, before ingestion */
typedef struct EdTrackAgg
{
	MemoryContext cxt;
	HTAB	   *counts;			/* (project, day, name) -> events, newest */
	TimestampTz now;
	int64		seen;			/* rows accepted */
	int64		rejected;		/* rows skipped */
	const char *first_reason;	/* why the first skipped row was skipped */
} EdTrackAgg;

/* track.c */
extern void ed_track(EdTrackConfig *cfg);
extern void ed_untrack(Oid relid);
extern void ed_track_resolve(Relation rel, const EdTrackConfig *cfg, EdTrackColumns *cols);
extern bool ed_track_load(Oid relid, bool lock, EdTrackConfig *cfg);
extern void ed_track_check_owner(Oid relid, Oid roleid);
extern void ed_track_ddl_end(void);
extern void ed_track_sql_drop(void);

/* track_ingest.c */
extern void ed_track_agg_init(EdTrackAgg *agg);
extern void ed_track_agg_add_slot(EdTrackAgg *agg, TupleTableSlot *slot,
								  const EdTrackColumns *cols, const EdTrackConfig *cfg);
extern void ed_track_agg_ingest(EdTrackAgg *agg);
extern void ed_track_agg_free(EdTrackAgg *agg);
extern Datum ed_track_trigger(FunctionCallInfo fcinfo);

/* backfill.c */
extern void ed_backfill(FunctionCallInfo fcinfo, Oid relid, int32 batch_size);

#endif							/* ED_TRACK_H */
