/*-------------------------------------------------------------------------
 *
 * group_store.c
 *	  The SQL of schema writes.  Every statement names project_id first
 *	  and binds its values; plans are kept for the life of the backend.
 *
 *	  Locking (see the 1.2 script): a write first locks its group's row
 *	  (ed_group_lock, which also moves the group's revision, so that a
 *	  REPEATABLE READ writer that did not see a concurrent change of the
 *	  group fails with a serialization error instead of acting on an old
 *	  picture), then bumps the schema_versions rows of the events it
 *	  affects in definition_id order, so writers of overlapping events
 *	  queue instead of deadlocking.  Callers hold an SPI connection.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "spi_plan.h"
#include "text_arrays.h"
#include "schema/group_store.h"

static Datum
ed_opt_user(EdOptInt64 u, char *null)
{
	*null = u.isnull ? 'n' : ' ';
	return Int64GetDatum(u.value);
}

/*
 * A new group (no properties yet); false when the project has a group of
 * that name.  *id gets the new id.
 */
bool
ed_group_insert(int64 project_id, const EdGroupInput *in, EdOptInt64 actor, TimestampTz now,
				pg_uuid_t *id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {INT8OID, TEXTOID, TEXTOID, INT8OID, TIMESTAMPTZOID};
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	bool		inserted;

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.property_groups AS g"
					" (project_id, name, description, created_by, updated_by, created_at, updated_at)"
					" VALUES ($1, $2, $3, $4, $4, $5, $5)"
					" ON CONFLICT (project_id, name) DO NOTHING RETURNING g.id",
					5, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = CStringGetTextDatum(in->name);
	values[2] = CStringGetTextDatum(in->description);
	values[3] = ed_opt_user(actor, &nulls[3]);
	values[4] = TimestampTzGetDatum(now);
	ed_execute_kept(plan, values, nulls, false, 0, SPI_OK_INSERT_RETURNING);
	inserted = SPI_processed == 1;
	if (inserted)
	{
		bool		isnull;

		memcpy(id, DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
											   1, &isnull)), sizeof(pg_uuid_t));
	}
	SPI_freetuptable(SPI_tuptable);
	return inserted;
}

/*
 * Lock the group for a change (to its fields, properties or attachments)
 * and move its revision; returns its name, or NULL when there is none.
 */
char *
ed_group_lock(int64 project_id, const pg_uuid_t *id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];
	char	   *name = NULL;

	ed_prepare_kept(&plan,
					"UPDATE event_definitions.property_groups g SET revision = g.revision + 1"
					" WHERE g.project_id = $1 AND g.id = $2 RETURNING g.name",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_UPDATE_RETURNING);
	if (SPI_processed == 1)
		name = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	SPI_freetuptable(SPI_tuptable);
	return name;
}

/* Has another group of the project this name? */
bool
ed_group_name_taken(int64 project_id, const char *name, const pg_uuid_t *except)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {INT8OID, TEXTOID, UUIDOID};
	Datum		values[3];
	bool		taken;

	ed_prepare_kept(&plan,
					"SELECT 1 FROM event_definitions.property_groups g"
					" WHERE g.project_id = $1 AND g.name = $2 AND g.id <> $3",
					3, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = CStringGetTextDatum(name);
	values[2] = UUIDPGetDatum(except);
	ed_execute_kept(plan, values, NULL, false, 1, SPI_OK_SELECT);
	taken = SPI_processed > 0;
	SPI_freetuptable(SPI_tuptable);
	return taken;
}

/* Name, description and who changed it when, of a locked group. */
void
ed_group_write(int64 project_id, const pg_uuid_t *id, const char *name, const char *description,
			   EdOptInt64 actor, TimestampTz now)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[6] = {INT8OID, UUIDOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, INT8OID};
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};

	ed_prepare_kept(&plan,
					"UPDATE event_definitions.property_groups g"
					" SET name = $3, description = $4, updated_at = $5, updated_by = $6"
					" WHERE g.project_id = $1 AND g.id = $2",
					6, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	values[2] = CStringGetTextDatum(name);
	values[3] = CStringGetTextDatum(description);
	values[4] = TimestampTzGetDatum(now);
	values[5] = ed_opt_user(actor, &nulls[5]);
	ed_execute_kept(plan, values, nulls, false, 0, SPI_OK_UPDATE);
	if (SPI_processed != 1)
		elog(ERROR, "property group vanished while locked");
}

/* Replace the properties of a locked group with in's (sorted, unique). */
void
ed_group_replace_properties(int64 project_id, const pg_uuid_t *id, const EdGroupInput *in)
{
	static SPIPlanPtr delete_plan = NULL;
	static SPIPlanPtr insert_plan = NULL;
	Oid			argtypes[6] = {INT8OID, UUIDOID, TEXTARRAYOID, TEXTARRAYOID, BOOLARRAYOID,
	TEXTARRAYOID};
	Datum		values[6];
	Datum	   *names = palloc(sizeof(Datum) * Max(in->nprops, 1));
	Datum	   *types = palloc(sizeof(Datum) * Max(in->nprops, 1));
	Datum	   *required = palloc(sizeof(Datum) * Max(in->nprops, 1));
	Datum	   *descriptions = palloc(sizeof(Datum) * Max(in->nprops, 1));

	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	ed_prepare_kept(&delete_plan,
					"DELETE FROM event_definitions.property_group_properties p"
					" WHERE p.project_id = $1 AND p.group_id = $2",
					2, argtypes);
	ed_execute_kept(delete_plan, values, NULL, false, 0, SPI_OK_DELETE);
	if (in->nprops == 0)
		return;
	for (int i = 0; i < in->nprops; i++)
	{
		CHECK_FOR_INTERRUPTS();
		names[i] = CStringGetTextDatum(in->props[i].name);
		types[i] = CStringGetTextDatum(ed_property_type_name(in->props[i].type));
		required[i] = BoolGetDatum(in->props[i].required);
		descriptions[i] = CStringGetTextDatum(in->props[i].description);
	}
	values[2] = PointerGetDatum(construct_array(names, in->nprops, TEXTOID, -1, false, TYPALIGN_INT));
	values[3] = PointerGetDatum(construct_array(types, in->nprops, TEXTOID, -1, false, TYPALIGN_INT));
	values[4] = PointerGetDatum(construct_array(required, in->nprops, BOOLOID, 1, true, TYPALIGN_CHAR));
	values[5] = PointerGetDatum(construct_array(descriptions, in->nprops, TEXTOID, -1, false,
												TYPALIGN_INT));
	ed_prepare_kept(&insert_plan,
					"INSERT INTO event_definitions.property_group_properties"
					" (project_id, group_id, name, property_type, is_required, description)"
					" SELECT $1, $2, u.name, u.property_type, u.is_required, u.description"
					" FROM unnest($3::text[], $4::text[], $5::boolean[], $6::text[])"
					"   AS u(name, property_type, is_required, description)",
					6, argtypes);
	ed_execute_kept(insert_plan, values, NULL, false, 0, SPI_OK_INSERT);
}

/* Delete a locked group; its properties and attachments go with it. */
void
ed_group_delete_row(int64 project_id, const pg_uuid_t *id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];

	ed_prepare_kept(&plan,
					"DELETE FROM event_definitions.property_groups g"
					" WHERE g.project_id = $1 AND g.id = $2",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_DELETE);
}

/*
 * Bump the schema_version of every event the group is attached to, in
 * definition_id order; returns how many.
 */
int64
ed_schema_bump_group(int64 project_id, const pg_uuid_t *group_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.schema_versions AS v"
					" (project_id, definition_id, schema_version)"
					" SELECT $1, a.definition_id, 1 FROM event_definitions.event_schemas a"
					" WHERE a.project_id = $1 AND a.group_id = $2 ORDER BY a.definition_id"
					" ON CONFLICT (project_id, definition_id)"
					" DO UPDATE SET schema_version = v.schema_version + 1",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(group_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
	return (int64) SPI_processed;
}

/* Bump one event's schema_version (its row is made at the first attach). */
void
ed_schema_bump_event(int64 project_id, const pg_uuid_t *event_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.schema_versions AS v"
					" (project_id, definition_id, schema_version) VALUES ($1, $2, 1)"
					" ON CONFLICT (project_id, definition_id)"
					" DO UPDATE SET schema_version = v.schema_version + 1",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(event_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
}

/* Attach; false when the group is attached to the event already. */
bool
ed_attachment_insert(int64 project_id, const pg_uuid_t *event_id, const pg_uuid_t *group_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {INT8OID, UUIDOID, UUIDOID};
	Datum		values[3];

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.event_schemas (project_id, definition_id, group_id)"
					" VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
					3, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(event_id);
	values[2] = UUIDPGetDatum(group_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_INSERT);
	return SPI_processed == 1;
}

/* Detach; false when the group was not attached to the event. */
bool
ed_attachment_delete(int64 project_id, const pg_uuid_t *event_id, const pg_uuid_t *group_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {INT8OID, UUIDOID, UUIDOID};
	Datum		values[3];

	ed_prepare_kept(&plan,
					"DELETE FROM event_definitions.event_schemas a"
					" WHERE a.project_id = $1 AND a.definition_id = $2 AND a.group_id = $3",
					3, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(event_id);
	values[2] = UUIDPGetDatum(group_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_DELETE);
	return SPI_processed == 1;
}

/*
 * The name of the event definition, locked against deletion (KEY SHARE:
 * ingestion's upserts of it do not wait); NULL when there is none.
 */
char *
ed_event_lock_name(int64 project_id, const pg_uuid_t *event_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];
	char	   *name = NULL;

	ed_prepare_kept(&plan,
					"SELECT d.name FROM event_definitions.definitions d"
					" WHERE d.project_id = $1 AND d.id = $2 FOR KEY SHARE",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(event_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_SELECT);
	if (SPI_processed == 1)
		name = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	SPI_freetuptable(SPI_tuptable);
	return name;
}

/*
 * The groups attached to an event, (id, name) by name, in SPI_tuptable.
 * read_only: in the caller's snapshot; else in a new one that sees the
 * caller's own writes.
 */
SPITupleTable *
ed_event_groups(int64 project_id, const pg_uuid_t *event_id, bool read_only)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDOID};
	Datum		values[2];

	ed_prepare_kept(&plan,
					"SELECT g.id, g.name FROM event_definitions.event_schemas a"
					" JOIN event_definitions.property_groups g"
					"   ON g.project_id = a.project_id AND g.id = a.group_id"
					" WHERE a.project_id = $1 AND a.definition_id = $2 ORDER BY g.name",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(event_id);
	ed_execute_kept(plan, values, NULL, read_only, 0, SPI_OK_SELECT);
	return SPI_tuptable;
}

/* The names of the groups attached to an event, sorted (after the caller's writes). */
List *
ed_event_group_names(int64 project_id, const pg_uuid_t *event_id)
{
	SPITupleTable *rows = ed_event_groups(project_id, event_id, false);
	List	   *names = NIL;

	for (uint64 i = 0; i < rows->numvals; i++)
		names = lappend(names, SPI_getvalue(rows->vals[i], rows->tupdesc, 2));
	SPI_freetuptable(rows);
	return names;
}
