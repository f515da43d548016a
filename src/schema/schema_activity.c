/*-------------------------------------------------------------------------
 *
 * schema_activity.c
 *	  Activity entries of schema changes, in the activity log and the
 *	  change feed beside those of definitions, in the same shape:
 *	  {"name", "changes": [{"type", "field", "action", "before", "after"}]}.
 *
 *	  A property group's entries (created, changed, deleted) have the
 *	  group's id as item_id and carry "scope": "PropertyGroup" in their
 *	  detail, which the entry's scope shows (definitions' entries have no
 *	  scope there: "EventDefinition").  Their fields are name,
 *	  description and properties (the whole list, as rendered).
 *
 *	  Attaching or detaching a group changes the event: a "changed" entry
 *	  of the event definition, field property_groups, before and after as
 *	  the sorted names of its groups.  A change to a group's properties is
 *	  logged on the group only.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "json_out.h"
#include "schema/schema_activity.h"

static const char *const ed_change_keys[] = {"type", "after", "field", "action", "before"};

typedef struct EdChange
{
	const char *field;
	const JsonbValue *before;	/* NULL: none */
	const JsonbValue *after;
} EdChange;

static bool
ed_jv_equal(const JsonbValue *a, const JsonbValue *b)
{
	Jsonb	   *x = JsonbValueToJsonb((JsonbValue *) a);
	Jsonb	   *y = JsonbValueToJsonb((JsonbValue *) b);

	return compareJsonbContainers(&x->root, &y->root) == 0;
}

/* "" and [] are empty: a create or delete does not list them */
static bool
ed_jv_is_empty(const JsonbValue *v)
{
	return v == NULL || (v->type == jbvString && v->val.string.len == 0) ||
		(v->type == jbvArray && v->val.array.nElems == 0);
}

/* An entry's detail: name, the scope when given, the changes. */
static void
ed_detail(JsonbValue *detail, const char *name, const char *scope, const char *type,
		  const char *action, const EdChange *changes, int nchanges)
{
	static const char *const scoped_keys[] = {"name", "scope", "changes"};
	static const char *const keys[] = {"name", "changes"};
	JsonbPair  *d = scope ? ed_jv_object(detail, lengthof(scoped_keys), scoped_keys)
		: ed_jv_object(detail, lengthof(keys), keys);
	JsonbValue *elems;
	int			k = 0;

	ed_jv_string(&d[k++].value, name);
	if (scope)
		ed_jv_string(&d[k++].value, scope);
	elems = ed_jv_array(&d[k].value, nchanges);
	for (int i = 0; i < nchanges; i++)
	{
		JsonbPair  *c = ed_jv_object(&elems[i], lengthof(ed_change_keys), ed_change_keys);

		ed_jv_string(&c[0].value, type);
		if (changes[i].after)
			c[1].value = *changes[i].after;
		else
			ed_jv_null(&c[1].value);
		ed_jv_string(&c[2].value, changes[i].field);
		ed_jv_string(&c[3].value, action);
		if (changes[i].before)
			c[4].value = *changes[i].before;
		else
			ed_jv_null(&c[4].value);
	}
}

/*
 * The entry of a group's create (before NULL), change, or delete (after
 * NULL); returns its seq.  A change lists the fields that differ.
 */
int64
ed_group_activity(int64 project_id, EdActivityKind kind, const EdGroupView *before,
				  const EdGroupView *after, EdOptInt64 actor)
{
	static const char *const actions[] = {
		[ED_ACTIVITY_CREATED] = "created",
		[ED_ACTIVITY_CHANGED] = "changed",
		[ED_ACTIVITY_DELETED] = "deleted",
	};
	const EdGroupView *subject = after ? after : before;
	JsonbValue	names[2];
	JsonbValue	descriptions[2];
	EdChange	changes[3];
	int			n = 0;
	JsonbValue	detail;

	if (before)
	{
		ed_jv_string(&names[0], before->name);
		ed_jv_string(&descriptions[0], before->description);
	}
	if (after)
	{
		ed_jv_string(&names[1], after->name);
		ed_jv_string(&descriptions[1], after->description);
	}
	{
		const JsonbValue *fields[3][2] = {
			{before ? &names[0] : NULL, after ? &names[1] : NULL},
			{before ? &descriptions[0] : NULL, after ? &descriptions[1] : NULL},
			{before ? &before->properties : NULL, after ? &after->properties : NULL},
		};
		static const char *const field_names[3] = {"name", "description", "properties"};

		for (int f = 0; f < 3; f++)
		{
			if (kind == ED_ACTIVITY_CHANGED ? ed_jv_equal(fields[f][0], fields[f][1])
				: ed_jv_is_empty(fields[f][kind == ED_ACTIVITY_CREATED ? 1 : 0]))
				continue;
			changes[n].field = field_names[f];
			changes[n].before = fields[f][0];
			changes[n].after = fields[f][1];
			n++;
		}
	}
	ed_detail(&detail, subject->name, ED_GROUP_ACTIVITY_SCOPE, ED_GROUP_ACTIVITY_SCOPE,
			  actions[kind], changes, n);
	return ed_activity_append(project_id, &subject->id, kind, actor, &detail);
}

/* The "changed" entry of an event whose groups went from before to after. */
int64
ed_event_groups_activity(int64 project_id, const pg_uuid_t *event_id, const char *event_name,
						 List *before, List *after, EdOptInt64 actor)
{
	JsonbValue	b;
	JsonbValue	a;
	EdChange	change;
	JsonbValue	detail;

	ed_jv_string_list(&b, before);
	ed_jv_string_list(&a, after);
	change.field = "property_groups";
	change.before = &b;
	change.after = &a;
	ed_detail(&detail, event_name, NULL, "EventDefinition", "changed", &change, 1);
	return ed_activity_append(project_id, event_id, ED_ACTIVITY_CHANGED, actor, &detail);
}
