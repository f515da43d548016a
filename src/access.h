/*-------------------------------------------------------------------------
 *
 * access.h
 *	  Who is calling, and may they: scopes and projects from PostgREST's
 *	  request.jwt.claims and per-role project grants, and the acting user
 *	  of a call.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_ACCESS_H
#define ED_ACCESS_H

#include "util.h"

typedef enum EdScope
{
	ED_SCOPE_READ,
	ED_SCOPE_WRITE
} EdScope;

extern void ed_access_define_gucs(void);
extern void ed_check_access(int64 project_id, EdScope scope);
extern bool ed_caller_restricted(void);
extern EdOptInt64 ed_acting_user(void);

#endif							/* ED_ACCESS_H */
