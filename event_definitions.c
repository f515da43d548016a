/*-------------------------------------------------------------------------
 *
 * event_definitions.c
 *	  Entry points of the event_definitions extension.
 *
 *	  Each SQL-callable function here is short: it checks access and
 *	  arguments, opens SPI, delegates to the module that owns the work
 *	  (src/), and returns the result as jsonb.  Results are built in the
 *	  caller's memory context so that they survive SPI_finish().
 *
 *	  Modules (src/), by concern:
 *	    api.c           the start and end of every call: version, access, SPI
 *	    access.c        scopes, projects and the acting user (JWT claims)
 *	    role_grants.c   per-role project grants, checked on every call
 *	    user_projects.c users linked to projects: who a limited caller sees
 *	    catalog.c       reads and writes of single definitions
 *	    patch.c         PATCH validation and the verified/hidden rules
 *	    list_query.c    list filters, ordering and paging
 *	    project_stats.c exact counts (slots) and the name index's change log
 *	    page.c          the paged envelope, its links, the bounds of a page
 *	    ingest.c        event batches and query-usage counters
 *	    metrics.c       30-day usage metrics
 *	    activity.c      the activity log and the change feed
 *	    notify.c        NOTIFY after creates, updates and deletes
 *	    lookup.c        by_name and primary_properties (1.1)
 *	    bulk_update.c   bulk tags and bulk verification (1.1)
 *	    restore.c       restore of deleted definitions (1.1)
 *	  Event schemas and enforcement (src/schema/, 1.2): see schema_api.c
 *	    json_out.c      rendering as jsonb values
 *	    jsonb_writer.c  a page written straight into one jsonb buffer
 *	    version.c       library version and the installed SQL version
 *	  The in-memory name index (src/index/):
 *	    name_index.c    where a project's base lives, when the index answers
 *	    index_base.c    an index base: names in list order, postings, name hash
 *	    index_overlay.c the changes applied over a base (read from name_changes)
 *	    index_query.c   search and filtered paging over base and overlay
 *	    shared_index.c  bases in shared memory (DSA), slots, worker requests
 *	    index_worker.c  the background worker that builds shared bases
 *	    trigram_postings.c  trigram posting lists of a base
 *	    substring_scan.c    vector substring scan for short terms
 *	  Tracked tables (src/track/):
 *	    track.c         track, untrack, their triggers
 *	    track_ingest.c  counting and ingesting a tracked table's rows
 *	    backfill.c      the backfill procedure
 *	  Small leaf modules:
 *	    spi_plan.c      kept SPI plans
 *	    args.c          arguments of the SQL-callable functions
 *	    text_arrays.c   text[] and Lists of strings
 *	    event_name.c    event-name rules and limits
 *	    numbers.c       integers from JSON numbers and text
 *	    dates.c         UTC days
 *	    messages.c      PT404 and values quoted in messages
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/event_trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "access.h"
#include "activity.h"
#include "api.h"
#include "bulk_update.h"
#include "catalog.h"
#include "compat.h"
#include "ingest.h"
#include "json_out.h"
#include "list_query.h"
#include "lookup.h"
#include "metrics.h"
#include "index/name_index.h"
#include "notify.h"
#include "page.h"
#include "patch.h"
#include "project_stats.h"
#include "restore.h"
#include "role_grants.h"
#include "codegen/codegen_model.h"
#include "schema/compiled_schema.h"
#include "track/track.h"
#include "version.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(event_definitions_list);
PG_FUNCTION_INFO_V1(event_definitions_list_v1_2);
PG_FUNCTION_INFO_V1(event_definitions_retrieve);
PG_FUNCTION_INFO_V1(event_definitions_create);
PG_FUNCTION_INFO_V1(event_definitions_create_v1_1);
PG_FUNCTION_INFO_V1(event_definitions_update);
PG_FUNCTION_INFO_V1(event_definitions_delete);
PG_FUNCTION_INFO_V1(event_definitions_metrics);
PG_FUNCTION_INFO_V1(event_definitions_activity);
PG_FUNCTION_INFO_V1(event_definitions_ingest);
PG_FUNCTION_INFO_V1(event_definitions_record_query_usage);
PG_FUNCTION_INFO_V1(event_definitions_track);
PG_FUNCTION_INFO_V1(event_definitions_untrack);
PG_FUNCTION_INFO_V1(event_definitions_backfill);
PG_FUNCTION_INFO_V1(event_definitions_tracked_changed);
PG_FUNCTION_INFO_V1(event_definitions_tracked_ddl);
PG_FUNCTION_INFO_V1(event_definitions_tracked_dropped);
PG_FUNCTION_INFO_V1(event_definitions_recount);
PG_FUNCTION_INFO_V1(event_definitions_changes);
PG_FUNCTION_INFO_V1(event_definitions_grant_project);
PG_FUNCTION_INFO_V1(event_definitions_revoke_project);
PG_FUNCTION_INFO_V1(event_definitions_name_index_status);
PG_FUNCTION_INFO_V1(event_definitions_by_name);
PG_FUNCTION_INFO_V1(event_definitions_primary_properties);
PG_FUNCTION_INFO_V1(event_definitions_bulk_update_tags);
PG_FUNCTION_INFO_V1(event_definitions_bulk_update_verified);
PG_FUNCTION_INFO_V1(event_definitions_restore);

void		_PG_init(void);

void
_PG_init(void)
{
	ed_access_define_gucs();
	ed_name_index_define_gucs();
	ed_page_define_gucs();
	ed_project_stats_define_gucs();
	ed_schema_define_gucs();
	ed_codegen_define_gucs();
	/* after every definition: placeholders of defined settings survive */
	ED_MarkGUCPrefixReserved("event_definitions");
}

/*
 * list: 1.2 adds has_violations as a thirteenth argument (its own symbol,
 * so a 1.1 installation keeps calling the twelve-argument list)
 */
static Datum
ed_list(FunctionCallInfo fcinfo, bool with_violations)
{
	EdListArgs	args;
	MemoryContext callercxt;
	Jsonb	   *page;

	args.project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	args.search = ed_arg_cstring(fcinfo, 1);
	args.event_type = ed_arg_cstring(fcinfo, 2);
	args.exclude_hidden = ed_arg_bool_default(fcinfo, 3, false);
	args.exclude_stale = ed_arg_bool_default(fcinfo, 4, false);
	args.has_verified = !PG_ARGISNULL(5);
	args.verified = ed_arg_bool_default(fcinfo, 5, false);
	args.tags = PG_ARGISNULL(6) ? NULL : PG_GETARG_ARRAYTYPE_P(6);
	args.names = PG_ARGISNULL(7) ? NULL : PG_GETARG_ARRAYTYPE_P(7);
	args.excluded_properties = PG_ARGISNULL(8) ? NULL : PG_GETARG_ARRAYTYPE_P(8);
	args.ordering = ed_arg_cstring(fcinfo, 9);
	args.limit = ed_arg_int64_default(fcinfo, 10, ED_DEFAULT_PAGE_LIMIT);
	args.offset = ed_arg_int64_default(fcinfo, 11, 0);
	args.has_has_violations = with_violations && !PG_ARGISNULL(12);
	args.has_violations = args.has_has_violations && PG_GETARG_BOOL(12);
	ed_list_check_args(&args);

	callercxt = ed_spi_connect();
	page = ed_list_page(&args, callercxt);
	ed_spi_finish();
	PG_RETURN_JSONB_P(page);
}

Datum
event_definitions_list(PG_FUNCTION_ARGS)
{
	return ed_list(fcinfo, false);
}

Datum
event_definitions_list_v1_2(PG_FUNCTION_ARGS)
{
	return ed_list(fcinfo, true);
}

Datum
event_definitions_retrieve(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	pg_uuid_t  *id = ed_arg_uuid(fcinfo, 1, "id");
	EdDefinition def;
	MemoryContext callercxt;

	callercxt = ed_spi_connect();
	if (!ed_catalog_fetch(project_id, id, false, &def))
		ed_not_found(project_id, id);
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_definition_with_users(&def), callercxt));
}

/*
 * create: 1.0 stamps created_at with now; from 1.1 a planned definition has
 * no created_at until its first event is ingested (the column is nullable
 * from 1.1 on, so each version is bound to its own symbol).
 */
static Datum
ed_create(FunctionCallInfo fcinfo, bool planned_created_at_null)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.create()");
	text	   *name_arg;
	char	   *name;
	const char *reason;
	EdPatch		patch;
	EdOptInt64	actor;
	EdDefinition def;
	MemoryContext callercxt;

	ed_arg_not_null(fcinfo, 1, "name");
	name_arg = PG_GETARG_TEXT_PP(1);
	if (!ed_name_is_valid(VARDATA_ANY(name_arg), VARSIZE_ANY_EXHDR(name_arg), &reason))
	{
		/*
		 * Quote the start of the name unless control characters would garble
		 * the message; copy no more of it than can be quoted.
		 */
		int			head = (ED_ECHO_MAX_CHARS + 1) * pg_database_encoding_max_length();
		char	   *quoted = ed_truncated(pnstrdup(VARDATA_ANY(name_arg),
												  Min((int) VARSIZE_ANY_EXHDR(name_arg), head)),
										  ED_ECHO_MAX_CHARS);

		if (ed_has_control_char(quoted, strlen(quoted)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid event name"),
					 errdetail("%s", reason)));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid event name \"%s\"", quoted),
				 errdetail("%s", reason)));
	}
	name = text_to_cstring(name_arg);
	if (PG_ARGISNULL(2))
		memset(&patch, 0, sizeof(patch));
	else
		ed_patch_parse(PG_GETARG_JSONB_P(2), &patch);
	actor = ed_acting_user();

	callercxt = ed_spi_connect();
	ed_patch_check_owner(&patch, project_id);
	ed_write_begin(project_id);
	ed_definition_init(&def, project_id, name, GetCurrentTransactionStartTimestamp());
	def.created_at.isnull = planned_created_at_null;
	ed_patch_apply(&patch, &def, actor, def.updated_at);
	if (!ed_catalog_insert(&def))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("event definition \"%s\" already exists in project " INT64_FORMAT,
						name, project_id),
				 errhint("Use update to change an existing definition.")));
	ed_write_done(project_id, 1, def.name, true);
	ed_notify_change(project_id, ed_activity_log(ED_ACTIVITY_CREATED, NULL, &def, actor));
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_definition_with_users(&def), callercxt));
}

Datum
event_definitions_create(PG_FUNCTION_ARGS)
{
	return ed_create(fcinfo, false);
}

Datum
event_definitions_create_v1_1(PG_FUNCTION_ARGS)
{
	return ed_create(fcinfo, true);
}

Datum
event_definitions_update(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.update()");
	pg_uuid_t  *id = ed_arg_uuid(fcinfo, 1, "id");
	EdPatch		patch;
	EdOptInt64	actor;
	EdDefinition before;
	EdDefinition after;
	MemoryContext callercxt;

	ed_arg_not_null(fcinfo, 2, "patch");
	ed_patch_parse(PG_GETARG_JSONB_P(2), &patch);
	actor = ed_acting_user();

	callercxt = ed_spi_connect();
	ed_patch_check_owner(&patch, project_id);
	ed_write_begin(project_id);
	if (!ed_catalog_fetch(project_id, id, true, &before))
		ed_not_found(project_id, id);
	after = before;
	ed_patch_apply(&patch, &after, actor, GetCurrentTransactionStartTimestamp());
	ed_catalog_update(&after);
	/* only the flags are index-visible: a description PATCH records nothing */
	ed_write_done(project_id, 0, after.name,
				  before.hidden != after.hidden || before.verified != after.verified);
	ed_notify_change(project_id, ed_activity_log(ED_ACTIVITY_CHANGED, &before, &after, actor));
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_definition_with_users(&after), callercxt));
}

Datum
event_definitions_delete(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.delete()");
	pg_uuid_t  *id = ed_arg_uuid(fcinfo, 1, "id");
	EdOptInt64	actor = ed_acting_user();
	EdDefinition old;

	ed_spi_connect();
	ed_write_begin(project_id);
	if (!ed_catalog_delete(project_id, id, &old))
		ed_not_found(project_id, id);
	/* counted only once the row is found: a miss changes nothing */
	ed_write_done(project_id, -1, old.name, true);
	ed_notify_change(project_id, ed_activity_log(ED_ACTIVITY_DELETED, &old, NULL, actor));
	ed_spi_finish();
	PG_RETURN_VOID();
}

Datum
event_definitions_metrics(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	pg_uuid_t  *id = ed_arg_uuid(fcinfo, 1, "id");
	StringInfoData buf;

	initStringInfo(&buf);
	ed_spi_connect();
	ed_metrics_render(&buf, project_id, id);
	ed_spi_finish();
	PG_RETURN_JSONB_P(ed_json_finish(&buf));
}

Datum
event_definitions_activity(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	pg_uuid_t  *id = PG_ARGISNULL(1) ? NULL : PG_GETARG_UUID_P(1);
	int64		limit = ed_arg_int64_default(fcinfo, 2, ED_DEFAULT_PAGE_LIMIT);
	int64		offset = ed_arg_int64_default(fcinfo, 3, 0);
	MemoryContext callercxt;
	JsonbValue *page;

	ed_check_page_bounds(limit, offset);
	callercxt = ed_spi_connect();
	page = ed_activity_page(project_id, id, limit, offset);
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(page, callercxt));
}

Datum
event_definitions_ingest(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.ingest()");
	ArrayType  *names;
	ArrayType  *seen_at;
	int32		created;

	ed_arg_not_null(fcinfo, 1, "names");
	names = PG_GETARG_ARRAYTYPE_P(1);
	seen_at = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);

	ed_spi_connect();
	created = ed_ingest_batch(project_id, names, seen_at);
	ed_spi_finish();
	PG_RETURN_INT32(created);
}

Datum
event_definitions_record_query_usage(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.record_query_usage()");
	ArrayType  *names;
	TimestampTz at;
	int32		counted;

	ed_arg_not_null(fcinfo, 1, "names");
	names = PG_GETARG_ARRAYTYPE_P(1);
	at = PG_ARGISNULL(2) ? GetCurrentTransactionStartTimestamp() : PG_GETARG_TIMESTAMPTZ(2);

	ed_spi_connect();
	counted = ed_record_query_usage(project_id, names, at);
	ed_spi_finish();
	PG_RETURN_INT32(counted);
}

Datum
event_definitions_track(PG_FUNCTION_ARGS)
{
	EdTrackConfig cfg;

	ed_arg_not_null(fcinfo, 0, "events");
	ed_arg_not_null(fcinfo, 2, "event_column");
	cfg.relid = PG_GETARG_OID(0);
	cfg.project_column = ed_arg_name(fcinfo, 1);
	cfg.event_column = ed_arg_name(fcinfo, 2);
	cfg.seen_at_column = ed_arg_name(fcinfo, 3);
	cfg.has_project_id = !PG_ARGISNULL(4);
	cfg.project_id = cfg.has_project_id ? PG_GETARG_INT64(4) : 0;
	if (cfg.project_column == NULL && !cfg.has_project_id)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("project_column or project_id must be given"),
				 errhint("Name the column that holds each row's project, or give the one project of every row.")));
	if (cfg.project_column != NULL && cfg.has_project_id)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("project_column and project_id cannot both be given"),
				 errhint("Give project_column null to put every row in project_id.")));
	if (cfg.has_project_id)
	{
		ed_check_access(cfg.project_id, ED_SCOPE_WRITE);
		(void) ed_arg_project_id(fcinfo, 4);
	}
	PreventCommandIfReadOnly("event_definitions.track()");

	ed_spi_connect();
	ed_track(&cfg);
	ed_spi_finish();
	PG_RETURN_VOID();
}

Datum
event_definitions_untrack(PG_FUNCTION_ARGS)
{
	ed_arg_not_null(fcinfo, 0, "events");
	PreventCommandIfReadOnly("event_definitions.untrack()");
	ed_spi_connect();
	ed_untrack(PG_GETARG_OID(0));
	ed_spi_finish();
	PG_RETURN_VOID();
}

/* A procedure: it opens SPI itself, non-atomic when it may commit. */
Datum
event_definitions_backfill(PG_FUNCTION_ARGS)
{
	ed_arg_not_null(fcinfo, 0, "events");
	ed_backfill(fcinfo, PG_GETARG_OID(0), PG_ARGISNULL(1) ? 100000 : PG_GETARG_INT32(1));
	PG_RETURN_VOID();
}

Datum
event_definitions_tracked_changed(PG_FUNCTION_ARGS)
{
	return ed_track_trigger(fcinfo);
}

Datum
event_definitions_tracked_ddl(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("tracked_ddl() can only be called as an event trigger")));
	ed_spi_connect();
	ed_track_ddl_end();
	ed_spi_finish();
	PG_RETURN_VOID();
}

Datum
event_definitions_tracked_dropped(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("tracked_dropped() can only be called as an event trigger")));
	ed_spi_connect();
	ed_track_sql_drop();
	ed_spi_finish();
	PG_RETURN_VOID();
}

/*
 * recount(project_id = null): for administrators (not granted to anyone by
 * default).  With a project, the caller's claims must allow writing it.
 */
Datum
event_definitions_recount(PG_FUNCTION_ARGS)
{
	bool		all = PG_ARGISNULL(0);
	int64		project_id = 0;
	int64		recounted;

	if (!all)
	{
		ed_check_access(PG_GETARG_INT64(0), ED_SCOPE_WRITE);
		project_id = ed_arg_project_id(fcinfo, 0);
	}
	PreventCommandIfReadOnly("event_definitions.recount()");
	ed_spi_connect();
	recounted = ed_recount(project_id, all);
	ed_spi_finish();
	PG_RETURN_INT64(recounted);
}

Datum
event_definitions_changes(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	int64		since_seq = ed_arg_int64_default(fcinfo, 1, 0);
	int64		limit = ed_arg_int64_default(fcinfo, 2, ED_DEFAULT_PAGE_LIMIT);
	MemoryContext callercxt;

	if (since_seq < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("since_seq must not be negative, got " INT64_FORMAT, since_seq),
				 errhint("Pass 0 to read from the start, or the next_seq of the previous call.")));
	ed_check_page_bounds(limit, 0);
	ed_check_max_page_limit(limit, "since_seq => next_seq");
	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_activity_changes(project_id, since_seq, limit),
										  callercxt));
}

/*
 * The role argument of grant_project and revoke_project: a real role.
 * Their callers hold EXECUTE, which only the extension owner has unless
 * granted: the claims and role grants of API calls do not apply to them.
 */
static Oid
ed_arg_grant_role(FunctionCallInfo fcinfo)
{
	Oid			role;

	ed_arg_not_null(fcinfo, 0, "role");
	role = PG_GETARG_OID(0);
	if (role == InvalidOid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("project grants name a role, not PUBLIC")));
	return role;
}

Datum
event_definitions_grant_project(PG_FUNCTION_ARGS)
{
	Oid			role = ed_arg_grant_role(fcinfo);
	int64		project_id;
	const char *scope;

	PreventCommandIfReadOnly("event_definitions.grant_project()");
	/* revoke_project takes any oid: grants of a dropped role can be removed */
	if (GetUserNameFromId(role, true) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("role with OID %u does not exist", role)));
	project_id = ed_arg_project_id(fcinfo, 1);
	ed_arg_not_null(fcinfo, 2, "scope");
	scope = ed_role_grant_scope(ed_arg_cstring(fcinfo, 2));
	ed_role_grant_set(role, project_id, scope);
	PG_RETURN_VOID();
}

Datum
event_definitions_revoke_project(PG_FUNCTION_ARGS)
{
	Oid			role = ed_arg_grant_role(fcinfo);
	bool		all = PG_ARGISNULL(1);
	int64		project_id = all ? 0 : ed_arg_project_id(fcinfo, 1);

	PreventCommandIfReadOnly("event_definitions.revoke_project()");
	PG_RETURN_INT32(ed_role_grant_remove(role, all, project_id));
}
/* name_index_status(project_id): how the project's name index stands, for operators */
Datum
event_definitions_name_index_status(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	StringInfoData buf;

	initStringInfo(&buf);
	ed_name_index_status(project_id, &buf);
	PG_RETURN_JSONB_P(ed_json_finish(&buf));
}

/* 1.1: the definition with this exact name */
Datum
event_definitions_by_name(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	text	   *name;
	MemoryContext callercxt;

	ed_arg_not_null(fcinfo, 1, "name");
	name = PG_GETARG_TEXT_PP(1);
	ed_check_lookup_name(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));

	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_lookup_by_name(project_id, text_to_cstring(name)),
										  callercxt));
}

/* 1.1: {"primary_properties": {name: property}} */
Datum
event_definitions_primary_properties(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_READ, NULL);
	ArrayType  *names = PG_ARGISNULL(1) ? NULL : PG_GETARG_ARRAYTYPE_P(1);
	MemoryContext callercxt = ed_spi_connect();

	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_primary_properties(project_id, names), callercxt));
}

/* 1.1: add, remove or set tags of many definitions, all or nothing */
Datum
event_definitions_bulk_update_tags(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.bulk_update_tags()");
	EdBulkIds	ids;
	EdTagAction action;
	List	   *tags;
	MemoryContext callercxt;

	ed_arg_not_null(fcinfo, 1, "ids");
	ed_arg_not_null(fcinfo, 2, "action");
	ed_arg_not_null(fcinfo, 3, "tags");
	ids = ed_bulk_ids(PG_GETARG_ARRAYTYPE_P(1));
	action = ed_bulk_tag_action(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	tags = ed_bulk_tags(PG_GETARG_ARRAYTYPE_P(3), action, ids.n);

	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_bulk_update_tags(project_id, &ids, action, tags),
										  callercxt));
}

/* 1.1: verify or unverify many definitions, all or nothing */
Datum
event_definitions_bulk_update_verified(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.bulk_update_verified()");
	EdBulkIds	ids;
	MemoryContext callercxt;

	ed_arg_not_null(fcinfo, 1, "ids");
	ed_arg_not_null(fcinfo, 2, "verified");
	ids = ed_bulk_ids(PG_GETARG_ARRAYTYPE_P(1));

	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_bulk_update_verified(project_id, &ids,
																  PG_GETARG_BOOL(2)),
										  callercxt));
}

/* 1.1: bring a deleted definition back from its activity entry */
Datum
event_definitions_restore(PG_FUNCTION_ARGS)
{
	int64		project_id = ed_begin(fcinfo, ED_SCOPE_WRITE, "event_definitions.restore()");
	pg_uuid_t  *id = ed_arg_uuid(fcinfo, 1, "id");
	MemoryContext callercxt;

	callercxt = ed_spi_connect();
	PG_RETURN_JSONB_P(ed_spi_finish_jsonb(ed_restore(project_id, id), callercxt));
}
