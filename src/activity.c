/*-------------------------------------------------------------------------
 *
 * activity.c
 *	  The activity log of definitions.
 *
 *	  Each create, update and delete appends one entry in the same
 *	  transaction as the change.  The entry's changes are computed field by
 *	  field from the definition before and after: a field is listed when its
 *	  rendered JSON differs.  A create lists every non-empty field as
 *	  "created"; a delete lists every non-empty field as "deleted" with its
 *	  value before.  Users in changes are written as ids; false, null, ""
 *	  and [] count as empty.
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

typedef void (*ed_field_render) (StringInfo buf, const EdDefinition *def);

#define ED_FIELD(fieldname, body) \
	static void ed_field_##fieldname(StringInfo buf, const EdDefinition *def) { body; }

ED_FIELD(name, ed_json_string(buf, def->name))
ED_FIELD(description, ed_json_string_or_null(buf, def->description))
ED_FIELD(owner, ed_json_opt_int64(buf, def->owner))
ED_FIELD(tags, ed_json_string_list(buf, def->tags))
ED_FIELD(verified, ed_json_bool(buf, def->verified))
ED_FIELD(hidden, ed_json_bool(buf, def->hidden))
ED_FIELD(post_to_slack, ed_json_bool(buf, def->post_to_slack))
ED_FIELD(default_columns, ed_json_string_list(buf, def->default_columns))
ED_FIELD(enforcement_mode, ed_json_string(buf, def->enforcement_mode))
ED_FIELD(primary_property, ed_json_string_or_null(buf, def->primary_property))
ED_FIELD(created_at, ed_json_opt_timestamp(buf, def->created_at))
ED_FIELD(last_seen_at, ed_json_opt_timestamp(buf, def->last_seen_at))
ED_FIELD(verified_at, ed_json_opt_timestamp(buf, def->verified_at))
ED_FIELD(verified_by, ed_json_opt_int64(buf, def->verified_by))
ED_FIELD(updated_at, ed_json_timestamp(buf, def->updated_at))
ED_FIELD(updated_by, ed_json_opt_int64(buf, def->updated_by))

/*
 * The fields an entry can list.  updated_at and updated_by change with
 * every update by definition, so a "changed" entry leaves them out: they
 * are the entry's own created_at and user.  A create or delete lists them.
 */
static const struct
{
	const char *name;
	ed_field_render render;
	bool		in_changes;
}			ed_logged_fields[] =
{
	{"name", ed_field_name, true},
	{"description", ed_field_description, true},
	{"owner", ed_field_owner, true},
	{"tags", ed_field_tags, true},
	{"verified", ed_field_verified, true},
	{"verified_at", ed_field_verified_at, true},
	{"verified_by", ed_field_verified_by, true},
	{"hidden", ed_field_hidden, true},
	{"post_to_slack", ed_field_post_to_slack, true},
	{"default_columns", ed_field_default_columns, true},
	{"enforcement_mode", ed_field_enforcement_mode, true},
	{"primary_property", ed_field_primary_property, true},
	{"created_at", ed_field_created_at, true},
	{"last_seen_at", ed_field_last_seen_at, true},
	{"updated_at", ed_field_updated_at, false},
	{"updated_by", ed_field_updated_by, false},
};

static const char *const ed_activity_names[] = {
	[ED_ACTIVITY_CREATED] = "created",
	[ED_ACTIVITY_CHANGED] = "changed",
	[ED_ACTIVITY_DELETED] = "deleted",
};

static bool
ed_rendered_is_empty(const char *json)
{
	return strcmp(json, "null") == 0 || strcmp(json, "\"\"") == 0 ||
		strcmp(json, "[]") == 0 || strcmp(json, "false") == 0;
}

static void
ed_append_change(StringInfo buf, bool *first, const char *action, const char *field,
				 const char *before, const char *after)
{
	if (!*first)
		appendStringInfoChar(buf, ',');
	*first = false;
	/* keys in jsonb's order, so jsonb_in() need not sort them */
	appendStringInfo(buf,
					 "{\"type\":\"EventDefinition\",\"after\":%s,\"field\":\"%s\","
					 "\"action\":\"%s\",\"before\":%s}",
					 after, field, action, before);
}

/* The detail object: {"name": ..., "changes": [...]}. */
static void
ed_activity_detail(StringInfo buf, EdActivityKind kind, const EdDefinition *before,
				   const EdDefinition *after)
{
	const EdDefinition *subject = after ? after : before;
	StringInfoData b;
	StringInfoData a;
	bool		first = true;

	initStringInfo(&b);
	initStringInfo(&a);
	appendStringInfoString(buf, "{\"name\":");
	ed_json_string(buf, subject->name);
	appendStringInfoString(buf, ",\"changes\":[");
	for (size_t i = 0; i < lengthof(ed_logged_fields); i++)
	{
		resetStringInfo(&b);
		resetStringInfo(&a);
		if (before)
			ed_logged_fields[i].render(&b, before);
		if (after)
			ed_logged_fields[i].render(&a, after);

		switch (kind)
		{
			case ED_ACTIVITY_CREATED:
				if (!ed_rendered_is_empty(a.data))
					ed_append_change(buf, &first, "created", ed_logged_fields[i].name,
									 "null", a.data);
				break;
			case ED_ACTIVITY_DELETED:
				if (!ed_rendered_is_empty(b.data))
					ed_append_change(buf, &first, "deleted", ed_logged_fields[i].name,
									 b.data, "null");
				break;
			case ED_ACTIVITY_CHANGED:
				if (ed_logged_fields[i].in_changes && strcmp(a.data, b.data) != 0)
					ed_append_change(buf, &first, "changed", ed_logged_fields[i].name,
									 b.data, a.data);
				break;
		}
	}
	appendStringInfoString(buf, "]}");
	pfree(a.data);
	pfree(b.data);
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
 * Append one entry and return its seq.  before is NULL for a create, after
 * for a delete.  Runs inside SPI, in the transaction of the change.
 */
int64
ed_activity_log(EdActivityKind kind, const EdDefinition *before, const EdDefinition *after,
				EdOptInt64 actor)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {INT8OID, UUIDOID, TEXTOID, INT8OID, TEXTOID};
	const EdDefinition *subject = after ? after : before;
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	StringInfoData detail;
	bool		isnull;
	int64		seq;

	ed_activity_feed_lock(subject->project_id);
	initStringInfo(&detail);
	ed_activity_detail(&detail, kind, before, after);

	ed_prepare_kept(&plan,
					"INSERT INTO event_definitions.activity_log "
					"(project_id, item_id, activity, user_id, detail) "
					"VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING seq",
					5, argtypes);
	values[0] = Int64GetDatum(subject->project_id);
	values[1] = UUIDPGetDatum(&subject->id);
	values[2] = CStringGetTextDatum(ed_activity_names[kind]);
	values[3] = Int64GetDatum(actor.value);
	nulls[3] = actor.isnull ? 'n' : ' ';
	values[4] = CStringGetTextDatum(detail.data);
	ed_execute_kept(plan, values, nulls, false, 0, SPI_OK_INSERT_RETURNING);
	seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	pfree(detail.data);
	return seq;
}

/* The select list of entries, in the order ed_activity_entry() reads. */
#define ED_ACTIVITY_COLUMNS \
	"SELECT a.id::text, a.activity, a.item_id::text, a.user_id, a.created_at, a.detail::text, " \
	"a.seq FROM event_definitions.activity_log a "

/* The users of a set of entries, looked up at once. */
static EdUserDir *
ed_activity_users(int64 project_id, SPITupleTable *page)
{
	int64	   *user_ids = palloc(sizeof(int64) * Max(page->numvals, 1));
	int			nusers = 0;

	for (uint64 i = 0; i < page->numvals; i++)
	{
		bool		isnull;
		Datum		u = SPI_getbinval(page->vals[i], page->tupdesc, 4, &isnull);

		if (!isnull)
			user_ids[nusers++] = DatumGetInt64(u);
	}
	return ed_users_load(project_id, user_ids, nusers);
}

/* One entry, with its "seq" when with_seq (the change feed). */
static void
ed_activity_entry(StringInfo buf, HeapTuple tup, TupleDesc desc, EdUserDir *users,
				  bool with_seq)
{
	EdOptInt64	user;
	Datum		d;
	bool		isnull;

	appendStringInfoString(buf, "{\"id\":");
	ed_json_string(buf, SPI_getvalue(tup, desc, 1));
	if (with_seq)
		appendStringInfo(buf, ",\"seq\":" INT64_FORMAT,
						 DatumGetInt64(SPI_getbinval(tup, desc, 7, &isnull)));
	appendStringInfoString(buf, ",\"user\":");
	d = SPI_getbinval(tup, desc, 4, &user.isnull);
	user.value = user.isnull ? 0 : DatumGetInt64(d);
	ed_json_user(buf, users, user);
	appendStringInfoString(buf, ",\"scope\":\"EventDefinition\",\"detail\":");
	appendStringInfoString(buf, SPI_getvalue(tup, desc, 6));
	appendStringInfoString(buf, ",\"item_id\":");
	ed_json_string(buf, SPI_getvalue(tup, desc, 3));
	appendStringInfoString(buf, ",\"activity\":");
	ed_json_string(buf, SPI_getvalue(tup, desc, 2));
	appendStringInfoString(buf, ",\"created_at\":");
	ed_json_timestamp(buf, DatumGetTimestampTz(SPI_getbinval(tup, desc, 5, &isnull)));
	appendStringInfoChar(buf, '}');
}

/*
 * The page of entries of a project (item_id NULL) or of one definition,
 * newest first.  Runs inside SPI; buf lives in the caller's context.
 */
void
ed_activity_page(StringInfo buf, int64 project_id, const pg_uuid_t *item_id,
				 int64 limit, int64 offset)
{
	static SPIPlanPtr plan_count[2] = {NULL, NULL};
	static SPIPlanPtr plan_page[2] = {NULL, NULL};
	Oid			argtypes[4] = {INT8OID, UUIDOID, INT8OID, INT8OID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	int			one = item_id != NULL ? 1 : 0;
	int64		count;
	EdUserDir  *users;
	StringInfoData query;
	bool		isnull;
	SPITupleTable *page;

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

	ed_execute_kept(plan_page[one], values, nulls, true, 0, SPI_OK_SELECT);
	page = SPI_tuptable;
	users = ed_activity_users(project_id, page);

	initStringInfo(&query);
	appendStringInfo(&query, "project_id=" INT64_FORMAT, project_id);
	if (item_id != NULL)
		ed_url_arg(&query, "id", ed_uuid_out(item_id));
	ed_page_open(buf, count, query.data, limit, offset);
	for (uint64 i = 0; i < page->numvals; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(buf, ',');
		ed_activity_entry(buf, page->vals[i], page->tupdesc, users, false);
	}
	ed_page_close(buf, query.data, limit, offset, false);
	SPI_freetuptable(page);
}

/*
 * The change feed: {"results": [entries with seq > since_seq, oldest
 * first, at most limit], "next_seq": the last seq returned, or since_seq
 * when there is none}.  Runs inside SPI; buf lives in the caller's context.
 */
void
ed_activity_changes(StringInfo buf, int64 project_id, int64 since_seq, int64 limit)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {INT8OID, INT8OID, INT8OID};
	Datum		values[3];
	int64		next_seq = since_seq;
	EdUserDir  *users;
	SPITupleTable *page;

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
	users = ed_activity_users(project_id, page);

	/* keys in jsonb's order: "results" before "next_seq" */
	appendStringInfoString(buf, "{\"results\":[");
	for (uint64 i = 0; i < page->numvals; i++)
	{
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(buf, ',');
		ed_activity_entry(buf, page->vals[i], page->tupdesc, users, true);
		next_seq = DatumGetInt64(SPI_getbinval(page->vals[i], page->tupdesc, 7, &isnull));
	}
	appendStringInfo(buf, "],\"next_seq\":" INT64_FORMAT "}", next_seq);
	SPI_freetuptable(page);
}
