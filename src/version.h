/*-------------------------------------------------------------------------
 *
 * version.h
 *	  The library's version, and the installed SQL version: the one place
 *	  that says which version of the SQL objects the library is serving.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_VERSION_H
#define ED_VERSION_H

/* set by the Makefile from default_version in event_definitions.control */
#ifndef ED_EXTVERSION
#error "ED_EXTVERSION must be defined (the Makefile takes it from the control file)"
#endif

#define ED_LIBRARY_VERSION ED_EXTVERSION

/* SQL versions, in order: compare with < and >= */
typedef enum EdSqlVersion
{
	ED_SQL_NONE = 0,			/* not installed (being created or dropped) */
	ED_SQL_1_0 = 10,
	ED_SQL_1_1 = 11,
	ED_SQL_1_2 = 12,
	ED_SQL_UNKNOWN = 1000		/* newer than this library knows */
} EdSqlVersion;

extern EdSqlVersion ed_sql_version(void);
extern void ed_check_installed_version(void);

#endif							/* ED_VERSION_H */
