/*-------------------------------------------------------------------------
 *
 * role_grants.h
 *	  Per-role project grants: the boundary for roles that run SQL
 *	  themselves, checked on every call whatever the claims say.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_ROLE_GRANTS_H
#define ED_ROLE_GRANTS_H

#include "access.h"

extern void ed_role_grants_check(int64 project_id, EdScope scope);
extern bool ed_role_grants_restricted(void);
extern void ed_role_grant_set(Oid role, int64 project_id, const char *scope);
extern int32 ed_role_grant_remove(Oid role, bool all, int64 project_id);
extern const char *ed_role_grant_scope(const char *given);

#endif							/* ED_ROLE_GRANTS_H */
