/*-------------------------------------------------------------------------
 *
 * activity.c
 *	  The activity log of definitions.
 *
 *	  Each create, update and delete appends one entry in the same
 *	  transaction as the change.  The entry's changes are computed field by
 *	  field (definition_fields.h: the ED_LOGGED fields, in their order)
 *	  from the definition before and after: a field is listed when its
 *	  value differs.  A create lists every non-empty field as "created"; a
 *	  delete lists every non-empty field as "deleted" with its value before
 *	  (both also the ED_LOGGED_KEPT ones).  Users in changes are written as
 *	  ids; false, null, "" and [] count as empty.  Entries are written and
 *	  read as jsonb values, never as JSON text.
 *
 *	  Entries are read as pages (newest first, with a count) or as a change
 *	  feed: the entries after a position (seq), oldest first.  A reader
 *	  that goes on from the last seq it saw must miss none, so a project's
 *	  entries must become visible in seq order: a writer takes the
 *	  project's feed lock before it appends (and so before it draws a seq)
 *	  and holds it until it commits.  Writers of different projects do not
 *	  meet; writers of one project that log entries queue for the length of
 *	  their transactions (ingestion logs nothing and is not affected).  A
 *	  writer must lock every row it will change before it appends its first
 *	  entry, or it could wait for a row while holding the lock.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"

#include "activity.h"
#include "json_out.h"
#include "page.h"

static const char *const ed_activity_names[] = {
	[ED_ACTIVITY_CREATED] = "created",
	[ED_ACTIVITY_CHANGED] = "changed",
	[ED_ACTIVITY_DELETED] = "deleted",
};

/* Does field f hold the same value in a and b? */
static bool
ed_field_equal(const EdDefinition *a, const EdDefinition *b, int f)
{
	const void *x = ED_FIELD_PTR(a, f);
	const void *y = ED_FIELD_PTR(b, f);

	switch (ed_fields[f].kind)
	{
		case ED_KIND_UUID:
			return memcmp(x, y, sizeof(pg_uuid_t)) == 0;
		case ED_KIND_TEXT:
		case ED_KIND_OPT_TEXT:
			{
				const char *s = *(char *const *) x;
				const char *t = *(char *const *) y;

				return (s == NULL || t == NULL) ? s == t : strcmp(s, t) == 0;
			}
		case ED_KIND_USER:
			{
				const EdOptInt64 *s = x;
				const EdOptInt64 *t = y;

				return s->isnull == t->isnull && (s->isnull || s->value == t->value);
			}
		case ED_KIND_TAGS:
		case ED_KIND_STRINGS:
			{
				List	   *s = *(List *const *) x;
				List	   *t = *(List *const *) y;

				if (list_length(s) != list_length(t))
					return false;
				for (int i = 0; i < list_length(s); i++)
					if (strcmp(list_nth(s, i), list_nth(t, i)) != 0)
						return false;
				return true;
			}
		case ED_KIND_BOOL:
			return *(const bool *) x == *(const bool *) y;
		case ED_KIND_TIMESTAMP:
			return *(const TimestampTz *) x == *(const TimestampTz *) y;
		case ED_KIND_OPT_TIMESTAMP:
			{
				const EdOptTimestamp *s = x;
				const EdOptTimestamp *t = y;

				return s->isnull == t->isnull && (s->isnull || s->value == t->value);
			}
	}
	return false;				/* keep compiler quiet */
}

/* null, "", [] and false are empty: a create or delete does not list them */
static bool
ed_field_is_empty(const EdDefinition *def, int f)
{
	const void *p = ED_FIELD_PTR(def, f);

	switch (ed_fields[f].kind)
	{
		case ED_KIND_TEXT:
		case ED_KIND_OPT_TEXT:
			return *(char *const *) p == NULL || **(char *const *) p == '\0';
		case ED_KIND_USER:
			return ((const EdOptInt64 *) p)->isnull;
		case ED_KIND_TAGS:
		case ED_KIND_STRINGS:
			return *(List *const *) p == NIL;
		case ED_KIND_BOOL:
			return !*(const bool *) p;
		case ED_KIND_OPT_TIMESTAMP:
			return ((const EdOptTimestamp *) p)->isnull;
		case ED_KIND_UUID:
		case ED_KIND_TIMESTAMP:
			return false;
	}
	return false;				/* keep compiler quiet */
}

/* Does an entry of this kind list field f? */
static bool
ed_field_listed(EdActivityKind kind, const EdDefinition *before, const EdDefinition *after,
				int f)
{
	int			flags = ed_fields[f].flags;

	switch (kind)
	{
		case ED_ACTIVITY_CREATED:
			return (flags & (ED_LOGGED | ED_LOGGED_KEPT)) && !ed_field_is_empty(after, f);
		case ED_ACTIVITY_DELETED:
			return (flags & (ED_LOGGED | ED_LOGGED_KEPT)) && !ed_field_is_empty(before, f);
		case ED_ACTIVITY_CHANGED:
			return (flags & ED_LOGGED) && !ed_field_equal(before, after, f);
	}
	return false;				/* keep compiler quiet */
}

/*
 * The detail object: {"name": ..., "changes": [...]}, a change being
 * {"type", "after", "field", "action", "before"} (keys in jsonb's order).
 * Users are written as ids.
 */
static void
ed_activity_detail(JsonbValue *detail, EdActivityKind kind, const EdDefinition *before,
				   const EdDefinition *after)
{
	static const char *const detail_keys[] = {"name", "changes"};
	static const char *const change_keys[] = {"type", "after", "field", "action", "before"};
	const EdDefinition *subject = after ? after : before;
	JsonbPair  *d = ed_jv_object(detail, lengthof(detail_keys), detail_keys);
	JsonbValue *changes = ed_jv_array(&d[1].value, ED_NFIELDS);
	int			n = 0;

	ed_jv_string(&d[0].value, subject->name);
	for (int f = 0; f < ED_NFIELDS; f++)
	{
		JsonbPair  *c;

		if (!ed_field_listed(kind, before, after, f))
			continue;
		c = ed_jv_object(&changes[n++], lengthof(change_keys), change_keys);
		ed_jv_string(&c[0].value, "EventDefinition");
		if (after)
			ed_jv_field(&c[1].value, after, f, NULL);
		else
			ed_jv_null(&c[1].value);
		ed_jv_string(&c[2].value, ed_fields[f].name);
		ed_jv_string(&c[3].value, ed_activity_names[kind]);
		if (before && kind != ED_ACTIVITY_CREATED)
			ed_jv_field(&c[4].value, before, f, NULL);
		else
			ed_jv_null(&c[4].value);
	}
	d[1].value.val.array.nElems = n;
}

/* field4 of the feed lock's tag: SQL advisory locks use 1 and 2 */
#define ED_FEED_LOCKTAG_FIELD4 0x4546

/* The project's feed lock, exclusive, held to the end of the transaction */
static void
ed_activity_feed_lock(int64 project_id)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) ((uint64) project_id >> 32),
						 (uint32) project_id, ED_FEED_LOCKTAG_FIELD4);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * Append one entry with the given detail and return its seq: the project's
 * feed lock first, then the row.  Runs inside SPI, in the transaction of
 * the change.
 */
int64
ed_activity_append(int64 project_id, const pg_uuid_t *item_id, EdActivityKind kind,
				   EdOptInt64 actor, JsonbValue *detail)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {INT8OID, UUIDOID, TEXTOID, INT8OID, JSONBOID};
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	bool		isnull;
	int64		seq;

	ed_activity_feed_lock(project_id);
	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.activity_log "
					"(project_id, item_id, activity, user_id, detail) "
					"VALUES ($1, $2, $3, $4, $5) RETURNING seq",
					5, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = UUIDPGetDatum(item_id);
	values[2] = CStringGetTextDatum(ed_activity_names[kind]);
	values[3] = Int64GetDatum(actor.value);
	nulls[3] = actor.isnull ? 'n' : ' ';
	values[4] = JsonbPGetDatum(JsonbValueToJsonb(detail));
	ed_execute_kept(plan, values, nulls, false, 0, SPI_OK_INSERT_RETURNING);
	seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	return seq;
}

/*
 * Append the entry of a definition's create, update or delete and return
 * its seq.  before is NULL for a create, after for a delete.
 */
int64
ed_activity_log(EdActivityKind kind, const EdDefinition *before, const EdDefinition *after,
				EdOptInt64 actor)
{
	const EdDefinition *subject = after ? after : before;
	JsonbValue	detail;

	ed_activity_detail(&detail, kind, before, after);
	return ed_activity_append(subject->project_id, &subject->id, kind, actor, &detail);
}

/* The select list of entries, in the order ed_activity_entry() reads. */
#define ED_ACTIVITY_COLUMNS \
	"SELECT a.id::text, a.activity, a.item_id::text, a.user_id, a.created_at, a.detail, " \
	"a.seq FROM event_definitions.activity_log a "

/*
 * The scope of an entry: "EventDefinition", unless its detail names
 * another (entries of other objects, such as property groups, carry
 * "scope" in their detail).
 */
static void
ed_activity_scope(JsonbValue *v, Jsonb *detail)
{
	JsonbValue	scope;

	if (JB_ROOT_IS_OBJECT(detail) &&
		getKeyJsonValueFromContainer(&detail->root, "scope", 5, &scope) != NULL &&
		scope.type == jbvString)
		*v = scope;
	else
		ed_jv_string(v, "EventDefinition");
}

/*
 * One row of an entries query as an entry, with its "seq" when with_seq
 * (the change feed); users from users.
 */
static void
ed_activity_entry(JsonbValue *v, HeapTuple tup, TupleDesc desc, EdUserDir *users,
				  bool with_seq)
{
	static const char *const keys[] = {
		"id", "user", "scope", "detail", "item_id", "activity", "created_at"
	};
	static const char *const feed_keys[] = {
		"id", "seq", "user", "scope", "detail", "item_id", "activity", "created_at"
	};
	JsonbPair  *p = with_seq ? ed_jv_object(v, lengthof(feed_keys), feed_keys)
		: ed_jv_object(v, lengthof(keys), keys);
	EdOptInt64	user;
	bool		isnull;
	Datum		d;
	Jsonb	   *detail;
	int			k = 0;

	ed_jv_string(&p[k++].value, SPI_getvalue(tup, desc, 1));
	if (with_seq)
		ed_jv_int64(&p[k++].value, DatumGetInt64(SPI_getbinval(tup, desc, 7, &isnull)));
	d = SPI_getbinval(tup, desc, 4, &user.isnull);
	user.value = user.isnull ? 0 : DatumGetInt64(d);
	ed_jv_user(&p[k++].value, users, user);
	detail = DatumGetJsonbP(SPI_getbinval(tup, desc, 6, &isnull));
	ed_activity_scope(&p[k++].value, detail);
	ed_jv_embed(&p[k++].value, detail);
	ed_jv_string(&p[k++].value, SPI_getvalue(tup, desc, 3));
	ed_jv_string(&p[k++].value, SPI_getvalue(tup, desc, 2));
	ed_jv_timestamp(&p[k].value, DatumGetTimestampTz(SPI_getbinval(tup, desc, 5, &isnull)));
}

/*
 * The entries of an entries query as an array value, their users looked
 * up at once.  The strings of the entries point into page.
 */
static void
ed_activity_entries(JsonbValue *array, int64 project_id, SPITupleTable *page, bool with_seq)
{
	int64	   *user_ids = palloc(sizeof(int64) * Max(page->numvals, 1));
	int			nusers = 0;
	EdUserDir  *users;
	JsonbValue *elems;

	for (uint64 i = 0; i < page->numvals; i++)
	{
		bool		isnull;
		Datum		u = SPI_getbinval(page->vals[i], page->tupdesc, 4, &isnull);

		if (!isnull)
			user_ids[nusers++] = DatumGetInt64(u);
	}
	users = ed_users_load(project_id, user_ids, nusers);
	elems = ed_jv_array(array, (int) page->numvals);
	for (uint64 i = 0; i < page->numvals; i++)
	{
		CHECK_FOR_INTERRUPTS();
		ed_activity_entry(&elems[i], page->vals[i], page->tupdesc, users, with_seq);
	}
}

/*
 * The page of entries of a project (item_id NULL) or of one definition,
 * newest first, as a tree of values in the current (SPI) memory context.
 */
JsonbValue *
ed_activity_page(int64 project_id, const pg_uuid_t *item_id, int64 limit, int64 offset)
{
	static SPIPlanPtr plan_count[2] = {NULL, NULL};
	static SPIPlanPtr plan_page[2] = {NULL, NULL};
	Oid			argtypes[4] = {INT8OID, UUIDOID, INT8OID, INT8OID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	int			one = item_id != NULL ? 1 : 0;
	int64		count;
	StringInfoData query;
	bool		isnull;
	SPITupleTable *page;
	JsonbValue	entries;

	ed_prepare_kept(&plan_count[one],
					one ? "SELECT count(*) FROM event_definitions.activity_log a "
					"WHERE a.project_id = $1 AND a.item_id = $2"
					: "SELECT count(*) FROM event_definitions.activity_log a "
					"WHERE a.project_id = $1",
					one ? 2 : 1, argtypes);
	/* $2 is unused without an item; its type is given, so that is fine */
	ed_prepare_kept(&plan_page[one],
					one ? ED_ACTIVITY_COLUMNS "WHERE a.project_id = $1 AND a.item_id = $2 "
					"ORDER BY a.seq DESC LIMIT $3 OFFSET $4"
					: ED_ACTIVITY_COLUMNS "WHERE a.project_id = $1 "
					"ORDER BY a.seq DESC LIMIT $3 OFFSET $4",
					4, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = one ? UUIDPGetDatum(item_id) : (Datum) 0;
	nulls[1] = one ? ' ' : 'n';
	values[2] = Int64GetDatum(limit);
	values[3] = Int64GetDatum(offset);

	ed_execute_kept(plan_count[one], values, nulls, true, 1, SPI_OK_SELECT);
	count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	ed_page_check(count, limit, offset, ED_ACTIVITY_MIN_JSONB_BYTES);

	ed_execute_kept(plan_page[one], values, nulls, true, 0, SPI_OK_SELECT);
	page = SPI_tuptable;
	ed_activity_entries(&entries, project_id, page, false);

	initStringInfo(&query);
	appendStringInfo(&query, "project_id=" INT64_FORMAT, project_id);
	if (item_id != NULL)
		ed_url_arg(&query, "id", ed_uuid_out(item_id));
	/* the strings of the entries point into page: keep it until the end */
	return ed_page_envelope(&entries, count, query.data, limit, offset, false);
}

/*
 * The change feed: {"results": [entries with seq > since_seq, oldest
 * first, at most limit], "next_seq": the last seq returned, or since_seq
 * when there is none}, as a tree of values in the current (SPI) memory
 * context.
 */
JsonbValue *
ed_activity_changes(int64 project_id, int64 since_seq, int64 limit)
{
	static SPIPlanPtr plan = NULL;
	static const char *const keys[] = {"results", "next_seq"};
	Oid			argtypes[3] = {INT8OID, INT8OID, INT8OID};
	Datum		values[3];
	int64		next_seq = since_seq;
	SPITupleTable *page;
	JsonbValue *feed = palloc(sizeof(JsonbValue));
	JsonbPair  *p = ed_jv_object(feed, lengthof(keys), keys);

	/* the primary key (project_id, seq) walks exactly the entries returned */
	ed_prepare_kept(&plan,
					ED_ACTIVITY_COLUMNS "WHERE a.project_id = $1 AND a.seq > $2 "
					"ORDER BY a.seq LIMIT $3",
					3, argtypes);
	values[0] = Int64GetDatum(project_id);
	values[1] = Int64GetDatum(since_seq);
	values[2] = Int64GetDatum(limit);
	ed_execute_kept(plan, values, NULL, true, 0, SPI_OK_SELECT);
	page = SPI_tuptable;
	/* the strings of the entries point into page: keep it until the end */
	ed_activity_entries(&p[0].value, project_id, page, true);
	if (page->numvals > 0)
	{
		bool		isnull;

		next_seq = DatumGetInt64(SPI_getbinval(page->vals[page->numvals - 1], page->tupdesc,
											   7, &isnull));
	}
	ed_jv_int64(&p[1].value, next_seq);
	return feed;
}
