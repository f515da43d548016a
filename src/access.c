/*-------------------------------------------------------------------------
 *
 * access.c
 *	  Access control of the API: scopes and project isolation.
 *
 *	  Behind PostgREST every request carries its JWT claims in the setting
 *	  request.jwt.claims.  When the claims hold a "scopes" array, reading
 *	  needs event_definition:read (or :write, or "*") and writing needs
 *	  event_definition:write (or "*").  When they hold "project_ids", any
 *	  other project is refused.  Without claims, ordinary privileges (EXECUTE
 *	  on the function) decide.  The tables themselves are private to the
 *	  extension owner, so the functions are the only path to the rows.
 *
 *	  The claims are a setting that any session may change: they are a
 *	  boundary only behind an HTTP layer that sets them per request.  For
 *	  roles that run SQL themselves, per-role project grants
 *	  (role_grants.c) are checked on every call as well; claims can only
 *	  restrict further.
 *
 *	  The acting user is the "user_id" claim, else the setting
 *	  event_definitions.user_id, else nobody.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "access.h"
#include "compat.h"
#include "role_grants.h"

static char *ed_user_id_setting = NULL;

static const char *const ed_scope_name[] = {
	[ED_SCOPE_READ] = "event_definition:read",
	[ED_SCOPE_WRITE] = "event_definition:write",
};

/* "", or a positive 64-bit integer */
static bool
ed_parse_user_id(const char *s, int64 *out)
{
	char	   *end;
	long long	v;

	if (s == NULL || *s == '\0')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return false;
	*out = (int64) v;
	return true;
}

static bool
ed_check_user_id_setting(char **newval, void **extra, GucSource source)
{
	int64		dummy;

	if (*newval == NULL || **newval == '\0')
		return true;
	if (!ed_parse_user_id(*newval, &dummy))
	{
		GUC_check_errdetail("event_definitions.user_id must be empty or a positive integer.");
		return false;
	}
	return true;
}

void
ed_access_define_gucs(void)
{
	DefineCustomStringVariable("event_definitions.user_id",
							   "Acting user of event_definitions calls made without JWT claims.",
							   "A user id of event_definitions.users; recorded in updated_by, verified_by and the activity log.",
							   &ed_user_id_setting,
							   "",
							   PGC_USERSET,
							   0,
							   ed_check_user_id_setting,
							   NULL,
							   NULL);
}

/* four hex digits as a number, or -1 (stops at the first non-digit, NUL too) */
static int
ed_hex4(const char *s)
{
	int			v = 0;

	for (int i = 0; i < 4; i++)
	{
		char		c = s[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return -1;
	}
	return v;
}

/*
 * jsonb_in() rejects some escapes with SQLSTATEs outside the API's
 * contract: "\u0000" always (jsonb cannot hold U+0000), and outside UTF-8
 * every escape of a character beyond ASCII (0A000 in SQL_ASCII, 22P05
 * where the encoding lacks the character).  A token may carry them in any
 * claim, read by us or not.  Each such escape becomes "\u003f" ("?"),
 * which no scope, project or user id contains, so a claim that held one
 * still matches nothing; a surrogate pair becomes two.  A lone surrogate is
 * left to jsonb_in(), which rejects it as malformed (22P02) in every
 * encoding.  Escapes are walked in order, so "\\u0000" (a backslash, then
 * "u0000") is left alone.  Replacements keep the length, so the text is
 * patched in place, in a copy made at the first one.
 */
static char *
ed_without_nul_escapes(const char *raw)
{
	bool		utf8 = GetDatabaseEncoding() == PG_UTF8;
	char	   *copy = NULL;
	size_t		steps = 0;

	for (const char *p = raw; *p; p++)
	{
		int			c;
		int			width = 0;

		if ((++steps & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (*p != '\\')
			continue;
		c = p[1] == 'u' ? ed_hex4(p + 2) : -1;
		if (c == 0)
			width = 6;
		else if (c >= 0xD800 && c <= 0xDBFF)
		{
			int			low = p[6] == '\\' && p[7] == 'u' ? ed_hex4(p + 8) : -1;

			if (!utf8 && low >= 0xDC00 && low <= 0xDFFF)
				width = 12;
		}
		else if (!utf8 && c >= 0x80 && !(c >= 0xDC00 && c <= 0xDFFF))
			width = 6;

		if (width > 0)
		{
			if (copy == NULL)
				copy = pstrdup(raw);
			for (int k = 0; k < width; k += 6)
				memcpy(copy + (p - raw) + k, "\\u003f", 6);
			p += width - 1;
		}
		else if (p[1] != '\0')
			p++;				/* skip the escaped character */
	}
	return copy ? copy : (char *) raw;
}

/*
 * The claims of the current request as a JSON object, or NULL when there
 * are none (psql, or PostgREST before it sets them).
 */
static Jsonb *
ed_request_claims(void)
{
	/* the last claims parsed, and their text: a write reads them twice */
	static char *cached_raw = NULL;
	static Jsonb *cached_claims = NULL;
	const char *raw = GetConfigOption("request.jwt.claims", true, false);
	Jsonb	   *claims;

	if (raw == NULL || raw[0] == '\0')
		return NULL;
	if (cached_raw != NULL && strcmp(cached_raw, raw) == 0)
		return cached_claims;

	claims = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
												CStringGetDatum(ed_without_nul_escapes(raw))));
	if (!JB_ROOT_IS_OBJECT(claims))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("request.jwt.claims is not a JSON object")));

	if (cached_raw != NULL)
	{
		pfree(cached_raw);
		pfree(cached_claims);
	}
	cached_raw = MemoryContextStrdup(TopMemoryContext, raw);
	cached_claims = MemoryContextAlloc(TopMemoryContext, VARSIZE(claims));
	memcpy(cached_claims, claims, VARSIZE(claims));
	return cached_claims;
}

static bool
ed_claim(Jsonb *claims, const char *key, JsonbValue *out)
{
	return getKeyJsonValueFromContainer(&claims->root, key, strlen(key), out) != NULL;
}

static void
ed_invalid_claim(const char *key, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("invalid claim \"%s\" in request.jwt.claims", key),
			 errdetail("The claim must be %s.", expected)));
}

/* A claim value as a 64-bit integer: a JSON number, or a string of digits. */
static bool
ed_jsonb_to_int64(JsonbValue *v, int64 *out)
{
	if (v->type == jbvNumeric)
	{
		return ed_numeric_to_int64(v->val.numeric, out);
	}
	if (v->type == jbvString)
	{
		char	   *s = pnstrdup(v->val.string.val, v->val.string.len);

		return ed_parse_user_id(s, out);
	}
	return false;
}

/*
 * Iterate over a claim that must be an array; the callback sees each scalar
 * element and says whether to stop.
 */
typedef bool (*ed_elem_cb) (JsonbValue *elem, void *arg);

static bool
ed_claim_array_any(JsonbValue *arrayval, const char *key, const char *expected,
				   ed_elem_cb cb, void *arg)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		found = false;

	if (arrayval->type != jbvBinary || !JsonContainerIsArray(arrayval->val.binary.data))
		ed_invalid_claim(key, expected);

	it = JsonbIteratorInit(arrayval->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM || found)
			continue;
		found = cb(&v, arg);
	}
	return found;
}

static bool
ed_scope_matches(JsonbValue *elem, void *arg)
{
	EdScope		need = *(EdScope *) arg;

	if (elem->type != jbvString)
		return false;
#define ED_SCOPE_IS(lit) \
	(elem->val.string.len == (int) strlen(lit) && \
	 memcmp(elem->val.string.val, (lit), elem->val.string.len) == 0)
	if (ED_SCOPE_IS("*") || ED_SCOPE_IS(ed_scope_name[ED_SCOPE_WRITE]))
		return true;
	if (need == ED_SCOPE_READ && ED_SCOPE_IS(ed_scope_name[ED_SCOPE_READ]))
		return true;
#undef ED_SCOPE_IS
	return false;
}

static bool
ed_project_matches(JsonbValue *elem, void *arg)
{
	int64		project_id = *(int64 *) arg;
	int64		v;

	return ed_jsonb_to_int64(elem, &v) && v == project_id;
}

/*
 * Refuse the call with 42501 unless the request's claims allow this scope
 * on this project.
 */
void
ed_check_access(int64 project_id, EdScope scope)
{
	Jsonb	   *claims = ed_request_claims();
	JsonbValue	v;

	if (claims == NULL)
	{
		ed_role_grants_check(project_id, scope);
		return;
	}

	if (ed_claim(claims, "scopes", &v) &&
		!ed_claim_array_any(&v, "scopes", "an array of strings",
							ed_scope_matches, &scope))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied: missing scope \"%s\"", ed_scope_name[scope]),
				 errdetail("The request's claims carry no scope that allows this operation."),
				 errhint("Use an API key with the scope \"%s\".", ed_scope_name[scope])));

	if (ed_claim(claims, "project_ids", &v) &&
		!ed_claim_array_any(&v, "project_ids", "an array of project ids",
							ed_project_matches, &project_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for project " INT64_FORMAT, project_id),
				 errdetail("The request's claims do not include this project in \"project_ids\".")));

	ed_role_grants_check(project_id, scope);
}

/*
 * Is the caller limited to projects: by a "project_ids" claim, or by
 * grants to its login role or current role?  Such a caller sees and sets
 * only the users linked to the project of the call.
 */
bool
ed_caller_restricted(void)
{
	Jsonb	   *claims = ed_request_claims();
	JsonbValue	v;

	if (claims != NULL && ed_claim(claims, "project_ids", &v))
		return true;
	return ed_role_grants_restricted();
}

EdOptInt64
ed_acting_user(void)
{
	EdOptInt64	result = {true, 0};
	Jsonb	   *claims = ed_request_claims();
	JsonbValue	v;

	if (claims != NULL && ed_claim(claims, "user_id", &v) && v.type != jbvNull)
	{
		if (!ed_jsonb_to_int64(&v, &result.value) || result.value <= 0)
			ed_invalid_claim("user_id", "a positive integer");
		result.isnull = false;
		return result;
	}
	if (ed_parse_user_id(ed_user_id_setting, &result.value))
		result.isnull = false;
	return result;
}
