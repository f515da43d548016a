/*-------------------------------------------------------------------------
 *
 * index_query.c
 *	  Search and filtered paging over a name index: the base's names,
 *	  minus those the overlay replaced, plus the overlay's current ones.
 *
 *	  A search finds candidates in the base from the trigram posting lists
 *	  of its terms (trigram_postings.c) or, when no term has three bytes,
 *	  by one vector scan of the lower-cased names (substring_scan.c), and
 *	  checks the other terms and the filters only on those; the overlay's
 *	  names (a few thousand at most) are checked one by one.  Both lists
 *	  come in the default order, or are put in length order by a stable
 *	  counting sort, and are merged up to the end of the requested page;
 *	  the count is the exact number of matches.  Without search terms the
 *	  base is walked in its own order, and an unfiltered list with no
 *	  overlay jumps straight to its page.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "catalog.h"
#include "index_query.h"
#include "substring_scan.h"

typedef struct EdMatchList
{
	int32	   *items;			/* base entries (>= 0), overlay matches as -(k + 1) */
	int			n;
	int			cap;
} EdMatchList;

typedef struct EdAnswerCtx
{
	const EdIndexView *view;
	const EdOverlay *ov;
	const EdIndexQuery *q;
	EdOverlayEntry **delta;		/* overlay entries that match, in order */
	int			ndelta;
} EdAnswerCtx;

static void
ed_match_push(EdMatchList *l, int32 item)
{
	if (l->n == l->cap)
	{
		l->cap = Max(l->cap * 2, 1024);
		l->items = l->items == NULL ? palloc(sizeof(int32) * l->cap) :
			repalloc_huge(l->items, sizeof(int32) * l->cap);
	}
	l->items[l->n++] = item;
}

static inline bool
ed_flags_pass(uint8 flags, const EdIndexQuery *q)
{
	if (q->exclude_hidden && (flags & ED_IX_HIDDEN))
		return false;
	if (q->has_verified && q->verified != ((flags & ED_IX_VERIFIED) != 0))
		return false;
	if (q->event_type == 1 && (flags & ED_IX_POSTHOG))
		return false;
	if (q->event_type == 2 && !(flags & ED_IX_POSTHOG))
		return false;
	return true;
}

static inline bool
ed_terms_pass(const char *lower, int len, const EdIndexQuery *q, const char *skip_term)
{
	ListCell   *lc;

	foreach(lc, q->terms)
	{
		const char *term = lfirst(lc);

		if (term != skip_term && memmem(lower, len, term, strlen(term)) == NULL)
			return false;
	}
	return true;
}

static inline bool
ed_base_passes(const EdIndexView *v, int i, const EdIndexQuery *q, const char *skip_term)
{
	const EdIndexEntry *e = &v->entries[i];

	return ed_flags_pass(e->flags, q) && ed_terms_pass(v->lower + e->off, e->len, q, skip_term);
}

/* The entry whose name contains byte offset "off" of the buffer. */
static int
ed_entry_at(const EdIndexView *v, Size off)
{
	int			lo = 0;
	int			hi = v->n - 1;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo + 1) / 2;

		if (v->entries[mid].off <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static bool
ed_is_masked(const EdOverlay *ov, int32 i, int *cursor)
{
	while (*cursor < ov->nmasked && ov->masked[*cursor] < i)
		(*cursor)++;
	return *cursor < ov->nmasked && ov->masked[*cursor] == i;
}

/* Base entries matching the terms and filters and not replaced, in base order. */
static void
ed_base_search(const EdIndexView *v, const EdOverlay *ov, const EdIndexQuery *q,
			   EdMatchList *out)
{
	int32	   *cand = NULL;
	int			ncand = 0;
	int			mcur = 0;

	if (v->n == 0)
		return;
	cand = ed_postings_candidates(&v->postings, q->terms, &ncand);
	if (cand != NULL)
	{
		/* candidates come in index order: verify each against every term */
		for (int k = 0; k < ncand; k++)
		{
			if ((k & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();
			if (ed_base_passes(v, cand[k], q, NULL) && !ed_is_masked(ov, cand[k], &mcur))
				ed_match_push(out, cand[k]);
		}
		pfree(cand);
	}
	else
	{
		const char *scan = NULL;
		size_t		scan_len = 0;
		const char *p = v->lower;
		const char *end = v->lower + v->blob->names_len;
		EdNeedle	needle;
		ListCell   *lc;

		/* no term has a trigram: scan the buffer for the longest one */
		foreach(lc, q->terms)
			if (strlen(lfirst(lc)) > scan_len)
			{
				scan = lfirst(lc);
				scan_len = strlen(scan);
			}
		ed_needle_init(&needle, scan, scan_len, v->blob->byte_counts);
		while (p < end)
		{
			const char *hit;
			int			i;

			CHECK_FOR_INTERRUPTS();
			hit = ed_needle_find(&needle, p, end);
			if (hit == NULL)
				break;
			i = ed_entry_at(v, hit - v->lower);
			if (ed_base_passes(v, i, q, scan) && !ed_is_masked(ov, i, &mcur))
				ed_match_push(out, i);
			p = v->lower + v->entries[i].off + v->entries[i].len + 1;
		}
	}
}

/* The overlay's names that match, in the default order. */
static void
ed_delta_search(EdAnswerCtx *ctx)
{
	const EdOverlay *ov = ctx->ov;

	ctx->delta = palloc(sizeof(EdOverlayEntry *) * Max(ov->npresent, 1));
	ctx->ndelta = 0;
	for (int i = 0; i < ov->npresent; i++)
	{
		EdOverlayEntry *e = ov->present[i];

		if (ed_flags_pass(e->flags, ctx->q) && ed_terms_pass(e->lower, e->len, ctx->q, NULL))
			ctx->delta[ctx->ndelta++] = e;
	}
}

static uint16
ed_item_chars(const EdAnswerCtx *ctx, int32 item)
{
	return item >= 0 ? ctx->view->entries[item].chars : ctx->delta[-item - 1]->chars;
}

/* The sort key of an item: its day and name. */
static inline void
ed_item_key(const EdAnswerCtx *ctx, int32 item, int32 *day, const char **name, int *len)
{
	if (item >= 0)
	{
		const EdIndexEntry *e = &ctx->view->entries[item];

		*day = e->day;
		*name = ctx->view->names + e->off;
		*len = e->len;
	}
	else
	{
		const EdOverlayEntry *e = ctx->delta[-item - 1];

		*day = e->day;
		*name = e->name;
		*len = e->len;
	}
}

/* Order of two items: length first when asked, then the default order. */
static int
ed_item_cmp(const EdAnswerCtx *ctx, int32 a, int32 b)
{
	int32		day_a,
				day_b;
	const char *name_a,
			   *name_b;
	int			len_a,
				len_b;

	if (ctx->q->length_first)
	{
		uint16		ca = ed_item_chars(ctx, a);
		uint16		cb = ed_item_chars(ctx, b);

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	ed_item_key(ctx, a, &day_a, &name_a, &len_a);
	ed_item_key(ctx, b, &day_b, &name_b, &len_b);
	return ed_index_entry_cmp(day_a, name_a, len_a, day_b, name_b, len_b);
}

/* Stable counting sort by length in characters: the default order within each length. */
static void
ed_sort_by_length(const EdAnswerCtx *ctx, EdMatchList *l)
{
	int			counts[ED_NAME_MAX_CHARS + 2] = {0};
	int32	   *sorted;

	if (l->n < 2)
		return;
	sorted = palloc_extended(sizeof(int32) * l->n, MCXT_ALLOC_HUGE);
	for (int i = 0; i < l->n; i++)
		counts[Min(ed_item_chars(ctx, l->items[i]), ED_NAME_MAX_CHARS) + 1]++;
	for (int c = 1; c < ED_NAME_MAX_CHARS + 2; c++)
		counts[c] += counts[c - 1];
	for (int i = 0; i < l->n; i++)
		sorted[counts[Min(ed_item_chars(ctx, l->items[i]), ED_NAME_MAX_CHARS)]++] = l->items[i];
	pfree(l->items);
	l->items = sorted;
}

static char *
ed_item_name(const EdAnswerCtx *ctx, int32 item)
{
	if (item >= 0)
		return pstrdup(ctx->view->names + ctx->view->entries[item].off);
	return pstrdup(ctx->delta[-item - 1]->name);
}

static void
ed_result_init(EdIndexResult *result, const EdIndexQuery *q, int64 available)
{
	int64		room = Max(Min(q->limit, available), 1);

	result->npage = 0;
	result->page_names = palloc(sizeof(char *) * room);
}

/* Merge two ordered lists, keeping positions [offset, offset + limit). */
static void
ed_merge_page(const EdAnswerCtx *ctx, const EdMatchList *base, const EdMatchList *delta,
			  EdIndexResult *result)
{
	const EdIndexQuery *q = ctx->q;
	int64		total = (int64) base->n + delta->n;
	int64		pos = 0;
	int			i = 0;
	int			j = 0;

	result->count = total;
	ed_result_init(result, q, total);
	while (pos < total && result->npage < q->limit)
	{
		int32		item;

		if (j >= delta->n || (i < base->n && ed_item_cmp(ctx, base->items[i], delta->items[j]) < 0))
			item = base->items[i++];
		else
			item = delta->items[j++];
		if (pos++ >= q->offset)
			result->page_names[result->npage++] = ed_item_name(ctx, item);
	}
}

static void
ed_answer_search(EdAnswerCtx *ctx, EdIndexResult *result)
{
	EdMatchList base = {NULL, 0, 0};
	EdMatchList delta = {NULL, 0, 0};

	ed_base_search(ctx->view, ctx->ov, ctx->q, &base);
	ed_delta_search(ctx);
	for (int k = 0; k < ctx->ndelta; k++)
		ed_match_push(&delta, -(k + 1));
	if (ctx->q->length_first)
	{
		ed_sort_by_length(ctx, &base);
		ed_sort_by_length(ctx, &delta);
	}
	ed_merge_page(ctx, &base, &delta, result);
}

/*
 * Without search terms: walk the base in its order, skipping replaced and
 * filtered entries, merged with the overlay's matches.
 */
static void
ed_answer_window(EdAnswerCtx *ctx, EdIndexResult *result)
{
	const EdIndexView *v = ctx->view;
	const EdIndexQuery *q = ctx->q;
	bool		filtered = q->exclude_hidden || q->has_verified || q->event_type != 0;
	int64		pos = 0;
	int			i = 0;
	int			j = 0;
	int			mcur = 0;

	ed_delta_search(ctx);
	if (!filtered)
	{
		result->count = (int64) v->n - ctx->ov->nmasked + ctx->ndelta;
		ed_result_init(result, q, result->count);
		if (ctx->ov->nentries == 0)
		{
			for (int64 k = q->offset; k < v->n && result->npage < q->limit; k++)
				result->page_names[result->npage++] = pstrdup(v->names + v->entries[k].off);
			return;
		}
	}
	else
		ed_result_init(result, q, v->n + ctx->ndelta);

	for (;;)
	{
		int32		item;

		/* the next base entry that is not replaced and passes */
		while (i < v->n && (ed_is_masked(ctx->ov, i, &mcur) ||
							(filtered && !ed_flags_pass(v->entries[i].flags, q))))
		{
			if ((i & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();
			i++;
		}
		if (i >= v->n && j >= ctx->ndelta)
			break;
		if ((pos & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		if (j >= ctx->ndelta || (i < v->n && ed_item_cmp(ctx, i, -(j + 1)) < 0))
			item = i++;
		else
		{
			item = -(j + 1);
			j++;
		}
		if (pos >= q->offset && result->npage < q->limit)
			result->page_names[result->npage++] = ed_item_name(ctx, item);
		pos++;
		if (!filtered && result->npage >= q->limit)
			break;
	}
	if (filtered)
		result->count = pos;
}

void
ed_index_answer(const EdIndexView *view, const EdOverlay *ov, const EdIndexQuery *q,
				EdIndexResult *result)
{
	EdAnswerCtx ctx;

	ctx.view = view;
	ctx.ov = ov;
	ctx.q = q;
	ctx.delta = NULL;
	ctx.ndelta = 0;
	if (q->terms == NIL)
		ed_answer_window(&ctx, result);
	else
		ed_answer_search(&ctx, result);
}
