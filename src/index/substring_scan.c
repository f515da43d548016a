/*-------------------------------------------------------------------------
 *
 * substring_scan.c
 *	  Substring search over a large buffer.
 *
 *	  The scan compares two chosen bytes of the needle (the rarest ones in
 *	  the buffer, by a byte histogram) against 32 (AVX2) or 16 (SSE2)
 *	  positions of the buffer at once, and checks the whole needle only
 *	  where both bytes match.  On typical names that skips almost every
 *	  position with two vector compares per 32 bytes.  CPUs without AVX2
 *	  use the SSE2 loop (every x86-64 has it); other architectures use
 *	  memmem().  The result is always the first occurrence at or after p.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <string.h>

#include "substring_scan.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define ED_HAVE_X86_SIMD 1
#include <immintrin.h>
#endif

/*
 * Pick the two positions of the needle whose bytes are least frequent in
 * the buffer (byte_counts may be NULL: first and last byte).
 */
void
ed_needle_init(EdNeedle *needle, const char *s, size_t len, const uint64 *byte_counts)
{
	needle->s = s;
	needle->len = len;
	needle->probe_a = 0;
	needle->probe_b = len > 0 ? len - 1 : 0;
	if (byte_counts == NULL || len < 2)
		return;
	for (size_t i = 0; i < len; i++)
	{
		uint64		c = byte_counts[(unsigned char) s[i]];

		if (c < byte_counts[(unsigned char) s[needle->probe_a]])
			needle->probe_a = i;
	}
	needle->probe_b = needle->probe_a == 0 ? 1 : 0;
	for (size_t i = 0; i < len; i++)
	{
		uint64		c = byte_counts[(unsigned char) s[i]];

		if (i != needle->probe_a &&
			c < byte_counts[(unsigned char) s[needle->probe_b]])
			needle->probe_b = i;
	}
}

#ifdef ED_HAVE_X86_SIMD

__attribute__((target("avx2")))
static const char *
ed_find_avx2(const EdNeedle *nd, const char *p, const char *end)
{
	const __m256i va = _mm256_set1_epi8(nd->s[nd->probe_a]);
	const __m256i vb = _mm256_set1_epi8(nd->s[nd->probe_b]);

	/* every load and every candidate check stays below end */
	while ((size_t) (end - p) >= nd->len + 32)
	{
		__m256i		a = _mm256_loadu_si256((const __m256i *) (p + nd->probe_a));
		__m256i		b = _mm256_loadu_si256((const __m256i *) (p + nd->probe_b));
		uint32		mask = (uint32) _mm256_movemask_epi8(
			_mm256_and_si256(_mm256_cmpeq_epi8(a, va), _mm256_cmpeq_epi8(b, vb)));

		while (mask != 0)
		{
			int			bit = __builtin_ctz(mask);

			if (memcmp(p + bit, nd->s, nd->len) == 0)
				return p + bit;
			mask &= mask - 1;
		}
		p += 32;
	}
	return memmem(p, end - p, nd->s, nd->len);
}

static const char *
ed_find_sse2(const EdNeedle *nd, const char *p, const char *end)
{
	const __m128i va = _mm_set1_epi8(nd->s[nd->probe_a]);
	const __m128i vb = _mm_set1_epi8(nd->s[nd->probe_b]);

	while ((size_t) (end - p) >= nd->len + 16)
	{
		__m128i		a = _mm_loadu_si128((const __m128i *) (p + nd->probe_a));
		__m128i		b = _mm_loadu_si128((const __m128i *) (p + nd->probe_b));
		uint32		mask = (uint32) _mm_movemask_epi8(
			_mm_and_si128(_mm_cmpeq_epi8(a, va), _mm_cmpeq_epi8(b, vb)));

		while (mask != 0)
		{
			int			bit = __builtin_ctz(mask);

			if (memcmp(p + bit, nd->s, nd->len) == 0)
				return p + bit;
			mask &= mask - 1;
		}
		p += 16;
	}
	return memmem(p, end - p, nd->s, nd->len);
}

#endif							/* ED_HAVE_X86_SIMD */

/* The first occurrence of the needle in [p, end), or NULL. */
const char *
ed_needle_find(const EdNeedle *needle, const char *p, const char *end)
{
#ifdef ED_HAVE_X86_SIMD
	static int	have_avx2 = -1;

	if (have_avx2 < 0)
	{
		__builtin_cpu_init();
		have_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
	}
	if (needle->len == 0)
		return p;
	return have_avx2 ? ed_find_avx2(needle, p, end) : ed_find_sse2(needle, p, end);
#else
	return memmem(p, end - p, needle->s, needle->len);
#endif
}
