/*
 * test_handler: the LEASELINE-MIB handler's GET and GETNEXT (mib.h's
 * mib_get_name / mib_next_name) over a snapshot built in the test from a
 * configuration's text, as leaselined builds one; no master agent.  Names
 * are suffixes under llObjects: 1.N.0 a scalar, 2.1.COLUMN.CONTRACT,
 * 3.1.COLUMN.CONTRACT.CIRCUIT, 4.1.COLUMN.CONTRACT.INSTALLMENT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "snmp/mib.h"
#include "testlib.h"

#define CONTRACT(idx, number, first_circuit, circuits, installments)                     \
	"  { index = " #idx "; number = \"" number "\"; title = \"专线\";\n"           \
	"    customer = { name = \"客户\"; }; provider = { name = \"运营商\"; };\n" \
	"    service_location = \"机房\";\n"                                           \
	"    term = { start = \"2024-01-01\"; end = \"2024-12-31\"; };\n"                \
	"    annual_fee = \"12,000.00\"; payment_method = \"transfer\";\n"               \
	"    late_fee_rate = \"0.05%\";\n"                                               \
	"    installments = ( " installments " );\n"                                     \
	"    circuit_groups = ( { name = \"互联网专线\"; clause = \"1\";\n"         \
	"      service = \"internet\"; count = " #circuits ";\n"                         \
	"      first_index = " #first_circuit "; rate_up = \"100M\";\n"                  \
	"      rate_down = \"100M\"; } );\n"                                             \
	"  }"

/* Contract 7 is written first, contract 3 second: the handler serves
 * them by index, not by their order in the file. */
static const char conf[] = "contracts = (\n" CONTRACT(
    7, "B-7", 4, 2,
    "{ due = \"2024-01-31\"; amount = \"6,000.00\"; }, "
    "{ due = \"2024-07-31\"; amount = \"6,000.00\"; }") ",\n" CONTRACT(3, "A-3",
								       1, 1,
								       "{ due = \"2024-01-31\"; amount = \"12,000.00\"; }") "\n);\n";

static struct mib_status status = {.config_file = "test.conf"};

static int
setup(void **state)
{
	*state = testlib_snapshot_text(conf, NULL, 0, "2024-03-01");
	mib_publish(*state, &status);
	return 0;
}

static int
teardown(void **state)
{
	mib_publish(NULL, NULL);
	snapshot_free(*state);
	return 0;
}

#define NAME(...) ((const unsigned long[]){__VA_ARGS__})
#define LEN(...)                                                               \
	(sizeof((const unsigned long[]){__VA_ARGS__}) / sizeof(unsigned long))
#define GET(...) mib_get_name(NAME(__VA_ARGS__), LEN(__VA_ARGS__))

/* The name GETNEXT answers after name, as a dotted string ("" past the
 * end), so that a failure shows both. */
static const char *
next(bool inclusive, const unsigned long *name, size_t len)
{
	static char buf[128];
	unsigned long out[8];
	size_t n = 0, k = 0;

	buf[0] = '\0';
	if (mib_next_name(name, len, inclusive, out, &n) != 0)
		return buf;
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%lu",
				      i ? "." : "", out[i]);
	return buf;
}
#define NEXT(...) next(false, NAME(__VA_ARGS__), LEN(__VA_ARGS__))

static void
test_get(void **state)
{
	(void)state;
	/* scalars: llAgent's objects, with their .0 */
	assert_int_equal(GET(1, 1, 0), 0);
	assert_int_equal(GET(1, 1), -1);
	assert_int_equal(GET(1, 1, 1), -1);
	/* a contract's columns, by index: 3 and 7, not 1 and 2 */
	assert_int_equal(GET(2, 1, MIB_CONTRACT_NUMBER, 3), 0);
	assert_int_equal(GET(2, 1, MIB_CONTRACT_NUMBER, 7), 0);
	assert_int_equal(GET(2, 1, MIB_CONTRACT_LATE_FEE, 7), 0);
	assert_int_equal(GET(2, 1, MIB_CONTRACT_NUMBER, 1), -1);
	assert_int_equal(GET(2, 1, MIB_CONTRACT_NUMBER, 2), -1);
	assert_int_equal(GET(2, 1, MIB_CONTRACT_NUMBER, 3, 0), -1);
	/* circuits: 7 has 4 and 5, 3 has 1 */
	assert_int_equal(GET(3, 1, 2, 7, 4), 0);
	assert_int_equal(GET(3, 1, 2, 7, 5), 0);
	assert_int_equal(GET(3, 1, 2, 7, 1), -1);
	assert_int_equal(GET(3, 1, 2, 3, 1), 0);
	assert_int_equal(GET(3, 1, 2, 3, 2), -1);
	/* installments: 7 has two, 3 one */
	assert_int_equal(GET(4, 1, MIB_INSTALLMENT_DUE_DATE, 7, 2), 0);
	assert_int_equal(GET(4, 1, MIB_INSTALLMENT_DUE_DATE, 3, 1), 0);
	assert_int_equal(GET(4, 1, MIB_INSTALLMENT_DUE_DATE, 3, 2), -1);
	/* past the tables */
	assert_int_equal(GET(5, 1, 2, 3), -1);
}

static void
test_getnext(void **state)
{
	(void)state;
	/* from nothing: the first scalar */
	assert_string_equal(next(false, NULL, 0), "1.1.0");
	assert_string_equal(NEXT(1), "1.1.0");
	assert_string_equal(NEXT(1, 1, 0), "1.2.0");
	/* a column is walked by index: 3 before 7 */
	assert_string_equal(NEXT(2), "2.1.2.3");
	assert_string_equal(NEXT(2, 1, 2, 3), "2.1.2.7");
	assert_string_equal(NEXT(2, 1, 2, 7), "2.1.3.3");
	/* between indexes, and past the last of a column */
	assert_string_equal(NEXT(2, 1, 2, 4), "2.1.2.7");
	assert_string_equal(NEXT(2, 1, 2, 8), "2.1.3.3");
	/* the circuit table by (contract, circuit) */
	assert_string_equal(NEXT(3), "3.1.2.3.1");
	assert_string_equal(NEXT(3, 1, 2, 3, 1), "3.1.2.7.4");
	assert_string_equal(NEXT(3, 1, 2, 7, 4), "3.1.2.7.5");
	assert_string_equal(NEXT(3, 1, 2, 7, 5), "3.1.3.3.1");
	/* installments, and the last object of all */
	assert_string_equal(NEXT(4), "4.1.2.3.1");
	assert_string_equal(NEXT(4, 1, 2, 3, 1), "4.1.2.7.1");
	assert_string_equal(NEXT(4, 1, 2, 7, 1), "4.1.2.7.2");
	assert_string_equal(NEXT(4, 1, 2, 7, 2), "4.1.3.3.1");
	/* inclusive: the name itself when it is an object */
	assert_string_equal(next(true, NAME(2, 1, 2, 7), 4), "2.1.2.7");
}

/* The last object and past it: nothing after llInstallmentTable. */
static void
test_end(void **state)
{
	unsigned long name[8], out[8];
	size_t len = 0, out_len = 0, n = 0;

	(void)state;
	while (mib_next_name(name, len, false, out, &out_len) == 0) {
		memcpy(name, out, out_len * sizeof(out[0]));
		len = out_len;
		n++;
		assert_true(n < 10000);
	}
	assert_int_equal(name[0], 4);
	assert_int_equal(name[3], 7);
	assert_int_equal(name[4], 2);
	assert_string_equal(NEXT(4, 1, 99), "");
	assert_string_equal(NEXT(5), "");
	/* a walk of everything: scalars, 2 contracts, 3 circuits, 3
	 * installments, each in every column */
	assert_true(n > 10 + 2 * 40 + 3 * 10 + 3 * 10);
}

/* Nothing published: no object. */
static void
test_nothing_published(void **state)
{
	unsigned long out[8];
	size_t n;

	(void)state;
	mib_publish(NULL, NULL);
	assert_int_equal(GET(1, 1, 0), -1);
	assert_int_equal(mib_next_name(NULL, 0, false, out, &n), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_get, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_getnext, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_published, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
