/*
 * test_mib: what the MIB handler makes of the model, without an agent:
 * llContractBlockedPorts within the 255 octets of an SnmpAdminString;
 * the notifications and the service states the C mirrors of
 * mibs/LEASELINE-MIB.txt name, checked against the MIB's text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "billing.h"
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

/* mibs/LEASELINE-MIB.txt, whole, NUL-terminated. */
static char *
read_mib(void)
{
	const char *top = getenv("srcdir");
	char path[512], *text;
	FILE *fp;
	long len;

	snprintf(path, sizeof(path), "%s/mibs/LEASELINE-MIB.txt",
		 top && *top ? top : ".");
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	rewind(fp);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	return text;
}

/* Every NOTIFICATION-TYPE of the MIB has its number in mib.c, both ways
 * (issue 13 added llContractSuspensionDue, 9). */
static void
test_notification_numbers(void **state)
{
	char *mib = read_mib(), *p = mib;
	unsigned int seen = 0;

	(void)state;
	while ((p = strstr(p, " NOTIFICATION-TYPE\n")) != NULL) {
		char *start = p, name[64], *arc;
		unsigned int n;
		size_t len;

		while (start > mib && start[-1] != '\n')
			start--;
		len = (size_t)(p - start);
		assert_true(len < sizeof(name));
		memcpy(name, start, len);
		name[len] = '\0';
		arc = strstr(p, "::= { llNotifications ");
		assert_non_null(arc);
		assert_int_equal(sscanf(arc, "::= { llNotifications %u }", &n),
				 1);
		assert_non_null(mib_notification_name(n));
		assert_string_equal(mib_notification_name(n), name);
		assert_int_equal(mib_notification_number(name, len), n);
		seen++;
		p = arc;
	}
	assert_int_equal(seen, 9);
	assert_null(mib_notification_name(seen + 1));
	free(mib);
}

/* llContractServiceState's labels are billing's names of its values
 * (issue 13 added suspensionDue(5)). */
static void
test_service_states(void **state)
{
	char *mib = read_mib(), *p, *end;
	unsigned int seen = 0;

	(void)state;
	p = strstr(mib, "llContractServiceState OBJECT-TYPE");
	assert_non_null(p);
	p = strstr(p, "INTEGER {");
	assert_non_null(p);
	end = strchr(p, '}');
	assert_non_null(end);
	for (p += 9; p < end;) {
		char label[64];
		unsigned int v;
		int used = 0;

		if (sscanf(p, " %63[A-Za-z](%u)%n", label, &v, &used) != 2)
			break;
		assert_string_equal(
		    billing_service_name((enum billing_service)v), label);
		seen++;
		p += used;
		while (p < end && (*p == ',' || *p == ' ' || *p == '\n'))
			p++;
	}
	assert_int_equal(seen, 5);
	assert_string_equal(billing_service_name(SERVICE_SUSPENSION_DUE),
			    "suspensionDue");
	free(mib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ports_short),
	    cmocka_unit_test(test_ports_cut_at_separator),
	    cmocka_unit_test(test_ports_edge),
	    cmocka_unit_test(test_ports_all),
	    cmocka_unit_test(test_notification_numbers),
	    cmocka_unit_test(test_service_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
