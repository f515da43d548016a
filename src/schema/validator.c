/*-------------------------------------------------------------------------
 *
 * validator.c
 *	  An event's properties against its compiled schema, with PostHog's
 *	  reasons:
 *
 *	    missing_required  a required property is absent or null
 *	    type_mismatch     a property is present, not null, and its value
 *	                      fits none of its types (coercion.c)
 *
 *	  Every property of the schema is checked, optional ones too when
 *	  present and not null (PostHog checks required ones only).  A
 *	  property whose groups disagree on its type is not checked at all, as
 *	  PostHog does: a misconfigured schema must not block ingestion.  The
 *	  event's own keys that the schema does not list are not looked at.
 *
 *	  The check allocates nothing and runs no SQL: one binary search of
 *	  the event's object per property of the schema.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "port/pg_bitutils.h"

#include "json_out.h"
#include "schema/coercion.h"
#include "schema/validator.h"
#include "schema/value_text.h"

static const char *const ed_reason_names[] = {
	[ED_REASON_MISSING_REQUIRED] = "missing_required",
	[ED_REASON_TYPE_MISMATCH] = "type_mismatch",
};

const char *
ed_violation_reason_name(EdViolationReason reason)
{
	return ed_reason_names[reason];
}

/*
 * Check the object properties (NULL: the event has none) and write at
 * most max_errors errors, in the order of the schema's properties (by
 * name).  Returns how many were written.
 */
int
ed_schema_check(const EdCompiledSchema *schema, JsonbContainer *properties,
				EdSchemaError *errors, int max_errors)
{
	int			n = 0;

	for (int i = 0; i < schema->nprops && n < max_errors; i++)
	{
		const EdSchemaProperty *p = &schema->props[i];
		JsonbValue	value;
		bool		present = false;

		if (ED_TYPE_MASK_IS_CONFLICT(p->types))
			continue;
		if (properties != NULL &&
			getKeyJsonValueFromContainer(properties, ED_SCHEMA_PROP_NAME(schema, p), p->len,
										 &value) != NULL)
			present = value.type != jbvNull;
		if (!present)
		{
			if (!p->required)
				continue;
			errors[n].prop = i;
			errors[n].reason = ED_REASON_MISSING_REQUIRED;
			errors[n].value.type = jbvNull;
			n++;
		}
		else if (!ed_value_fits_mask(&value, p->types))
		{
			errors[n].prop = i;
			errors[n].reason = ED_REASON_TYPE_MISMATCH;
			errors[n].value = value;
			n++;
		}
	}
	return n;
}

/*
 * {"valid": bool, "errors": [{"property", "reason", "expected_types",
 * "actual_value"}]}: actual_value is the value's text cut to 64
 * characters, null when the property is missing.
 */
JsonbValue *
ed_jv_validation(JsonbValue *v, const EdCompiledSchema *schema, const EdSchemaError *errors,
				 int nerrors)
{
	static const char *const keys[] = {"valid", "errors"};
	static const char *const error_keys[] = {"reason", "property", "actual_value", "expected_types"};
	JsonbPair  *p = ed_jv_object(v, lengthof(keys), keys);
	JsonbValue *elems;

	ed_jv_bool(&p[0].value, nerrors == 0);
	elems = ed_jv_array(&p[1].value, nerrors);
	for (int i = 0; i < nerrors; i++)
	{
		const EdSchemaProperty *prop = &schema->props[errors[i].prop];
		JsonbPair  *e = ed_jv_object(&elems[i], lengthof(error_keys), error_keys);

		ed_jv_string(&e[0].value, ed_violation_reason_name(errors[i].reason));
		ed_jv_string(&e[1].value, ED_SCHEMA_PROP_NAME(schema, prop));
		if (errors[i].value.type == jbvNull)
			ed_jv_null(&e[2].value);
		else
			ed_jv_string(&e[2].value, ed_value_text(&errors[i].value, ED_VALUE_TEXT_MAX_CHARS));
		ed_jv_type_mask(&e[3].value, prop->types);
	}
	return v;
}

/* One error as a sentence fragment: property "x" is missing / "v" is not Numeric. */
char *
ed_schema_error_text(const EdCompiledSchema *schema, const EdSchemaError *error)
{
	const EdSchemaProperty *prop = &schema->props[error->prop];
	const char *name = ED_SCHEMA_PROP_NAME(schema, prop);

	if (error->reason == ED_REASON_MISSING_REQUIRED)
		return psprintf("required property \"%s\" is missing", name);
	return psprintf("property \"%s\" is %s, which is not %s", name,
					ed_value_text(&error->value, ED_VALUE_TEXT_MAX_CHARS),
					ed_property_type_name((EdPropertyType) pg_rightmost_one_pos32(prop->types)));
}
