/*
 * test_rate.c: line rates in kbit/s, late fees in parts per million.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rate.h"

struct good {
	const char *text;
	uint32_t value;
};

static void
test_line_good(void **state)
{
	static const struct good good[] = {
	    {"1000M", 1000000},
	    {"100 Mbit/s", 100000},
	    {"2G", 2000000},
	    {"512k", 512},
	    {"10Mbps", 10000},
	    {"1000", 1000}, /* a plain number is kbit/s */
	    {"1", 1},
	    {"200M", 200000},
	    {"1.5M", 1500},
	    {"2.5G", 2500000},
	    {"1.001M", 1001},
	    {"0.001G", 1000},
	    {"64K", 64},
	    {"64kbps", 64},
	    {"64 kbit/s", 64},
	    {"10m", 10000},
	    {"10 Mb/s", 10000},
	    {"1g", 1000000},
	    {"4294967295", UINT32_MAX},
	    {"4294G", 4294000000u},
	    {"4294967.295M", UINT32_MAX},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint32_t v = 0;

		if (!rate_parse_line(good[i].text, &v))
			fail_msg("\"%s\" was refused", good[i].text);
		if (v != good[i].value)
			fail_msg("\"%s\" is %u kbit/s, expected %u",
				 good[i].text, v, good[i].value);
	}
}

static void
test_line_bad(void **state)
{
	static const char *const bad[] = {
	    "",		"0",	       "0M",	      "0.0G",
	    "0.5k",	"1.5",	       "1.0001M",     "-1M",
	    "+1M",	"1000X",       "M",	      "100MB",
	    "100 MBps", "100Mbit",     "100 M bit/s", "1,000M",
	    "1000M ",	" 1000M",      "1e3M",	      "4294967296",
	    "4295G",	"99999999999", "1.M",	      ".5M",
	    "1000bps",	"1T",	       "100Mbps/s",   "10\xe5\x85\x86",
	    "0x10",	"1..5M",       "1000 ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t v = 4242;

		if (rate_parse_line(bad[i], &v))
			fail_msg("\"%s\" was accepted as %u", bad[i], v);
		assert_int_equal(v, 4242); /* left alone */
	}
	assert_false(rate_parse_line(NULL, &(uint32_t){0}));
}

static void
test_late_fee_good(void **state)
{
	static const struct good good[] = {
	    {"3%", 30000},	      /* clause 2.3.3 as written */
	    {"3\xe2\x80\xb0", 3000},  /* 3‰, the standard template */
	    {"3\xef\xbc\x85", 30000}, /* 3％, full-width */
	    {"0.05%", 500},
	    {"300ppm", 300},
	    {"3 %", 30000},
	    {"3 \xe2\x80\xb0", 3000},
	    {"0%", 0},
	    {"100%", 1000000},
	    {"1000\xe2\x80\xb0", 1000000},
	    {"1000000ppm", 1000000},
	    {"0.0001%", 1},
	    {"0.001\xe2\x80\xb0", 1},
	    {"1.2345%", 12345},
	    {"0.5\xe2\x80\xb0", 500},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint32_t v = 4242;

		if (!rate_parse_late_fee(good[i].text, &v))
			fail_msg("\"%s\" was refused", good[i].text);
		if (v != good[i].value)
			fail_msg("\"%s\" is %u ppm, expected %u", good[i].text,
				 v, good[i].value);
	}
}

static void
test_late_fee_bad(void **state)
{
	static const char *const bad[] = {
	    "3", /* no unit: 3% or 3‰? */
	    "",
	    "%",
	    "-3%",
	    "+3%",
	    "100.0001%",
	    "101%",
	    "1000001ppm",
	    "1001\xe2\x80\xb0",
	    "0.00001%",
	    "0.0001\xe2\x80\xb0",
	    "1.5ppm",
	    "3%%",
	    "3 percent",
	    "3% ",
	    " 3%",
	    "3.%",
	    ".3%",
	    "3e0%",
	    "0x3%",
	    "3pm",
	    "3PPM",
	    "99999999999%",
	    "3\xe2\x80\xb1", /* ‱ */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t v = 4242;

		if (rate_parse_late_fee(bad[i], &v))
			fail_msg("\"%s\" was accepted as %u", bad[i], v);
		assert_int_equal(v, 4242);
	}
	assert_false(rate_parse_late_fee(NULL, &(uint32_t){0}));
}

/* DIGEST.md: the daily fee on each installment at 3% and 3‰, in fen. */
static void
test_digest_late_fees(void **state)
{
	uint32_t pct = 0, permille = 0;

	(void)state;
	assert_true(rate_parse_late_fee("3%", &pct));
	assert_true(rate_parse_late_fee("3\xe2\x80\xb0", &permille));
	assert_int_equal(35960000LL * pct / 1000000, 1078800);
	assert_int_equal(9040000LL * pct / 1000000, 271200);
	assert_int_equal(35960000LL * permille / 1000000, 107880);
	assert_int_equal(9040000LL * permille / 1000000, 27120);
}

/* What rate_format_late_fee writes for a few rates people use. */
static void
test_late_fee_format(void **state)
{
	static const struct good shown[] = {
	    {"3%", 30000},
	    {"100%", 1000000},
	    {"0%", 0},
	    {"3\xe2\x80\xb0", 3000},
	    {"0.05%", 500},
	    {"0.5%", 5000}, /* whole per mille is preferred: 5‰ */
	    {"0.0001%", 1},
	    {"12.3456%", 123456},
	};
	char buf[RATE_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		const char *want = shown[i].text;

		if (shown[i].value == 5000)
			want = "5\xe2\x80\xb0";
		assert_string_equal(rate_format_late_fee(shown[i].value, buf),
				    want);
	}
}

/* Format, then parse: every rate rate_parse_late_fee accepts (0 to 100%
 * in ppm) comes back as the same ppm, so what leaselinectl shows can be
 * written back into a configuration unchanged. */
static void
test_late_fee_round_trip(void **state)
{
	char buf[RATE_STRLEN];

	(void)state;
	for (uint32_t ppm = 0; ppm <= 1000000; ppm++) {
		uint32_t back = 0xFFFFFFFFu;

		rate_format_late_fee(ppm, buf);
		if (!rate_parse_late_fee(buf, &back) || back != ppm)
			fail_msg("%u ppm shown as \"%s\", read back as %u", ppm,
				 buf, back);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_line_good),
	    cmocka_unit_test(test_line_bad),
	    cmocka_unit_test(test_late_fee_good),
	    cmocka_unit_test(test_late_fee_bad),
	    cmocka_unit_test(test_digest_late_fees),
	    cmocka_unit_test(test_late_fee_format),
	    cmocka_unit_test(test_late_fee_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
