/*-------------------------------------------------------------------------
 *
 * bulk_update.c
 *	  Bulk writes: tags and verification of up to 500 definitions at once.
 *
 *	  Every argument is checked before anything is written.  A call then
 *	  begins its write as every writer does (project_stats.c) and locks all
 *	  the requested rows up front with one SELECT ... FOR NO KEY UPDATE in
 *	  bytewise name order: the order in which ingestion upserts a batch, the
 *	  only other writer that locks several definitions.  So two bulk calls,
 *	  or a bulk call and an ingestion, always lock in the same order and
 *	  cannot deadlock; single-row writers (update, delete) can only make one
 *	  wait; and query-usage counting (FOR KEY SHARE) is not blocked at all,
 *	  since a bulk write changes no key.  Each definition that
 *	  changes is written, logged and notified exactly as update does it
 *	  (patch.c applies the same rules), all inside the caller's statement:
 *	  any error rolls the whole call back.
 *
 *	  Notification: each changed definition gets its own activity entry;
 *	  notify.c sends one NOTIFY per project and transaction with the newest
 *	  position, as for every write.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"


#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "access.h"
#include "activity.h"
#include "bulk_update.h"
#include "catalog.h"
#include "json_out.h"
#include "notify.h"
#include "patch.h"
#include "project_stats.h"

/* a requested id, and its row once locked */
typedef struct EdBulkRow
{
	pg_uuid_t	id;
	bool		found;
	EdDefinition def;
} EdBulkRow;

static int
ed_uuid_cmp(const void *a, const void *b)
{
	return memcmp(a, b, UUID_LEN);
}

/*
 * The ids of a bulk call: one-dimensional, no NULL, 1 to 500 elements;
 * repeated ids count once, in the position of their first occurrence.
 */
EdBulkIds
ed_bulk_ids(ArrayType *ids)
{
	EdBulkIds	result = {0, NULL};
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	pg_uuid_t  *sorted;

	if (ARR_NDIM(ids) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ids must be a one-dimensional array")));
	deconstruct_array(ids, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR, &elems, &nulls, &n);
	if (n < 1 || n > ED_BULK_MAX_IDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ids must have 1 to %d elements, got %d", ED_BULK_MAX_IDS, n),
				 errhint("Split larger changes into several calls.")));
	result.ids = palloc(sizeof(pg_uuid_t) * n);
	sorted = palloc(sizeof(pg_uuid_t) * n);
	for (int i = 0; i < n; i++)
	{
		pg_uuid_t  *id = DatumGetUUIDP(elems[i]);
		pg_uuid_t  *pos;
		size_t		nsorted = result.n;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ids must not contain null elements"),
					 errdetail("Element %d is null.", i + 1)));
		/* insertion into a sorted array: at most 500 ids */
		pos = bsearch(id, sorted, nsorted, sizeof(pg_uuid_t), ed_uuid_cmp);
		if (pos != NULL)
			continue;
		pos = sorted;
		while (pos < sorted + nsorted && memcmp(pos, id, UUID_LEN) < 0)
			pos++;
		memmove(pos + 1, pos, (sorted + nsorted - pos) * sizeof(pg_uuid_t));
		memcpy(pos, id, UUID_LEN);
		memcpy(&result.ids[result.n++], id, UUID_LEN);
	}
	pfree(sorted);
	return result;
}

EdTagAction
ed_bulk_tag_action(const char *action)
{
	if (strcmp(action, "add") == 0)
		return ED_TAGS_ADD;
	if (strcmp(action, "remove") == 0)
		return ED_TAGS_REMOVE;
	if (strcmp(action, "set") == 0)
		return ED_TAGS_SET;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid action \"%s\"", ed_truncated(action, 64)),
			 errhint("Use add, remove or set.")));
	return ED_TAGS_SET;			/* keep compiler quiet */
}

/*
 * The tags of a bulk call, normalized as update does (trimmed, lower-cased,
 * de-duplicated, sorted).  At most 100 elements; add and remove need at
 * least one; ids times distinct tags at most 10,000.
 */
List *
ed_bulk_tags(ArrayType *tags, EdTagAction action, int nids)
{
	List	   *raw = ed_text_array_to_list(tags, "tags");
	List	   *normalized;

	if (list_length(raw) > ED_BULK_MAX_TAGS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tags must have at most %d elements, got %d",
						ED_BULK_MAX_TAGS, list_length(raw))));
	if (raw == NIL && action != ED_TAGS_SET)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tags must not be empty for action \"%s\"",
						action == ED_TAGS_ADD ? "add" : "remove"),
				 errhint("Give at least one tag, or use action \"set\" with no tags to clear them.")));
	normalized = ed_normalize_tags(raw, "tags");
	if ((int64) nids * list_length(normalized) > ED_BULK_MAX_TAG_WRITES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("too many tag changes in one call: %d ids times %d tags is over %d",
						nids, list_length(normalized), ED_BULK_MAX_TAG_WRITES),
				 errhint("Split the change into several calls.")));
	return normalized;
}

/*
 * Begin the write, then lock the requested definitions of the project in
 * name order (see the file header).  Returns the requested ids sorted by
 * id, each with its row when found.
 */
static EdBulkRow *
ed_bulk_lock(int64 project_id, const EdBulkIds *ids)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, UUIDARRAYOID};
	Datum		values[2];
	Datum	   *elems = palloc(sizeof(Datum) * ids->n);
	EdBulkRow  *rows = palloc0(sizeof(EdBulkRow) * ids->n);

	for (int i = 0; i < ids->n; i++)
		memcpy(&rows[i].id, &ids->ids[i], UUID_LEN);
	qsort(rows, ids->n, sizeof(EdBulkRow), ed_uuid_cmp);
	for (int i = 0; i < ids->n; i++)
		elems[i] = UUIDPGetDatum(&rows[i].id);

	ed_prepare_kept(&plan,
					"SELECT " ED_DEFINITION_COLUMNS " FROM event_definitions.definitions d "
					"WHERE d.project_id = $1 AND d.id = ANY ($2) "
					"ORDER BY d.name COLLATE \"C\" FOR NO KEY UPDATE OF d",
					2, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = PointerGetDatum(construct_array(elems, ids->n, UUIDOID, UUID_LEN, false,
												TYPALIGN_CHAR));
	ed_write_begin(project_id);
	ed_execute_kept(plan, values, NULL, false, 0, SPI_OK_SELECT);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		EdDefinition def;
		EdBulkRow  *row;

		CHECK_FOR_INTERRUPTS();
		ed_definition_from_tuple(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &def);
		row = bsearch(&def.id, rows, ids->n, sizeof(EdBulkRow), ed_uuid_cmp);
		if (row == NULL)
			elog(ERROR, "bulk update locked an event definition it did not ask for");
		row->found = true;
		row->def = def;
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

static EdBulkRow *
ed_bulk_row(EdBulkRow *rows, int n, const pg_uuid_t *id)
{
	return bsearch(id, rows, n, sizeof(EdBulkRow), ed_uuid_cmp);
}

/*
 * Write, record, log and notify one changed definition, as update does:
 * only a flip of hidden or verified is visible to the name index.
 */
static void
ed_bulk_write(const EdDefinition *before, const EdDefinition *after, EdOptInt64 actor)
{
	ed_catalog_update(after);
	ed_write_done(after->project_id, 0, after->name,
				  before->hidden != after->hidden || before->verified != after->verified);
	ed_notify_change(after->project_id,
					 ed_activity_log(ED_ACTIVITY_CHANGED, before, after, actor));
}

/* {"id", "reason": "Not found"} for every id not found, in the order given */
static void
ed_bulk_skipped(JsonbValue *v, EdBulkRow *rows, const EdBulkIds *ids)
{
	static const char *const keys[] = {"id", "reason"};
	JsonbValue *elems = ed_jv_array(v, ids->n);
	int			n = 0;

	for (int i = 0; i < ids->n; i++)
	{
		JsonbPair  *p;

		if (ed_bulk_row(rows, ids->n, &ids->ids[i])->found)
			continue;
		p = ed_jv_object(&elems[n++], lengthof(keys), keys);
		ed_jv_string(&p[0].value, ed_uuid_out(&ids->ids[i]));
		ed_jv_string(&p[1].value, "Not found");
	}
	v->val.array.nElems = n;
}

/* {"skipped": [...], "updated": [...]}: the answer of both bulk calls */
static JsonbValue *
ed_bulk_answer(JsonbValue *updated, int nupdated, EdBulkRow *rows, const EdBulkIds *ids)
{
	static const char *const keys[] = {"skipped", "updated"};
	JsonbValue *result = palloc(sizeof(JsonbValue));
	JsonbPair  *p = ed_jv_object(result, lengthof(keys), keys);

	ed_bulk_skipped(&p[0].value, rows, ids);
	ed_jv_array(&p[1].value, 0);
	p[1].value.val.array.elems = updated;
	p[1].value.val.array.nElems = nupdated;
	return result;
}

static bool
ed_string_lists_equal(List *a, List *b)
{
	ListCell   *la;
	ListCell   *lb;

	if (list_length(a) != list_length(b))
		return false;
	forboth(la, a, lb, b)
	{
		if (strcmp(lfirst(la), lfirst(lb)) != 0)
			return false;
	}
	return true;
}

/* The new tags of a definition: sorted and unique, like tags always are. */
static List *
ed_bulk_new_tags(List *old, EdTagAction action, List *tags)
{
	List	   *result = NIL;
	ListCell   *lc;

	switch (action)
	{
		case ED_TAGS_SET:
			return tags;
		case ED_TAGS_ADD:
			return ed_sort_unique_strings(list_concat_copy(old, tags));
		case ED_TAGS_REMOVE:
			foreach(lc, old)
			{
				bool		removed = false;
				ListCell   *t;

				foreach(t, tags)
					removed |= strcmp(lfirst(lc), lfirst(t)) == 0;
				if (!removed)
					result = lappend(result, lfirst(lc));
			}
			return result;
	}
	return result;
}

/*
 * {"updated": [{"id", "tags"}...], "skipped": [{"id", "reason"}...]}:
 * every found definition with its new tags, in the order given.  Only
 * definitions whose tags change are written.
 */
JsonbValue *
ed_bulk_update_tags(int64 project_id, const EdBulkIds *ids, EdTagAction action, List *tags)
{
	static const char *const keys[] = {"id", "tags"};
	EdOptInt64	actor = ed_acting_user();
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	EdBulkRow  *rows = ed_bulk_lock(project_id, ids);
	JsonbValue *updated = palloc(sizeof(JsonbValue) * ids->n);
	int			nupdated = 0;

	for (int i = 0; i < ids->n; i++)
	{
		EdBulkRow  *row = ed_bulk_row(rows, ids->n, &ids->ids[i]);
		List	   *new_tags;

		CHECK_FOR_INTERRUPTS();
		if (!row->found)
			continue;
		new_tags = ed_bulk_new_tags(row->def.tags, action, tags);
		if (!ed_string_lists_equal(row->def.tags, new_tags))
		{
			EdPatch		patch;
			EdDefinition after = row->def;

			memset(&patch, 0, sizeof(patch));
			patch.present[ED_FIELD_tags] = true;
			patch.values.tags = new_tags;
			ed_patch_apply(&patch, &after, actor, now);
			ed_bulk_write(&row->def, &after, actor);
		}
		{
			JsonbPair  *p = ed_jv_object(&updated[nupdated++], lengthof(keys), keys);

			ed_jv_string(&p[0].value, ed_uuid_out(&row->id));
			ed_jv_string_list(&p[1].value, new_tags);
		}
	}
	return ed_bulk_answer(updated, nupdated, rows, ids);
}

/*
 * {"updated": [{"id", "verified"}...], "skipped": [...]}: the definitions
 * whose state changed, in the order given; those already in the target
 * state are neither written, logged nor listed.  The verified/hidden rules
 * are update's: verifying sets verified_at (one time for the whole call)
 * and verified_by and clears hidden, unverifying clears both.
 */
JsonbValue *
ed_bulk_update_verified(int64 project_id, const EdBulkIds *ids, bool verified)
{
	static const char *const keys[] = {"id", "verified"};
	EdOptInt64	actor = ed_acting_user();
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	EdBulkRow  *rows = ed_bulk_lock(project_id, ids);
	EdPatch		patch;
	JsonbValue *updated = palloc(sizeof(JsonbValue) * ids->n);
	int			nupdated = 0;

	memset(&patch, 0, sizeof(patch));
	patch.present[ED_FIELD_verified] = true;
	patch.values.verified = verified;

	for (int i = 0; i < ids->n; i++)
	{
		EdBulkRow  *row = ed_bulk_row(rows, ids->n, &ids->ids[i]);
		EdDefinition after;
		JsonbPair  *p;

		CHECK_FOR_INTERRUPTS();
		if (!row->found || row->def.verified == verified)
			continue;
		after = row->def;
		ed_patch_apply(&patch, &after, actor, now);
		ed_bulk_write(&row->def, &after, actor);
		p = ed_jv_object(&updated[nupdated++], lengthof(keys), keys);
		ed_jv_string(&p[0].value, ed_uuid_out(&row->id));
		ed_jv_bool(&p[1].value, verified);
	}
	return ed_bulk_answer(updated, nupdated, rows, ids);
}
