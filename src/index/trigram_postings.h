/*-------------------------------------------------------------------------
 *
 * trigram_postings.h
 *	  Compressed in-memory trigram posting lists over the names of a name
 *	  index: which names contain a (hashed) trigram.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_TRIGRAM_POSTINGS_H
#define ED_TRIGRAM_POSTINGS_H

#include "nodes/pg_list.h"

#define ED_TRIGRAM_BUCKETS 65536

/* the lists; the arrays may live in a backend's memory or in shared memory */
typedef struct EdPostings
{
	int			n;				/* names indexed */
	const uint32 *count;		/* postings per bucket [ED_TRIGRAM_BUCKETS] */
	const uint64 *start;		/* byte offset of each list [ED_TRIGRAM_BUCKETS + 1] */
	const uint8 *data;			/* start[ED_TRIGRAM_BUCKETS] bytes */
} EdPostings;

extern void ed_postings_build(EdPostings *out, int n, const char *lower, const uint32 *offsets,
							  const uint16 *lengths);
extern int32 *ed_postings_candidates(const EdPostings *postings, List *terms, int *ncandidates);

#endif							/* ED_TRIGRAM_POSTINGS_H */
