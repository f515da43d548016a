/*-------------------------------------------------------------------------
 *
 * property_type.c
 *	  Names of the property types, as PostHog spells them (case matters),
 *	  and a set of types rendered as a JSON array in name order.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "json_out.h"
#include "schema/property_type.h"

static const char *const ed_type_names[ED_PT_COUNT] = {
	[ED_PT_BOOLEAN] = "Boolean",
	[ED_PT_DATETIME] = "DateTime",
	[ED_PT_NUMERIC] = "Numeric",
	[ED_PT_OBJECT] = "Object",
	[ED_PT_STRING] = "String",
};

const char *
ed_property_type_name(EdPropertyType t)
{
	Assert(t >= 0 && t < ED_PT_COUNT);
	return ed_type_names[t];
}

/* s (len bytes, not terminated) names a type exactly */
bool
ed_property_type_parse(const char *s, int len, EdPropertyType *out)
{
	for (int t = 0; t < ED_PT_COUNT; t++)
		if ((int) strlen(ed_type_names[t]) == len && memcmp(s, ed_type_names[t], len) == 0)
		{
			*out = (EdPropertyType) t;
			return true;
		}
	return false;
}

/* ["Boolean", "Numeric", ...]: the types of mask, in name order */
JsonbValue *
ed_jv_type_mask(JsonbValue *v, EdTypeMask mask)
{
	int			n = 0;
	JsonbValue *elems;

	for (int t = 0; t < ED_PT_COUNT; t++)
		n += (mask & ED_PT_BIT(t)) != 0;
	elems = ed_jv_array(v, n);
	n = 0;
	for (int t = 0; t < ED_PT_COUNT; t++)
		if (mask & ED_PT_BIT(t))
			ed_jv_string(&elems[n++], ed_type_names[t]);
	return v;
}
