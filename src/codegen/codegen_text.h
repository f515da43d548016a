/*-------------------------------------------------------------------------
 *
 * codegen_text.h
 *	  What every generated file shares: string literals of names, the
 *	  header, the manifest of events that codegen_status() reads back.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_CODEGEN_TEXT_H
#define ED_CODEGEN_TEXT_H

#include "lib/stringinfo.h"

#include "codegen/codegen_model.h"

/* a manifest line: the marker, the event's fingerprint, its name as a literal */
#define ED_CG_MANIFEST_MARKER "@event "

extern void ed_cg_literal(StringInfo buf, const char *s);
extern void ed_cg_header(StringInfo buf, const char *comment, const EdCgModel *model);
extern void ed_cg_comment_lines(StringInfo buf, const char *comment, const char *text);
extern void ed_cg_manifest(StringInfo buf, const char *comment, const EdCgModel *model);

#endif							/* ED_CODEGEN_TEXT_H */
