/*
 * day.c: calendar days (UTC+08:00) as integers.
 *
 * Days are counted on the proleptic Gregorian calendar from 1970-01-01.
 * All arithmetic is done in int64_t, so no input, even LL_NO_DAY or an
 * absurd time_t, can overflow; results that do not fit an ll_day are
 * saturated.
 */
#include <stdint.h>

#include "core/day.h"

#define SECONDS_PER_DAY 86400
/* Days from 0001-01-01 to 1970-01-01. */
#define EPOCH_OFFSET 719162

/* Days before the first of each month in a common year. */
static const int before_month[12] = {0,	  31,  59,  90,	 120, 151,
				     181, 212, 243, 273, 304, 334};

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static bool
is_leap(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Days from 0001-01-01 to the first of January of year. */
static int64_t
days_before_year(int64_t year)
{
	int64_t p = year - 1;

	return p * 365 + floor_div(p, 4) - floor_div(p, 100) +
	       floor_div(p, 400);
}

static int
month_length(int64_t year, int month)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && is_leap(year))
		return 29;
	return len[month - 1];
}

/* Any year, month 1..12, day >= 1: days since 1970-01-01. */
static int64_t
civil_to_days(int64_t year, int month, int day)
{
	int64_t n = days_before_year(year) + before_month[month - 1] + day - 1;

	if (month > 2 && is_leap(year))
		n++;
	return n - EPOCH_OFFSET;
}

static ll_day
saturate(int64_t n)
{
	/* INT32_MIN is LL_NO_DAY: never produce it by accident. */
	if (n <= INT32_MIN)
		return INT32_MIN + 1;
	if (n > INT32_MAX)
		return INT32_MAX;
	return (ll_day)n;
}

static void
days_to_civil(int64_t n, int64_t *year, int *month, int *day)
{
	int64_t since1 = n + EPOCH_OFFSET; /* days since 0001-01-01 */
	/* 146097 days every 400 years: a guess that is off by at most one
	 * year, corrected below. */
	int64_t y = floor_div(since1 * 400, 146097) + 1;
	int64_t doy;
	int m;

	while (days_before_year(y) > since1)
		y--;
	while (days_before_year(y + 1) <= since1)
		y++;
	doy = since1 - days_before_year(y);
	for (m = 12; m > 1; m--) {
		int64_t start = before_month[m - 1] + (m > 2 && is_leap(y));

		if (doy >= start) {
			doy -= start;
			break;
		}
	}
	*year = y;
	*month = m;
	*day = (int)doy + 1;
}

bool
day_valid(int year, int month, int day)
{
	if (year < 1900 || year > 9999)
		return false;
	if (month < 1 || month > 12)
		return false;
	return day >= 1 && day <= month_length(year, month);
}

int
day_days_in_month(int year, int month)
{
	return month_length(year, month);
}

ll_day
day_from_ymd(int year, int month, int day)
{
	if (month < 1 || month > 12 || day < 1)
		return LL_NO_DAY;
	return saturate(civil_to_days(year, month, day));
}

void
day_to_ymd(ll_day d, int *year, int *month, int *day)
{
	int64_t y;

	days_to_civil(d, &y, month, day);
	*year = (int)y; /* |y| < 6e6 for any int32 day */
}

static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

bool
day_parse(const char *s, ll_day *out)
{
	int hi, lo, month, day;

	if (s == NULL)
		return false;
	/* Checking each position also stops at a NUL: no strlen needed. */
	hi = two_digits(s);
	if (hi < 0)
		return false;
	lo = two_digits(s + 2);
	if (lo < 0 || s[4] != '-')
		return false;
	month = two_digits(s + 5);
	if (month < 0 || s[7] != '-')
		return false;
	day = two_digits(s + 8);
	if (day < 0 || s[10] != '\0')
		return false;
	if (!day_valid(hi * 100 + lo, month, day))
		return false;
	*out = day_from_ymd(hi * 100 + lo, month, day);
	return true;
}

char *
day_format(ll_day d, char *buf)
{
	int64_t y;
	int m, dd;

	days_to_civil(d, &y, &m, &dd);
	if (d == LL_NO_DAY || y < 0 || y > 9999) {
		/* Not a date anyone can write: an obvious placeholder. */
		y = 0;
		m = 0;
		dd = 0;
	}
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + dd / 10);
	buf[9] = (char)('0' + dd % 10);
	buf[10] = '\0';
	return buf;
}

ll_day
day_add_months(ll_day d, int months)
{
	int64_t y, total, ny;
	int m, dd, nm, len;

	if (d == LL_NO_DAY)
		return LL_NO_DAY;
	days_to_civil(d, &y, &m, &dd);
	total = y * 12 + (m - 1) + months;
	ny = floor_div(total, 12);
	nm = (int)(total - ny * 12) + 1;
	len = month_length(ny, nm);
	if (dd > len)
		dd = len; /* 01-31 + 1 month is the last of February */
	return saturate(civil_to_days(ny, nm, dd));
}

ll_day
day_of_time(time_t t)
{
	/* Split first so that adding the offset cannot overflow. */
	int64_t days = (int64_t)t / SECONDS_PER_DAY;
	int64_t rest = (int64_t)t % SECONDS_PER_DAY;

	if (rest < 0) {
		rest += SECONDS_PER_DAY;
		days--;
	}
	days += (rest + DAY_TZ_OFFSET_SECONDS) / SECONDS_PER_DAY;
	return saturate(days);
}

time_t
day_start_time(ll_day d)
{
	return (time_t)((int64_t)d * SECONDS_PER_DAY - DAY_TZ_OFFSET_SECONDS);
}
