/*-------------------------------------------------------------------------
 *
 * version.c
 *	  Does the loaded library serve the installed SQL version?
 *
 *	  A server keeps the library it loaded until restart, while the SQL
 *	  objects follow CREATE/ALTER EXTENSION: after an upgrade of the
 *	  package, the two can differ.  Every transaction that calls the
 *	  library reads pg_extension.extversion once (an index probe of a
 *	  system catalog) and the code asks ed_sql_version() whenever what it
 *	  does depends on the installed objects: an older installed version is
 *	  served with its own behaviour (a 1.0 or 1.1 install keeps working
 *	  with this library until it is updated, which is how an upgrade
 *	  proceeds), and ALTER EXTENSION UPDATE takes effect at the next
 *	  transaction of every backend.  An installed version the library does
 *	  not know is an error that says what to do.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"

#include "compat.h"

#include "version.h"

PG_FUNCTION_INFO_V1(event_definitions_version);

/* SQL versions whose functions this library implements, oldest first */
static const struct
{
	const char *name;
	EdSqlVersion version;
}			ed_served_versions[] =
{
	{"1.0", ED_SQL_1_0},
	{"1.1", ED_SQL_1_1},
	{"1.2", ED_SQL_1_2},
};

/* the installed version, read once per transaction */
static LocalTransactionId ed_version_lxid = InvalidLocalTransactionId;
static EdSqlVersion ed_version_cached = ED_SQL_NONE;
static char ed_version_name[NAMEDATALEN];

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
 * The installed SQL version, read at most once per transaction: the one
 * answer to "which objects are there" (a table probe would be a second
 * source of truth).
 */
EdSqlVersion
ed_sql_version(void)
{
	char	   *installed;

	if (ed_version_lxid == ED_MY_LXID && ed_version_lxid != InvalidLocalTransactionId)
		return ed_version_cached;
	installed = ed_installed_version();
	ed_version_cached = ED_SQL_NONE;
	ed_version_name[0] = '\0';
	if (installed != NULL)
	{
		ed_version_cached = ED_SQL_UNKNOWN;
		strlcpy(ed_version_name, installed, sizeof(ed_version_name));
		for (size_t i = 0; i < lengthof(ed_served_versions); i++)
			if (strcmp(installed, ed_served_versions[i].name) == 0)
				ed_version_cached = ed_served_versions[i].version;
		pfree(installed);
	}
	ed_version_lxid = ED_MY_LXID;
	return ed_version_cached;
}

/*
 * Called at the start of every API call: an installed version this
 * library does not serve is an error that says what to do.
 */
void
ed_check_installed_version(void)
{
	if (ed_sql_version() != ED_SQL_UNKNOWN)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("event_definitions library version %s does not serve installed version %s",
					ED_LIBRARY_VERSION, ed_version_name),
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
