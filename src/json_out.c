/*-------------------------------------------------------------------------
 *
 * json_out.c
 *	  Rendering of the API's JSON.
 *
 *	  Results are built as a tree of JsonbValues and turned into one jsonb
 *	  at the end of a call (JsonbValueToJsonb), with no JSON text in
 *	  between.  The tree points at strings it does not copy, shares each
 *	  user's object among the rows that refer to it, and gives every object
 *	  its keys already in jsonb's order, so memory stays a small multiple of
 *	  the answer.  Timestamps follow the contract: ISO 8601 in UTC with a
 *	  "Z" suffix, microseconds only when they are not zero.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/memutils.h"

#include "catalog.h"
#include "compat.h"
#include "json_out.h"
#include "user_projects.h"

struct EdUserDir
{
	int			n;
	int64	   *ids;			/* sorted */
	JsonbValue *users;			/* rendered user objects, same order */
};

static const char *const ed_user_keys[] = {
	"id", "uuid", "email", "last_name", "first_name", "distinct_id", "is_email_verified"
};

void
ed_jv_null(JsonbValue *v)
{
	v->type = jbvNull;
}

void
ed_jv_bool(JsonbValue *v, bool b)
{
	v->type = jbvBool;
	v->val.boolean = b;
}

void
ed_jv_string(JsonbValue *v, const char *s)
{
	v->type = jbvString;
	v->val.string.val = (char *) s;
	v->val.string.len = strlen(s);
}

void
ed_jv_string_or_null(JsonbValue *v, const char *s)
{
	if (s == NULL)
		ed_jv_null(v);
	else
		ed_jv_string(v, s);
}

void
ed_jv_int64(JsonbValue *v, int64 x)
{
	v->type = jbvNumeric;
	v->val.numeric = ED_Int64GetNumeric(x);
}

void
ed_jv_opt_int64(JsonbValue *v, EdOptInt64 x)
{
	if (x.isnull)
		ed_jv_null(v);
	else
		ed_jv_int64(v, x.value);
}

/* Write v as exactly "width" decimal digits (v >= 0, fits). */
static inline char *
ed_put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--)
	{
		p[i] = (char) ('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/*
 * "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" into out (ED_TIMESTAMP_LEN bytes),
 * returning its length; written by hand: this runs four times for every
 * definition of a page, and a printf format is slow there.
 */
#define ED_TIMESTAMP_LEN 40

static int
ed_format_timestamp(char *out, TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char	   *p = out;
	int			year;

	if (TIMESTAMP_NOT_FINITE(ts))
	{
		/* not produced by this extension, but never crash on it */
		strcpy(out, TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity");
		return strlen(out);
	}
	/* no time zone argument: the fields come out in UTC */
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	/* astronomical year numbering for BC dates, as ISO 8601 has it */
	year = tm.tm_year > 0 ? tm.tm_year : tm.tm_year - 1;
	if (year < 0 || year > 9999)
		p += snprintf(p, 16, "%04d", year);
	else
		p = ed_put_digits(p, year, 4);
	*p++ = '-';
	p = ed_put_digits(p, tm.tm_mon, 2);
	*p++ = '-';
	p = ed_put_digits(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = ed_put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = ed_put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = ed_put_digits(p, tm.tm_sec, 2);
	if (fsec != 0)
	{
		*p++ = '.';
		p = ed_put_digits(p, (int) fsec, 6);
	}
	*p++ = 'Z';
	*p = '\0';
	return p - out;
}

void
ed_jv_timestamp(JsonbValue *v, TimestampTz ts)
{
	char	   *out = palloc(ED_TIMESTAMP_LEN);

	v->type = jbvString;
	v->val.string.len = ed_format_timestamp(out, ts);
	v->val.string.val = out;
}

void
ed_jv_opt_timestamp(JsonbValue *v, EdOptTimestamp ts)
{
	if (ts.isnull)
		ed_jv_null(v);
	else
		ed_jv_timestamp(v, ts.value);
}

/* An array of nelems values for the caller to fill. */
JsonbValue *
ed_jv_array(JsonbValue *v, int nelems)
{
	v->type = jbvArray;
	v->val.array.nElems = nelems;
	v->val.array.rawScalar = false;
	v->val.array.elems = nelems > 0 ? palloc(sizeof(JsonbValue) * nelems) : NULL;
	return v->val.array.elems;
}

void
ed_jv_string_list(JsonbValue *v, List *strings)
{
	JsonbValue *elems = ed_jv_array(v, list_length(strings));
	ListCell   *lc;

	foreach(lc, strings)
		ed_jv_string(&elems[foreach_current_index(lc)], (const char *) lfirst(lc));
}

/* jsonb's order of keys: shorter first, then bytewise */
static int
ed_key_cmp(const char *a, const char *b)
{
	size_t		la = strlen(a);
	size_t		lb = strlen(b);

	if (la != lb)
		return la < lb ? -1 : 1;
	return memcmp(a, b, la);
}

/*
 * An object of npairs with the given keys, which must be in jsonb's order;
 * the caller fills the values.  Keys are not copied.
 */
JsonbPair *
ed_jv_object(JsonbValue *v, int npairs, const char *const *keys)
{
	JsonbPair  *pairs = palloc(sizeof(JsonbPair) * Max(npairs, 1));

	v->type = jbvObject;
	v->val.object.nPairs = npairs;
	v->val.object.pairs = pairs;
	for (int i = 0; i < npairs; i++)
	{
		Assert(i == 0 || ed_key_cmp(keys[i - 1], keys[i]) < 0);
		ed_jv_string(&pairs[i].key, keys[i]);
		pairs[i].order = i;
	}
	return pairs;
}

/* A stored jsonb value (an activity entry's detail) as part of the tree. */
void
ed_jv_embed(JsonbValue *v, Jsonb *jb)
{
	JsonbParseState *state = NULL;
	JsonbValue	bin;
	JsonbValue *wrapper;

	/* pushJsonbValue() unpacks a binary element into a tree of values */
	bin.type = jbvBinary;
	bin.val.binary.data = &jb->root;
	bin.val.binary.len = VARSIZE(jb) - VARHDRSZ;
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	pushJsonbValue(&state, WJB_ELEM, &bin);
	wrapper = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	*v = wrapper->val.array.elems[0];
}

/*
 * The tree as one jsonb, allocated in cxt (the caller's context, so that it
 * survives SPI_finish).  A value too large for jsonb fails here with 54000.
 */
Jsonb *
ed_jv_to_jsonb(JsonbValue *v, MemoryContext cxt)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(cxt);
	Jsonb	   *result = JsonbValueToJsonb(v);

	MemoryContextSwitchTo(oldcxt);
	return result;
}

static int
ed_int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* Add the users a definition refers to; ids has room for ED_DEFINITION_MAX_USERS more. */
void
ed_users_collect(const EdDefinition *def, int64 *ids, int *nids)
{
	for (int f = 0; f < ED_NFIELDS; f++)
	{
		const EdOptInt64 *user = (const EdOptInt64 *) ED_FIELD_PTR(def, f);

		if (ed_fields[f].kind == ED_KIND_USER && !user->isnull)
			ids[(*nids)++] = user->value;
	}
}

/* One row of the users query as the contract's user object. */
static void
ed_jv_user_row(JsonbValue *v, HeapTuple tup, TupleDesc desc)
{
	JsonbPair  *p = ed_jv_object(v, lengthof(ed_user_keys), ed_user_keys);
	bool		isnull;
	Datum		verified;

	ed_jv_int64(&p[0].value, DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull)));
	ed_jv_string_or_null(&p[1].value, SPI_getvalue(tup, desc, 2));	/* uuid */
	ed_jv_string_or_null(&p[2].value, SPI_getvalue(tup, desc, 6));	/* email */
	ed_jv_string_or_null(&p[3].value, SPI_getvalue(tup, desc, 5));	/* last_name */
	ed_jv_string_or_null(&p[4].value, SPI_getvalue(tup, desc, 4));	/* first_name */
	ed_jv_string_or_null(&p[5].value, SPI_getvalue(tup, desc, 3));	/* distinct_id */
	verified = SPI_getbinval(tup, desc, 7, &isnull);
	if (isnull)
		ed_jv_null(&p[6].value);
	else
		ed_jv_bool(&p[6].value, DatumGetBool(verified));
}

/*
 * Look the given users up in the directory and render each once, keeping
 * only those the caller may see in this project (user_projects.c).  Must
 * run inside an SPI connection; the result lives in the current memory
 * context.
 */
EdUserDir *
ed_users_load(int64 project_id, const int64 *ids, int nids)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8ARRAYOID};
	EdUserDir  *dir = palloc0(sizeof(EdUserDir));
	Datum	   *elems;
	Datum		values[1];
	int			nunique = 0;
	int64	   *sorted;

	if (nids == 0)
		return dir;

	sorted = palloc(sizeof(int64) * nids);
	memcpy(sorted, ids, sizeof(int64) * nids);
	qsort(sorted, nids, sizeof(int64), ed_int64_cmp);
	for (int i = 0; i < nids; i++)
		if (i == 0 || sorted[i] != sorted[nunique - 1])
			sorted[nunique++] = sorted[i];
	nunique = ed_users_visible(project_id, sorted, nunique);
	if (nunique == 0)
		return dir;

	elems = palloc(sizeof(Datum) * nunique);
	for (int i = 0; i < nunique; i++)
		elems[i] = Int64GetDatum(sorted[i]);
	values[0] = PointerGetDatum(construct_array(elems, nunique, INT8OID, 8,
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	pfree(sorted);

	ed_prepare_kept(&plan,
					"SELECT u.id, u.uuid::text, u.distinct_id, u.first_name, u.last_name, "
					"u.email, u.is_email_verified "
					"FROM event_definitions.users u WHERE u.id = ANY ($1) ORDER BY u.id",
					1, argtypes);
	ed_execute_kept(plan, values, NULL, true, 0, SPI_OK_SELECT);

	dir->n = (int) SPI_processed;
	dir->ids = palloc(sizeof(int64) * Max(dir->n, 1));
	dir->users = palloc(sizeof(JsonbValue) * Max(dir->n, 1));
	for (int i = 0; i < dir->n; i++)
	{
		bool		isnull;

		dir->ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
												  SPI_tuptable->tupdesc, 1, &isnull));
		ed_jv_user_row(&dir->users[i], SPI_tuptable->vals[i], SPI_tuptable->tupdesc);
	}
	SPI_freetuptable(SPI_tuptable);
	return dir;
}

/*
 * A user as the contract has it: the directory's seven keys, or {"id": N}
 * with the others null when the id is not in the directory.  A user found
 * in the directory shares its object with every row that refers to it.
 */
void
ed_jv_user(JsonbValue *v, EdUserDir *dir, EdOptInt64 user)
{
	int64	   *hit;
	JsonbPair  *p;

	if (user.isnull)
	{
		ed_jv_null(v);
		return;
	}
	hit = dir->n > 0 ? bsearch(&user.value, dir->ids, dir->n, sizeof(int64), ed_int64_cmp) : NULL;
	if (hit != NULL)
	{
		*v = dir->users[hit - dir->ids];
		return;
	}
	p = ed_jv_object(v, lengthof(ed_user_keys), ed_user_keys);
	ed_jv_int64(&p[0].value, user.value);
	for (size_t i = 1; i < lengthof(ed_user_keys); i++)
		ed_jv_null(&p[i].value);
}

/*
 * A field's value; users as objects from users, or as ids when users is
 * NULL (the activity log records ids).
 */
void
ed_jv_field(JsonbValue *v, const EdDefinition *def, int field, EdUserDir *users)
{
	const void *p = ED_FIELD_PTR(def, field);

	switch (ed_fields[field].kind)
	{
		case ED_KIND_UUID:
			ed_jv_string(v, ed_uuid_out((const pg_uuid_t *) p));
			break;
		case ED_KIND_TEXT:
		case ED_KIND_OPT_TEXT:
			ed_jv_string_or_null(v, *(char *const *) p);
			break;
		case ED_KIND_USER:
			if (users != NULL)
				ed_jv_user(v, users, *(const EdOptInt64 *) p);
			else
				ed_jv_opt_int64(v, *(const EdOptInt64 *) p);
			break;
		case ED_KIND_TAGS:
		case ED_KIND_STRINGS:
			ed_jv_string_list(v, *(List *const *) p);
			break;
		case ED_KIND_BOOL:
			ed_jv_bool(v, *(const bool *) p);
			break;
		case ED_KIND_TIMESTAMP:
			ed_jv_timestamp(v, *(const TimestampTz *) p);
			break;
		case ED_KIND_OPT_TIMESTAMP:
			ed_jv_opt_timestamp(v, *(const EdOptTimestamp *) p);
			break;
	}
}

/*
 * The keys of a rendered definition in jsonb's order: every ED_RENDER
 * field and the constant is_action.  Worked out once per backend.
 */
#define ED_KEY_IS_ACTION (-1)

static int	ed_def_nkeys = 0;
static const char *ed_def_keys[ED_NFIELDS + 1];
static int	ed_def_key_field[ED_NFIELDS + 1];

static void
ed_definition_keys_init(void)
{
	int			n = 0;

	for (int f = 0; f <= ED_NFIELDS; f++)
	{
		const char *key;
		int			i;

		if (f < ED_NFIELDS && !(ed_fields[f].flags & ED_RENDER))
			continue;
		key = f < ED_NFIELDS ? ed_fields[f].name : "is_action";
		/* insertion sort: a score of keys, once */
		for (i = n; i > 0 && ed_key_cmp(ed_def_keys[i - 1], key) > 0; i--)
		{
			ed_def_keys[i] = ed_def_keys[i - 1];
			ed_def_key_field[i] = ed_def_key_field[i - 1];
		}
		ed_def_keys[i] = key;
		ed_def_key_field[i] = f < ED_NFIELDS ? f : ED_KEY_IS_ACTION;
		n++;
	}
	ed_def_nkeys = n;
}

void
ed_jv_definition(JsonbValue *v, const EdDefinition *def, EdUserDir *users)
{
	JsonbPair  *pairs;

	if (ed_def_nkeys == 0)
		ed_definition_keys_init();
	pairs = ed_jv_object(v, ed_def_nkeys, ed_def_keys);
	for (int i = 0; i < ed_def_nkeys; i++)
	{
		if (ed_def_key_field[i] == ED_KEY_IS_ACTION)
			ed_jv_bool(&pairs[i].value, false);
		else
			ed_jv_field(&pairs[i].value, def, ed_def_key_field[i], users);
	}
}

/* One definition, with its users looked up.  Runs inside SPI. */
JsonbValue *
ed_definition_with_users(const EdDefinition *def)
{
	int64		ids[ED_DEFINITION_MAX_USERS];
	int			nids = 0;
	JsonbValue *v = palloc(sizeof(JsonbValue));

	ed_users_collect(def, ids, &nids);
	ed_jv_definition(v, def, ed_users_load(def->project_id, ids, nids));
	return v;
}

/* JSON text (metrics) as jsonb */
Jsonb *
ed_json_finish(StringInfo buf)
{
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf->data)));
}
