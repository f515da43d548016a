/*-------------------------------------------------------------------------
 *
 * index_base.c
 *	  Building the base of a project's name index, and reading it.
 *
 *	  A base holds every name of a project in the default list order
 *	  (last-seen UTC day, newest first, nulls last, then name), each with
 *	  its length in characters, its day and its hidden/verified/"$" flags;
 *	  one contiguous copy of the names and one ASCII-lower-cased copy (NUL
 *	  separated); trigram posting lists over the lower-cased copy
 *	  (trigram_postings.c); and an open-addressing hash from name to entry,
 *	  with which name_index.c finds the entries that later changes replace.
 *
 *	  The base is built from one snapshot, read through the recency index
 *	  (an index-only scan) in batches, and written into one block whose
 *	  parts are addressed by offsets: the same block works in a backend's
 *	  memory and in a DSA area mapped at different addresses by different
 *	  backends.  The snapshot is kept with it, so that readers know which
 *	  changes it may not contain (index_base.h, EdIndexSnapshot).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/transam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "catalog.h"
#include "index_base.h"

#define ED_IX_MAGIC		0x45444958	/* "EDIX" */
#define ED_IX_FETCH		10000
/* the longest name a valid definition can have, in bytes */
#define ED_IX_MAX_NAME_BYTES (ED_NAME_MAX_CHARS * 4)

/* what a build collects before it knows the size of the block */
typedef struct EdBuild
{
	int			n;
	int			cap;
	EdIndexEntry *entries;
	char	   *names;
	char	   *lower;
	Size		names_len;
	Size		names_cap;
	uint64		byte_counts[256];
} EdBuild;

/* The definitions table of the installed extension, or InvalidOid. */
Oid
ed_index_definitions_relid(void)
{
	Oid			nsp = get_namespace_oid("event_definitions", true);

	return OidIsValid(nsp) ? get_relname_relid("definitions", nsp) : InvalidOid;
}

uint64
ed_full_xid(TransactionId xid)
{
	FullTransactionId next = ReadNextFullTransactionId();
	uint32		epoch = EpochFromFullTransactionId(next);

	if (!TransactionIdIsNormal(xid))
		return (uint64) xid;
	if (xid > XidFromFullTransactionId(next))
		epoch--;
	return ((uint64) epoch << 32) | xid;
}

/* The running set of a snapshot (on a standby, subxip holds it). */
EdIndexSnapshot *
ed_index_snapshot_from(Snapshot snapshot)
{
	int			nxip = snapshot->xcnt + (snapshot->takenDuringRecovery ? snapshot->subxcnt : 0);
	EdIndexSnapshot *s;

	s = palloc(ED_SNAPSHOT_SIZE(nxip > ED_MAX_XIP ? 0 : nxip));
	s->xmin = ed_full_xid(snapshot->xmin);
	s->xmax = ed_full_xid(snapshot->xmax);
	if (nxip > ED_MAX_XIP)
	{
		s->nxip = -1;
		return s;
	}
	s->nxip = 0;
	for (uint32 i = 0; i < snapshot->xcnt; i++)
		s->xip[s->nxip++] = ed_full_xid(snapshot->xip[i]);
	if (snapshot->takenDuringRecovery)
		for (int32 i = 0; i < snapshot->subxcnt; i++)
			s->xip[s->nxip++] = ed_full_xid(snapshot->subxip[i]);
	return s;
}

static bool
ed_xid_in(uint64 xid, const uint64 *xip, int nxip)
{
	for (int i = 0; i < nxip; i++)
		if (xip[i] == xid)
			return true;
	return false;
}

/*
 * Does snapshot s see everything that o saw?  Yes when every transaction
 * that o took as completed (below o's xmax and not running) is completed
 * for s too: s's xmax is not older, and whatever s sees running below
 * o's xmax, o saw running as well.
 */
bool
ed_index_snapshot_follows(Snapshot s, const EdIndexSnapshot *o)
{
	uint64		xmax = ed_full_xid(s->xmax);

	if (o->nxip < 0 || xmax < o->xmax)
		return false;
	for (uint32 i = 0; i < s->xcnt; i++)
	{
		uint64		x = ed_full_xid(s->xip[i]);

		if (x < o->xmax && !ed_xid_in(x, o->xip, o->nxip))
			return false;
	}
	if (s->takenDuringRecovery)
		for (int32 i = 0; i < s->subxcnt; i++)
		{
			uint64		x = ed_full_xid(s->subxip[i]);

			if (x < o->xmax && !ed_xid_in(x, o->xip, o->nxip))
				return false;
		}
	return true;
}

/* The default order: day descending (nulls last), then name bytewise. */
int
ed_index_entry_cmp(int32 day_a, const char *name_a, int len_a,
				   int32 day_b, const char *name_b, int len_b)
{
	int			c;

	if (day_a != day_b)
		return day_a > day_b ? -1 : 1;
	c = memcmp(name_a, name_b, Min(len_a, len_b));
	if (c != 0)
		return c;
	return (len_a > len_b) - (len_a < len_b);
}

/* Returns false when the name cannot be indexed (longer than any valid one). */
static bool
ed_build_append(EdBuild *b, const char *name, int len, bool hidden, bool verified, int32 day)
{
	EdIndexEntry *e;
	unsigned char high = 0;
	int			chars;

	if (len <= 0 || len > ED_IX_MAX_NAME_BYTES)
		return false;
	if (b->n == b->cap)
	{
		b->cap *= 2;
		b->entries = repalloc_huge(b->entries, sizeof(EdIndexEntry) * b->cap);
	}
	while (b->names_len + len + 1 > b->names_cap)
	{
		b->names_cap *= 2;
		b->names = repalloc_huge(b->names, b->names_cap);
		b->lower = repalloc_huge(b->lower, b->names_cap);
	}
	if (b->names_len + len + 1 > PG_UINT32_MAX)
		return false;
	e = &b->entries[b->n];
	e->off = (uint32) b->names_len;
	e->len = (uint16) len;
	e->day = day;
	e->flags = (hidden ? ED_IX_HIDDEN : 0) | (verified ? ED_IX_VERIFIED : 0) |
		(name[0] == '$' ? ED_IX_POSTHOG : 0);
	memcpy(b->names + b->names_len, name, len);
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) name[i];

		high |= c;
		c = (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
		b->lower[b->names_len + i] = c;
		b->byte_counts[c]++;
	}
	/* an ASCII name has as many characters as bytes */
	chars = (high & 0x80) ? ed_char_length(name, len) : len;
	if (chars > ED_NAME_MAX_CHARS)
		return false;
	e->chars = (uint16) chars;
	b->names[b->names_len + len] = '\0';
	b->lower[b->names_len + len] = '\0';
	b->names_len += len + 1;
	b->n++;
	return true;
}

/*
 * Read the project's names in the default order through a cursor, in
 * batches.  Returns false when the names do not fit "budget" or one cannot
 * be indexed.
 */
static bool
ed_build_read(EdBuild *b, int64 project_id, Size budget, MemoryContext cxt)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	Portal		portal;
	bool		ok = true;

	ed_prepare_kept(&plan,
					"SELECT d.name, d.hidden, d.verified, d.last_seen_day "
					"FROM event_definitions.definitions d "
					"WHERE d.project_id = $1 ORDER BY d.last_seen_day DESC NULLS LAST, d.name",
					1, argtypes);
	values[0] = Int64GetDatum(project_id);
	portal = SPI_cursor_open(NULL, plan, values, NULL, true);
	while (ok)
	{
		MemoryContext oldcxt;

		CHECK_FOR_INTERRUPTS();
		SPI_cursor_fetch(portal, true, ED_IX_FETCH);
		if (SPI_processed == 0)
			break;
		oldcxt = MemoryContextSwitchTo(cxt);
		for (uint64 i = 0; i < SPI_processed && ok; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull;
			text	   *name = DatumGetTextPP(SPI_getbinval(tup, desc, 1, &isnull));
			bool		hidden = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
			bool		verified = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
			Datum		day = SPI_getbinval(tup, desc, 4, &isnull);

			ok = ed_build_append(b, VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), hidden, verified,
								 isnull ? ED_DAY_NULL : DatumGetInt32(day));
		}
		MemoryContextSwitchTo(oldcxt);
		SPI_freetuptable(SPI_tuptable);
		if (MemoryContextMemAllocated(cxt, true) > budget)
			ok = false;
	}
	SPI_cursor_close(portal);
	return ok;
}

static uint32
ed_name_hash(const char *name, int len)
{
	return hash_bytes((const unsigned char *) name, len);
}

static uint32 *
ed_build_hash(const EdBuild *b, uint32 *mask)
{
	uint32		size = 1024;
	uint32	   *hash;

	while (size < (uint32) b->n * 2)
		size *= 2;
	hash = palloc_extended(sizeof(uint32) * size, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int i = 0; i < b->n; i++)
	{
		uint32		h = ed_name_hash(b->names + b->entries[i].off, b->entries[i].len) & (size - 1);

		while (hash[h] != 0)
			h = (h + 1) & (size - 1);
		hash[h] = (uint32) i + 1;
	}
	*mask = size - 1;
	return hash;
}

/* The entry of that name, or -1. */
int
ed_index_find_name(const EdIndexView *view, const char *name, int len)
{
	uint32		mask = view->blob->hash_mask;
	uint32		h = ed_name_hash(name, len) & mask;

	while (view->hash[h] != 0)
	{
		const EdIndexEntry *e = &view->entries[view->hash[h] - 1];

		if (e->len == len && memcmp(view->names + e->off, name, len) == 0)
			return (int) view->hash[h] - 1;
		h = (h + 1) & mask;
	}
	return -1;
}

static Size
ed_align(Size off)
{
	return MAXALIGN(off);
}

/*
 * Build the base of a project from "snapshot", which must be the active
 * snapshot; the caller is connected to SPI.  The block is allocated with
 * alloc(size, alloc_arg) (palloc'd memory, or a DSA chunk mapped here).
 * Returns NULL when the project does not fit "budget" bytes, a name cannot
 * be indexed, or alloc returns NULL.
 */
EdIndexBlob *
ed_index_base_build(int64 project_id, Oid relid, Snapshot snapshot, Size budget,
					EdBlobAlloc alloc, void *alloc_arg)
{
	MemoryContext cxt;
	MemoryContext oldcxt;
	EdBuild		b;
	EdPostings	postings;
	uint32	   *hash;
	uint32		mask;
	uint32	   *offsets;
	uint16	   *lengths;
	EdIndexSnapshot *snap;
	EdIndexBlob head;
	EdIndexBlob *blob = NULL;
	Size		off;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "event_definitions index build",
								ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(cxt);
	memset(&b, 0, sizeof(b));
	b.cap = 1024;
	b.names_cap = 64 * 1024;
	b.entries = palloc(sizeof(EdIndexEntry) * b.cap);
	b.names = palloc(b.names_cap);
	b.lower = palloc(b.names_cap);
	MemoryContextSwitchTo(oldcxt);

	if (!ed_build_read(&b, project_id, budget, cxt))
	{
		MemoryContextDelete(cxt);
		return NULL;
	}

	oldcxt = MemoryContextSwitchTo(cxt);
	offsets = palloc_extended(sizeof(uint32) * Max(b.n, 1), MCXT_ALLOC_HUGE);
	lengths = palloc_extended(sizeof(uint16) * Max(b.n, 1), MCXT_ALLOC_HUGE);
	for (int i = 0; i < b.n; i++)
	{
		offsets[i] = b.entries[i].off;
		lengths[i] = b.entries[i].len;
	}
	ed_postings_build(&postings, b.n, b.lower, offsets, lengths);
	hash = ed_build_hash(&b, &mask);
	snap = ed_index_snapshot_from(snapshot);
	MemoryContextSwitchTo(oldcxt);

	memset(&head, 0, sizeof(head));
	head.magic = ED_IX_MAGIC;
	head.dboid = MyDatabaseId;
	head.relid = relid;
	head.project_id = project_id;
	head.n = b.n;
	head.names_len = b.names_len;
	head.hash_mask = mask;
	memcpy(head.byte_counts, b.byte_counts, sizeof(head.byte_counts));
	off = ed_align(sizeof(EdIndexBlob));
	head.off_entries = off;
	off = ed_align(off + sizeof(EdIndexEntry) * b.n);
	head.off_names = off;
	off = ed_align(off + b.names_len);
	head.off_lower = off;
	off = ed_align(off + b.names_len);
	head.off_hash = off;
	off = ed_align(off + sizeof(uint32) * ((Size) mask + 1));
	head.off_counts = off;
	off = ed_align(off + sizeof(uint32) * ED_TRIGRAM_BUCKETS);
	head.off_starts = off;
	off = ed_align(off + sizeof(uint64) * (ED_TRIGRAM_BUCKETS + 1));
	head.off_data = off;
	off = ed_align(off + postings.start[ED_TRIGRAM_BUCKETS]);
	head.off_snapshot = off;
	off = ed_align(off + ED_SNAPSHOT_SIZE(snap->nxip));
	head.total = off;

	if (head.total <= budget)
		blob = alloc(head.total, alloc_arg);
	if (blob != NULL)
	{
		char	   *base = (char *) blob;

		memcpy(blob, &head, sizeof(head));
		memcpy(base + head.off_entries, b.entries, sizeof(EdIndexEntry) * b.n);
		memcpy(base + head.off_names, b.names, b.names_len);
		memcpy(base + head.off_lower, b.lower, b.names_len);
		memcpy(base + head.off_hash, hash, sizeof(uint32) * ((Size) mask + 1));
		memcpy(base + head.off_counts, postings.count, sizeof(uint32) * ED_TRIGRAM_BUCKETS);
		memcpy(base + head.off_starts, postings.start, sizeof(uint64) * (ED_TRIGRAM_BUCKETS + 1));
		memcpy(base + head.off_data, postings.data, postings.start[ED_TRIGRAM_BUCKETS]);
		memcpy(base + head.off_snapshot, snap, ED_SNAPSHOT_SIZE(snap->nxip));
	}
	MemoryContextDelete(cxt);
	return blob;
}

void
ed_index_view(const EdIndexBlob *blob, EdIndexView *view)
{
	const char *base = (const char *) blob;

	Assert(blob->magic == ED_IX_MAGIC);
	view->blob = blob;
	view->n = blob->n;
	view->entries = (const EdIndexEntry *) (base + blob->off_entries);
	view->names = base + blob->off_names;
	view->lower = base + blob->off_lower;
	view->hash = (const uint32 *) (base + blob->off_hash);
	view->snapshot = (const EdIndexSnapshot *) (base + blob->off_snapshot);
	view->postings.n = blob->n;
	view->postings.count = (const uint32 *) (base + blob->off_counts);
	view->postings.start = (const uint64 *) (base + blob->off_starts);
	view->postings.data = (const uint8 *) (base + blob->off_data);
}
