/*-------------------------------------------------------------------------
 *
 * codegen_status.h
 *	  codegen_status(): a generated file against the catalog.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_CODEGEN_STATUS_H
#define ED_CODEGEN_STATUS_H

#include "utils/jsonb.h"

#include "codegen/codegen_model.h"

extern char *ed_cg_check_hash(const char *hash);
extern JsonbValue *ed_codegen_status(const EdCgModel *model, const char *schema_hash,
									 text *content);

#endif							/* ED_CODEGEN_STATUS_H */
