/*-------------------------------------------------------------------------
 *
 * text_arrays.c
 *	  text[] to and from Lists of C strings; sorted sets of strings.
 *
 *	  A malformed array argument (more than one dimension, another element
 *	  type, a NULL element) is an error naming the argument.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "text_arrays.h"

/*
 * A one-dimensional text[] without NULL elements, as a List of C strings.
 * The error names the argument and the 1-based position of a NULL element.
 */
List *
ed_text_array_to_list(ArrayType *arr, const char *argname)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	List	   *result = NIL;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", argname)));
	if (ARR_ELEMTYPE(arr) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be an array of text", argname)));

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	for (int i = 0; i < nelems; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not contain null elements", argname),
					 errdetail("Element %d is null.", i + 1)));
		result = lappend(result, TextDatumGetCString(elems[i]));
	}
	return result;
}

ArrayType *
ed_list_to_text_array(List *strings)
{
	int			n = list_length(strings);
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	int			i = 0;
	ListCell   *lc;

	foreach(lc, strings)
	{
		CHECK_FOR_INTERRUPTS();
		elems[i++] = CStringGetTextDatum((char *) lfirst(lc));
	}
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

int
ed_cstring_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Sort C strings bytewise and drop duplicates. */
List *
ed_sort_unique_strings(List *strings)
{
	int			n = list_length(strings);
	char	  **items;
	List	   *result = NIL;
	int			i = 0;
	ListCell   *lc;

	if (n == 0)
		return NIL;
	items = palloc(sizeof(char *) * n);
	foreach(lc, strings)
		items[i++] = lfirst(lc);
	qsort(items, n, sizeof(char *), ed_cstring_cmp);
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i == 0 || strcmp(items[i], items[i - 1]) != 0)
			result = lappend(result, items[i]);
	}
	pfree(items);
	return result;
}
