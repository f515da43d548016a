/*-------------------------------------------------------------------------
 *
 * date_text.h
 *	  The strings a DateTime property accepts: Unix times written as
 *	  digits, ISO 8601 dates and date-times.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ED_DATE_TEXT_H
#define ED_DATE_TEXT_H

extern bool ed_datetime_text(const char *s, int len);

#endif							/* ED_DATE_TEXT_H */
