/*-------------------------------------------------------------------------
 *
 * restore.c
 *	  Restore of a deleted definition (version 1.1).
 *
 *	  A delete logs every non-empty field of the definition as "deleted"
 *	  with its value before (activity.c).  Restore reads the newest activity
 *	  entry of the id: when it is that "deleted" entry, the definition comes
 *	  back from it with the same id, name and curated fields.  The owner
 *	  comes back only if the user is still in the directory.  Counters
 *	  (daily volume, query usage) were deleted with the definition and are
 *	  not logged, so they are not recoverable: a restored definition starts
 *	  from zero.  The restore is logged as a "created" entry whose detail
 *	  carries "restored_from", the id of the "deleted" entry.
 *
 *	  The entry is read by SQL into the columns of ED_DEFINITION_COLUMNS, so
 *	  the definition is decoded and rendered exactly like a stored one.
 *	  Values of the wrong JSON type in an entry are read as not set rather
 *	  than trusted.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "access.h"
#include "activity.h"
#include "catalog.h"
#include "json_out.h"
#include "notify.h"
#include "project_stats.h"
#include "restore.h"

/*
 * The newest entry of the id, when it is a delete, as the columns of
 * ED_DEFINITION_COLUMNS (project_id .. updated_by), then the entry's id.
 * "f" maps each deleted field to its value before.
 */
#define ED_RESTORE_ROW \
	"WITH e AS (" \
	"  SELECT a.id, a.activity, a.detail FROM event_definitions.activity_log a" \
	"  WHERE a.project_id = $1 AND a.item_id = $2 AND NOT EXISTS (" \
	"    SELECT 1 FROM event_definitions.definitions x WHERE x.project_id = $1 AND x.id = $2)" \
	"  ORDER BY a.seq DESC LIMIT 1" \
	"), f AS (" \
	"  SELECT coalesce(jsonb_object_agg(c->>'field', c->'before')" \
	"    FILTER (WHERE c->>'field' IS NOT NULL), '{}') AS v" \
	"  FROM e, jsonb_array_elements(CASE WHEN jsonb_typeof(e.detail->'changes') = 'array'" \
	"    THEN e.detail->'changes' ELSE '[]' END) c" \
	"  WHERE jsonb_typeof(c) = 'object' AND c->>'action' = 'deleted'" \
	") SELECT $1::bigint, $2::uuid, e.detail->>'name'," \
	"  CASE WHEN jsonb_typeof(f.v->'created_at') = 'string' THEN (f.v->>'created_at')::timestamptz END," \
	"  CASE WHEN jsonb_typeof(f.v->'last_seen_at') = 'string' THEN (f.v->>'last_seen_at')::timestamptz END," \
	"  CASE WHEN jsonb_typeof(f.v->'description') = 'string' THEN f.v->>'description' ELSE '' END," \
	"  (SELECT u.id FROM event_definitions.users u WHERE jsonb_typeof(f.v->'owner') = 'number'" \
	"    AND u.id = (f.v->>'owner')::numeric)," \
	"  CASE WHEN jsonb_typeof(f.v->'tags') = 'array' THEN ARRAY(SELECT t FROM" \
	"    jsonb_array_elements_text(f.v->'tags') t WHERE t IS NOT NULL ORDER BY t COLLATE \"C\")" \
	"    ELSE '{}' END," \
	"  coalesce(f.v->'verified' = 'true', false)," \
	"  CASE WHEN f.v->'verified' = 'true' AND jsonb_typeof(f.v->'verified_at') = 'string'" \
	"    THEN (f.v->>'verified_at')::timestamptz END," \
	"  CASE WHEN f.v->'verified' = 'true' AND jsonb_typeof(f.v->'verified_by') = 'number'" \
	"    THEN (f.v->>'verified_by')::numeric::bigint END," \
	"  coalesce(f.v->'hidden' = 'true', false) AND NOT coalesce(f.v->'verified' = 'true', false)," \
	"  coalesce(f.v->'post_to_slack' = 'true', false)," \
	"  CASE WHEN jsonb_typeof(f.v->'default_columns') = 'array' THEN ARRAY(SELECT t FROM" \
	"    jsonb_array_elements_text(f.v->'default_columns') WITH ORDINALITY AS x(t, o)" \
	"    WHERE t IS NOT NULL ORDER BY o) ELSE '{}' END," \
	"  CASE WHEN f.v->>'enforcement_mode' IN ('allow', 'reject') THEN f.v->>'enforcement_mode'" \
	"    ELSE 'allow' END," \
	"  CASE WHEN jsonb_typeof(f.v->'primary_property') = 'string' THEN f.v->>'primary_property' END," \
	"  now(), NULL::bigint," \
	"  e.id, e.activity" \
	" FROM e, f"

/* the same row with its columns named, in ED_DEFINITION_COLUMNS' order */
#define ED_RESTORE_SELECT \
	"SELECT " ED_DEFINITION_COLUMNS ", d.entry_id, d.activity FROM (" ED_RESTORE_ROW ") AS d" \
	" (project_id, id, name, created_at, last_seen_at, description, owner_id, tags, verified," \
	"  verified_at, verified_by, hidden, post_to_slack, default_columns, enforcement_mode," \
	"  primary_property, updated_at, updated_by, entry_id, activity)"

/* the two columns after the definition's */
#define ED_RESTORE_COL_ENTRY	(ED_DEFINITION_NCOLUMNS + 1)
#define ED_RESTORE_COL_ACTIVITY (ED_DEFINITION_NCOLUMNS + 2)

/*
 * Read the definition back from its "deleted" entry into *def; *entry_id
 * is that entry's id.  PT404 when the id's newest entry is not a delete
 * (never existed, another project's, not deleted, or restored already).
 */
static void
ed_restore_read(int64 project_id, const pg_uuid_t *id, EdDefinition *def, char **entry_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];
	bool		deleted = false;

	ed_prepare_kept(&plan, ED_RESTORE_SELECT, 2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	ed_execute_kept(plan, values, NULL, false, 1, SPI_OK_SELECT);
	if (SPI_processed == 1)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *activity = SPI_getvalue(tup, desc, ED_RESTORE_COL_ACTIVITY);

		deleted = activity != NULL && strcmp(activity, "deleted") == 0 &&
			SPI_getvalue(tup, desc, 3) != NULL;
		if (deleted)
		{
			ed_definition_from_tuple(tup, desc, 1, def);
			*entry_id = SPI_getvalue(tup, desc, ED_RESTORE_COL_ENTRY);
		}
	}
	SPI_freetuptable(SPI_tuptable);
	if (!deleted)
		ereport(ERROR,
				(errcode(ERRCODE_ED_NOT_FOUND),
				 errmsg("no deleted event definition %s in project " INT64_FORMAT,
						ed_uuid_out(id), project_id),
				 errdetail("Only a definition whose last activity entry is its deletion can be restored.")));
}

/* 23505 when the name is taken again (ingested or created since the delete) */
static void
ed_restore_check_name(const EdDefinition *def)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, TEXTOID};
	Datum		values[2];
	char	   *other = NULL;

	ed_prepare_kept(&plan,
					"SELECT d.id::text FROM event_definitions.definitions d "
					"WHERE d.project_id = $1 AND d.name = $2",
					2, argtypes);
	values[0] = Int64GetDatum(def->project_id);
	values[1] = CStringGetTextDatum(def->name);
	ed_execute_kept(plan, values, NULL, false, 1, SPI_OK_SELECT);
	if (SPI_processed == 1)
		other = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	SPI_freetuptable(SPI_tuptable);
	if (other != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("event definition \"%s\" already exists in project " INT64_FORMAT,
						ed_truncated(def->name, 64), def->project_id),
				 errdetail("The name was ingested or created again after the delete, as definition %s.",
						   other),
				 errhint("Update definition %s instead, or delete it first and then restore this one.",
						 other)));
}

static Datum
ed_restore_opt_ts(EdOptTimestamp v, char *null)
{
	*null = v.isnull ? 'n' : ' ';
	return TimestampTzGetDatum(v.value);
}

static Datum
ed_restore_opt_int64(EdOptInt64 v, char *null)
{
	*null = v.isnull ? 'n' : ' ';
	return Int64GetDatum(v.value);
}

static Datum
ed_restore_opt_text(const char *s, char *null)
{
	*null = s == NULL ? 'n' : ' ';
	return s == NULL ? (Datum) 0 : CStringGetTextDatum(s);
}

/*
 * Insert the definition with its old id and every field as read.  Returns
 * false, inserting nothing, when the name was taken meanwhile.
 */
static bool
ed_restore_insert(const EdDefinition *def)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[ED_DEFINITION_NCOLUMNS] = {
		INT8OID, UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, INT8OID,
		TEXTARRAYOID, BOOLOID, TIMESTAMPTZOID, INT8OID, BOOLOID, BOOLOID, TEXTARRAYOID,
		TEXTOID, TEXTOID, TIMESTAMPTZOID, INT8OID
	};
	Datum		v[ED_DEFINITION_NCOLUMNS];
	char		n[ED_DEFINITION_NCOLUMNS];

	memset(n, ' ', sizeof(n));
	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.definitions "
					"(project_id, id, name, created_at, last_seen_at, description, owner_id, "
					" tags, verified, verified_at, verified_by, hidden, post_to_slack, "
					" default_columns, enforcement_mode, primary_property, updated_at, updated_by) "
					"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
					"        $16, $17, $18) ON CONFLICT (project_id, name) DO NOTHING",
					ED_DEFINITION_NCOLUMNS, argtypes);
	v[0] = Int64GetDatum(def->project_id);
	v[1] = UUIDPGetDatum(&def->id);
	v[2] = CStringGetTextDatum(def->name);
	v[3] = ed_restore_opt_ts(def->created_at, &n[3]);
	v[4] = ed_restore_opt_ts(def->last_seen_at, &n[4]);
	v[5] = ed_restore_opt_text(def->description, &n[5]);
	v[6] = ed_restore_opt_int64(def->owner, &n[6]);
	v[7] = PointerGetDatum(ed_list_to_text_array(def->tags));
	v[8] = BoolGetDatum(def->verified);
	v[9] = ed_restore_opt_ts(def->verified_at, &n[9]);
	v[10] = ed_restore_opt_int64(def->verified_by, &n[10]);
	v[11] = BoolGetDatum(def->hidden);
	v[12] = BoolGetDatum(def->post_to_slack);
	v[13] = PointerGetDatum(ed_list_to_text_array(def->default_columns));
	v[14] = CStringGetTextDatum(def->enforcement_mode);
	v[15] = ed_restore_opt_text(def->primary_property, &n[15]);
	v[16] = TimestampTzGetDatum(def->updated_at);
	v[17] = ed_restore_opt_int64(def->updated_by, &n[17]);
	ed_execute_maintained(plan, v, n, SPI_OK_INSERT);
	return SPI_processed == 1;
}

/* Mark the "created" entry just logged (at seq) as a restore. */
static void
ed_restore_mark_entry(const EdDefinition *def, int64 seq, const char *entry_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {INT8OID, INT8OID, TEXTOID};
	Datum		values[3];

	ed_prepare_kept(&plan,
					"UPDATE event_definitions.activity_log a "
					"SET detail = a.detail || jsonb_build_object('restored_from', $3) "
					"WHERE a.project_id = $1 AND a.seq = $2",
					3, argtypes);
	values[0] = Int64GetDatum(def->project_id);
	values[1] = Int64GetDatum(seq);
	values[2] = CStringGetTextDatum(entry_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_UPDATE);
	if (SPI_processed != 1)
		elog(ERROR, "activity entry of the restore not found");
}

/*
 * Restore a deleted definition and render it.  Runs inside SPI.  A name
 * taken again, before the check or by a concurrent ingest or create that
 * commits first, is 23505 with the hint either way.
 */
JsonbValue *
ed_restore(int64 project_id, const pg_uuid_t *id)
{
	EdOptInt64	actor = ed_acting_user();
	EdDefinition def;
	char	   *entry_id = NULL;
	int64		seq;

	ed_write_begin(project_id);
	ed_restore_read(project_id, id, &def, &entry_id);
	ed_restore_check_name(&def);
	def.updated_at = GetCurrentTransactionStartTimestamp();
	def.updated_by = actor;
	if (!ed_restore_insert(&def))
	{
		ed_restore_check_name(&def);
		elog(ERROR, "event definition could not be restored");
	}
	ed_write_done(project_id, 1, def.name, true);
	seq = ed_activity_log(ED_ACTIVITY_CREATED, NULL, &def, actor);
	ed_restore_mark_entry(&def, seq, entry_id);
	ed_notify_change(project_id, seq);
	return ed_definition_with_users(&def);
}
