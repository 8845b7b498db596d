/*
 * day.h: calendar days in the contract's time zone, UTC+08:00 (China
 * Standard Time, no daylight saving).  Pure integer arithmetic on the
 * proleptic Gregorian calendar; no time zone database, no floating point.
 */
#ifndef LL_DAY_H
#define LL_DAY_H

#include <stdbool.h>
#include <time.h>

#include "core/types.h"

#define DAY_TZ_OFFSET_SECONDS (8 * 3600)
#define DAY_STRLEN	      11 /* "YYYY-MM-DD" and its NUL */

/* The day of a calendar date; y/m/d must be valid (see day_valid). */
ll_day day_from_ymd(int year, int month, int day);
void day_to_ymd(ll_day d, int *year, int *month, int *day);
bool day_valid(int year, int month, int day); /* years 1900..9999 */
int day_days_in_month(int year, int month);

/* Strict "YYYY-MM-DD": exactly ten characters, a real calendar date
 * (2023-02-29 is refused).  Returns false and leaves *out alone on error. */
bool day_parse(const char *s, ll_day *out);
/* Writes "YYYY-MM-DD" into buf (DAY_STRLEN bytes) and returns buf.
 * LL_NO_DAY, and days outside the years 0000..9999, give "0000-00-00". */
char *day_format(ll_day d, char *buf);

/* The same day of the month `months` later (or earlier when negative),
 * clamped to the last day of a shorter month: 2023-01-31 + 1 = 2023-02-28. */
ll_day day_add_months(ll_day d, int months);

/* The calendar day at UTC+08:00 of a moment. */
ll_day day_of_time(time_t t);
/* Midnight (00:00 UTC+08:00) starting day d, as a time_t. */
time_t day_start_time(ll_day d);

#endif
