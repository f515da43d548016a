/*-------------------------------------------------------------------------
 *
 * version.h
 *	  The library's version, and the check that the installed SQL version
 *	  is one this library serves.
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

extern void ed_check_installed_version(void);

#endif							/* ED_VERSION_H */
