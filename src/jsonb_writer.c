/*-------------------------------------------------------------------------
 *
 * jsonb_writer.c
 *	  A jsonb object written straight into one buffer, with one of its
 *	  values an array streamed element by element.
 *
 *	  JsonbValueToJsonb() needs the whole value as a tree of JsonbValues,
 *	  several times the size of the jsonb it makes: for a page of a
 *	  hundred thousand definitions, most of a backend's memory.  Here each
 *	  element is converted on its own (its tree can be freed at once) and
 *	  its container copied into the page's buffer, so a page costs its own
 *	  size plus one element.
 *
 *	  The buffer is laid out exactly as jsonb_util.c's convertToJsonb()
 *	  lays out the same value (jsonb's on-disk format, which pg_upgrade
 *	  keeps): a container header, one JEntry per key and value (every
 *	  JB_OFFSET_STRIDE'th holding an end offset instead of a length), keys,
 *	  then values, containers and numerics padded to 4 bytes.  A container
 *	  copied to a 4-byte aligned position stays valid: its offsets are
 *	  relative and its padding keeps its meaning.  Keys must be given in
 *	  jsonb's order.  Too large a value fails with 54000, as in core.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "jsonb_writer.h"

static void
ed_jw_pad(EdJsonbWriter *w)
{
	static const char zeros[4] = {0, 0, 0, 0};
	int			padlen = INTALIGN(w->buf.len) - w->buf.len;

	appendBinaryStringInfo(&w->buf, zeros, padlen);
}

/* Room for n bytes at the end of the buffer, filled in later; its offset. */
static int
ed_jw_reserve(EdJsonbWriter *w, int n)
{
	int			offset = w->buf.len;

	enlargeStringInfo(&w->buf, n);
	memset(w->buf.data + offset, 0, n);
	w->buf.len += n;
	w->buf.data[w->buf.len] = '\0';
	return offset;
}

static void
ed_jw_too_large(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("total size of jsonb %s elements exceeds the maximum of %d bytes",
					what, JENTRY_OFFLENMASK),
			 errhint("Use a smaller page_limit and fetch the rest with page_offset.")));
}

/* The next JEntry of the object (keys, then values), from its data just written. */
static void
ed_jw_entry(EdJsonbWriter *w, JEntry meta)
{
	w->datalen += JBE_OFFLENFLD(meta);
	if (w->datalen > JENTRY_OFFLENMASK)
		ed_jw_too_large("object");
	if (w->nentries % JB_OFFSET_STRIDE == 0)
		meta = (meta & JENTRY_TYPEMASK) | w->datalen | JENTRY_HAS_OFF;
	memcpy(w->buf.data + w->entries + sizeof(JEntry) * w->nentries, &meta, sizeof(JEntry));
	w->nentries++;
}

/* A scalar value of the object: null, bool, string or numeric. */
static void
ed_jw_scalar(EdJsonbWriter *w, const JsonbValue *v)
{
	int			start = w->buf.len;

	switch (v->type)
	{
		case jbvNull:
			ed_jw_entry(w, JENTRY_ISNULL);
			break;
		case jbvBool:
			ed_jw_entry(w, v->val.boolean ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE);
			break;
		case jbvString:
			appendBinaryStringInfo(&w->buf, v->val.string.val, v->val.string.len);
			ed_jw_entry(w, JENTRY_ISSTRING | v->val.string.len);
			break;
		case jbvNumeric:
			ed_jw_pad(w);
			appendBinaryStringInfo(&w->buf, (char *) v->val.numeric,
								   VARSIZE_ANY(v->val.numeric));
			ed_jw_entry(w, JENTRY_ISNUMERIC | (w->buf.len - start));
			break;
		default:
			elog(ERROR, "jsonb writer: value of type %d is not a scalar", (int) v->type);
	}
}

/*
 * Start an object of npairs (keys in jsonb's order, at most
 * ED_JW_MAX_PAIRS); values[array_pair] is replaced by an array of nelems
 * elements, given next by ed_jw_element(); the other values are scalars.
 * The result is allocated in cxt.
 */
void
ed_jw_begin(EdJsonbWriter *w, MemoryContext cxt, int npairs, const char *const *keys,
			const JsonbValue *values, int array_pair, int nelems)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(cxt);
	uint32		header;

	Assert(npairs <= ED_JW_MAX_PAIRS && array_pair < npairs);
	initStringInfo(&w->buf);
	MemoryContextSwitchTo(oldcxt);
	w->npairs = npairs;
	memcpy(w->values, values, sizeof(JsonbValue) * npairs);
	w->array_pair = array_pair;
	w->nelems = nelems;
	w->elem = 0;
	w->nentries = 0;
	w->datalen = 0;

	(void) ed_jw_reserve(w, VARHDRSZ);
	header = npairs | JB_FOBJECT;
	appendBinaryStringInfo(&w->buf, (char *) &header, sizeof(uint32));
	w->entries = ed_jw_reserve(w, sizeof(JEntry) * npairs * 2);
	for (int i = 0; i < npairs; i++)
	{
		int			len = strlen(keys[i]);

		appendBinaryStringInfo(&w->buf, keys[i], len);
		ed_jw_entry(w, JENTRY_ISSTRING | len);
	}
	for (int i = 0; i < array_pair; i++)
		ed_jw_scalar(w, &values[i]);

	w->array_base = w->buf.len;
	ed_jw_pad(w);
	header = nelems | JB_FARRAY;
	appendBinaryStringInfo(&w->buf, (char *) &header, sizeof(uint32));
	w->array_entries = ed_jw_reserve(w, sizeof(JEntry) * nelems);
	w->array_datalen = 0;
}

/*
 * The next element of the array: converted to jsonb on its own, in the
 * current memory context (the caller's per-element context), and copied.
 */
void
ed_jw_element(EdJsonbWriter *w, JsonbValue *elem)
{
	Jsonb	   *jb = JsonbValueToJsonb(elem);
	int			start = w->buf.len;
	JEntry		meta;

	if (w->elem >= w->nelems)
		elog(ERROR, "jsonb writer: more elements than announced");
	ed_jw_pad(w);
	appendBinaryStringInfo(&w->buf, (char *) &jb->root, VARSIZE(jb) - VARHDRSZ);
	meta = JENTRY_ISCONTAINER | (w->buf.len - start);
	w->array_datalen += JBE_OFFLENFLD(meta);
	if (w->array_datalen > JENTRY_OFFLENMASK)
		ed_jw_too_large("array");
	if (w->elem % JB_OFFSET_STRIDE == 0)
		meta = (meta & JENTRY_TYPEMASK) | w->array_datalen | JENTRY_HAS_OFF;
	memcpy(w->buf.data + w->array_entries + sizeof(JEntry) * w->elem, &meta, sizeof(JEntry));
	w->elem++;
	pfree(jb);
}

/* Close the array, write the values after it; the finished jsonb. */
Jsonb *
ed_jw_finish(EdJsonbWriter *w)
{
	Jsonb	   *result;

	if (w->elem != w->nelems)
		elog(ERROR, "jsonb writer: %d elements announced, %d written", w->nelems, w->elem);
	if (w->buf.len - w->array_base > JENTRY_OFFLENMASK)
		ed_jw_too_large("array");
	ed_jw_entry(w, JENTRY_ISCONTAINER | (w->buf.len - w->array_base));
	for (int i = w->array_pair + 1; i < w->npairs; i++)
		ed_jw_scalar(w, &w->values[i]);
	if (w->buf.len - VARHDRSZ > JENTRY_OFFLENMASK)
		ed_jw_too_large("object");
	result = (Jsonb *) w->buf.data;
	SET_VARSIZE(result, w->buf.len);
	return result;
}
