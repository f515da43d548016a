/*-------------------------------------------------------------------------
 *
 * metrics.c
 *	  Usage metrics of a definition: query usage and event volume over the
 *	  last 30 UTC days (today and the 29 days before it).
 *
 *	  Counters are kept per definition and UTC day by ingest.c, so a metric
 *	  is a sum over at most 30 rows of each counter table (of violations:
 *	  30 days times the schema's properties and reasons).
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
#include "version.h"

/* the sums of the counter tables, then those of "more" (1.2: violations) */
#define ED_METRICS_SQL(more) \
	"SELECT d.id," \
	" (SELECT coalesce(sum(q.queries), 0) FROM event_definitions.query_usage q" \
	"  WHERE q.project_id = $1 AND q.definition_id = $2" \
	"  AND q.day BETWEEN $3 AND $4)," \
	" (SELECT coalesce(sum(v.events), 0) FROM event_definitions.daily_volume v" \
	"  WHERE v.project_id = $1 AND v.definition_id = $2" \
	"  AND v.day BETWEEN $3 AND $4)" more \
	" FROM event_definitions.definitions d" \
	" WHERE d.project_id = $1 AND d.id = $2"

/*
 * Render {"query_usage_30_day", "volume_30_day"}, and from 1.2
 * "violations_30_day" (schema violations counted by ingestion).  Runs
 * inside SPI; the definition must exist (PT404 otherwise).
 */
void
ed_metrics_render(StringInfo buf, int64 project_id, const pg_uuid_t *id)
{
	static SPIPlanPtr plans[2] = {NULL, NULL};	/* [1.2 or later] */
	Oid			argtypes[4] = {INT8OID, UUIDOID, DATEOID, DATEOID};
	Datum		values[4];
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	DateADT		today = ed_utc_day(now);
	bool		v12 = ed_sql_version() >= ED_SQL_1_2;

	ed_prepare_kept(&plans[v12], v12 ?
					ED_METRICS_SQL(", (SELECT coalesce(sum(s.violations), 0)"
								   "  FROM event_definitions.schema_violations s"
								   "  WHERE s.project_id = $1 AND s.definition_id = $2"
								   "  AND s.day BETWEEN $3 AND $4)")
					: ED_METRICS_SQL(""),
					4, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	values[2] = DateADTGetDatum(today - (ED_METRICS_WINDOW_DAYS - 1));
	values[3] = DateADTGetDatum(today);
	ed_execute_kept(plans[v12], values, NULL, true, 1, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ed_not_found(project_id, id);

	/* the sums are numeric: print them as they are, exact */
	appendStringInfo(buf, "{\"query_usage_30_day\":%s,\"volume_30_day\":%s",
					 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2),
					 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3));
	if (v12)
		appendStringInfo(buf, ",\"violations_30_day\":%s",
						 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4));
	appendStringInfoChar(buf, '}');
	SPI_freetuptable(SPI_tuptable);
}
