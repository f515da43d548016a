/*-------------------------------------------------------------------------
 *
 * notify.c
 *	  Change notification.
 *
 *	  PostgreSQL gives channels no access control: any role can LISTEN on
 *	  event_definitions and any role can NOTIFY on it.  So the payload
 *	  carries nothing a caller could not see without a grant, only
 *	  {"project_id": N, "seq": S}, a position in the project's activity log,
 *	  and listeners read what changed with event_definitions.changes(),
 *	  which checks scopes and projects like every read.  A notification is
 *	  a hint: a forged one can cause at most a needless call of changes().
 *
 *	  A transaction sends one notification per project it changed, with the
 *	  newest seq it wrote there, however many entries it wrote: the writes
 *	  record the project and seq here, and the notifications are queued
 *	  just before commit.  PostgreSQL delivers them only if the transaction
 *	  commits, so listeners never hear of a change that was rolled back.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/async.h"
#include "utils/memutils.h"

#include "notify.h"

typedef struct EdPendingNotify
{
	int64		project_id;
	int64		seq;			/* the newest entry written in the project */
} EdPendingNotify;

/* the projects changed by the current transaction, in TopTransactionContext */
static EdPendingNotify *ed_pending = NULL;
static int	ed_npending = 0;
static int	ed_maxpending = 0;

static void
ed_notify_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			/* PreCommit_Notify() and AtPrepare_Notify() run after this */
			for (int i = 0; i < ed_npending; i++)
			{
				char		payload[64];

				snprintf(payload, sizeof(payload),
						 "{\"project_id\": " INT64_FORMAT ", \"seq\": " INT64_FORMAT "}",
						 ed_pending[i].project_id, ed_pending[i].seq);
				Async_Notify(ED_NOTIFY_CHANNEL, payload);
			}
			ed_pending = NULL;
			ed_npending = ed_maxpending = 0;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			/* the memory went with TopTransactionContext */
			ed_pending = NULL;
			ed_npending = ed_maxpending = 0;
			break;
		default:
			break;
	}
}

/*
 * Record that the current transaction wrote entry seq in the project's
 * activity log.  An entry of a subtransaction rolled back later may stay
 * recorded: the notification is then a needless wake-up, nothing worse.
 */
void
ed_notify_change(int64 project_id, int64 seq)
{
	static bool registered = false;

	if (!registered)
	{
		RegisterXactCallback(ed_notify_xact_callback, NULL);
		registered = true;
	}
	for (int i = 0; i < ed_npending; i++)
	{
		if (ed_pending[i].project_id == project_id)
		{
			ed_pending[i].seq = Max(ed_pending[i].seq, seq);
			return;
		}
	}
	if (ed_npending == ed_maxpending)
	{
		ed_maxpending = Max(8, ed_maxpending * 2);
		ed_pending = ed_pending == NULL
			? MemoryContextAlloc(TopTransactionContext, sizeof(EdPendingNotify) * ed_maxpending)
			: repalloc(ed_pending, sizeof(EdPendingNotify) * ed_maxpending);
	}
	ed_pending[ed_npending].project_id = project_id;
	ed_pending[ed_npending].seq = seq;
	ed_npending++;
}
