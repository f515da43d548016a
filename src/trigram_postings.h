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

typedef struct EdPostings EdPostings;

extern EdPostings *ed_postings_build(int n, const char *lower, const uint32 *offsets,
									 const uint16 *lengths);
extern int32 *ed_postings_candidates(const EdPostings *postings, List *terms, int *ncandidates);

#endif							/* ED_TRIGRAM_POSTINGS_H */
