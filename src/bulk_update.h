/*-------------------------------------------------------------------------
 *
 * bulk_update.h
 *	  Bulk writes of many definitions in one call: tags and verification
 *	  (version 1.1).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_BULK_UPDATE_H
#define ED_BULK_UPDATE_H

#include "utils/jsonb.h"

#include "util.h"

/* limits of one bulk call */
#define ED_BULK_MAX_IDS			500
#define ED_BULK_MAX_TAGS		100
#define ED_BULK_MAX_TAG_WRITES	10000

typedef enum EdTagAction
{
	ED_TAGS_ADD,
	ED_TAGS_REMOVE,
	ED_TAGS_SET
} EdTagAction;

typedef struct EdBulkIds
{
	int			n;				/* distinct ids, in the order given */
	pg_uuid_t  *ids;
} EdBulkIds;

extern EdBulkIds ed_bulk_ids(ArrayType *ids);
extern EdTagAction ed_bulk_tag_action(const char *action);
extern List *ed_bulk_tags(ArrayType *tags, EdTagAction action, int nids);

/* the answers, as trees of values in the current memory context */
extern JsonbValue *ed_bulk_update_tags(int64 project_id, const EdBulkIds *ids,
									   EdTagAction action, List *tags);
extern JsonbValue *ed_bulk_update_verified(int64 project_id, const EdBulkIds *ids,
										   bool verified);

#endif							/* ED_BULK_UPDATE_H */
