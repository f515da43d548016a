/*-------------------------------------------------------------------------
 *
 * coercion.h
 *	  Which JSON values a property of each type accepts (the coercion
 *	  table of PostHog's validator).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_COERCION_H
#define ED_COERCION_H

#include "utils/jsonb.h"

#include "schema/property_type.h"

extern bool ed_value_fits_type(const JsonbValue *v, EdPropertyType t);
extern bool ed_value_fits_mask(const JsonbValue *v, EdTypeMask mask);

#endif							/* ED_COERCION_H */
