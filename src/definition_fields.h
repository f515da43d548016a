/*-------------------------------------------------------------------------
 *
 * definition_fields.h
 *	  The fields of an event definition, described once.
 *
 *	  ED_DEFINITION_FIELDS(X) calls X(member, column, kind, flags, check)
 *	  for every field after project_id, in the order of the select list
 *	  (and of an activity entry's changes).  From it come the EdDefinition
 *	  struct, the select list, tuple reading, the parameters of insert and
 *	  update, rendering, the activity diff and patch validation.  Adding a
 *	  field is one line here plus its column in the SQL script (and, when
 *	  it is patchable with rules of its own, a check function in patch.c).
 *
 *	  member  the EdDefinition member, also the JSON key
 *	  column  the column of event_definitions.definitions
 *	  kind    how it is stored in C, bound, read and rendered (EdFieldKind)
 *	  flags   ED_RENDER: a key of the rendered definition
 *	          ED_LOGGED: listed by an activity entry that creates, changes
 *	                     or deletes; ED_LOGGED_KEPT: only by one that
 *	                     creates or deletes (it changes with every update)
 *	          ED_WRITE: written by insert and update; ED_INSERT: by insert
 *	          ED_PATCH: a writable key of update's patch
 *	  check   NULL, or the patch.c function that checks a patched value
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_DEFINITION_FIELDS_H
#define ED_DEFINITION_FIELDS_H

#define ED_DEFINITION_FIELDS(X) \
	X(id,				id,					UUID,			ED_RENDER, NULL) \
	X(name,				name,				TEXT,			ED_RENDER | ED_LOGGED | ED_INSERT, NULL) \
	X(description,		description,		OPT_TEXT,		ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, NULL) \
	X(owner,			owner_id,			USER,			ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, NULL) \
	X(tags,				tags,				TAGS,			ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, NULL) \
	X(verified,			verified,			BOOL,			ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, NULL) \
	X(verified_at,		verified_at,		OPT_TIMESTAMP,	ED_RENDER | ED_LOGGED | ED_WRITE, NULL) \
	X(verified_by,		verified_by,		USER,			ED_RENDER | ED_LOGGED | ED_WRITE, NULL) \
	X(hidden,			hidden,				BOOL,			ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, NULL) \
	X(post_to_slack,	post_to_slack,		BOOL,			ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, NULL) \
	X(default_columns,	default_columns,	STRINGS,		ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, NULL) \
	X(enforcement_mode,	enforcement_mode,	TEXT,			ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, ed_check_enforcement_mode) \
	X(primary_property,	primary_property,	OPT_TEXT,		ED_RENDER | ED_LOGGED | ED_WRITE | ED_PATCH, ed_check_primary_property) \
	X(created_at,		created_at,			OPT_TIMESTAMP,		ED_RENDER | ED_LOGGED | ED_INSERT, NULL) \
	X(last_seen_at,		last_seen_at,		OPT_TIMESTAMP,	ED_RENDER | ED_LOGGED, NULL) \
	X(updated_at,		updated_at,			TIMESTAMP,		ED_RENDER | ED_LOGGED_KEPT | ED_WRITE, NULL) \
	X(updated_by,		updated_by,			USER,			ED_RENDER | ED_LOGGED_KEPT | ED_WRITE, NULL)

/* field flags */
#define ED_RENDER		0x01
#define ED_LOGGED		0x02
#define ED_LOGGED_KEPT	0x04
#define ED_WRITE		0x08
#define ED_INSERT		0x10
#define ED_PATCH		0x20

/*
 * Kinds of field.  The C type of each is ED_CTYPE_<kind>; a USER is a
 * nullable user id rendered as the user's object (as its id in activity).
 */
typedef enum EdFieldKind
{
	ED_KIND_UUID,
	ED_KIND_TEXT,
	ED_KIND_OPT_TEXT,
	ED_KIND_USER,
	ED_KIND_TAGS,				/* text[], normalized tags in a patch */
	ED_KIND_STRINGS,			/* text[] */
	ED_KIND_BOOL,
	ED_KIND_TIMESTAMP,
	ED_KIND_OPT_TIMESTAMP
} EdFieldKind;

#define ED_CTYPE_UUID			pg_uuid_t
#define ED_CTYPE_TEXT			char *
#define ED_CTYPE_OPT_TEXT		char *	/* NULL for SQL NULL */
#define ED_CTYPE_USER			EdOptInt64
#define ED_CTYPE_TAGS			List *	/* sorted C strings */
#define ED_CTYPE_STRINGS		List *	/* C strings, in order */
#define ED_CTYPE_BOOL			bool
#define ED_CTYPE_TIMESTAMP		TimestampTz
#define ED_CTYPE_OPT_TIMESTAMP	EdOptTimestamp

/* ED_FIELD_<member>: the position of a field in ed_fields[] */
typedef enum EdFieldId
{
#define ED_FIELD_ENUM(member, column, kind, flags, check) ED_FIELD_##member,
	ED_DEFINITION_FIELDS(ED_FIELD_ENUM)
#undef ED_FIELD_ENUM
	ED_NFIELDS
} EdFieldId;

#endif							/* ED_DEFINITION_FIELDS_H */
