/*
 * fuzz_day.c: libFuzzer harness for day_parse() and day_format().
 *
 * The input, as a NUL-terminated string, goes to day_parse().  Properties
 * that must hold, or the harness aborts so that the fuzzer reports it:
 *   - day_parse() refuses anything that is not exactly "YYYY-MM-DD", and
 *     leaves *out alone when it refuses;
 *   - when it accepts, the date is valid (day_valid), day_to_ymd() and
 *     day_from_ymd() agree with it, and day_format() gives back exactly
 *     the string parsed;
 *   - day_format() of any ll_day (the first four octets of the input)
 *     writes ten characters, "0000-00-00" or a date that day_parse()
 *     reads back as the same day when its year is one it accepts;
 *   - day_start_time() of a parsed day is its midnight at UTC+08:00,
 *     as day_of_time() sees it;
 *   - day_add_months() of a parsed day by any month count (octets 4..7)
 *     lands on the expected month, on the same day of the month or the
 *     last one of a shorter month.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"

/* libFuzzer's entry points. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SENTINEL ((ll_day)0x5a5a5a5a)

static void __attribute__((noreturn)) fail(const char *what, const char *s)
{
	fprintf(stderr, "fuzz_day: property failed: %s (input \"%s\")\n", what,
		s);
	abort();
}

static int32_t
get_i32(const uint8_t *data, size_t size, size_t at)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < 4; i++)
		v = (v << 8) | (at + i < size ? data[at + i] : 0);
	return (int32_t)v;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* What day_parse() is documented to accept, as far as the shape goes. */
static bool
shaped_like_a_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return false;
	}
	return s[i] == '\0';
}

/* Any day: its formatted form is well shaped and reads back. */
static void
check_format(ll_day d, const char *input)
{
	char buf[DAY_STRLEN + 8];
	ll_day back = SENTINEL;
	int year;

	memset(buf, 'X', sizeof(buf));
	day_format(d, buf);
	if (!shaped_like_a_date(buf) || buf[DAY_STRLEN] != 'X')
		fail("day_format wrote something else than YYYY-MM-DD", input);
	if (strcmp(buf, "0000-00-00") == 0) {
		if (d == LL_NO_DAY || d < day_from_ymd(0, 1, 1) ||
		    d > day_from_ymd(9999, 12, 31)) {
			return;
		}
		fail("day_format gave 0000-00-00 for a writable day", input);
	}
	if (d == LL_NO_DAY)
		fail("day_format of LL_NO_DAY is not 0000-00-00", input);
	year = (buf[0] - '0') * 1000 + (buf[1] - '0') * 100 +
	       (buf[2] - '0') * 10 + (buf[3] - '0');
	if (year < 1900)
		return; /* written, but outside what day_parse accepts */
	if (!day_parse(buf, &back))
		fail("day_parse refused what day_format wrote", input);
	if (back != d)
		fail("day_parse(day_format(d)) is not d", input);
}

static void
check_add_months(ll_day d, int32_t months, const char *input)
{
	int y, m, dd, ny, nm, nd;
	int64_t total;
	ll_day r;

	/* Stay where the result is still a writable year. */
	day_to_ymd(d, &y, &m, &dd);
	total = (int64_t)y * 12 + (m - 1) + months;
	if (total < 1900 * 12 || total > 9999 * 12 + 11)
		return;
	r = day_add_months(d, months);
	day_to_ymd(r, &ny, &nm, &nd);
	if ((int64_t)ny * 12 + (nm - 1) != total)
		fail("day_add_months landed in the wrong month", input);
	if (nd !=
	    (dd < day_days_in_month(ny, nm) ? dd : day_days_in_month(ny, nm)))
		fail("day_add_months changed the day of the month", input);
	if (months == 0 && r != d)
		fail("day_add_months by 0 moved the day", input);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char back[DAY_STRLEN];
	ll_day d = SENTINEL;
	int y, m, dd;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (!day_parse(s, &d)) {
		if (d != SENTINEL)
			fail("day_parse wrote *out while refusing", s);
	} else {
		if (!shaped_like_a_date(s))
			fail("day_parse accepted something else than "
			     "YYYY-MM-DD",
			     s);
		day_to_ymd(d, &y, &m, &dd);
		if (!day_valid(y, m, dd))
			fail("day_parse accepted an invalid date", s);
		if (day_from_ymd(y, m, dd) != d)
			fail("day_from_ymd(day_to_ymd(d)) is not d", s);
		if (strcmp(day_format(d, back), s) != 0)
			fail("day_format(day_parse(s)) is not s", s);
		if (day_of_time(day_start_time(d)) != d ||
		    day_of_time(day_start_time(d) - 1) != d - 1 ||
		    day_of_time(day_start_time(d) + 86399) != d)
			fail("day_of_time(day_start_time(d)) is not d", s);
		check_add_months(d, get_i32(data, size, 4), s);
	}
	check_format(get_i32(data, size, 0), s);

	free(s);
	return 0;
}
