/*-------------------------------------------------------------------------
 *
 * substring_scan.h
 *	  Fast search of one substring in a large buffer (SIMD where the CPU
 *	  has it), for the in-memory name index.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_SUBSTRING_SCAN_H
#define ED_SUBSTRING_SCAN_H

typedef struct EdNeedle
{
	const char *s;
	size_t		len;
	size_t		probe_a;		/* two positions of s whose bytes are rare */
	size_t		probe_b;
} EdNeedle;

extern void ed_needle_init(EdNeedle *needle, const char *s, size_t len,
						   const uint64 *byte_counts);
extern const char *ed_needle_find(const EdNeedle *needle, const char *p, const char *end);

#endif							/* ED_SUBSTRING_SCAN_H */
