/*-------------------------------------------------------------------------
 *
 * event_name.h
 *	  What an event name (and a tag) may be: the limits of the data model
 *	  (SPEC section 2) and the checks of a name.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_EVENT_NAME_H
#define ED_EVENT_NAME_H

#define ED_NAME_MAX_CHARS		400
#define ED_TAG_MAX_CHARS		255

extern bool ed_name_is_valid(const char *name, int len, const char **reason);
extern bool ed_has_control_char(const char *s, int len);
extern int	ed_char_length(const char *s, int len);

#endif							/* ED_EVENT_NAME_H */
