/*-------------------------------------------------------------------------
 *
 * patch.c
 *	  The update (PATCH) rules of the contract.
 *
 *	  ed_patch_parse() checks a caller's JSON completely before anything is
 *	  read or written: a patch that fails here changes nothing.  Read-only
 *	  keys are ignored, unknown keys and wrong types are errors naming the
 *	  key.  Which keys are writable, and the type each takes, come from the
 *	  field descriptions of definition_fields.h (ED_PATCH, the field's kind
 *	  and its check function below).  ed_patch_apply() then applies the
 *	  verified/hidden rules to a definition in memory.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "miscadmin.h"
#include "parser/scansup.h"
#include "utils/formatting.h"
#include "utils/jsonb.h"

#include "catalog.h"
#include "patch.h"
#include "user_projects.h"
#include "version.h"

/* "a string", "an array"...: the JSON type of a value, for messages */
const char *
ed_jsonb_type_name(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvBool:
			return "a boolean";
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? "an array" : "an object";
		default:
			return "an unsupported value";
	}
}

static void
ed_patch_type_error(const char *key, const char *expected, JsonbValue *got)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for \"%s\": expected %s, got %s",
					key, expected, ed_jsonb_type_name(got))));
}

static bool
ed_patch_bool(const char *key, JsonbValue *v)
{
	if (v->type != jbvBool)
		ed_patch_type_error(key, "a boolean", v);
	return v->val.boolean;
}

/* A JSON string as a C string: jsonb holds no NUL, and its text is valid. */
static char *
ed_patch_string(const char *key, JsonbValue *v, bool nullable)
{
	if (v->type == jbvNull && nullable)
		return NULL;
	if (v->type != jbvString)
		ed_patch_type_error(key, nullable ? "a string or null" : "a string", v);
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static List *
ed_patch_string_array(const char *key, JsonbValue *v)
{
	JsonbIterator *it;
	JsonbValue	elem;
	JsonbIteratorToken tok;
	List	   *result = NIL;

	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		ed_patch_type_error(key, "an array of strings", v);
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok != WJB_ELEM)
			continue;
		if (elem.type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for \"%s\": expected an array of strings, got an array containing %s",
							key, ed_jsonb_type_name(&elem))));
		result = lappend(result, pnstrdup(elem.val.string.val, elem.val.string.len));
	}
	return result;
}

/*
 * Tags are stored trimmed and lower-cased, without duplicates, sorted.  The
 * same normalization serves the list filter, so "Marketing " finds
 * "marketing".
 */
List *
ed_normalize_tags(List *tags, const char *argname)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, tags)
	{
		const char *raw = lfirst(lc);
		int			len = strlen(raw);
		int			start = 0;
		char	   *tag;

		CHECK_FOR_INTERRUPTS();
		while (start < len && scanner_isspace(raw[start]))
			start++;
		while (len > start && scanner_isspace(raw[len - 1]))
			len--;
		if (len == start)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for \"%s\": tags must not be blank", argname)));
		if (ed_char_length(raw + start, len - start) > ED_TAG_MAX_CHARS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for \"%s\": tag is longer than %d characters",
							argname, ED_TAG_MAX_CHARS)));
		tag = str_tolower(raw + start, len - start, DEFAULT_COLLATION_OID);
		result = lappend(result, tag);
	}
	return ed_sort_unique_strings(result);
}

/* allow or reject; from 1.2 also warn (a 1.1 table's constraint refuses it) */
static void
ed_check_enforcement_mode(const char *key, const void *value)
{
	const char *mode = *(char *const *) value;
	bool		with_warn = ed_sql_version() >= ED_SQL_1_2;

	if (strcmp(mode, "allow") != 0 && strcmp(mode, "reject") != 0 &&
		!(with_warn && strcmp(mode, "warn") == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for \"%s\": \"%s\"", key,
						ed_truncated(mode, ED_ECHO_MAX_CHARS)),
				 with_warn ? errhint("Use \"allow\", \"warn\" or \"reject\".")
				 : errhint("Use \"allow\" or \"reject\".")));
}

static void
ed_check_primary_property(const char *key, const void *value)
{
	const char *property = *(char *const *) value;
	int			nchars = property ? ed_char_length(property, strlen(property)) : 1;

	if (nchars < 1 || nchars > ED_NAME_MAX_CHARS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for \"%s\": must be 1 to %d characters",
						key, ED_NAME_MAX_CHARS)));
}

typedef void (*EdPatchCheck) (const char *key, const void *value);

/* the check of each field, from definition_fields.h */
static const EdPatchCheck ed_patch_checks[ED_NFIELDS] = {
#define ED_FIELD_CHECK(member, column, kind, flags, check) check,
	ED_DEFINITION_FIELDS(ED_FIELD_CHECK)
#undef ED_FIELD_CHECK
};

/* "Writable keys are a, b and c.": the ED_PATCH fields */
static char *
ed_writable_keys_hint(void)
{
	StringInfoData hint;
	int			n = 0;
	int			total = 0;

	for (int f = 0; f < ED_NFIELDS; f++)
		total += (ed_fields[f].flags & ED_PATCH) != 0;
	initStringInfo(&hint);
	appendStringInfoString(&hint, "Writable keys are ");
	for (int f = 0; f < ED_NFIELDS; f++)
		if (ed_fields[f].flags & ED_PATCH)
		{
			if (n > 0)
				appendStringInfoString(&hint, ++n == total ? " and " : ", ");
			else
				n++;
			appendStringInfoString(&hint, ed_fields[f].name);
		}
	appendStringInfoChar(&hint, '.');
	return hint.data;
}

/* The field of a key: writable (ED_PATCH), read-only (-1), or unknown (error). */
static int
ed_patch_field(const char *key)
{
	for (int f = 0; f < ED_NFIELDS; f++)
		if (strcmp(key, ed_fields[f].name) == 0)
		{
			if (ed_fields[f].flags & ED_PATCH)
				return f;
			if (ed_fields[f].flags & ED_RENDER)
				return -1;
		}
	if (strcmp(key, "is_action") == 0)
		return -1;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown key \"%s\" in patch", ed_truncated(key, ED_ECHO_MAX_CHARS)),
			 errhint("%s", ed_writable_keys_hint())));
	return -1;					/* keep compiler quiet */
}

/* Check the value of a writable key by its field's kind and store it. */
static void
ed_patch_set(EdPatch *out, const char *key, JsonbValue *v)
{
	int			f = ed_patch_field(key);
	void	   *dst;

	if (f < 0)
		return;					/* read-only keys are ignored */
	dst = ED_FIELD_PTR(&out->values, f);
	out->present[f] = true;
	switch (ed_fields[f].kind)
	{
		case ED_KIND_TEXT:
		case ED_KIND_OPT_TEXT:
			*(char **) dst = ed_patch_string(key, v, ed_fields[f].kind == ED_KIND_OPT_TEXT);
			break;
		case ED_KIND_USER:
			{
				EdOptInt64 *user = dst;

				user->isnull = v->type == jbvNull;
				if (!user->isnull &&
					(v->type != jbvNumeric ||
					 !ed_numeric_to_int64(v->val.numeric, &user->value) ||
					 user->value <= 0))
					ed_patch_type_error(key, "a user id (a positive integer) or null", v);
			}
			break;
		case ED_KIND_TAGS:
			/* null leaves the tags as they are */
			out->present[f] = v->type != jbvNull;
			if (out->present[f])
				*(List **) dst = ed_normalize_tags(ed_patch_string_array(key, v), key);
			break;
		case ED_KIND_STRINGS:
			*(List **) dst = ed_patch_string_array(key, v);
			break;
		case ED_KIND_BOOL:
			*(bool *) dst = ed_patch_bool(key, v);
			break;
		case ED_KIND_UUID:
		case ED_KIND_TIMESTAMP:
		case ED_KIND_OPT_TIMESTAMP:
			elog(ERROR, "field \"%s\" of this kind cannot be patched", key);
	}
	if (out->present[f] && ed_patch_checks[f] != NULL)
		ed_patch_checks[f] (key, dst);
}

void
ed_patch_parse(Jsonb *patch, EdPatch *out)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	memset(out, 0, sizeof(EdPatch));
	if (!JB_ROOT_IS_OBJECT(patch) || JB_ROOT_IS_SCALAR(patch))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("patch must be a JSON object")));

	it = JsonbIteratorInit(&patch->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_KEY)
			key = pnstrdup(v.val.string.val, v.val.string.len);
		else if (tok == WJB_VALUE)
			ed_patch_set(out, key, &v);
	}

	if (ed_patch_has(out, verified) && out->values.verified &&
		ed_patch_has(out, hidden) && out->values.hidden)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an event definition cannot be both verified and hidden"),
				 errhint("Set only one of \"verified\" and \"hidden\" to true.")));
}

/*
 * The owner must be a user of the directory, one linked to the project
 * for a caller limited to projects (user_projects.c).  Runs inside SPI.
 */
void
ed_patch_check_owner(const EdPatch *patch, int64 project_id)
{
	if (ed_patch_has(patch, owner) && !patch->values.owner.isnull)
		ed_users_check_owner(project_id, patch->values.owner.value);
}

/* hidden: hiding un-verifies */
static void
ed_apply_hidden(EdDefinition *def, bool hidden)
{
	def->hidden = hidden;
	if (hidden)
	{
		def->verified = false;
		def->verified_at.isnull = true;
		def->verified_by.isnull = true;
	}
}

/*
 * verified: false clears when and who; true un-hides, and on a definition
 * that was not verified sets when and who (an already verified one keeps
 * both)
 */
static void
ed_apply_verified(EdDefinition *def, bool verified, EdOptInt64 actor, TimestampTz now)
{
	if (!verified)
	{
		def->verified = false;
		def->verified_at.isnull = true;
		def->verified_by.isnull = true;
		return;
	}
	def->hidden = false;
	if (!def->verified)
	{
		def->verified = true;
		def->verified_at.isnull = false;
		def->verified_at.value = now;
		def->verified_by = actor;
	}
}

/*
 * Apply a patch: every given field is copied, then verified and hidden
 * follow their rules.  updated_at and updated_by are set.
 */
void
ed_patch_apply(const EdPatch *patch, EdDefinition *def, EdOptInt64 actor, TimestampTz now)
{
	for (int f = 0; f < ED_NFIELDS; f++)
		if (patch->present[f] && f != ED_FIELD_verified && f != ED_FIELD_hidden)
			memcpy(ED_FIELD_PTR(def, f), ED_FIELD_PTR(&patch->values, f), ed_fields[f].size);
	if (ed_patch_has(patch, hidden))
		ed_apply_hidden(def, patch->values.hidden);
	if (ed_patch_has(patch, verified))
		ed_apply_verified(def, patch->values.verified, actor, now);
	def->updated_at = now;
	def->updated_by = actor;
}
