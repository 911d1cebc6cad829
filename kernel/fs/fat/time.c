/*
 * kernel/fs/fat/time.c - FAT time stamps <-> seconds since the epoch.
 *
 * FAT stores local date and time with no zone; RayOS treats them as UTC
 * (Linux's tz=UTC). Dates run 1980-01-01 .. 2107-12-31; times have a
 * two-second step, refined by a hundredths byte in the creation stamp.
 * Times outside the range are clamped to its ends.
 */
#include "fat.h"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

struct ktimespec fat_time_to_ts(uint16_t date, uint16_t time, uint8_t cs)
{
	unsigned day = date & 31, mon = (date >> 5) & 15;
	int64_t year = 1980 + (date >> 9);
	if (day < 1)
		day = 1;
	if (mon < 1)
		mon = 1;
	if (mon > 12)
		mon = 12;
	unsigned sec = (time & 31) * 2, min = (time >> 5) & 63, hour = time >> 11;
	if (cs > 199)
		cs = 199;
	struct ktimespec ts;
	ts.sec = days_from_civil(year, mon, day) * 86400 + hour * 3600 +
	         min * 60 + sec + cs / 100;
	ts.nsec = (int64_t)(cs % 100) * 10000000;
	return ts;
}

void fat_ts_to_time(struct ktimespec ts, uint16_t *date, uint16_t *time, uint8_t *cs)
{
	int64_t lo = days_from_civil(1980, 1, 1) * 86400;
	int64_t hi = days_from_civil(2107, 12, 31) * 86400 + 86399;
	int64_t s = ts.sec;
	int64_t ns = ts.nsec;
	if (s < lo) {
		s = lo;
		ns = 0;
	}
	if (s > hi) {
		s = hi;
		ns = 0;
	}
	int64_t days = s / 86400, rem = s % 86400, y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	*date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
	*time = (uint16_t)((rem / 3600) << 11 | ((rem / 60) % 60) << 5 | (rem % 60) / 2);
	if (cs)
		*cs = (uint8_t)((rem % 2) * 100 + ns / 10000000);
}
