/*-------------------------------------------------------------------------
 *
 * patch.c
 *	  The update (PATCH) rules of the contract.
 *
 *	  ed_patch_parse() checks a caller's JSON completely before anything is
 *	  read or written: a patch that fails here changes nothing.  Read-only
 *	  keys are ignored, unknown keys and wrong types are errors naming the
 *	  key.  ed_patch_apply() then applies the verified/hidden rules to a
 *	  definition in memory.
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

static const char *const ed_readonly_keys[] = {
	"id", "name", "created_at", "last_seen_at", "updated_at", "updated_by",
	"verified_at", "verified_by", "is_action", NULL
};

static const char *
ed_jsonb_type_name(JsonbValue *v)
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

static void
ed_patch_set(EdPatch *out, const char *key, JsonbValue *v)
{
	if (strcmp(key, "description") == 0)
	{
		out->has_description = true;
		out->description = ed_patch_string(key, v, true);
	}
	else if (strcmp(key, "owner") == 0)
	{
		out->has_owner = true;
		out->owner.isnull = v->type == jbvNull;
		if (!out->owner.isnull &&
			(v->type != jbvNumeric ||
			 !ed_numeric_to_int64(v->val.numeric, &out->owner.value) ||
			 out->owner.value <= 0))
			ed_patch_type_error(key, "a user id (a positive integer) or null", v);
	}
	else if (strcmp(key, "tags") == 0)
	{
		out->has_tags = v->type != jbvNull;
		if (out->has_tags)
			out->tags = ed_normalize_tags(ed_patch_string_array(key, v), key);
	}
	else if (strcmp(key, "verified") == 0)
	{
		out->has_verified = true;
		out->verified = ed_patch_bool(key, v);
	}
	else if (strcmp(key, "hidden") == 0)
	{
		out->has_hidden = true;
		out->hidden = ed_patch_bool(key, v);
	}
	else if (strcmp(key, "post_to_slack") == 0)
	{
		out->has_post_to_slack = true;
		out->post_to_slack = ed_patch_bool(key, v);
	}
	else if (strcmp(key, "default_columns") == 0)
	{
		out->has_default_columns = true;
		out->default_columns = ed_patch_string_array(key, v);
	}
	else if (strcmp(key, "enforcement_mode") == 0)
	{
		out->has_enforcement_mode = true;
		out->enforcement_mode = ed_patch_string(key, v, false);
		if (strcmp(out->enforcement_mode, "allow") != 0 &&
			strcmp(out->enforcement_mode, "reject") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for \"enforcement_mode\": \"%s\"",
							ed_truncated(out->enforcement_mode, ED_ECHO_MAX_CHARS)),
					 errhint("Use \"allow\" or \"reject\".")));
	}
	else if (strcmp(key, "primary_property") == 0)
	{
		int			nchars;

		out->has_primary_property = true;
		out->primary_property = ed_patch_string(key, v, true);
		nchars = out->primary_property ?
			ed_char_length(out->primary_property, strlen(out->primary_property)) : 1;
		if (nchars < 1 || nchars > ED_NAME_MAX_CHARS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for \"primary_property\": must be 1 to %d characters",
							ED_NAME_MAX_CHARS)));
	}
	else
	{
		for (int i = 0; ed_readonly_keys[i] != NULL; i++)
			if (strcmp(key, ed_readonly_keys[i]) == 0)
				return;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown key \"%s\" in patch", ed_truncated(key, ED_ECHO_MAX_CHARS)),
				 errhint("Writable keys are description, owner, tags, verified, hidden, "
						 "post_to_slack, default_columns, enforcement_mode and primary_property.")));
	}
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

	if (out->has_verified && out->verified && out->has_hidden && out->hidden)
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
	if (patch->has_owner && !patch->owner.isnull)
		ed_users_check_owner(project_id, patch->owner.value);
}

void
ed_patch_apply(const EdPatch *patch, EdDefinition *def, EdOptInt64 actor, TimestampTz now)
{
	EdOptTimestamp no_time = {true, 0};
	EdOptInt64	no_user = {true, 0};

	if (patch->has_description)
		def->description = patch->description;
	if (patch->has_owner)
		def->owner = patch->owner;
	if (patch->has_tags)
		def->tags = patch->tags;
	if (patch->has_post_to_slack)
		def->post_to_slack = patch->post_to_slack;
	if (patch->has_default_columns)
		def->default_columns = patch->default_columns;
	if (patch->has_enforcement_mode)
		def->enforcement_mode = patch->enforcement_mode;
	if (patch->has_primary_property)
		def->primary_property = patch->primary_property;

	if (patch->has_hidden)
	{
		def->hidden = patch->hidden;
		if (patch->hidden)
		{
			/* hiding un-verifies */
			def->verified = false;
			def->verified_at = no_time;
			def->verified_by = no_user;
		}
	}
	if (patch->has_verified)
	{
		if (!patch->verified)
		{
			def->verified = false;
			def->verified_at = no_time;
			def->verified_by = no_user;
		}
		else
		{
			/* verifying un-hides; an already verified one keeps when and who */
			def->hidden = false;
			if (!def->verified)
			{
				def->verified = true;
				def->verified_at.isnull = false;
				def->verified_at.value = now;
				def->verified_by = actor;
			}
		}
	}

	def->updated_at = now;
	def->updated_by = actor;
}
