/*-------------------------------------------------------------------------
 *
 * schema_writes.c
 *	  Every schema write, in one order: lock the group (group_store.c),
 *	  check, write, bump the schema_version of every event whose schema
 *	  changes, log the activity and record the notification, all in the
 *	  caller's transaction.  A write that fails a check has changed
 *	  nothing the caller can see (the statement's changes roll back with
 *	  the error).  Callers hold an SPI connection.
 *
 *	  Every change to a group bumps its events, a new description
 *	  included: schema_version says "the schema or its description
 *	  changed", schema_hash (event_schema.c) only moves with what
 *	  validation checks.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"

#include "messages.h"
#include "notify.h"
#include "schema/event_schema.h"
#include "schema/group_render.h"
#include "schema/group_store.h"
#include "schema/schema_activity.h"
#include "schema/schema_writes.h"

static void
ed_group_name_conflict(int64 project_id, const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("property group \"%s\" already exists in project " INT64_FORMAT,
					ed_truncated(name, ED_ECHO_MAX_CHARS), project_id),
			 errhint("Choose another name, or change the existing group with property_group_update.")));
}

/* A new group with its properties; returns it rendered. */
JsonbValue *
ed_group_create(int64 project_id, const EdGroupInput *in, EdOptInt64 actor)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	pg_uuid_t	id;
	EdGroupView *after;

	if (!ed_group_insert(project_id, in, actor, now, &id))
		ed_group_name_conflict(project_id, in->name);
	ed_group_replace_properties(project_id, &id, in);
	after = ed_group_view(project_id, &id, false);
	ed_notify_change(project_id, ed_group_activity(project_id, ED_ACTIVITY_CREATED, NULL, after,
												   actor));
	return ed_group_render(project_id, after);
}

/*
 * PATCH semantics: the keys given change; properties are replaced as a
 * whole.  Every event the group is attached to gets a new version.
 */
JsonbValue *
ed_group_update(int64 project_id, const pg_uuid_t *id, const EdGroupInput *patch,
				EdOptInt64 actor)
{
	EdGroupView *before;
	EdGroupView *after;

	if (ed_group_lock(project_id, id) == NULL)
		ed_group_not_found(project_id, id);
	before = ed_group_view(project_id, id, false);
	if (patch->has_name && strcmp(patch->name, before->name) != 0 &&
		ed_group_name_taken(project_id, patch->name, id))
		ed_group_name_conflict(project_id, patch->name);
	ed_group_write(project_id, id, patch->has_name ? patch->name : before->name,
				   patch->has_description ? patch->description : before->description,
				   actor, GetCurrentTransactionStartTimestamp());
	if (patch->has_properties)
		ed_group_replace_properties(project_id, id, patch);
	(void) ed_schema_bump_group(project_id, id);
	after = ed_group_view(project_id, id, false);
	ed_notify_change(project_id, ed_group_activity(project_id, ED_ACTIVITY_CHANGED, before, after,
												   actor));
	return ed_group_render(project_id, after);
}

/* Delete a group: its events get a new version, then it goes. */
void
ed_group_delete(int64 project_id, const pg_uuid_t *id, EdOptInt64 actor)
{
	EdGroupView *before;

	if (ed_group_lock(project_id, id) == NULL)
		ed_group_not_found(project_id, id);
	before = ed_group_view(project_id, id, false);
	(void) ed_schema_bump_group(project_id, id);
	ed_group_delete_row(project_id, id);
	ed_notify_change(project_id, ed_group_activity(project_id, ED_ACTIVITY_DELETED, before, NULL,
												   actor));
}

/*
 * Lock the group and the event (against deletion); the event's name.
 * PT404 for either missing.
 */
static char *
ed_attachment_begin(int64 project_id, const pg_uuid_t *event_id, const pg_uuid_t *group_id,
					char **group_name)
{
	char	   *event_name;

	*group_name = ed_group_lock(project_id, group_id);
	if (*group_name == NULL)
		ed_group_not_found(project_id, group_id);
	event_name = ed_event_lock_name(project_id, event_id);
	if (event_name == NULL)
		ed_not_found(project_id, event_id);
	return event_name;
}

/*
 * After an attach or detach: the event's new version, its activity entry
 * (its groups before and after), the notification; its schema rendered.
 */
static JsonbValue *
ed_attachment_done(int64 project_id, const pg_uuid_t *event_id, const char *event_name,
				   List *before, EdOptInt64 actor)
{
	ed_schema_bump_event(project_id, event_id);
	ed_notify_change(project_id,
					 ed_event_groups_activity(project_id, event_id, event_name, before,
											  ed_event_group_names(project_id, event_id), actor));
	return ed_event_schema(project_id, event_id, false);
}

/* Attach a group to an event: 23505 when it is attached already. */
JsonbValue *
ed_schema_attach(int64 project_id, const pg_uuid_t *event_id, const pg_uuid_t *group_id,
				 EdOptInt64 actor)
{
	char	   *group_name;
	char	   *event_name = ed_attachment_begin(project_id, event_id, group_id, &group_name);
	List	   *before = ed_event_group_names(project_id, event_id);

	if (!ed_attachment_insert(project_id, event_id, group_id))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("property group \"%s\" is already added to event \"%s\"",
						ed_truncated(group_name, ED_ECHO_MAX_CHARS),
						ed_truncated(event_name, ED_ECHO_MAX_CHARS)),
				 errhint("Its properties are part of the event's schema; schema_detach removes it.")));
	return ed_attachment_done(project_id, event_id, event_name, before, actor);
}

/* Detach a group from an event: PT404 when it is not attached. */
JsonbValue *
ed_schema_detach(int64 project_id, const pg_uuid_t *event_id, const pg_uuid_t *group_id,
				 EdOptInt64 actor)
{
	char	   *group_name;
	char	   *event_name = ed_attachment_begin(project_id, event_id, group_id, &group_name);
	List	   *before = ed_event_group_names(project_id, event_id);

	if (!ed_attachment_delete(project_id, event_id, group_id))
		ereport(ERROR,
				(errcode(ERRCODE_ED_NOT_FOUND),
				 errmsg("property group \"%s\" is not attached to event \"%s\"",
						ed_truncated(group_name, ED_ECHO_MAX_CHARS),
						ed_truncated(event_name, ED_ECHO_MAX_CHARS))));
	return ed_attachment_done(project_id, event_id, event_name, before, actor);
}
