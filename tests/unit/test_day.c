/*
 * test_day.c: calendar days at UTC+08:00.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/day.h"

static ll_day
ymd(int y, int m, int d)
{
	return day_from_ymd(y, m, d);
}

static void
test_known_days(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1970, 1, 2), 1);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(2000, 3, 1), 11017);
	assert_int_equal(ymd(2022, 1, 1), 18993);
	assert_int_equal(ymd(2023, 1, 1), 19358);
	assert_int_equal(ymd(1900, 1, 1), -25567);
	assert_int_equal(ymd(9999, 12, 31), 2932896);
	/* 1900 is not a leap year, 2000 is. */
	assert_int_equal(ymd(1900, 3, 1) - ymd(1900, 2, 28), 1);
	assert_int_equal(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2);
	assert_int_equal(ymd(2100, 3, 1) - ymd(2100, 2, 28), 1);
	assert_int_equal(ymd(2024, 3, 1) - ymd(2024, 2, 28), 2);
}

/* Every day of 1900..9999 in order: consecutive, and back again. */
static void
test_every_day(void **state)
{
	ll_day expect = ymd(1900, 1, 1);
	int y, m, d, yy, mm, dd;

	(void)state;
	for (y = 1900; y <= 9999; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 1; d <= day_days_in_month(y, m); d++) {
				ll_day day = ymd(y, m, d);

				if (day != expect)
					fail_msg("%04d-%02d-%02d is %d, "
						 "expected %d",
						 y, m, d, day, expect);
				day_to_ymd(day, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					fail_msg("%d is %04d-%02d-%02d, "
						 "expected %04d-%02d-%02d",
						 day, yy, mm, dd, y, m, d);
				expect++;
			}
		}
	}
	assert_int_equal(expect, ymd(9999, 12, 31) + 1);
}

static void
test_to_ymd_extremes(void **state)
{
	int y, m, d;

	(void)state;
	day_to_ymd(INT32_MAX, &y, &m, &d);
	assert_true(y > 5000000 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
	day_to_ymd(LL_NO_DAY, &y, &m, &d);
	assert_true(y < -5000000 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
	day_to_ymd(-719162, &y, &m, &d); /* 0001-01-01 */
	assert_int_equal(y, 1);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	day_to_ymd(-719163, &y, &m, &d);
	assert_int_equal(y, 0);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
}

static void
test_valid(void **state)
{
	(void)state;
	assert_true(day_valid(2022, 12, 31));
	assert_true(day_valid(2024, 2, 29));
	assert_true(day_valid(2000, 2, 29));
	assert_true(day_valid(1900, 1, 1));
	assert_true(day_valid(9999, 12, 31));
	assert_false(day_valid(2023, 2, 29));
	assert_false(day_valid(1900, 2, 29));
	assert_false(day_valid(2100, 2, 29));
	assert_false(day_valid(2022, 13, 1));
	assert_false(day_valid(2022, 0, 1));
	assert_false(day_valid(2022, 4, 31));
	assert_false(day_valid(2022, 1, 0));
	assert_false(day_valid(2022, 1, 32));
	assert_false(day_valid(1899, 12, 31));
	assert_false(day_valid(10000, 1, 1));
	assert_false(day_valid(-1, 1, 1));
}

static void
test_days_in_month(void **state)
{
	static const int common[12] = {31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31};
	int m;

	(void)state;
	for (m = 1; m <= 12; m++) {
		assert_int_equal(day_days_in_month(2023, m), common[m - 1]);
		assert_int_equal(day_days_in_month(2024, m),
				 common[m - 1] + (m == 2));
	}
	assert_int_equal(day_days_in_month(1900, 2), 28);
	assert_int_equal(day_days_in_month(2000, 2), 29);
	assert_int_equal(day_days_in_month(2023, 0), 0);
	assert_int_equal(day_days_in_month(2023, 13), 0);
}

static void
test_parse_good(void **state)
{
	ll_day d = 0;

	(void)state;
	assert_true(day_parse("2022-12-31", &d));
	assert_int_equal(d, ymd(2022, 12, 31));
	assert_true(day_parse("2024-02-29", &d));
	assert_int_equal(d, ymd(2024, 2, 29));
	assert_true(day_parse("1900-01-01", &d));
	assert_int_equal(d, -25567);
	assert_true(day_parse("9999-12-31", &d));
	assert_int_equal(d, 2932896);
	assert_true(day_parse("1970-01-01", &d));
	assert_int_equal(d, 0);
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
	    "2023-02-29",   "2022-13-01",
	    "2022/12/31",   "2022-1-01",
	    "2022-01-1",    "22-12-31",
	    "2022-12-31 ",  " 2022-12-31",
	    "2022-12-3",    "",
	    "2022-12-31x",  "+022-12-31",
	    "2022-00-10",   "2022-12-00",
	    "1899-12-31",   "0000-01-01",
	    "2022-12-32",   "2022-04-31",
	    "20221231",	    "2022-12--1",
	    "2022_12_31",   "２０２２-12-31",
	    "2022-12-31\n", "-2022-12-31",
	    "2022 12 31",   "abcd-ef-gh",
	};
	size_t i;
	ll_day d;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = 12345;
		if (day_parse(bad[i], &d))
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_int_equal(d, 12345); /* left alone */
	}
	d = 12345;
	assert_false(day_parse(NULL, &d));
	assert_int_equal(d, 12345);
}

static void
test_format(void **state)
{
	char buf[DAY_STRLEN];
	ll_day d;

	(void)state;
	assert_string_equal(day_format(0, buf), "1970-01-01");
	assert_string_equal(day_format(-1, buf), "1969-12-31");
	assert_string_equal(day_format(18993, buf), "2022-01-01");
	assert_string_equal(day_format(ymd(2023, 6, 1), buf), "2023-06-01");
	assert_string_equal(day_format(2932896, buf), "9999-12-31");
	assert_ptr_equal(day_format(0, buf), buf);
	/* Not writable in ten characters: a placeholder, no overflow. */
	assert_string_equal(day_format(LL_NO_DAY, buf), "0000-00-00");
	assert_string_equal(day_format(INT32_MAX, buf), "0000-00-00");
	assert_string_equal(day_format(2932897, buf), "0000-00-00");
	assert_string_equal(day_format(-719162, buf), "0001-01-01");
	/* Round trip through the parser. */
	for (d = ymd(1900, 1, 1); d <= ymd(2100, 12, 31); d += 7) {
		ll_day back = LL_NO_DAY;

		assert_true(day_parse(day_format(d, buf), &back));
		assert_int_equal(back, d);
	}
}

static void
test_add_months(void **state)
{
	(void)state;
	/* Clamped to the end of a shorter month (the header's example). */
	assert_int_equal(day_add_months(ymd(2023, 1, 31), 1), ymd(2023, 2, 28));
	assert_int_equal(day_add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
	assert_int_equal(day_add_months(ymd(2023, 3, 31), -1),
			 ymd(2023, 2, 28));
	assert_int_equal(day_add_months(ymd(2023, 5, 31), 1), ymd(2023, 6, 30));
	assert_int_equal(day_add_months(ymd(2024, 2, 29), 12),
			 ymd(2025, 2, 28));
	assert_int_equal(day_add_months(ymd(2024, 2, 29), 48),
			 ymd(2028, 2, 29));
	/* Clause 11.1: 12-month renewals. */
	assert_int_equal(day_add_months(ymd(2022, 1, 1), 12), ymd(2023, 1, 1));
	assert_int_equal(day_add_months(ymd(2022, 12, 31), 12),
			 ymd(2023, 12, 31));
	assert_int_equal(day_add_months(ymd(2023, 1, 1), 12), ymd(2024, 1, 1));
	/* Across year boundaries, both ways. */
	assert_int_equal(day_add_months(ymd(2022, 11, 15), 3),
			 ymd(2023, 2, 15));
	assert_int_equal(day_add_months(ymd(2023, 2, 15), -3),
			 ymd(2022, 11, 15));
	assert_int_equal(day_add_months(ymd(2022, 1, 1), -12), ymd(2021, 1, 1));
	assert_int_equal(day_add_months(ymd(2022, 1, 10), -13),
			 ymd(2020, 12, 10));
	assert_int_equal(day_add_months(ymd(2022, 6, 30), 0), ymd(2022, 6, 30));
	assert_int_equal(day_add_months(LL_NO_DAY, 12), LL_NO_DAY);
	/* Absurd inputs saturate rather than wrap. */
	assert_int_equal(day_add_months(ymd(2022, 1, 1), INT32_MAX), INT32_MAX);
	assert_int_equal(day_add_months(ymd(2022, 1, 1), INT32_MIN),
			 INT32_MIN + 1);
}

/* The worked timeline of DIGEST.md, as day arithmetic. */
static void
test_digest_timeline(void **state)
{
	ll_day due1 = ymd(2022, 12, 31), due2 = ymd(2023, 6, 1);

	(void)state;
	assert_int_equal(due1 + 1, ymd(2023, 1, 1)); /* first overdue */
	assert_int_equal(due2 + 1, ymd(2023, 6, 2));
	assert_int_equal(due1 + 31, ymd(2023, 1, 31)); /* suspended */
	assert_int_equal(due2 + 31, ymd(2023, 7, 2));
	assert_int_equal(due1 + 31 + 60, ymd(2023, 4, 1)); /* termination */
	assert_int_equal(due2 + 31 + 60, ymd(2023, 8, 31));
	assert_int_equal(due1 - 90, ymd(2022, 10, 2)); /* notice */
	assert_int_equal(ymd(2023, 12, 31) - 90, ymd(2023, 10, 2));
}

static void
test_time(void **state)
{
	ll_day d;

	(void)state;
	/* 1970-01-01T00:00Z is 08:00 in Beijing: still 1970-01-01. */
	assert_int_equal(day_of_time(0), 0);
	assert_int_equal(day_of_time(-8 * 3600), 0);
	assert_int_equal(day_of_time(-8 * 3600 - 1), -1);
	assert_int_equal(day_of_time(16 * 3600 - 1), 0);
	assert_int_equal(day_of_time(16 * 3600), 1);
	/* 2022-12-31T16:00:00Z is midnight starting 2023-01-01 at +08:00. */
	assert_int_equal(day_of_time(1672502400), ymd(2023, 1, 1));
	assert_int_equal(day_of_time(1672502399), ymd(2022, 12, 31));
	assert_int_equal(day_start_time(ymd(2023, 1, 1)), 1672502400);
	assert_int_equal(day_start_time(0), -8 * 3600);
	for (d = ymd(1900, 1, 1); d <= ymd(2200, 1, 1); d += 13) {
		time_t t = day_start_time(d);

		assert_int_equal(day_of_time(t), d);
		assert_int_equal(day_of_time(t - 1), d - 1);
		assert_int_equal(day_of_time(t + 86399), d);
	}
	/* Out of range times saturate instead of overflowing. */
	assert_int_equal(day_of_time((time_t)INT64_MAX), INT32_MAX);
	assert_int_equal(day_of_time((time_t)INT64_MIN), INT32_MIN + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_days),
	    cmocka_unit_test(test_every_day),
	    cmocka_unit_test(test_to_ymd_extremes),
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_days_in_month),
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_add_months),
	    cmocka_unit_test(test_digest_timeline),
	    cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
