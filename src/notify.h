/*-------------------------------------------------------------------------
 *
 * notify.h
 *	  Change notification: NOTIFY event_definitions after a committed
 *	  update or delete.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_NOTIFY_H
#define ED_NOTIFY_H

#include "catalog.h"

#define ED_NOTIFY_CHANNEL "event_definitions"

extern void ed_notify_change(const char *op, const EdDefinition *def);

#endif							/* ED_NOTIFY_H */
