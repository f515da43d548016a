/*-------------------------------------------------------------------------
 *
 * codegen_names.c
 *	  Mangling names into identifiers.  One rule for every language, so an
 *	  event is CheckoutCompleted in TypeScript, Go, Python and JSON Schema
 *	  alike:
 *
 *	    1. the words of the name are its runs of ASCII letters and digits;
 *	       everything else ("$", "-", "_", spaces, dots, non-ASCII
 *	       characters) separates them;
 *	    2. each word gets an upper-case first letter, the rest is kept, and
 *	       the words are joined: "checkout-completed" -> CheckoutCompleted,
 *	       "$pageview" -> Pageview, "user ID" -> UserID;
 *	    3. a name without a word is Unnamed; an identifier starting with a
 *	       digit gets "N" in front: "3d secure" -> N3dSecure;
 *	    4. a reserved identifier gets "_" after it: None_ (see below);
 *	    5. identifiers that are still equal, within the events or within
 *	       one event's properties, get "_2", "_3", ... in the order of the
 *	       names (bytewise), the first keeping its identifier.
 *
 *	  Rule 2 makes every identifier start with an upper-case letter, so no
 *	  lower-case keyword of any language can come out.  Reserved are the
 *	  capitalized keywords (Python's None, True, False) and the names the
 *	  generated code itself declares or refers to, in any of the languages,
 *	  which an event's type or a property's field would shadow or clash
 *	  with.  A base identifier has no "_" but a trailing one, so an
 *	  identifier with a suffix "_<n>" can never equal another's base.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "codegen/codegen_names.h"

/* sorted bytewise, for bsearch */
static const char *const ed_reserved[] = {
	"Any",						/* Python typing */
	"Capture",					/* Go: the message the helpers build */
	"CaptureOptions",			/* TypeScript: posthog-js */
	"CaptureResult",			/* TypeScript: posthog-js */
	"Client",					/* Go: the typed client */
	"Date",						/* TypeScript: DateTime is string | Date */
	"Dict",						/* Python typing */
	"Enqueuer",					/* Go: the interface posthog.Client satisfies */
	"EventName",				/* TypeScript type; Go method of every event */
	"EventProperties",			/* TypeScript */
	"EventSchemas",				/* TypeScript */
	"Extra",					/* Go: the field of properties outside the schema */
	"False",					/* Python keyword */
	"HasRequiredProperties",	/* TypeScript */
	"IsExactlyString",			/* TypeScript */
	"List",						/* Python typing */
	"Literal",					/* Python typing */
	"Mapping",					/* Python typing */
	"Message",					/* Go: field of Client */
	"NewClient",				/* Go */
	"NoReturn",					/* Python typing */
	"None",						/* Python keyword */
	"NotRequired",				/* Python typing */
	"Omit",						/* TypeScript */
	"Optional",					/* Python typing */
	"OriginalPostHog",			/* TypeScript: posthog-js's PostHog */
	"Properties",				/* TypeScript: posthog-js; Go method of every event */
	"Ptr",						/* Go: pointer helper for optional properties */
	"Record",					/* TypeScript: open maps */
	"Required",					/* Python typing */
	"True",						/* Python keyword */
	"TypedDict",				/* Python typing */
	"TypedPostHog",				/* TypeScript */
	"Union",					/* Python typing */
};

static int
ed_cg_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static inline bool
ed_cg_is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * The identifier of a name before collisions (rules 1 to 4), palloc'd:
 * never longer than the name plus "N" and "_", or "Unnamed".  Called for
 * every property of every event, so it allocates just that.
 */
char *
ed_cg_ident_base(const char *name)
{
	char	   *ident = palloc(Max(strlen(name) + 3, sizeof("Unnamed")));
	int			len = 0;
	bool		word_start = true;

	for (const unsigned char *p = (const unsigned char *) name; *p; p++)
	{
		if (!ed_cg_is_alnum(*p))
		{
			word_start = true;
			continue;
		}
		if (len == 0 && *p >= '0' && *p <= '9')
			ident[len++] = 'N';
		if (word_start && *p >= 'a' && *p <= 'z')
			ident[len++] = (char) (*p - 'a' + 'A');
		else
			ident[len++] = (char) *p;
		word_start = false;
	}
	ident[len] = '\0';
	if (len == 0)
		strcpy(ident, "Unnamed");
	else if (bsearch(&ident, ed_reserved, lengthof(ed_reserved), sizeof(char *),
					 ed_cg_strcmp) != NULL)
	{
		ident[len++] = '_';
		ident[len] = '\0';
	}
	return ident;
}

typedef struct EdCgIdentSlot
{
	const char *base;
	int			index;			/* of the name, in name order */
} EdCgIdentSlot;

static int
ed_cg_slot_cmp(const void *a, const void *b)
{
	const EdCgIdentSlot *x = a;
	const EdCgIdentSlot *y = b;
	int			c = strcmp(x->base, y->base);

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Identifiers for n names given in bytewise order (rule 5): idents[i] for
 * names[i].  Sorting by (base, position) puts every run of equal bases
 * together, in name order.
 */
void
ed_cg_assign_idents(const char *const *names, const char **idents, int n)
{
	EdCgIdentSlot *slots = palloc(sizeof(EdCgIdentSlot) * Max(n, 1));
	int			run = 0;

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		slots[i].base = ed_cg_ident_base(names[i]);
		slots[i].index = i;
	}
	qsort(slots, n, sizeof(EdCgIdentSlot), ed_cg_slot_cmp);
	for (int i = 0; i < n; i++)
	{
		if (i > 0 && strcmp(slots[i].base, slots[i - 1].base) == 0)
			run++;
		else
			run = 1;
		idents[slots[i].index] = run == 1 ? slots[i].base : psprintf("%s_%d", slots[i].base, run);
	}
	pfree(slots);
}
