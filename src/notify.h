/*-------------------------------------------------------------------------
 *
 * notify.h
 *	  Change notification: NOTIFY event_definitions, '{"project_id": N,
 *	  "seq": S}' once per changed project when a transaction that created,
 *	  updated or deleted definitions commits.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_NOTIFY_H
#define ED_NOTIFY_H

#include "c.h"

#define ED_NOTIFY_CHANNEL "event_definitions"

extern void ed_notify_change(int64 project_id, int64 seq);

#endif							/* ED_NOTIFY_H */
