/* user/lib/datearg.h - the DATE argument of date -d/-s and touch -d. */
#ifndef USER_LIB_DATEARG_H
#define USER_LIB_DATEARG_H
#include <time.h>
/* "@SECONDS" or "YYYY-MM-DD[( |T)HH:MM[:SS]]" in local time. 0 or -1. */
int parse_date_arg(const char *s, time_t *out);
#endif
