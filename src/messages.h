/*-------------------------------------------------------------------------
 *
 * messages.h
 *	  The API's own SQLSTATE, the "not found" error, and values made fit
 *	  for quoting in messages.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_MESSAGES_H
#define ED_MESSAGES_H

#include "utils/uuid.h"

/* "no such definition": PostgREST answers PTxyz with HTTP xyz */
#define ERRCODE_ED_NOT_FOUND	MAKE_SQLSTATE('P','T','4','0','4')

/* at most this many characters of an argument are quoted in a message */
#define ED_ECHO_MAX_CHARS		64

extern char *ed_truncated(const char *s, int max_chars);
extern char *ed_uuid_out(const pg_uuid_t *uuid);
extern void ed_not_found(int64 project_id, const pg_uuid_t *id) pg_attribute_noreturn();

#endif							/* ED_MESSAGES_H */
