/*-------------------------------------------------------------------------
 *
 * notify.c
 *	  Change notification.
 *
 *	  Async_Notify() queues the notification in the current transaction;
 *	  PostgreSQL delivers it only if that transaction commits, so listeners
 *	  never hear of a change that was rolled back.  The payload is
 *	  {"op", "project_id", "id", "name"}: a name is at most 400 characters,
 *	  so it always fits NOTIFY's 8000-byte limit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/async.h"
#include "lib/stringinfo.h"

#include "json_out.h"
#include "notify.h"

void
ed_notify_change(const char *op, const EdDefinition *def)
{
	StringInfoData payload;

	initStringInfo(&payload);
	appendStringInfoString(&payload, "{\"op\":");
	ed_json_string(&payload, op);
	appendStringInfo(&payload, ",\"project_id\":" INT64_FORMAT ",\"id\":\"%s\",\"name\":",
					 def->project_id, ed_uuid_out(&def->id));
	ed_json_string(&payload, def->name);
	appendStringInfoChar(&payload, '}');
	Async_Notify(ED_NOTIFY_CHANNEL, payload.data);
	pfree(payload.data);
}
