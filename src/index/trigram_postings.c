/*-------------------------------------------------------------------------
 *
 * trigram_postings.c
 *	  Trigram posting lists of a name index, to search without a full scan.
 *
 *	  Every byte trigram of every (ASCII-lower-cased) name is hashed into
 *	  one of 65,536 buckets; a bucket lists, in increasing order, the
 *	  indexes of the names that contain one of its trigrams.  A name that
 *	  contains a term contains every trigram of it, so the names in the
 *	  intersection of the term's buckets are a superset of the matches:
 *	  hash collisions only add candidates, which the caller verifies.
 *	  Lists are stored as varint-encoded gaps (about 1.3 bytes a posting),
 *	  built in two passes over the names (sizes, then data).  Terms shorter
 *	  than three bytes have no trigram: the caller scans instead.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "trigram_postings.h"

#define ED_BUCKETS			ED_TRIGRAM_BUCKETS
/* intersect at most this many lists: the rest rarely removes a candidate */
#define ED_MAX_LISTS		4

static inline uint32
ed_trigram_bucket(const unsigned char *p)
{
	uint32		t = ((uint32) p[0] << 16) | ((uint32) p[1] << 8) | p[2];

	return (t * 2654435761u) >> 16;
}

static inline int
ed_varint_size(uint32 v)
{
	return v < (1u << 7) ? 1 : v < (1u << 14) ? 2 : v < (1u << 21) ? 3 : v < (1u << 28) ? 4 : 5;
}

static inline uint8 *
ed_varint_put(uint8 *p, uint32 v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8) v;
	return p;
}

static inline const uint8 *
ed_varint_get(const uint8 *p, uint32 *v)
{
	uint32		r = 0;
	int			shift = 0;

	while (*p & 0x80)
	{
		r |= (uint32) (*p++ & 0x7f) << shift;
		shift += 7;
	}
	*v = r | ((uint32) *p++ << shift);
	return p;
}

/*
 * Build the lists.  Names are given in index order; "last" remembers, per
 * bucket, the last name (plus one) posted, which both removes duplicates
 * within a name and gives the gap to encode.
 */
void
ed_postings_build(EdPostings *out, int n, const char *lower, const uint32 *offsets,
				  const uint16 *lengths)
{
	uint32	   *count = palloc0(sizeof(uint32) * ED_BUCKETS);
	uint64	   *start = palloc0(sizeof(uint64) * (ED_BUCKETS + 1));
	uint8	   *data = NULL;
	uint32	   *last = palloc0(sizeof(uint32) * ED_BUCKETS);
	uint64	   *fill = palloc(sizeof(uint64) * ED_BUCKETS);

	for (int pass = 0; pass < 2; pass++)
	{
		memset(last, 0, sizeof(uint32) * ED_BUCKETS);
		for (int i = 0; i < n; i++)
		{
			const unsigned char *s = (const unsigned char *) lower + offsets[i];

			if ((i & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();
			for (int k = 0; k + 3 <= lengths[i]; k++)
			{
				uint32		b = ed_trigram_bucket(s + k);
				uint32		gap;

				if (last[b] == (uint32) i + 1)
					continue;
				gap = (uint32) i + 1 - last[b];
				last[b] = (uint32) i + 1;
				if (pass == 0)
				{
					count[b]++;
					start[b + 1] += ed_varint_size(gap);
				}
				else
					fill[b] = ed_varint_put(data + fill[b], gap) - data;
			}
		}
		if (pass == 0)
		{
			for (int b = 0; b < ED_BUCKETS; b++)
				start[b + 1] += start[b];
			data = palloc_extended(Max(start[ED_BUCKETS], 1), MCXT_ALLOC_HUGE);
			for (int b = 0; b < ED_BUCKETS; b++)
				fill[b] = start[b];
		}
	}
	pfree(last);
	pfree(fill);
	out->n = n;
	out->count = count;
	out->start = start;
	out->data = data;
}

static int
ed_bucket_cmp(const void *a, const void *b, void *arg)
{
	const EdPostings *pl = arg;
	uint32		x = pl->count[*(const uint32 *) a];
	uint32		y = pl->count[*(const uint32 *) b];

	return (x > y) - (x < y);
}

/* Decode one list into out (room for count entries); names are 0-based. */
static int
ed_decode_list(const EdPostings *pl, uint32 b, int32 *out)
{
	const uint8 *p = pl->data + pl->start[b];
	uint32		name = 0;

	for (uint32 k = 0; k < pl->count[b]; k++)
	{
		uint32		gap;

		p = ed_varint_get(p, &gap);
		name += gap;
		out[k] = (int32) name - 1;
	}
	return (int) pl->count[b];
}

/* Keep the candidates that are also in list b (both increasing). */
static int
ed_intersect_list(const EdPostings *pl, uint32 b, int32 *cand, int ncand)
{
	const uint8 *p = pl->data + pl->start[b];
	uint32		remaining = pl->count[b];
	uint32		name = 0;
	int32		cur = -1;
	int			kept = 0;

	for (int i = 0; i < ncand; i++)
	{
		if ((i & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		while (cur < cand[i] && remaining > 0)
		{
			uint32		gap;

			p = ed_varint_get(p, &gap);
			name += gap;
			cur = (int32) name - 1;
			remaining--;
		}
		if (cur == cand[i])
			cand[kept++] = cand[i];
		else if (cur < cand[i])
			break;				/* list exhausted */
	}
	return kept;
}

/*
 * The names that may contain every term, in increasing order, or NULL when
 * no term has a trigram (the caller must scan).
 */
int32 *
ed_postings_candidates(const EdPostings *pl, List *terms, int *ncandidates)
{
	uint32	   *buckets;
	int			nbuckets = 0;
	int			cap = 0;
	int32	   *cand;
	int			ncand;
	ListCell   *lc;

	foreach(lc, terms)
		cap += Max((int) strlen(lfirst(lc)) - 2, 0);
	if (cap == 0)
		return NULL;
	buckets = palloc(sizeof(uint32) * cap);
	foreach(lc, terms)
	{
		const unsigned char *t = lfirst(lc);
		int			len = strlen((const char *) t);

		for (int k = 0; k + 3 <= len; k++)
		{
			uint32		b = ed_trigram_bucket(t + k);
			bool		dup = false;

			for (int j = 0; j < nbuckets && !dup; j++)
				dup = buckets[j] == b;
			if (!dup)
				buckets[nbuckets++] = b;
		}
	}
	qsort_arg(buckets, nbuckets, sizeof(uint32), ed_bucket_cmp, (void *) pl);

	cand = palloc(sizeof(int32) * Max(pl->count[buckets[0]], 1));
	ncand = ed_decode_list(pl, buckets[0], cand);
	for (int j = 1; j < nbuckets && j < ED_MAX_LISTS && ncand > 0; j++)
		ncand = ed_intersect_list(pl, buckets[j], cand, ncand);
	pfree(buckets);
	*ncandidates = ncand;
	return cand;
}
