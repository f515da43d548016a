/*-------------------------------------------------------------------------
 *
 * ingest.c
 *	  Ingestion of event batches, and query-usage counting.
 *
 *	  A batch is checked whole before anything is written, then reduced in
 *	  memory: one row per distinct name (its newest time) and one counter
 *	  per (name, UTC day).  The reduced batch is written by one statement
 *	  that upserts the definitions and adds to the daily counters, locking
 *	  rows in name order: concurrent batches with overlapping names wait
 *	  for each other on the names they share instead of deadlocking, and
 *	  ON CONFLICT ... DO UPDATE adds every count exactly once.  Ingestion
 *	  writes last_seen_at only; curated fields are never touched.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "catalog.h"
#include "ingest.h"
#include "project_stats.h"
#include "version.h"

/* PostHog's internal metrics event: never a definition */
#define ED_SKIPPED_EVENT "$$plugin_metrics"

typedef struct EdEvent
{
	char	   *name;
	TimestampTz seen_at;
} EdEvent;

static int
ed_event_cmp(const void *a, const void *b)
{
	const EdEvent *x = a;
	const EdEvent *y = b;
	int			c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return (x->seen_at > y->seen_at) - (x->seen_at < y->seen_at);
}

static Datum *
ed_datum_array(int n)
{
	return palloc(sizeof(Datum) * Max(n, 1));
}

/*
 * Check and decode a batch.  Every element is checked before anything is
 * written; errors name the 1-based array position.
 */
static EdEvent *
ed_decode_batch(ArrayType *names, ArrayType *seen_at, int *nevents)
{
	Datum	   *name_elems;
	bool	   *name_nulls;
	int			nnames;
	Datum	   *seen_elems = NULL;
	bool	   *seen_nulls = NULL;
	int			nseen = 0;
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	EdEvent    *events;
	int			n = 0;

	if (ARR_NDIM(names) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("names must be a one-dimensional array")));
	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT,
					  &name_elems, &name_nulls, &nnames);
	if (seen_at != NULL)
	{
		if (ARR_NDIM(seen_at) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("seen_at must be a one-dimensional array")));
		deconstruct_array(seen_at, TIMESTAMPTZOID, sizeof(TimestampTz), true, TYPALIGN_DOUBLE,
						  &seen_elems, &seen_nulls, &nseen);
		if (nseen != nnames)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("names and seen_at must have the same length"),
					 errdetail_plural("names has %d element, seen_at has %d.",
									  "names has %d elements, seen_at has %d.",
									  nnames, nnames, nseen)));
	}

	events = palloc(sizeof(EdEvent) * Max(nnames, 1));
	for (int i = 0; i < nnames; i++)
	{
		text	   *t;
		const char *reason;
		TimestampTz ts = now;

		CHECK_FOR_INTERRUPTS();
		if (name_nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid event name at position %d of names", i + 1),
					 errdetail("An event name must not be null.")));
		t = DatumGetTextPP(name_elems[i]);
		if (!ed_name_is_valid(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &reason))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid event name at position %d of names", i + 1),
					 errdetail("%s", reason)));
		if (seen_elems != NULL && !seen_nulls[i])
		{
			ts = DatumGetTimestampTz(seen_elems[i]);
			if (TIMESTAMP_NOT_FINITE(ts))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid timestamp at position %d of seen_at", i + 1),
						 errdetail("An event time must be finite.")));
		}
		events[n].name = text_to_cstring(t);
		if (strcmp(events[n].name, ED_SKIPPED_EVENT) == 0)
			continue;
		events[n].seen_at = ts;
		n++;
	}
	*nevents = n;
	return events;
}

/*
 * The reduced batch in one statement.  "old" reads the last-seen days
 * before the upsert (all parts of one statement share its snapshot), so
 * the statement knows which names are new or moved to another day: those
 * change what the name index holds, and 1.1 records them in name_changes
 * (the "changes" part).  Rows are locked in name order (the batch is
 * sorted), so concurrent batches wait for each other only on the names
 * they share, and never deadlock.
 *
 * "old" probes the unique key once per name (the lateral subquery pins the
 * nested loop), so its cost is the batch's whatever the planner believes
 * about the project; "name = ANY (...)" could scan the project whole.  It
 * is materialized, and read in full by the upsert's one-time filter before
 * the upsert writes anything: read later (in the final join), its probes
 * would also walk the index entries that the statement itself adds.
 */
#define ED_INGEST_RECORD_CHANGES \
	", changes AS (" \
	"  INSERT INTO event_definitions.name_changes (project_id, name)" \
	"  SELECT $1, up.name FROM up LEFT JOIN old ON old.name = up.name" \
	"  WHERE up.inserted OR up.last_seen_day IS DISTINCT FROM old.last_seen_day" \
	")"
#define ED_INGEST_SQL(record_changes) \
	"WITH old AS MATERIALIZED (" \
	"  SELECT u.name, d.last_seen_day FROM unnest($2::text[]) AS u(name)" \
	"  CROSS JOIN LATERAL (SELECT d.last_seen_day FROM event_definitions.definitions d" \
	"    WHERE d.project_id = $1 AND d.name = u.name OFFSET 0) d" \
	"), up AS (" \
	"  INSERT INTO event_definitions.definitions AS d (project_id, name, last_seen_at)" \
	"  SELECT $1, u.name, u.seen" \
	"  FROM unnest($2::text[], $3::timestamptz[]) WITH ORDINALITY AS u(name, seen, ord)" \
	"  WHERE (SELECT count(*) FROM old) >= 0" \
	"  ORDER BY u.ord" \
	"  ON CONFLICT (project_id, name) DO UPDATE" \
	"  SET last_seen_at = greatest(d.last_seen_at, excluded.last_seen_at)," \
	"      created_at = coalesce(d.created_at, excluded.created_at)" \
	"  RETURNING d.id, d.name, d.last_seen_day, (d.xmax = 0) AS inserted" \
	"), vol AS (" \
	"  INSERT INTO event_definitions.daily_volume AS v" \
	"  (project_id, definition_id, day, events)" \
	"  SELECT $1, up.id, x.day, x.events" \
	"  FROM unnest($4::text[], $5::date[], $6::bigint[]) AS x(name, day, events)" \
	"  JOIN up ON up.name = x.name" \
	"  ORDER BY up.id, x.day" \
	"  ON CONFLICT (project_id, definition_id, day) DO UPDATE" \
	"  SET events = v.events + excluded.events" \
	")" record_changes \
	" SELECT count(*) FILTER (WHERE up.inserted)::int4," \
	"  count(*) FILTER (WHERE NOT up.inserted" \
	"    AND up.last_seen_day IS DISTINCT FROM old.last_seen_day)::int4" \
	" FROM up LEFT JOIN old ON old.name = up.name"

#define ED_INGEST_SMALL_BATCH 16

/*
 * Small batches (a tracked table's single-row INSERT) run a generic plan:
 * planning this statement costs more than running it for a few names.
 * Larger batches are planned for their arrays' sizes.
 */
static SPIPlanPtr
ed_ingest_plan(bool small)
{
	static SPIPlanPtr plans[2][2];	/* [v11][small] */
	Oid			argtypes[6] = {INT8OID, TEXTARRAYOID, TIMESTAMPTZARRAYOID,
	TEXTARRAYOID, DATEARRAYOID, INT8ARRAYOID};
	bool		v11 = ed_sql_version() >= ED_SQL_1_1;
	SPIPlanPtr *cache = &plans[v11][small];
	SPIPlanPtr	plan;

	if (*cache != NULL)
		return *cache;
	plan = SPI_prepare_cursor(v11 ? ED_INGEST_SQL(ED_INGEST_RECORD_CHANGES) : ED_INGEST_SQL(""),
							  6, argtypes, small ? CURSOR_OPT_GENERIC_PLAN : 0);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare_cursor failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	*cache = plan;
	return plan;
}

/*
 * Write a reduced batch: def_* holds one (name, newest time) per distinct
 * name in strcmp order, vol_* one (name, UTC day, count) per distinct pair
 * in the same order.  Returns the number of definitions created.
 */
static int32
ed_ingest_write(int64 project_id, Datum *def_names, Datum *def_seen, int ndefs,
				Datum *vol_names, Datum *vol_days, Datum *vol_counts, int nvols)
{
	SPIPlanPtr	plan;
	Datum		values[6];
	int32		created;
	int32		moved_days;
	bool		isnull;

	values[0] = Int64GetDatum(project_id);
	values[1] = PointerGetDatum(construct_array(def_names, ndefs, TEXTOID, -1, false, TYPALIGN_INT));
	values[2] = PointerGetDatum(construct_array(def_seen, ndefs, TIMESTAMPTZOID,
												sizeof(TimestampTz), true, TYPALIGN_DOUBLE));
	values[3] = PointerGetDatum(construct_array(vol_names, nvols, TEXTOID, -1, false, TYPALIGN_INT));
	values[4] = PointerGetDatum(construct_array(vol_days, nvols, DATEOID,
												sizeof(DateADT), true, TYPALIGN_INT));
	values[5] = PointerGetDatum(construct_array(vol_counts, nvols, INT8OID,
												sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));

	ed_write_begin(project_id);
	plan = ed_ingest_plan(ndefs <= ED_INGEST_SMALL_BATCH && nvols <= ED_INGEST_SMALL_BATCH);
	ed_execute_maintained(plan, values, NULL, SPI_OK_SELECT);
	created = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	moved_days = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	SPI_freetuptable(SPI_tuptable);
	/* the statement itself recorded the names whose day moved or that are new */
	ed_write_done(project_id, created, NULL, false);
	if (ed_sql_version() >= ED_SQL_1_1 && (created > 0 || moved_days > 0))
		ed_changes_maybe_trim(project_id);
	if (ed_sql_version() < ED_SQL_1_1 && moved_days > 0 && created == 0)
		ed_write_done(project_id, 0, NULL, true);
	return created;
}

int32
ed_ingest_batch(int64 project_id, ArrayType *names, ArrayType *seen_at)
{
	EdEvent    *events;
	int			nevents;
	Datum	   *def_names,
			   *def_seen,
			   *vol_names,
			   *vol_days,
			   *vol_counts;
	int			ndefs = 0;
	int			nvols = 0;

	events = ed_decode_batch(names, seen_at, &nevents);
	if (nevents == 0)
		return 0;
	qsort(events, nevents, sizeof(EdEvent), ed_event_cmp);

	/* reduce: sorted by (name, seen_at), so each group's last is its newest */
	def_names = ed_datum_array(nevents);
	def_seen = ed_datum_array(nevents);
	vol_names = ed_datum_array(nevents);
	vol_days = ed_datum_array(nevents);
	vol_counts = ed_datum_array(nevents);
	for (int i = 0; i < nevents; i++)
	{
		bool		new_name = i == 0 || strcmp(events[i].name, events[i - 1].name) != 0;
		DateADT		day = ed_utc_day(events[i].seen_at);

		CHECK_FOR_INTERRUPTS();
		if (new_name)
			def_names[ndefs++] = CStringGetTextDatum(events[i].name);
		def_seen[ndefs - 1] = TimestampTzGetDatum(events[i].seen_at);

		if (new_name || DatumGetDateADT(vol_days[nvols - 1]) != day)
		{
			vol_names[nvols] = def_names[ndefs - 1];
			vol_days[nvols] = DateADTGetDatum(day);
			vol_counts[nvols] = Int64GetDatum(0);
			nvols++;
		}
		vol_counts[nvols - 1] = Int64GetDatum(DatumGetInt64(vol_counts[nvols - 1]) + 1);
	}
	return ed_ingest_write(project_id, def_names, def_seen, ndefs,
						   vol_names, vol_days, vol_counts, nvols);
}

static int
ed_event_count_cmp(const void *a, const void *b)
{
	const EdEventCount *x = a;
	const EdEventCount *y = b;
	int			c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return (x->day > y->day) - (x->day < y->day);
}

/*
 * Ingest events already counted by the caller: one entry per (name, UTC
 * day) with its number of events and newest time.  Names must be valid
 * (the caller checked them with ed_name_is_valid and skipped the others);
 * "$$plugin_metrics" is skipped here as in ed_ingest_batch.  The entries
 * are sorted in place.  Used by tracked tables (track.c), which count
 * whole statements in a hash table instead of building name arrays.
 */
int32
ed_ingest_counted(int64 project_id, EdEventCount *counts, int ncounts)
{
	Datum	   *def_names,
			   *def_seen,
			   *vol_names,
			   *vol_days,
			   *vol_counts;
	int			ndefs = 0;
	int			nvols = 0;

	if (ncounts == 0)
		return 0;
	qsort(counts, ncounts, sizeof(EdEventCount), ed_event_count_cmp);
	def_names = ed_datum_array(ncounts);
	def_seen = ed_datum_array(ncounts);
	vol_names = ed_datum_array(ncounts);
	vol_days = ed_datum_array(ncounts);
	vol_counts = ed_datum_array(ncounts);
	for (int i = 0; i < ncounts; i++)
	{
		EdEventCount *c = &counts[i];

		if (strcmp(c->name, ED_SKIPPED_EVENT) == 0)
			continue;
		if (ndefs == 0 || strcmp(c->name, counts[i - 1].name) != 0)
		{
			def_names[ndefs] = CStringGetTextDatum(c->name);
			def_seen[ndefs] = TimestampTzGetDatum(c->newest);
			ndefs++;
		}
		else if (c->newest > DatumGetTimestampTz(def_seen[ndefs - 1]))
			def_seen[ndefs - 1] = TimestampTzGetDatum(c->newest);
		vol_names[nvols] = def_names[ndefs - 1];
		vol_days[nvols] = DateADTGetDatum(c->day);
		vol_counts[nvols] = Int64GetDatum(c->events);
		nvols++;
	}
	if (ndefs == 0)
		return 0;
	return ed_ingest_write(project_id, def_names, def_seen, ndefs,
						   vol_names, vol_days, vol_counts, nvols);
}

/*
 * Count one use on the UTC day of "at" for each element of names that has a
 * definition in the project.  Like every writer it queues on the project's
 * writer lock first, so it cannot deadlock with a delete in a transaction
 * that also ingests.
 */
int32
ed_record_query_usage(int64 project_id, ArrayType *names, TimestampTz at)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {INT8OID, TEXTARRAYOID, DATEOID};
	Datum		values[3];
	List	   *name_list;
	bool		isnull;
	int32		counted;

	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("at must be a finite timestamp")));
	/*
	 * Checks shape and NULL elements.  Each name is one probe of the unique
	 * key (a pinned nested loop), so the cost is that of the names.
	 */
	name_list = ed_text_array_to_list(names, "names");
	if (name_list == NIL)
		return 0;

	ed_prepare_kept(&plan,
					"WITH hit AS ("
					"  SELECT d.id FROM unnest($2::text[]) AS u(name)"
					"  CROSS JOIN LATERAL (SELECT d.id FROM event_definitions.definitions d"
					"    WHERE d.project_id = $1 AND d.name = u.name OFFSET 0 FOR KEY SHARE) d"
					"), src AS ("
					"  SELECT hit.id, count(*) AS n FROM hit GROUP BY hit.id"
					"), ins AS ("
					"  INSERT INTO event_definitions.query_usage AS q (project_id, definition_id, day, queries)"
					"  SELECT $1, src.id, $3, src.n FROM src ORDER BY src.id"
					"  ON CONFLICT (project_id, definition_id, day) DO UPDATE"
					"  SET queries = q.queries + excluded.queries"
					") SELECT coalesce(sum(src.n), 0)::int4 FROM src",
					3, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = PointerGetDatum(names);
	values[2] = DateADTGetDatum(ed_utc_day(at));
	/* in a 1.0 schema, the project's writer lock first */
	ed_write_begin(project_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_SELECT);
	counted = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	return counted;
}
