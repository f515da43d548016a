/*-------------------------------------------------------------------------
 *
 * validator.h
 *	  Checking an event's properties against its compiled schema, and the
 *	  errors as validate() returns them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_VALIDATOR_H
#define ED_VALIDATOR_H

#include "utils/jsonb.h"

#include "schema/compiled_schema.h"

typedef enum EdViolationReason
{
	ED_REASON_MISSING_REQUIRED,
	ED_REASON_TYPE_MISMATCH
} EdViolationReason;

typedef struct EdSchemaError
{
	int			prop;			/* index in the schema's props */
	EdViolationReason reason;
	JsonbValue	value;			/* jbvNull when missing; points into the event */
} EdSchemaError;

extern const char *ed_violation_reason_name(EdViolationReason reason);
extern int	ed_schema_check(const EdCompiledSchema *schema, JsonbContainer *properties,
							EdSchemaError *errors, int max_errors);
extern JsonbValue *ed_jv_validation(JsonbValue *v, const EdCompiledSchema *schema,
									const EdSchemaError *errors, int nerrors);
extern char *ed_schema_error_text(const EdCompiledSchema *schema, const EdSchemaError *error);

#endif							/* ED_VALIDATOR_H */
