/*
 * user/lib/datearg.c - parse the DATE argument that date -d/-s and touch -d
 * accept: seconds since the epoch after '@', or an ISO-style date with an
 * optional time, in local time (GNU's forms that scripts use most).
 */
#define _XOPEN_SOURCE 700
#include <stdlib.h>
#include <time.h>

#include "datearg.h"

int parse_date_arg(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	const char *rest;
	if (s[0] == '@') {
		char *end;
		*out = strtoll(s + 1, &end, 10);
		return *end || end == s + 1 ? -1 : 0;
	}
	rest = strptime(s, "%Y-%m-%d", &tm);
	if (!rest)
		return -1;
	if (*rest == ' ' || *rest == 'T') {
		const char *r2 = strptime(rest + 1, "%H:%M:%S", &tm);
		if (!r2)
			r2 = strptime(rest + 1, "%H:%M", &tm);
		rest = r2;
	}
	if (!rest || *rest)
		return -1;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return 0;
}
