/*
 * test_mib: what the MIB handler makes of the model, without an agent:
 * llContractBlockedPorts within the 255 octets of an SnmpAdminString.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mib.h"

/* Checks that text is a cut list of ports[0..n): whole ports in their
 * order, then ",..." (or "..." alone); returns how many ports it holds. */
static size_t
check_cut(const char *text, const uint16_t *ports, size_t n)
{
	size_t len = strlen(text), k = 0;
	char *copy, *item, *save = NULL;

	assert_true(len <= MIB_TEXT_MAX);
	assert_true(len >= 4);
	assert_string_equal(text + len - 4, ",...");
	copy = strdup(text);
	assert_non_null(copy);
	copy[len - 4] = '\0';
	for (item = strtok_r(copy, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		char want[8];

		assert_true(k < n);
		snprintf(want, sizeof(want), "%u", ports[k]);
		assert_string_equal(item, want);
		k++;
	}
	free(copy);
	return k;
}

static void
test_ports_short(void **state)
{
	static const uint16_t ports[] = {80, 8080, 443};
	char out[MIB_TEXT_MAX + 1];

	(void)state;
	assert_int_equal(mib_ports_text(ports, 0, out), 0);
	assert_string_equal(out, "");
	assert_int_equal(mib_ports_text(ports, 1, out), 2);
	assert_string_equal(out, "80");
	assert_int_equal(mib_ports_text(ports, 3, out), 11);
	assert_string_equal(out, "80,8080,443");
}

/* Issue 12, defect 12: 60 ports 10000..10059 ended in ",10041,100". */
static void
test_ports_cut_at_separator(void **state)
{
	uint16_t ports[60];
	char out[MIB_TEXT_MAX + 1];
	size_t len;

	(void)state;
	for (size_t i = 0; i < 60; i++)
		ports[i] = (uint16_t)(10000 + i);
	len = mib_ports_text(ports, 60, out);
	assert_int_equal(len, strlen(out));
	/* 42 ports of 5 digits and 41 commas, then ",...": 255 octets. */
	assert_int_equal(len, 255);
	assert_int_equal(check_cut(out, ports, 60), 42);
	assert_true(strstr(out, ",10041,...") != NULL);
}

/* Exactly 255 octets is published whole; one port more is cut, and the
 * port that would have fitted without the marker goes too. */
static void
test_ports_edge(void **state)
{
	uint16_t ports[44];
	char out[MIB_TEXT_MAX + 1];

	(void)state;
	for (size_t i = 0; i < 42; i++)
		ports[i] = (uint16_t)(10000 + i);
	ports[42] = 100; /* 42 * 5 + 42 commas + 3 = 255 */
	ports[43] = 7;
	assert_int_equal(mib_ports_text(ports, 43, out), 255);
	assert_true(strstr(out, ",10041,100") != NULL);
	assert_int_equal(out[255], '\0');
	assert_int_equal(mib_ports_text(ports, 44, out), 255);
	assert_int_equal(check_cut(out, ports, 44), 42);
}

/* Every port, 1..65535: bounded work, the first ports whole. */
static void
test_ports_all(void **state)
{
	uint16_t *ports = malloc(65535 * sizeof(*ports));
	char out[MIB_TEXT_MAX + 1];

	(void)state;
	assert_non_null(ports);
	for (size_t i = 0; i < 65535; i++)
		ports[i] = (uint16_t)(i + 1);
	assert_true(mib_ports_text(ports, 65535, out) <= MIB_TEXT_MAX);
	assert_true(check_cut(out, ports, 65535) > 50);
	assert_true(strncmp(out, "1,2,3,", 6) == 0);
	free(ports);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ports_short),
	    cmocka_unit_test(test_ports_cut_at_separator),
	    cmocka_unit_test(test_ports_edge),
	    cmocka_unit_test(test_ports_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
