/*-------------------------------------------------------------------------
 *
 * coercion.c
 *	  The coercion table: may a present, non-null value stand for a
 *	  property of a type?  PostHog's rules, which follow how its queries
 *	  read property values:
 *
 *	    String    any value
 *	    Numeric   a number finite as a double; a string that Number()
 *	              reads as one after trim() (js_text.c), not '' and not
 *	              only white space; never a boolean, object or array
 *	    Boolean   true, false, and the strings "true" and "false" exactly
 *	    DateTime  a number (a Unix time); a string of date_text.c's grammar
 *	    Object    an object or an array
 *
 *	  null is "missing", decided by the validator before this table.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "schema/coercion.h"
#include "schema/date_text.h"
#include "schema/js_text.h"

static bool
ed_is_string(const JsonbValue *v, const char *s)
{
	int			len = strlen(s);

	return v->val.string.len == len && memcmp(v->val.string.val, s, len) == 0;
}

bool
ed_value_fits_type(const JsonbValue *v, EdPropertyType t)
{
	switch (t)
	{
		case ED_PT_STRING:
			return true;
		case ED_PT_NUMERIC:
			if (v->type == jbvNumeric)
				return ed_numeric_is_finite_double(v->val.numeric);
			return v->type == jbvString &&
				ed_js_numeric_text(v->val.string.val, v->val.string.len);
		case ED_PT_BOOLEAN:
			if (v->type == jbvBool)
				return true;
			return v->type == jbvString && (ed_is_string(v, "true") || ed_is_string(v, "false"));
		case ED_PT_DATETIME:
			if (v->type == jbvNumeric)
				return true;
			return v->type == jbvString && ed_datetime_text(v->val.string.val, v->val.string.len);
		case ED_PT_OBJECT:
			return v->type == jbvBinary || v->type == jbvObject || v->type == jbvArray;
		case ED_PT_COUNT:
			break;
	}
	return false;
}

/* Does the value fit at least one of the types? */
bool
ed_value_fits_mask(const JsonbValue *v, EdTypeMask mask)
{
	for (int t = 0; t < ED_PT_COUNT; t++)
		if ((mask & ED_PT_BIT(t)) && ed_value_fits_type(v, (EdPropertyType) t))
			return true;
	return false;
}
