/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Shims over differences between the PostgreSQL major versions we build
 *	  against (13 to 17).  Every PG_VERSION_NUM test lives here.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_COMPAT_H
#define ED_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

#if PG_VERSION_NUM >= 150000
#define ED_MarkGUCPrefixReserved(prefix) MarkGUCPrefixReserved(prefix)
#else
#define ED_MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/* this backend's local transaction id, and a small number naming the backend */
#if PG_VERSION_NUM >= 170000
#define ED_MY_LXID			(MyProc->vxid.lxid)
#define ED_MY_BACKEND_ID	((int) MyProcNumber)
#else
#define ED_MY_LXID			(MyProc->lxid)
#define ED_MY_BACKEND_ID	((int) MyBackendId)
#endif

/* a random number, for sampling */
#if PG_VERSION_NUM >= 150000
#include "common/pg_prng.h"
#define ED_RANDOM_UINT32()	pg_prng_uint32(&pg_global_prng_state)
#else
#define ED_RANDOM_UINT32()	((uint32) random())
#endif

/*
 * Shared memory requests: from PG 15 in shmem_request_hook, before that
 * straight from _PG_init.
 */
#if PG_VERSION_NUM >= 150000
#define ED_HAVE_SHMEM_REQUEST_HOOK 1
#endif

#endif							/* ED_COMPAT_H */
