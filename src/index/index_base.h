/*-------------------------------------------------------------------------
 *
 * index_base.h
 *	  The base of a project's name index: every name in the default list
 *	  order with its day and flags, trigram posting lists and a name hash,
 *	  as one position-independent block of memory, so that the same block
 *	  serves from a backend's memory or from shared memory (DSA).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_INDEX_BASE_H
#define ED_INDEX_BASE_H

#include "utils/snapshot.h"

#include "trigram_postings.h"

#define ED_IX_HIDDEN	0x01
#define ED_IX_VERIFIED	0x02
#define ED_IX_POSTHOG	0x04

/* a last-seen day that is null: sorts after every day (descending) */
#define ED_DAY_NULL		PG_INT32_MIN

typedef struct EdIndexEntry
{
	uint32		off;			/* in names and lower */
	uint16		len;			/* bytes */
	uint16		chars;			/* characters, at most ED_NAME_MAX_CHARS */
	int32		day;			/* last-seen UTC day (DateADT) or ED_DAY_NULL */
	uint8		flags;
} EdIndexEntry;

/*
 * The snapshot an index state is exact for: every transaction below xmax
 * and not in xip had completed.  Changes made by the others (name_changes
 * rows with xid >= xmax or in xip) are what a later snapshot must re-read.
 */
#define ED_MAX_XIP 1024
typedef struct EdIndexSnapshot
{
	uint64		xmin;			/* full transaction ids */
	uint64		xmax;
	int32		nxip;			/* -1: too many running transactions to keep */
	uint64		xip[FLEXIBLE_ARRAY_MEMBER];
} EdIndexSnapshot;

#define ED_SNAPSHOT_SIZE(nxip) (offsetof(EdIndexSnapshot, xip) + sizeof(uint64) * Max((nxip), 0))

/* the block; everything after the header is addressed by offsets */
typedef struct EdIndexBlob
{
	uint32		magic;
	Oid			dboid;
	Oid			relid;			/* of the definitions table it was built from */
	int64		project_id;
	uint64		build_id;
	int32		n;
	Size		total;			/* bytes of the whole block */
	Size		names_len;
	uint32		hash_mask;		/* hash has hash_mask + 1 slots */
	Size		off_entries;
	Size		off_names;
	Size		off_lower;
	Size		off_hash;
	Size		off_counts;		/* postings */
	Size		off_starts;
	Size		off_data;
	Size		off_snapshot;
	uint64		byte_counts[256];	/* histogram of lower, for the scanner */
} EdIndexBlob;

/* pointers into a blob, valid in the process that made them */
typedef struct EdIndexView
{
	const EdIndexBlob *blob;
	int			n;
	const EdIndexEntry *entries;
	const char *names;
	const char *lower;
	const uint32 *hash;
	const EdIndexSnapshot *snapshot;
	EdPostings	postings;
} EdIndexView;

typedef void *(*EdBlobAlloc) (Size size, void *arg);

extern EdIndexBlob *ed_index_base_build(int64 project_id, Oid relid, Snapshot snapshot,
										Size budget, EdBlobAlloc alloc, void *alloc_arg);
extern void ed_index_view(const EdIndexBlob *blob, EdIndexView *view);
extern int	ed_index_find_name(const EdIndexView *view, const char *name, int len);
extern int	ed_index_entry_cmp(int32 day_a, const char *name_a, int len_a,
							   int32 day_b, const char *name_b, int len_b);

extern Oid	ed_index_definitions_relid(void);
extern EdIndexSnapshot *ed_index_snapshot_from(Snapshot snapshot);
extern bool ed_index_snapshot_follows(Snapshot s, const EdIndexSnapshot *o);
extern uint64 ed_full_xid(TransactionId xid);

#endif							/* ED_INDEX_BASE_H */
