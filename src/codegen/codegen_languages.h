/*-------------------------------------------------------------------------
 *
 * codegen_languages.h
 *	  The generators, one file each: a model in, the file's text out.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_CODEGEN_LANGUAGES_H
#define ED_CODEGEN_LANGUAGES_H

#include "lib/stringinfo.h"

#include "codegen/codegen_model.h"

typedef void (*EdCgGenerator) (StringInfo buf, const EdCgModel *model);

extern void ed_codegen_typescript(StringInfo buf, const EdCgModel *model);
extern void ed_codegen_golang(StringInfo buf, const EdCgModel *model);
extern void ed_codegen_python(StringInfo buf, const EdCgModel *model);
extern void ed_codegen_jsonschema(StringInfo buf, const EdCgModel *model);

#endif							/* ED_CODEGEN_LANGUAGES_H */
