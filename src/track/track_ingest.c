/*-------------------------------------------------------------------------
 *
 * track_ingest.c
 *	  Counting the rows of a tracked table and ingesting them: the
 *	  statement trigger of tracked tables, and the counter used by backfill.
 *
 *	  One statement's rows (the trigger's transition table) or one backfill
 *	  batch are counted in a hash table keyed by (project, UTC day, name),
 *	  so a COPY of a million rows over a thousand names becomes a thousand
 *	  counters, each name checked once.  The counts are then ingested one
 *	  project after another, in project order, by ed_ingest_counted (which
 *	  sorts names: concurrent statements lock definitions in one order).
 *
 *	  The user's insert never fails because of the catalog: a row whose
 *	  event name the catalog rejects (NULL, empty, too long, control
 *	  characters), whose project is NULL or not positive, or whose time is
 *	  infinite is skipped and counted, with one WARNING per statement.
 *
 *	  Counters of the tracked table go to tracked_counters in a slot per
 *	  backend, so concurrent inserters never wait on each other's counter
 *	  row (a backend runs one transaction at a time).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "catalog/partition.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/backendid.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "dates.h"
#include "event_name.h"
#include "ingest.h"
#include "spi_plan.h"
#include "track.h"

typedef struct EdTrackKey
{
	int64		project_id;
	DateADT		day;
	int			len;
	const char *name;			/* not terminated while probing */
} EdTrackKey;

typedef struct EdTrackEntry
{
	EdTrackKey	key;			/* must be first */
	bool		valid;			/* the name is a valid event name */
	TimestampTz newest;
	int64		events;
} EdTrackEntry;

static uint32
ed_track_key_hash(const void *key, Size keysize)
{
	const EdTrackKey *k = key;
	uint32		h = hash_bytes((const unsigned char *) k->name, k->len);

	h = hash_combine(h, hash_uint32((uint32) k->day));
	return hash_combine(h, hash_uint32((uint32) (k->project_id ^ (k->project_id >> 32))));
}

static int
ed_track_key_cmp(const void *a, const void *b, Size keysize)
{
	const EdTrackKey *x = a;
	const EdTrackKey *y = b;

	if (x->project_id != y->project_id || x->day != y->day || x->len != y->len)
		return 1;
	return memcmp(x->name, y->name, x->len);
}

void
ed_track_agg_init(EdTrackAgg *agg)
{
	HASHCTL		ctl;

	agg->cxt = AllocSetContextCreate(CurrentMemoryContext, "event_definitions track",
									 ALLOCSET_DEFAULT_SIZES);
	ctl.keysize = sizeof(EdTrackKey);
	ctl.entrysize = sizeof(EdTrackEntry);
	ctl.hash = ed_track_key_hash;
	ctl.match = ed_track_key_cmp;
	ctl.hcxt = agg->cxt;
	agg->counts = hash_create("event_definitions track counts", 1024, &ctl,
							  HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	agg->now = GetCurrentTransactionStartTimestamp();
	agg->seen = 0;
	agg->rejected = 0;
	agg->first_reason = NULL;
}

void
ed_track_agg_free(EdTrackAgg *agg)
{
	MemoryContextDelete(agg->cxt);
	agg->counts = NULL;
}

static void
ed_track_reject(EdTrackAgg *agg, const char *reason)
{
	if (agg->rejected++ == 0)
		agg->first_reason = reason;
}

static void
ed_track_count(EdTrackAgg *agg, int64 project_id, const char *name, int len, TimestampTz ts)
{
	EdTrackKey	key;
	EdTrackEntry *e;
	bool		found;

	key.project_id = project_id;
	key.day = ed_utc_day(ts);
	key.len = len;
	key.name = name;
	e = hash_search(agg->counts, &key, HASH_ENTER, &found);
	if (!found)
	{
		const char *reason = NULL;
		char	   *copy = MemoryContextAlloc(agg->cxt, len + 1);

		memcpy(copy, name, len);
		copy[len] = '\0';
		e->key.name = copy;
		e->valid = ed_name_is_valid(copy, len, &reason);
		e->newest = ts;
		e->events = 0;
		/* remember why, so the first rejected row can be explained */
		if (!e->valid && agg->first_reason == NULL)
			agg->first_reason = reason;
	}
	if (!e->valid)
	{
		ed_track_reject(agg, agg->first_reason);
		return;
	}
	if (ts > e->newest)
		e->newest = ts;
	e->events++;
	agg->seen++;
}

/*
 * Count one row: the slot holds a row of the relation that cols was
 * resolved against.  Only the configured columns are read.
 */
void
ed_track_agg_add_slot(EdTrackAgg *agg, TupleTableSlot *slot,
					  const EdTrackColumns *cols, const EdTrackConfig *cfg)
{
	int64		project_id = cfg->project_id;
	TimestampTz ts = agg->now;
	Datum		d;
	bool		isnull;
	text	   *name;

	if (cols->project != InvalidAttrNumber)
	{
		d = slot_getattr(slot, cols->project, &isnull);
		if (isnull)
		{
			ed_track_reject(agg, "The project id of an event must not be null.");
			return;
		}
		project_id = cols->project_type == INT8OID ? DatumGetInt64(d) :
			cols->project_type == INT4OID ? DatumGetInt32(d) : DatumGetInt16(d);
		if (project_id <= 0)
		{
			ed_track_reject(agg, "The project id of an event must be positive.");
			return;
		}
	}
	if (cols->seen_at != InvalidAttrNumber)
	{
		d = slot_getattr(slot, cols->seen_at, &isnull);
		/* timestamp without time zone is read as UTC: same representation */
		if (!isnull)
			ts = DatumGetTimestampTz(d);
		if (TIMESTAMP_NOT_FINITE(ts))
		{
			ed_track_reject(agg, "An event time must be finite.");
			return;
		}
	}
	d = slot_getattr(slot, cols->event, &isnull);
	if (isnull)
	{
		ed_track_reject(agg, "An event name must not be null.");
		return;
	}
	name = (text *) PG_DETOAST_DATUM_PACKED(d);
	ed_track_count(agg, project_id, VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), ts);
	if ((Pointer) name != DatumGetPointer(d))
		pfree(name);
}

static int
ed_track_entry_cmp(const void *a, const void *b)
{
	const EdTrackEntry *x = *(EdTrackEntry *const *) a;
	const EdTrackEntry *y = *(EdTrackEntry *const *) b;

	return (x->key.project_id > y->key.project_id) - (x->key.project_id < y->key.project_id);
}

/* Ingest the counts, one project after another in project order. */
void
ed_track_agg_ingest(EdTrackAgg *agg)
{
	long		n = hash_get_num_entries(agg->counts);
	EdTrackEntry **entries;
	EdEventCount *counts;
	HASH_SEQ_STATUS seq;
	EdTrackEntry *e;
	long		nvalid = 0;
	MemoryContext old;

	if (n == 0)
		return;
	old = MemoryContextSwitchTo(agg->cxt);
	entries = palloc(sizeof(EdTrackEntry *) * n);
	hash_seq_init(&seq, agg->counts);
	while ((e = hash_seq_search(&seq)) != NULL)
		if (e->valid)
			entries[nvalid++] = e;
	qsort(entries, nvalid, sizeof(EdTrackEntry *), ed_track_entry_cmp);
	counts = palloc(sizeof(EdEventCount) * Max(nvalid, 1));
	MemoryContextSwitchTo(old);

	for (long start = 0; start < nvalid;)
	{
		int64		project_id = entries[start]->key.project_id;
		long		end = start;

		while (end < nvalid && entries[end]->key.project_id == project_id)
		{
			counts[end - start].name = (char *) entries[end]->key.name;
			counts[end - start].day = entries[end]->key.day;
			counts[end - start].newest = entries[end]->newest;
			counts[end - start].events = entries[end]->events;
			end++;
		}
		ed_ingest_counted(project_id, counts, (int) (end - start));
		start = end;
		CHECK_FOR_INTERRUPTS();
	}
}

/* Add to the tracked table's counters, in this backend's slot. */
static void
ed_track_add_counters(Oid root, int64 seen, int64 rejected)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[4] = {OIDOID, INT4OID, INT8OID, INT8OID};
	Datum		values[4];

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.tracked_counters AS c"
					" (relid, slot, events_seen, names_rejected) VALUES ($1, $2, $3, $4)"
					" ON CONFLICT (relid, slot) DO UPDATE"
					" SET events_seen = c.events_seen + excluded.events_seen,"
					" names_rejected = c.names_rejected + excluded.names_rejected",
					4, argtypes);
	values[0] = ObjectIdGetDatum(root);
	values[1] = Int32GetDatum(MyBackendId);
	values[2] = Int64GetDatum(seen);
	values[3] = Int64GetDatum(rejected);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
}

/*
 * The configuration travels in the trigger's arguments (written by
 * track.c): project column or '', event column, seen-at column or '',
 * project id or '', and 'root' or 'partition'.  So a statement needs no
 * catalog lookup, and a dump restores the triggers as they were.
 */
static bool
ed_track_trigger_config(TriggerData *td, EdTrackConfig *cfg)
{
	Trigger    *trig = td->tg_trigger;
	Relation	rel = td->tg_relation;
	char	  **args = trig->tgargs;

	if (trig->tgnargs != 5)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on \"%s\" was not created by event_definitions.track()",
						trig->tgname, RelationGetRelationName(rel))));
	/* a partition's trigger stays behind when it is detached: inactive */
	if (strcmp(args[4], "partition") == 0 && !rel->rd_rel->relispartition)
		return false;
	/* the tracked table is the root of the tree the partition belongs to */
	cfg->relid = strcmp(args[4], "root") == 0 ? RelationGetRelid(rel) :
		llast_oid(get_partition_ancestors(RelationGetRelid(rel)));
	cfg->project_column = args[0][0] ? args[0] : NULL;
	cfg->event_column = args[1];
	cfg->seen_at_column = args[2][0] ? args[2] : NULL;
	cfg->has_project_id = args[3][0] != '\0';
	cfg->project_id = cfg->has_project_id ? pg_strtoint64(args[3]) : 0;
	return true;
}

/*
 * AFTER INSERT / AFTER UPDATE ... FOR EACH STATEMENT, with the new rows as
 * transition table.  An UPDATE counts only when it sets the event column.
 */
Datum
ed_track_trigger(FunctionCallInfo fcinfo)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	EdTrackConfig cfg;
	EdTrackColumns cols;
	EdTrackAgg	agg;
	TupleTableSlot *slot;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) ||
		!TRIGGER_FIRED_AFTER(td->tg_event) || td->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("tracked_changed() must be an AFTER ... FOR EACH STATEMENT trigger with a new table"),
				 errhint("Use event_definitions.track() to track a table.")));
	if (!ed_track_trigger_config(td, &cfg))
		return PointerGetDatum(NULL);
	ed_track_resolve(td->tg_relation, &cfg, &cols);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) &&
		!bms_is_member(cols.event - FirstLowInvalidHeapAttributeNumber, td->tg_updatedcols))
		return PointerGetDatum(NULL);

	ed_track_agg_init(&agg);
	slot = MakeSingleTupleTableSlot(RelationGetDescr(td->tg_relation), &TTSOpsMinimalTuple);
	/* other triggers may have read the store: read it from the start */
	tuplestore_select_read_pointer(td->tg_newtable, 0);
	tuplestore_rescan(td->tg_newtable);
	while (tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
	{
		ed_track_agg_add_slot(&agg, slot, &cols, &cfg);
		CHECK_FOR_INTERRUPTS();
	}
	ExecDropSingleTupleTableSlot(slot);
	if (agg.seen == 0 && agg.rejected == 0)
	{
		ed_track_agg_free(&agg);
		return PointerGetDatum(NULL);
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ed_track_agg_ingest(&agg);
	ed_track_add_counters(cfg.relid, agg.seen, agg.rejected);
	SPI_finish();

	if (agg.rejected > 0)
		ereport(WARNING,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("event_definitions skipped " INT64_FORMAT " of " INT64_FORMAT " rows of \"%s\"",
						agg.rejected, agg.rejected + agg.seen,
						RelationGetRelationName(td->tg_relation)),
				 errdetail("%s", agg.first_reason),
				 errhint("Skipped rows are counted in event_definitions.tracked_tables.names_rejected.")));
	ed_track_agg_free(&agg);
	return PointerGetDatum(NULL);
}
