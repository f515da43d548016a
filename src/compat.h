/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Shims over differences between the PostgreSQL major versions we build
 *	  against (13 to 17).  Every PG_VERSION_NUM test lives here.  Included
 *	  after postgres.h, like every header of ours.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_COMPAT_H
#define ED_COMPAT_H

#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#include "varatt.h"
#endif
#if PG_VERSION_NUM < 150000
#include "utils/int8.h"
#endif
#include "utils/builtins.h"
#include "utils/numeric.h"

/* string keys in dynahash: an explicit flag from 14, the default before */
#if PG_VERSION_NUM >= 140000
#define ED_HASH_STRINGS HASH_STRINGS
#else
#define ED_HASH_STRINGS 0
#endif

/* an int64 as a Numeric: a core function from 14, the SQL cast before */
#if PG_VERSION_NUM >= 140000
#define ED_Int64GetNumeric(x) int64_to_numeric(x)
#else
#define ED_Int64GetNumeric(x) DatumGetNumeric(DirectFunctionCall1(int8_numeric, Int64GetDatum(x)))
#endif

#if PG_VERSION_NUM >= 150000
#define ED_MarkGUCPrefixReserved(prefix) MarkGUCPrefixReserved(prefix)
#else
#define ED_MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/*
 * int8in's parser without throwing: true and *out on success.  16 and later
 * have a soft-error variant; 13 and 14 have scanint8(..., errorOK).  15 has
 * only pg_strtoint64(), which throws: the text is first checked to be what
 * it accepts within range (optional white space and sign, digits, at most
 * the digits of INT64_MIN), so that it cannot.
 */
static inline bool
ed_strtoint64_soft(const char *s, int64 *out)
{
#if PG_VERSION_NUM >= 160000
	ErrorSaveContext escontext = {T_ErrorSaveContext};

	*out = pg_strtoint64_safe(s, (Node *) &escontext);
	return !escontext.error_occurred;
#elif PG_VERSION_NUM >= 150000
	const char *p = s;
	const char *digits;
	bool		neg = false;
	size_t		ndigits;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	digits = p;
	while (*p >= '0' && *p <= '9')
		p++;
	ndigits = p - digits;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (ndigits == 0 || ndigits > 19 || *p != '\0')
		return false;
	if (ndigits == 19 &&
		strncmp(digits, neg ? "9223372036854775808" : "9223372036854775807", 19) > 0)
		return false;
	*out = pg_strtoint64(s);
	return true;
#else
	return scanint8(s, true, out);
#endif
}

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
