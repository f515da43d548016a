/*-------------------------------------------------------------------------
 *
 * name_index.c
 *	  A backend-local index of one project's definition names, for search
 *	  and filtered listing with exact counts in memory.
 *
 *	  The index holds every name of a project in the default list order
 *	  (last-seen UTC day, newest first, then name), each with its length in
 *	  characters and its hidden/verified/"$" flags, plus one contiguous
 *	  ASCII-lower-cased copy of all names separated by NUL bytes.  A search
 *	  finds candidates for one term and checks the other terms and the
 *	  filters only on those, so a million names are searched, and every
 *	  match counted, without reading most of them: trigram posting lists
 *	  (trigram_postings.c) give the few names that can match a term of
 *	  three or more bytes, and only those are checked; shorter terms are
 *	  found by one vector scan of the buffer (substring_scan.c: two
 *	  compares per 32 bytes).
 *	  Ordering by length keeps the default order within one length (a
 *	  stable counting sort), so no comparison sort is needed.
 *
 *	  Validity: project_stats.c moves a project's generation whenever the
 *	  names, their days or their flags change, in the writing transaction.
 *	  An index built from a snapshot that saw generation G is valid for any
 *	  snapshot that sees G, so each call reads the generation with its own
 *	  snapshot and uses the index only on a match.  A transaction that
 *	  changed the project itself never uses or builds an index (it must
 *	  read its own writes); it takes the SQL path.
 *
 *	  Memory: all indexes of a backend together stay under
 *	  event_definitions.name_index_memory (MB); the least recently used
 *	  index is dropped first, and a project that alone would not fit is
 *	  never indexed.  0 turns the index off.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "catalog.h"
#include "name_index.h"
#include "project_stats.h"
#include "substring_scan.h"
#include "trigram_postings.h"

#define ED_IX_HIDDEN	0x01
#define ED_IX_VERIFIED	0x02
#define ED_IX_POSTHOG	0x04

#define ED_IX_FETCH		10000

typedef struct EdIndexEntry
{
	uint32		off;			/* in names and lower */
	uint16		len;			/* bytes */
	uint16		chars;			/* characters, at most 400 */
	uint8		flags;
} EdIndexEntry;

typedef struct EdNameIndex
{
	int64		project_id;
	int64		generation;
	Oid			relid;			/* of the definitions table it was built from */
	int			n;
	EdIndexEntry *entries;		/* in the default list order */
	char	   *names;			/* the names, NUL-separated */
	char	   *lower;			/* the same, ASCII-lower-cased */
	Size		names_len;
	Size		names_cap;		/* allocated size of names and lower */
	int			entries_cap;
	uint64		byte_counts[256];	/* histogram of lower, for the scanner */
	EdPostings *postings;		/* trigram lists over lower */
	Size		bytes;
	uint64		last_used;
	MemoryContext cxt;
} EdNameIndex;

int			ed_name_index_memory_mb = 256;

static List *ed_indexes = NIL;	/* of EdNameIndex *, in TopMemoryContext */
static uint64 ed_index_clock = 0;

void
ed_name_index_define_gucs(void)
{
	DefineCustomIntVariable("event_definitions.name_index_memory",
							"Memory for in-memory name indexes of this backend, in megabytes.",
							"Search and filtered lists of a project use an in-memory index of its names "
							"when it fits; 0 turns the indexes off.",
							&ed_name_index_memory_mb,
							256, 0, 16384,
							PGC_USERSET,
							GUC_UNIT_MB,
							NULL, NULL, NULL);
}

static Size
ed_budget_bytes(void)
{
	return (Size) ed_name_index_memory_mb * 1024 * 1024;
}

static void
ed_index_drop(EdNameIndex *ix)
{
	ed_indexes = list_delete_ptr(ed_indexes, ix);
	MemoryContextDelete(ix->cxt);
}

/* Drop least recently used indexes until "need" more bytes fit. */
static void
ed_index_make_room(Size need)
{
	for (;;)
	{
		Size		used = 0;
		EdNameIndex *oldest = NULL;
		ListCell   *lc;

		foreach(lc, ed_indexes)
		{
			EdNameIndex *ix = lfirst(lc);

			used += ix->bytes;
			if (oldest == NULL || ix->last_used < oldest->last_used)
				oldest = ix;
		}
		if (oldest == NULL || used + need <= ed_budget_bytes())
			return;
		ed_index_drop(oldest);
	}
}

static void
ed_index_append(EdNameIndex *ix, const char *name, int len, bool hidden, bool verified)
{
	EdIndexEntry *e;
	unsigned char high = 0;

	if (ix->n == ix->entries_cap)
	{
		ix->entries_cap *= 2;
		ix->entries = repalloc_huge(ix->entries, sizeof(EdIndexEntry) * ix->entries_cap);
	}
	while (ix->names_len + len + 1 > ix->names_cap)
	{
		ix->names_cap *= 2;
		ix->names = repalloc_huge(ix->names, ix->names_cap);
		ix->lower = repalloc_huge(ix->lower, ix->names_cap);
	}
	e = &ix->entries[ix->n++];
	e->off = (uint32) ix->names_len;
	e->len = (uint16) len;
	e->flags = (hidden ? ED_IX_HIDDEN : 0) | (verified ? ED_IX_VERIFIED : 0) |
		(len > 0 && name[0] == '$' ? ED_IX_POSTHOG : 0);
	memcpy(ix->names + ix->names_len, name, len);
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) name[i];

		high |= c;
		c = (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
		ix->lower[ix->names_len + i] = c;
		ix->byte_counts[c]++;
	}
	/* an ASCII name has as many characters as bytes */
	e->chars = (uint16) ((high & 0x80) ? ed_char_length(name, len) : len);
	ix->names[ix->names_len + len] = '\0';
	ix->lower[ix->names_len + len] = '\0';
	ix->names_len += len + 1;
}

static void
ed_index_build_postings(EdNameIndex *ix)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(ix->cxt);
	uint32	   *offsets = palloc_extended(sizeof(uint32) * Max(ix->n, 1), MCXT_ALLOC_HUGE);
	uint16	   *lengths = palloc_extended(sizeof(uint16) * Max(ix->n, 1), MCXT_ALLOC_HUGE);

	for (int i = 0; i < ix->n; i++)
	{
		offsets[i] = ix->entries[i].off;
		lengths[i] = ix->entries[i].len;
	}
	ix->postings = ed_postings_build(ix->n, ix->lower, offsets, lengths);
	pfree(offsets);
	pfree(lengths);
	MemoryContextSwitchTo(oldcxt);
}

/*
 * Read the project's names in the default order through a cursor, in
 * batches, so the build never holds more than one batch of tuples.
 * Returns NULL when the index would not fit its budget.
 */
static EdNameIndex *
ed_index_build(int64 project_id, int64 generation, Oid relid, int64 expected)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	MemoryContext cxt;
	MemoryContext oldcxt;
	EdNameIndex *ix;
	Portal		portal;

	ed_prepare_kept(&plan,
					"SELECT d.name, d.hidden, d.verified FROM event_definitions.definitions d "
					"WHERE d.project_id = $1 ORDER BY d.last_seen_day DESC NULLS LAST, d.name",
					1, argtypes);

	cxt = AllocSetContextCreate(TopMemoryContext, "event_definitions name index",
								ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(cxt);
	ix = palloc0(sizeof(EdNameIndex));
	ix->cxt = cxt;
	ix->project_id = project_id;
	ix->generation = generation;
	ix->relid = relid;
	ix->entries_cap = 1024;
	ix->names_cap = 64 * 1024;
	ix->entries = palloc(sizeof(EdIndexEntry) * ix->entries_cap);
	ix->names = palloc(ix->names_cap);
	ix->lower = palloc(ix->names_cap);
	MemoryContextSwitchTo(oldcxt);

	values[0] = Int64GetDatum(project_id);
	PG_TRY();
	{
		portal = SPI_cursor_open(NULL, plan, values, NULL, true);
		for (;;)
		{
			SPI_cursor_fetch(portal, true, ED_IX_FETCH);
			if (SPI_processed == 0)
				break;
			oldcxt = MemoryContextSwitchTo(cxt);
			for (uint64 i = 0; i < SPI_processed; i++)
			{
				HeapTuple	tup = SPI_tuptable->vals[i];
				TupleDesc	desc = SPI_tuptable->tupdesc;
				bool		isnull;
				text	   *name = DatumGetTextPP(SPI_getbinval(tup, desc, 1, &isnull));
				bool		hidden = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
				bool		verified = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));

				ed_index_append(ix, VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), hidden, verified);
			}
			MemoryContextSwitchTo(oldcxt);
			SPI_freetuptable(SPI_tuptable);
			if (MemoryContextMemAllocated(cxt, true) > ed_budget_bytes())
				break;
		}
		SPI_cursor_close(portal);
	}
	PG_CATCH();
	{
		MemoryContextDelete(cxt);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (ix->n == expected && MemoryContextMemAllocated(cxt, true) <= ed_budget_bytes())
		ed_index_build_postings(ix);
	ix->bytes = MemoryContextMemAllocated(cxt, true);
	if (ix->bytes > ed_budget_bytes() || ix->n != expected)
	{
		/* too big, or the snapshot disagrees with the count: do without */
		MemoryContextDelete(cxt);
		return NULL;
	}
	ed_index_make_room(ix->bytes);
	oldcxt = MemoryContextSwitchTo(TopMemoryContext);
	ed_indexes = lappend(ed_indexes, ix);
	MemoryContextSwitchTo(oldcxt);
	return ix;
}

static inline bool
ed_entry_passes(const EdNameIndex *ix, const EdIndexEntry *e, const EdIndexQuery *q,
				const char *skip_term)
{
	ListCell   *lc;

	if (q->exclude_hidden && (e->flags & ED_IX_HIDDEN))
		return false;
	if (q->has_verified && q->verified != ((e->flags & ED_IX_VERIFIED) != 0))
		return false;
	if (q->event_type == 1 && (e->flags & ED_IX_POSTHOG))
		return false;
	if (q->event_type == 2 && !(e->flags & ED_IX_POSTHOG))
		return false;
	foreach(lc, q->terms)
	{
		const char *term = lfirst(lc);

		if (term != skip_term &&
			memmem(ix->lower + e->off, e->len, term, strlen(term)) == NULL)
			return false;
	}
	return true;
}

/* The entry whose name contains byte offset "off" of the buffer. */
static int
ed_entry_at(const EdNameIndex *ix, Size off)
{
	int			lo = 0;
	int			hi = ix->n - 1;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo + 1) / 2;

		if (ix->entries[mid].off <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static void
ed_push_match(int32 **matched, int *m, int *cap, int32 i)
{
	if (*m == *cap)
	{
		*cap *= 2;
		*matched = repalloc_huge(*matched, sizeof(int32) * *cap);
	}
	(*matched)[(*m)++] = i;
}

/* Entries matching the search terms and filters, in the default order. */
static int32 *
ed_index_match(const EdNameIndex *ix, const EdIndexQuery *q, int *nmatched)
{
	int			cap = 1024;
	int32	   *matched = palloc(sizeof(int32) * cap);
	int			m = 0;
	int32	   *cand = NULL;
	int			ncand = 0;

	Assert(q->terms != NIL);
	if (ix->postings != NULL)
		cand = ed_postings_candidates(ix->postings, q->terms, &ncand);

	if (cand != NULL)
	{
		/* candidates come in index order: verify each against every term */
		for (int k = 0; k < ncand; k++)
			if (ed_entry_passes(ix, &ix->entries[cand[k]], q, NULL))
				ed_push_match(&matched, &m, &cap, cand[k]);
	}
	else
	{
		const char *scan = NULL;
		size_t		scan_len = 0;
		const char *p = ix->lower;
		const char *end = ix->lower + ix->names_len;
		EdNeedle	needle;
		ListCell   *lc;

		/* no term has a trigram: scan the buffer for the longest one */
		foreach(lc, q->terms)
			if (strlen(lfirst(lc)) > scan_len)
			{
				scan = lfirst(lc);
				scan_len = strlen(scan);
			}
		ed_needle_init(&needle, scan, scan_len, ix->byte_counts);
		while (p < end)
		{
			const char *hit = ed_needle_find(&needle, p, end);
			int			i;

			if (hit == NULL)
				break;
			i = ed_entry_at(ix, hit - ix->lower);
			if (ed_entry_passes(ix, &ix->entries[i], q, scan))
				ed_push_match(&matched, &m, &cap, i);
			p = ix->lower + ix->entries[i].off + ix->entries[i].len + 1;
		}
	}
	*nmatched = m;
	return matched;
}

/*
 * Without search terms the order is the index's own: count the entries
 * that pass the filters and keep only the page's, without a list of all.
 */
static int64
ed_index_window(const EdNameIndex *ix, const EdIndexQuery *q, int32 *page, int *npage)
{
	bool		filtered = q->exclude_hidden || q->has_verified || q->event_type != 0;
	int64		count = 0;

	*npage = 0;
	if (!filtered)
	{
		for (int64 i = q->offset; i < ix->n && *npage < q->limit; i++)
			page[(*npage)++] = (int32) i;
		return ix->n;
	}
	for (int i = 0; i < ix->n; i++)
	{
		if (!ed_entry_passes(ix, &ix->entries[i], q, NULL))
			continue;
		if (count >= q->offset && *npage < q->limit)
			page[(*npage)++] = i;
		count++;
	}
	return count;
}

/* Stable counting sort by length: default order within each length. */
static int32 *
ed_sort_by_length(const EdNameIndex *ix, const int32 *matched, int m)
{
	int			counts[ED_NAME_MAX_CHARS + 2] = {0};
	int32	   *sorted = palloc(sizeof(int32) * Max(m, 1));

	for (int i = 0; i < m; i++)
		counts[ix->entries[matched[i]].chars + 1]++;
	for (int c = 1; c < ED_NAME_MAX_CHARS + 2; c++)
		counts[c] += counts[c - 1];
	for (int i = 0; i < m; i++)
		sorted[counts[ix->entries[matched[i]].chars]++] = matched[i];
	return sorted;
}

static void
ed_result_page(const EdNameIndex *ix, EdIndexResult *result, const int32 *page, int npage)
{
	result->npage = npage;
	result->page_names = palloc(sizeof(char *) * Max(npage, 1));
	for (int i = 0; i < npage; i++)
		result->page_names[i] = pstrdup(ix->names + ix->entries[page[i]].off);
}

static Oid
ed_definitions_relid(void)
{
	Oid			nsp = get_namespace_oid("event_definitions", true);

	return OidIsValid(nsp) ? get_relname_relid("definitions", nsp) : InvalidOid;
}

/*
 * Answer q from the project's index.  Returns false when there is no valid
 * index and "build" is false, or when one cannot be used (the index is
 * off, the transaction wrote to the project, the project does not fit).
 * Runs inside SPI; the result lives in the current memory context.
 */
bool
ed_name_index_lookup(int64 project_id, const EdIndexQuery *q, bool build,
					 EdIndexResult *result)
{
	EdStats		stats;
	EdNameIndex *ix = NULL;
	Oid			relid;
	ListCell   *lc;
	int32	   *matched;
	int32	   *ordered;
	int			m;
	int64		start;
	int64		stop;

	if (ed_name_index_memory_mb <= 0)
		return false;
	stats = ed_stats_read(project_id);
	if (!stats.found || stats.written_here)
		return false;
	relid = ed_definitions_relid();

	foreach(lc, ed_indexes)
	{
		EdNameIndex *cand = lfirst(lc);

		if (cand->project_id == project_id)
		{
			ix = cand;
			break;
		}
	}
	if (ix != NULL && (ix->generation != stats.generation || ix->relid != relid))
	{
		ed_index_drop(ix);
		ix = NULL;
	}
	if (ix == NULL)
	{
		/* a cheap lower bound of the size: do not even try what cannot fit */
		if (!build ||
			(Size) stats.definitions * (sizeof(EdIndexEntry) + 2 * 8) > ed_budget_bytes())
			return false;
		ix = ed_index_build(project_id, stats.generation, relid, stats.definitions);
		if (ix == NULL)
			return false;
	}
	ix->last_used = ++ed_index_clock;

	if (q->terms == NIL)
	{
		int32	   *page = palloc(sizeof(int32) * Max(Min(q->limit, (int64) ix->n), 1));
		int			npage;

		result->count = ed_index_window(ix, q, page, &npage);
		ed_result_page(ix, result, page, npage);
		return true;
	}

	matched = ed_index_match(ix, q, &m);
	ordered = q->length_first ? ed_sort_by_length(ix, matched, m) : matched;

	result->count = m;
	start = Min(q->offset, (int64) m);
	stop = (q->limit >= m - start) ? m : start + q->limit;
	ed_result_page(ix, result, ordered + start, (int) (stop - start));
	return true;
}
