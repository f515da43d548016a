/*-------------------------------------------------------------------------
 *
 * group_input.c
 *	  Checks of a property group's name, description and properties.
 *
 *	  A group name is 1 to 400 characters without control characters and
 *	  not only white space; a property name is 1 to 400 characters without
 *	  control characters (any key an event may carry).  properties is an
 *	  array of {"name", "property_type", "is_required", "description"}:
 *	  name and property_type are required, property_type is one of
 *	  String, Numeric, Boolean, DateTime, Object (as PostHog spells them),
 *	  is_required defaults to false and description to "".  A name listed
 *	  twice is a conflict (23505), anything else wrong is 22023; errors
 *	  name the position in the array.  Unknown keys are errors, so a typo
 *	  ("required") is not silently ignored.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "parser/scansup.h"

#include "event_name.h"
#include "messages.h"
#include "patch.h"
#include "text_arrays.h"
#include "schema/group_input.h"

/*
 * The next key and value of an object being iterated (values of nested
 * containers as jbvBinary); false at its end.  *key is a copy.
 */
static bool
ed_object_next(JsonbIterator **it, char **key, JsonbValue *value)
{
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(it, value, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_KEY)
			*key = pnstrdup(value->val.string.val, value->val.string.len);
		else if (tok == WJB_VALUE)
			return true;
	}
	return false;
}

/* The rules of a name (what names, "group" or "property"); false and *why on failure. */
static bool
ed_name_ok(const char *name, int len, const char *what, char **why)
{
	bool		blank = true;

	if (len == 0)
	{
		*why = psprintf("A %s name must not be empty.", what);
		return false;
	}
	if (len > ED_NAME_MAX_CHARS * pg_database_encoding_max_length() ||
		ed_char_length(name, len) > ED_NAME_MAX_CHARS)
	{
		*why = psprintf("A %s name must not be longer than %d characters.", what, ED_NAME_MAX_CHARS);
		return false;
	}
	if (ed_has_control_char(name, len))
	{
		*why = psprintf("A %s name must not contain control characters.", what);
		return false;
	}
	for (int i = 0; i < len && blank; i++)
		blank = scanner_isspace(name[i]);
	if (blank && strcmp(what, "group") == 0)
	{
		*why = pstrdup("A group name must not be only white space.");
		return false;
	}
	return true;
}

void
ed_group_check_name(const char *name, int len)
{
	char	   *why;

	if (!ed_name_ok(name, len, "group", &why))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid property group name"),
				 errdetail("%s", why)));
}

static void
ed_property_error(int position, const char *fmt, const char *arg, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid property at position %d of properties", position),
			 errdetail(fmt, arg),
			 hint ? errhint("%s", hint) : 0));
}

static char *
ed_jv_cstring(const JsonbValue *v)
{
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* One {"name", "property_type", ...} object, at a 1-based position. */
static void
ed_parse_property(JsonbValue *elem, int position, EdGroupProperty *out)
{
	static const char *const keys_hint =
		"The keys of a property are name, property_type, is_required and description.";
	JsonbIterator *it;
	JsonbValue	v;
	char	   *key = NULL;
	bool		has_type = false;

	if (elem->type != jbvBinary || !JsonContainerIsObject(elem->val.binary.data))
		ed_property_error(position, "A property must be a JSON object, not %s.",
						  ed_jsonb_type_name(elem), NULL);
	memset(out, 0, sizeof(*out));
	out->description = "";
	it = JsonbIteratorInit(elem->val.binary.data);
	while (ed_object_next(&it, &key, &v))
	{
		if (strcmp(key, "name") == 0)
		{
			char	   *why;

			if (v.type != jbvString)
				ed_property_error(position, "\"name\" must be a string, not %s.",
								  ed_jsonb_type_name(&v), NULL);
			if (!ed_name_ok(v.val.string.val, v.val.string.len, "property", &why))
				ed_property_error(position, "%s", why, NULL);
			out->name = ed_jv_cstring(&v);
		}
		else if (strcmp(key, "property_type") == 0)
		{
			if (v.type != jbvString)
				ed_property_error(position, "\"property_type\" must be a string, not %s.",
								  ed_jsonb_type_name(&v), ED_PROPERTY_TYPES_HINT);
			if (!ed_property_type_parse(v.val.string.val, v.val.string.len, &out->type))
				ed_property_error(position, "Unknown property_type \"%s\".",
								  ed_truncated(ed_jv_cstring(&v), ED_ECHO_MAX_CHARS),
								  ED_PROPERTY_TYPES_HINT);
			has_type = true;
		}
		else if (strcmp(key, "is_required") == 0)
		{
			if (v.type != jbvBool)
				ed_property_error(position, "\"is_required\" must be a boolean, not %s.",
								  ed_jsonb_type_name(&v), NULL);
			out->required = v.val.boolean;
		}
		else if (strcmp(key, "description") == 0)
		{
			if (v.type != jbvString && v.type != jbvNull)
				ed_property_error(position, "\"description\" must be a string, not %s.",
								  ed_jsonb_type_name(&v), NULL);
			out->description = v.type == jbvNull ? "" : ed_jv_cstring(&v);
		}
		else
			ed_property_error(position, "Unknown key \"%s\".",
							  ed_truncated(key, ED_ECHO_MAX_CHARS), keys_hint);
	}
	if (out->name == NULL)
		ed_property_error(position, "%s", "A property must have a \"name\".", keys_hint);
	if (!has_type)
		ed_property_error(position, "%s", "A property must have a \"property_type\".",
						  ED_PROPERTY_TYPES_HINT);
}

static int
ed_group_property_cmp(const void *a, const void *b)
{
	return strcmp(((const EdGroupProperty *) a)->name, ((const EdGroupProperty *) b)->name);
}

/* properties: a JSON array of property objects (NULL: none). */
void
ed_group_parse_properties(Jsonb *properties, EdGroupInput *out)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			n;

	out->has_properties = true;
	out->nprops = 0;
	out->props = NULL;
	if (properties == NULL)
		return;
	if (!JB_ROOT_IS_ARRAY(properties) || JB_ROOT_IS_SCALAR(properties))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("properties must be a JSON array"),
				 errhint("Give an array of {\"name\", \"property_type\", \"is_required\", \"description\"} objects.")));
	n = JB_ROOT_COUNT(properties);
	if (n > ED_GROUP_MAX_PROPERTIES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a property group lists at most %d properties, got %d",
						ED_GROUP_MAX_PROPERTIES, n)));
	out->props = palloc(sizeof(EdGroupProperty) * Max(n, 1));
	it = JsonbIteratorInit(&properties->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_ELEM)
		{
			ed_parse_property(&v, out->nprops + 1, &out->props[out->nprops]);
			out->nprops++;
		}
	}
	qsort(out->props, out->nprops, sizeof(EdGroupProperty), ed_group_property_cmp);
	for (int i = 1; i < out->nprops; i++)
		if (strcmp(out->props[i - 1].name, out->props[i].name) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("property \"%s\" is listed more than once",
							ed_truncated(out->props[i].name, ED_ECHO_MAX_CHARS)),
					 errdetail("A property group lists each property name once.")));
}

/*
 * update's patch: name, description and properties are writable; the
 * keys a group is rendered with are read-only and ignored (a client may
 * send back what it read); anything else is an error.
 */
void
ed_group_parse_patch(Jsonb *patch, EdGroupInput *out)
{
	static const char *const read_only[] = {
		"id", "events", "created_at", "created_by", "updated_at", "updated_by"
	};
	JsonbIterator *it;
	JsonbValue	v;
	char	   *key = NULL;

	memset(out, 0, sizeof(*out));
	if (!JB_ROOT_IS_OBJECT(patch) || JB_ROOT_IS_SCALAR(patch))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("patch must be a JSON object")));
	it = JsonbIteratorInit(&patch->root);
	while (ed_object_next(&it, &key, &v))
	{
		bool		ignored = false;

		if (strcmp(key, "name") == 0)
		{
			if (v.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for \"name\": expected a string, got %s",
								ed_jsonb_type_name(&v))));
			ed_group_check_name(v.val.string.val, v.val.string.len);
			out->has_name = true;
			out->name = ed_jv_cstring(&v);
		}
		else if (strcmp(key, "description") == 0)
		{
			if (v.type != jbvString && v.type != jbvNull)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for \"description\": expected a string or null, got %s",
								ed_jsonb_type_name(&v))));
			out->has_description = true;
			out->description = v.type == jbvNull ? "" : ed_jv_cstring(&v);
		}
		else if (strcmp(key, "properties") == 0)
		{
			Jsonb	   *array;

			if (v.type != jbvBinary || !JsonContainerIsArray(v.val.binary.data))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for \"properties\": expected an array, got %s",
								ed_jsonb_type_name(&v))));
			array = JsonbValueToJsonb(&v);
			ed_group_parse_properties(array, out);
		}
		else
		{
			for (size_t i = 0; i < lengthof(read_only); i++)
				ignored |= strcmp(key, read_only[i]) == 0;
			if (!ignored)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown key \"%s\" in patch", ed_truncated(key, ED_ECHO_MAX_CHARS)),
						 errhint("Writable keys are name, description and properties.")));
		}
	}
}
