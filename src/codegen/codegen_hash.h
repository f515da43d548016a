/*-------------------------------------------------------------------------
 *
 * codegen_hash.h
 *	  schema_hash, PostHog's formula: the SHA-256 of the JSON
 *	  {"schemas": [[event, [[property, type, required], ...]], ...],
 *	  "version": generator_version}, compact, keys sorted, cut to 32
 *	  hexadecimal digits.  An event's entry is written once and fed both
 *	  to the catalog's hash and to the event's own (its fingerprint).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_CODEGEN_HASH_H
#define ED_CODEGEN_HASH_H

#include "lib/stringinfo.h"

typedef struct EdCgHash EdCgHash;

/* one event's entry: [event, [[property, type, required], ...]] */
extern void ed_cg_entry_begin(StringInfo entry, const char *event);
extern void ed_cg_entry_row(StringInfo entry, const char *property, const char *type,
							bool required);
extern void ed_cg_entry_end(StringInfo entry);

/* the hash of a list of entries, in the order given */
extern EdCgHash *ed_cg_hash_begin(void);
extern void ed_cg_hash_add(EdCgHash *hash, StringInfo entry);
extern void ed_cg_hash_finish(EdCgHash *hash, char *hex);

/* the hash of a catalog of that one entry */
extern void ed_cg_hash_one(StringInfo entry, char *hex);

#endif							/* ED_CODEGEN_HASH_H */
