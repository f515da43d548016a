/*-------------------------------------------------------------------------
 *
 * metrics.c
 *	  Usage metrics of a definition: query usage and event volume over the
 *	  last 30 UTC days (today and the 29 days before it).
 *
 *	  Counters are kept per definition and UTC day by ingest.c, so a metric
 *	  is a sum over at most 30 rows of each counter table.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/date.h"

#include "catalog.h"
#include "metrics.h"

/*
 * Render {"query_usage_30_day", "volume_30_day"}.  Runs inside SPI; the
 * definition must exist (PT404 otherwise).
 */
void
ed_metrics_render(StringInfo buf, int64 project_id, const pg_uuid_t *id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[4] = {INT8OID, UUIDOID, DATEOID, DATEOID};
	Datum		values[4];
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	DateADT		today = ed_utc_day(now);

	ed_prepare_kept(&plan,
					"SELECT d.id,"
					" (SELECT coalesce(sum(q.queries), 0) FROM event_definitions.query_usage q"
					"  WHERE q.project_id = $1 AND q.definition_id = $2"
					"  AND q.day BETWEEN $3 AND $4),"
					" (SELECT coalesce(sum(v.events), 0) FROM event_definitions.daily_volume v"
					"  WHERE v.project_id = $1 AND v.definition_id = $2"
					"  AND v.day BETWEEN $3 AND $4)"
					" FROM event_definitions.definitions d"
					" WHERE d.project_id = $1 AND d.id = $2",
					4, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	values[2] = DateADTGetDatum(today - (ED_METRICS_WINDOW_DAYS - 1));
	values[3] = DateADTGetDatum(today);
	ed_execute_kept(plan, values, NULL, true, 1, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ed_not_found(project_id, id);

	/* the sums are numeric: print them as they are, exact */
	appendStringInfo(buf, "{\"query_usage_30_day\":%s,\"volume_30_day\":%s}",
					 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2),
					 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3));
	SPI_freetuptable(SPI_tuptable);
}
