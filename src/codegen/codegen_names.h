/*-------------------------------------------------------------------------
 *
 * codegen_names.h
 *	  Identifiers for event and property names, the same in every
 *	  language: PascalCase words of ASCII letters and digits, "N" before
 *	  a leading digit, "_" after a reserved word, "_2", "_3"... after a
 *	  collision.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_CODEGEN_NAMES_H
#define ED_CODEGEN_NAMES_H

extern char *ed_cg_ident_base(const char *name);
extern void ed_cg_assign_idents(const char *const *names, const char **idents, int n);

#endif							/* ED_CODEGEN_NAMES_H */
