/*-------------------------------------------------------------------------
 *
 * violations_page.c
 *	  violations(project_id, id, since, page_limit, page_offset): the
 *	  counted violations of a project (or of one event), newest day
 *	  first, then by event name, property and reason, each row
 *	  {"event", "event_id", "property", "reason", "day", "count",
 *	  "samples"}.  since keeps the rows of its UTC day and later.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "dates.h"
#include "json_out.h"
#include "messages.h"
#include "page.h"
#include "spi_plan.h"
#include "text_arrays.h"
#include "schema/violations.h"

#define ED_VIOLATIONS_FILTER \
	" FROM event_definitions.schema_violations v" \
	" JOIN event_definitions.definitions d" \
	"   ON d.project_id = v.project_id AND d.id = v.definition_id" \
	" WHERE v.project_id = $1 AND ($2::uuid IS NULL OR v.definition_id = $2)" \
	" AND ($3::date IS NULL OR v.day >= $3)"

/* "YYYY-MM-DD", whatever DateStyle says */
static void
ed_jv_iso_date(JsonbValue *v, DateADT day)
{
	int			y,
				m,
				d;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	ed_jv_string(v, psprintf("%04d-%02d-%02d", y, m, d));
}

static void
ed_jv_violation(JsonbValue *v, HeapTuple tup, TupleDesc desc)
{
	static const char *const keys[] = {
		"day", "count", "event", "reason", "samples", "event_id", "property"
	};
	JsonbPair  *p = ed_jv_object(v, lengthof(keys), keys);
	bool		isnull;

	ed_jv_iso_date(&p[0].value, DatumGetDateADT(SPI_getbinval(tup, desc, 5, &isnull)));
	ed_jv_int64(&p[1].value, DatumGetInt64(SPI_getbinval(tup, desc, 6, &isnull)));
	ed_jv_string(&p[2].value, SPI_getvalue(tup, desc, 1));
	ed_jv_string(&p[3].value, SPI_getvalue(tup, desc, 4));
	ed_jv_string_list(&p[4].value,
					  ed_text_array_to_list(DatumGetArrayTypeP(SPI_getbinval(tup, desc, 7, &isnull)),
											"samples"));
	ed_jv_string(&p[5].value, SPI_getvalue(tup, desc, 2));
	ed_jv_string(&p[6].value, SPI_getvalue(tup, desc, 3));
}

/* The page, as a tree of values in the current (SPI) context. */
JsonbValue *
ed_violations_page(int64 project_id, const pg_uuid_t *id, bool has_since, TimestampTz since,
				   int64 limit, int64 offset)
{
	static SPIPlanPtr count_plan = NULL;
	static SPIPlanPtr page_plan = NULL;
	Oid			argtypes[5] = {INT8OID, UUIDOID, DATEOID, INT8OID, INT8OID};
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	int64		count;
	bool		isnull;
	SPITupleTable *rows;
	JsonbValue	results;
	JsonbValue *elems;
	StringInfoData query;

	ed_prepare_kept(&count_plan, "SELECT count(*)" ED_VIOLATIONS_FILTER, 3, argtypes);
	ed_prepare_kept(&page_plan,
					"SELECT d.name, d.id, v.property, v.reason, v.day, v.violations, v.samples"
					ED_VIOLATIONS_FILTER
					" ORDER BY v.day DESC, d.name, v.property, v.reason LIMIT $4 OFFSET $5",
					5, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = id ? UUIDPGetDatum(id) : (Datum) 0;
	nulls[1] = id ? ' ' : 'n';
	values[2] = DateADTGetDatum(has_since ? ed_utc_day(since) : 0);
	nulls[2] = has_since ? ' ' : 'n';
	values[3] = Int64GetDatum(limit);
	values[4] = Int64GetDatum(offset);

	ed_execute_kept(count_plan, values, nulls, true, 1, SPI_OK_SELECT);
	count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	ed_page_check(count, limit, offset, ED_VIOLATION_MIN_JSONB_BYTES);

	ed_execute_kept(page_plan, values, nulls, true, 0, SPI_OK_SELECT);
	rows = SPI_tuptable;
	elems = ed_jv_array(&results, (int) rows->numvals);
	for (uint64 i = 0; i < rows->numvals; i++)
	{
		CHECK_FOR_INTERRUPTS();
		ed_jv_violation(&elems[i], rows->vals[i], rows->tupdesc);
	}

	initStringInfo(&query);
	appendStringInfo(&query, "project_id=" INT64_FORMAT, project_id);
	if (id)
		ed_url_arg(&query, "id", ed_uuid_out(id));
	if (has_since)
	{
		JsonbValue	iso;

		ed_jv_timestamp(&iso, since);
		ed_url_arg(&query, "since", iso.val.string.val);
	}
	return ed_page_envelope(&results, count, query.data, limit, offset, false);
}
