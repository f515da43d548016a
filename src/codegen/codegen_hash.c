/*-------------------------------------------------------------------------
 *
 * codegen_hash.c
 *	  schema_hash as PostHog computes it for its generated code:
 *
 *	    sha256(orjson.dumps({"version": generator_version,
 *	                         "schemas": [(event, sorted([(property,
 *	                                      property_type, is_required)]))]},
 *	                        option=OPT_SORT_KEYS)).hexdigest()[:32]
 *
 *	  with the events sorted by name.  orjson writes compact JSON (no
 *	  space), tuples as arrays, true/false, strings in UTF-8 with only '"',
 *	  '\' and control characters escaped; sorted keys put "schemas" before
 *	  "version".  The rows are one per group that lists a property, not
 *	  merged: a property in two groups appears twice.  Python sorts the
 *	  tuples by code point, then type, then false before true, which is the
 *	  bytewise order of UTF-8 the caller reads them in.
 *
 *	  Strings are hashed in UTF-8 whatever the server encoding, so a hash
 *	  means the same catalog everywhere.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "common/sha2.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"

#include "codegen/codegen_hash.h"
#include "codegen/codegen_model.h"

struct EdCgHash
{
	pg_cryptohash_ctx *ctx;
	int			nentries;
};

/* a JSON string of s, as orjson writes it, in UTF-8 */
static void
ed_cg_hash_string(StringInfo buf, const char *s)
{
	char	   *utf8 = pg_server_to_any(s, strlen(s), PG_UTF8);

	escape_json(buf, utf8);
	if (utf8 != s)
		pfree(utf8);
}

void
ed_cg_entry_begin(StringInfo entry, const char *event)
{
	resetStringInfo(entry);
	appendStringInfoChar(entry, '[');
	ed_cg_hash_string(entry, event);
	appendStringInfoString(entry, ",[");
}

void
ed_cg_entry_row(StringInfo entry, const char *property, const char *type, bool required)
{
	if (entry->data[entry->len - 1] != '[')
		appendStringInfoChar(entry, ',');
	appendStringInfoChar(entry, '[');
	ed_cg_hash_string(entry, property);
	appendStringInfoChar(entry, ',');
	ed_cg_hash_string(entry, type);
	appendStringInfoString(entry, required ? ",true]" : ",false]");
}

void
ed_cg_entry_end(StringInfo entry)
{
	appendStringInfoString(entry, "]]");
}

static void
ed_cg_hash_update(EdCgHash *hash, const char *data, size_t len)
{
	if (pg_cryptohash_update(hash->ctx, (const uint8 *) data, len) < 0)
		elog(ERROR, "could not compute schema_hash: %s", pg_cryptohash_error(hash->ctx));
}

EdCgHash *
ed_cg_hash_begin(void)
{
	EdCgHash   *hash = palloc0(sizeof(EdCgHash));
	static const char head[] = "{\"schemas\":[";

	hash->ctx = pg_cryptohash_create(PG_SHA256);
	if (hash->ctx == NULL || pg_cryptohash_init(hash->ctx) < 0)
		elog(ERROR, "could not compute schema_hash: %s", pg_cryptohash_error(hash->ctx));
	ed_cg_hash_update(hash, head, sizeof(head) - 1);
	return hash;
}

void
ed_cg_hash_add(EdCgHash *hash, StringInfo entry)
{
	if (hash->nentries++ > 0)
		ed_cg_hash_update(hash, ",", 1);
	ed_cg_hash_update(hash, entry->data, entry->len);
}

/* hex gets ED_CODEGEN_HASH_CHARS digits and a terminator */
void
ed_cg_hash_finish(EdCgHash *hash, char *hex)
{
	static const char tail[] = "],\"version\":\"" ED_CODEGEN_GENERATOR_VERSION "\"}";
	uint8		digest[PG_SHA256_DIGEST_LENGTH];

	ed_cg_hash_update(hash, tail, sizeof(tail) - 1);
	if (pg_cryptohash_final(hash->ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute schema_hash: %s", pg_cryptohash_error(hash->ctx));
	pg_cryptohash_free(hash->ctx);
	pfree(hash);
	hex_encode((const char *) digest, ED_CODEGEN_HASH_CHARS / 2, hex);
	hex[ED_CODEGEN_HASH_CHARS] = '\0';
}

void
ed_cg_hash_one(StringInfo entry, char *hex)
{
	EdCgHash   *hash = ed_cg_hash_begin();

	ed_cg_hash_add(hash, entry);
	ed_cg_hash_finish(hash, hex);
}
