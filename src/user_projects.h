/*-------------------------------------------------------------------------
 *
 * user_projects.h
 *	  Users linked to projects: which users a caller limited to projects
 *	  may see and set as owner.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_USER_PROJECTS_H
#define ED_USER_PROJECTS_H

#include "util.h"

extern int	ed_users_visible(int64 project_id, int64 *ids, int nids);
extern void ed_users_check_owner(int64 project_id, int64 user_id);

#endif							/* ED_USER_PROJECTS_H */
