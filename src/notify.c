/*-------------------------------------------------------------------------
 *
 * notify.c
 *	  Change notification.
 *
 *	  PostgreSQL gives channels no access control: any role can LISTEN on
 *	  event_definitions and any role can NOTIFY on it.  So the payload
 *	  carries nothing a caller could not see without a grant, only
 *	  {"project_id": N, "seq": S}, the position of the activity entry just
 *	  written, and listeners read what changed with
 *	  event_definitions.changes(), which checks scopes and projects like
 *	  every read.  A notification is a hint: a forged one can cause at most
 *	  a needless call of changes().
 *
 *	  Async_Notify() queues the notification in the current transaction;
 *	  PostgreSQL delivers it only if that transaction commits, so listeners
 *	  never hear of a change that was rolled back.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/async.h"

#include "notify.h"

void
ed_notify_change(int64 project_id, int64 seq)
{
	char		payload[64];

	snprintf(payload, sizeof(payload),
			 "{\"project_id\": " INT64_FORMAT ", \"seq\": " INT64_FORMAT "}",
			 project_id, seq);
	Async_Notify(ED_NOTIFY_CHANNEL, payload);
}
