/*-------------------------------------------------------------------------
 *
 * codegen_patterns.h
 *	  The strings Numeric and DateTime properties take, as JSON Schema
 *	  patterns.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_CODEGEN_PATTERNS_H
#define ED_CODEGEN_PATTERNS_H

extern char *ed_cg_numeric_text_pattern(void);
extern char *ed_cg_datetime_text_pattern(void);

#endif							/* ED_CODEGEN_PATTERNS_H */
