/*-------------------------------------------------------------------------
 *
 * property_type.h
 *	  The five property types of a schema (String, Numeric, Boolean,
 *	  DateTime, Object): their names and sets of them as bit masks.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_PROPERTY_TYPE_H
#define ED_PROPERTY_TYPE_H

#include "utils/jsonb.h"

/* in the alphabetical order of their names: masks list them that way */
typedef enum EdPropertyType
{
	ED_PT_BOOLEAN,
	ED_PT_DATETIME,
	ED_PT_NUMERIC,
	ED_PT_OBJECT,
	ED_PT_STRING,
	ED_PT_COUNT
} EdPropertyType;

typedef uint8 EdTypeMask;

#define ED_PT_BIT(t)	((EdTypeMask) (1u << (t)))

/* more than one type: the groups of an event disagree on the property */
#define ED_TYPE_MASK_IS_CONFLICT(m)	(((m) & ((m) - 1)) != 0)

#define ED_PROPERTY_TYPES_HINT "Use String, Numeric, Boolean, DateTime or Object."

extern const char *ed_property_type_name(EdPropertyType t);
extern bool ed_property_type_parse(const char *s, int len, EdPropertyType *out);
extern JsonbValue *ed_jv_type_mask(JsonbValue *v, EdTypeMask mask);

#endif							/* ED_PROPERTY_TYPE_H */
