/*-------------------------------------------------------------------------
 *
 * version.c
 *	  Does the loaded library serve the installed SQL version?
 *
 *	  A server keeps the library it loaded until restart, while the SQL
 *	  objects follow CREATE/ALTER EXTENSION: after an upgrade of the
 *	  package, the two can differ.  The first call of each backend reads
 *	  pg_extension.extversion once and compares it with the versions this
 *	  library serves: its own and every older one whose SQL functions it
 *	  still implements (a 1.0 install keeps working with the 1.1 library
 *	  until it is updated, which is how an upgrade proceeds).  An installed
 *	  version the library does not know is an error that says what to do;
 *	  an older served one is not reported, since it is a valid state.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"

#include "version.h"

PG_FUNCTION_INFO_V1(event_definitions_version);

/* SQL versions whose functions this library implements, oldest first */
static const char *const ed_served_versions[] = {"1.0", ED_LIBRARY_VERSION};

static bool ed_version_checked = false;

/* extversion of the extension, or NULL when it is not installed */
static char *
ed_installed_version(void)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	char	   *version = NULL;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum("event_definitions"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, Anum_pg_extension_extversion,
									 RelationGetDescr(rel), &isnull);

		if (!isnull)
			version = TextDatumGetCString(d);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return version;
}

/*
 * Called at the start of every API call; does its work once per backend.
 * A failed check is repeated on the next call, so that ALTER EXTENSION
 * UPDATE takes effect without a reconnect.
 */
void
ed_check_installed_version(void)
{
	char	   *installed;

	if (ed_version_checked)
		return;
	installed = ed_installed_version();
	if (installed == NULL)
		return;					/* being created or dropped: nothing to check */
	for (size_t i = 0; i < lengthof(ed_served_versions); i++)
		if (strcmp(installed, ed_served_versions[i]) == 0)
		{
			ed_version_checked = true;
			return;
		}
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("event_definitions library version %s does not serve installed version %s",
					ED_LIBRARY_VERSION, installed),
			 errdetail("The library serves SQL versions 1.0 to %s.", ED_LIBRARY_VERSION),
			 errhint("Install the matching library and restart the server, or run "
					 "ALTER EXTENSION event_definitions UPDATE to a version the library serves.")));
}

/* event_definitions.version(): the version of the loaded library */
Datum
event_definitions_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(ED_LIBRARY_VERSION));
}
