/*
 * test_money.c: CNY amounts as integer fen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/money.h"

struct good {
	const char *text;
	ll_fen fen;
};

static void
test_parse_good(void **state)
{
	static const struct good good[] = {
	    {"359600", 35960000},
	    {"359,600.00", 35960000},
	    {"359600.5", 35960050},
	    {"359600.00 CNY", 35960000},
	    {"359600.00CNY", 35960000},
	    {"359600.00  CNY", 35960000}, /* spaces part number and unit */
	    {"90,400.00 \xe5\x85\x83", 9040000}, /* 元 */
	    {"\xc2\xa5"
	     "359,600",
	     35960000}, /* ¥ */
	    {"\xef\xbf\xa5"
	     "90,400.00",
	     9040000},				/* ￥ */
	    {"90,400.00\xe5\x85\x83", 9040000}, /* 元 */
	    {"450,000.00", 45000000},
	    {"0.01", 1},
	    {"0.1", 10},
	    {"0", 0},
	    {"0.00", 0},
	    {"1", 100},
	    {"999", 99900},
	    {"1,000", 100000},
	    {"12,345,678.90", 1234567890},
	    {"007", 700},
	    {"1,000,000,000,000.00", MONEY_MAX},
	    {"1000000000000", MONEY_MAX},
	    {"999,999,999,999.99", MONEY_MAX - 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ll_fen fen = -1;

		if (!money_parse(good[i].text, &fen))
			fail_msg("\"%s\" was refused", good[i].text);
		if (fen != good[i].fen)
			fail_msg("\"%s\" is %lld fen, expected %lld",
				 good[i].text, (long long)fen,
				 (long long)good[i].fen);
	}
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "-1",
	    "-0.01",
	    "+1",
	    "1.234", /* three decimals */
	    "90,400.001",
	    "1.",
	    ".5",
	    "1,23",
	    "1234,567",
	    ",123",
	    "12,3456",
	    "1,,234",
	    "1,234,56",
	    "1 000",
	    "450000 USD",
	    /* No space before or after an amount (issue 12, defect 15). */
	    " 1",
	    "1 ",
	    "100 ",
	    "  100",
	    "359,600.00 ",
	    "359600.00 CNY ",
	    " 359600.00 CNY",
	    "\xc2\xa5 100",
	    "100\xe5\x85\x83 ",
	    " ",
	    "1e5",
	    "0x10",
	    "abc",
	    "1,000,000,000,000.01", /* above MONEY_MAX */
	    "1000000000001",
	    "99999999999999999999",
	    "99,999,999,999,999,999,999.00",
	    "18446744073709551616",
	    "\xc2\xa5",
	    "CNY",
	    "1.00 CNY CNY",
	    "1.0.0",
	    "１２３", /* full-width digits */
	    "45 万",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ll_fen fen = 4242;

		if (money_parse(bad[i], &fen))
			fail_msg("\"%s\" was accepted as %lld", bad[i],
				 (long long)fen);
		assert_int_equal(fen, 4242); /* left alone */
	}
	assert_false(money_parse(NULL, &(ll_fen){0}));
}

static void
test_format(void **state)
{
	char buf[MONEY_STRLEN];

	(void)state;
	assert_string_equal(money_format(0, buf), "0.00");
	assert_string_equal(money_format(1, buf), "0.01");
	assert_string_equal(money_format(10, buf), "0.10");
	assert_string_equal(money_format(100, buf), "1.00");
	assert_string_equal(money_format(99999, buf), "999.99");
	assert_string_equal(money_format(100000, buf), "1,000.00");
	assert_string_equal(money_format(35960000, buf), "359,600.00");
	assert_string_equal(money_format(9040000, buf), "90,400.00");
	assert_string_equal(money_format(45000000, buf), "450,000.00");
	assert_string_equal(money_format(1078800, buf), "10,788.00");
	assert_string_equal(money_format(MONEY_MAX, buf),
			    "1,000,000,000,000.00");
	assert_string_equal(money_format(100000000000000000, buf),
			    "1,000,000,000,000,000.00");
	assert_string_equal(money_format(-1, buf), "-0.01");
	assert_string_equal(money_format(-35960000, buf), "-359,600.00");
	assert_string_equal(money_format(INT64_MAX, buf),
			    "92,233,720,368,547,758.07");
	assert_string_equal(money_format(INT64_MIN, buf),
			    "-92,233,720,368,547,758.08");
	assert_true(strlen(money_format(INT64_MIN, buf)) < MONEY_STRLEN);
	assert_ptr_equal(money_format(5, buf), buf);
}

static void
test_round_trip(void **state)
{
	static const ll_fen values[] = {0,	   1,	       99,
					100,	   101,	       123456789,
					45000000,  MONEY_MAX,  MONEY_MAX - 1,
					999999999, 1000000000, 100000000000};
	char buf[MONEY_STRLEN];
	size_t i;
	ll_fen f;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		f = -1;
		assert_true(money_parse(money_format(values[i], buf), &f));
		assert_int_equal(f, values[i]);
	}
	/* Every amount up to 10,000.00 and a stride beyond. */
	for (f = 0; f < 1000000; f += 7) {
		ll_fen back = -1;

		assert_true(money_parse(money_format(f, buf), &back));
		assert_int_equal(back, f);
	}
}

/* Clause 2.2: the two installments add up to the annual fee. */
static void
test_contract_amounts(void **state)
{
	ll_fen fee = 0, a = 0, b = 0;

	(void)state;
	assert_true(money_parse("450,000.00", &fee));
	assert_true(money_parse("359,600.00", &a));
	assert_true(money_parse("90,400.00", &b));
	assert_int_equal(fee, 45000000);
	assert_int_equal(a + b, fee);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_contract_amounts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
