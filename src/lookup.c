/*-------------------------------------------------------------------------
 *
 * lookup.c
 *	  Reads of definitions by name (version 1.1).
 *
 *	  by_name finds one definition by its exact, bytewise name and renders
 *	  it with the same functions as retrieve and list, so the three agree
 *	  for the same definition.  primary_properties maps names to their
 *	  primary property for the definitions that have a non-blank one.
 *	  Both read one project only: project_id is in every query.  Callers
 *	  hold an SPI connection.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"


#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "parser/scansup.h"
#include "utils/builtins.h"

#include "catalog.h"
#include "json_out.h"
#include "lookup.h"

/*
 * A name to look up: not blank (empty or only white space), and a name
 * that could exist (the rules of create).  Both are argument errors.
 */
void
ed_check_lookup_name(const char *name, int len)
{
	const char *reason;
	bool		blank = true;

	for (int i = 0; i < len && blank; i++)
		blank = scanner_isspace(name[i]);
	if (blank)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("name must not be blank"),
				 errhint("Give the exact name of an event definition.")));
	if (!ed_name_is_valid(name, len, &reason))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid event name"),
				 errdetail("%s", reason)));
}

JsonbValue *
ed_lookup_by_name(int64 project_id, const char *name)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, TEXTOID};
	Datum		values[2];
	EdDefinition def;
	bool		found;

	ed_prepare_kept(&plan,
					"SELECT " ED_DEFINITION_COLUMNS " FROM event_definitions.definitions d "
					"WHERE d.project_id = $1 AND d.name = $2",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = CStringGetTextDatum(name);
	ed_execute_kept(plan, values, NULL, true, 1, SPI_OK_SELECT);
	found = SPI_processed == 1;
	if (found)
		ed_definition_from_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &def);
	SPI_freetuptable(SPI_tuptable);
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_ED_NOT_FOUND),
				 errmsg("event definition \"%s\" not found in project " INT64_FORMAT,
						ed_truncated(name, 64), project_id)));
	return ed_definition_with_users(&def);
}

/* names without its empty strings, as a text[] (NULL stays NULL) */
static ArrayType *
ed_nonempty_names(ArrayType *names)
{
	List	   *kept = NIL;
	ListCell   *lc;

	if (names == NULL)
		return NULL;
	foreach(lc, ed_text_array_to_list(names, "names"))
	{
		if (((const char *) lfirst(lc))[0] != '\0')
			kept = lappend(kept, lfirst(lc));
	}
	return ed_list_to_text_array(kept);
}

/*
 * {"primary_properties": {name: property, ...}}, names in bytewise order,
 * as a tree of values in the current memory context.  A blank property
 * (only white space) counts as not set.
 */
JsonbValue *
ed_primary_properties(int64 project_id, ArrayType *names)
{
	static SPIPlanPtr plans[2] = {NULL, NULL};
	static const char *const keys[] = {"primary_properties"};
	Oid			argtypes[2] = {INT8OID, TEXTARRAYOID};
	Datum		values[2];
	ArrayType  *filter = ed_nonempty_names(names);
	int			which = filter != NULL ? 1 : 0;
	JsonbValue *result = palloc(sizeof(JsonbValue));
	JsonbPair  *outer;
	JsonbParseState *state = NULL;

#define ED_PRIMARY_SELECT \
	"SELECT d.name, d.primary_property FROM event_definitions.definitions d " \
	"WHERE d.project_id = $1 AND d.primary_property IS NOT NULL " \
	"AND d.primary_property !~ '^[[:space:]]*$' "
	ed_prepare_kept(&plans[which],
					which ? ED_PRIMARY_SELECT "AND d.name = ANY ($2) ORDER BY d.name"
					: ED_PRIMARY_SELECT "ORDER BY d.name",
					which ? 2 : 1, argtypes);
#undef ED_PRIMARY_SELECT
	values[0] = Int64GetDatum(project_id);
	values[1] = PointerGetDatum(filter);
	ed_execute_kept(plans[which], values, NULL, true, 0, SPI_OK_SELECT);

	/*
	 * Names are unique in a project; pushJsonbValue puts the keys in jsonb's
	 * order (shorter first), which bytewise order is not.
	 */
	outer = ed_jv_object(result, 1, keys);
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		JsonbValue	k;
		JsonbValue	v;

		CHECK_FOR_INTERRUPTS();
		ed_jv_string(&k, SPI_getvalue(tup, SPI_tuptable->tupdesc, 1));
		ed_jv_string(&v, SPI_getvalue(tup, SPI_tuptable->tupdesc, 2));
		pushJsonbValue(&state, WJB_KEY, &k);
		pushJsonbValue(&state, WJB_VALUE, &v);
	}
	outer[0].value = *pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	SPI_freetuptable(SPI_tuptable);
	return result;
}
