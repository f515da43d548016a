/*-------------------------------------------------------------------------
 *
 * group_input.h
 *	  A property group as a caller gives it (create's arguments, update's
 *	  patch), checked whole before anything is written.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_GROUP_INPUT_H
#define ED_GROUP_INPUT_H

#include "utils/jsonb.h"

#include "schema/property_type.h"

/* the most properties one group may list */
#define ED_GROUP_MAX_PROPERTIES 1000

typedef struct EdGroupProperty
{
	char	   *name;
	EdPropertyType type;
	bool		required;
	char	   *description;
} EdGroupProperty;

typedef struct EdGroupInput
{
	bool		has_name;
	char	   *name;
	bool		has_description;
	char	   *description;
	bool		has_properties;
	int			nprops;
	EdGroupProperty *props;		/* sorted by name (strcmp), unique */
} EdGroupInput;

extern void ed_group_check_name(const char *name, int len);
extern void ed_group_parse_properties(Jsonb *properties, EdGroupInput *out);
extern void ed_group_parse_patch(Jsonb *patch, EdGroupInput *out);

#endif							/* ED_GROUP_INPUT_H */
