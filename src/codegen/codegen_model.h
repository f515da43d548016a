/*-------------------------------------------------------------------------
 *
 * codegen_model.h
 *	  The catalog as code generation sees it: the selected events, in name
 *	  order, each with the merged properties of its attached groups, the
 *	  identifiers every language names them by, and the hashes.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_CODEGEN_MODEL_H
#define ED_CODEGEN_MODEL_H

#include "utils/array.h"

#include "schema/property_type.h"

/* the generator version: in every hash; bump it when any output changes shape */
#define ED_CODEGEN_GENERATOR_VERSION "1.0.0"

/* hexadecimal digits of schema_hash, as PostHog cuts it */
#define ED_CODEGEN_HASH_CHARS 32

typedef struct EdCgProperty
{
	const char *name;			/* as the groups spell it */
	const char *ident;			/* mangled, unique within its event */
	EdTypeMask	types;			/* union over the groups that list it */
	bool		required_all;	/* required by every such group: typed code */
	bool		required_any;	/* required by one of them: what validate() checks */
} EdCgProperty;

typedef struct EdCgEvent
{
	const char *name;			/* the definition's name */
	const char *ident;			/* mangled, unique among the events */
	int			nprops;			/* 0: no schema, an open map */
	EdCgProperty *props;		/* by name, bytewise */
	char		fingerprint[ED_CODEGEN_HASH_CHARS + 1]; /* schema_hash of this event alone */
} EdCgEvent;

typedef struct EdCgModel
{
	int			nevents;
	EdCgEvent  *events;			/* by name, bytewise */
	EdTypeMask	types_used;		/* of every property of every event */
	char		schema_hash[ED_CODEGEN_HASH_CHARS + 1];
} EdCgModel;

extern int	ed_codegen_max_events;

extern void ed_codegen_define_gucs(void);
extern EdCgModel *ed_codegen_model(int64 project_id, ArrayType *names);

#endif							/* ED_CODEGEN_MODEL_H */
