/*
 * test_mib: what the MIB handler makes of the model, without an agent:
 * llContractBlockedPorts within the 255 octets of an SnmpAdminString;
 * the notifications and the service states the C mirrors of
 * mibs/LEASELINE-MIB.txt name, checked against the MIB's text; and
 * GETNEXT answered from where the last answer was (issue 16, item 4)
 * giving what a search gives, for a walk and for any other request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/billing.h"
#include "core/day.h"
#include "snmp/mib.h"
#include "core/snapshot.h"
#include "testlib.h"

/* Checks that text is a cut list of ports[0..n): whole ports in their
 * order, then ",..." (or "..." alone); returns how many ports it holds. */
static size_t
check_cut(const char *text, const uint16_t *ports, size_t n)
{
	size_t len = strlen(text), k = 0;
	char *copy, *item, *save = NULL;

	assert_true(len <= TEXT_ADMIN_MAX);
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
	char out[TEXT_ADMIN_MAX + 1];

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
	char out[TEXT_ADMIN_MAX + 1];
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
	char out[TEXT_ADMIN_MAX + 1];

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
	char out[TEXT_ADMIN_MAX + 1];

	(void)state;
	assert_non_null(ports);
	for (size_t i = 0; i < 65535; i++)
		ports[i] = (uint16_t)(i + 1);
	assert_true(mib_ports_text(ports, 65535, out) <= TEXT_ADMIN_MAX);
	assert_true(check_cut(out, ports, 65535) > 50);
	assert_true(strncmp(out, "1,2,3,", 6) == 0);
	free(ports);
}

/* mibs/LEASELINE-MIB.txt, whole, NUL-terminated. */
static char *
read_mib(void)
{
	return testlib_read_file("mibs/LEASELINE-MIB.txt", NULL);
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

/* ---- GETNEXT by successor and by search ---- */

#define NCONTRACTS	  5
#define MAXNAME		  8
#define NSCALARS	  12 /* llAgent */
#define LAST_CONTRACT_COL 44
#define LAST_CIRCUIT_COL  12
#define LAST_INST_COL	  13

static char *
dup(const char *s)
{
	char *p = strdup(s);

	assert_non_null(p);
	return p;
}

/* Contracts 3, 5, 9, 10, 20 (gaps stay: indexes are stable) with 1, 2,
 * 3, 4, 5 circuits at indexes 1, 4, 7, ... and 1, 2, 1, 2, 1
 * installments. */
static struct ll_model *
walk_model(void)
{
	static const uint32_t index[NCONTRACTS] = {3, 5, 9, 10, 20};
	struct ll_model *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->n_contracts = NCONTRACTS;
	m->contracts = calloc(NCONTRACTS, sizeof(*m->contracts));
	assert_non_null(m->contracts);
	for (size_t i = 0; i < NCONTRACTS; i++) {
		struct ll_contract *c = &m->contracts[i];

		c->index = index[i];
		c->number = dup("C");
		assert_true(day_parse("2022-01-01", &c->term_start));
		assert_true(day_parse("2022-12-31", &c->term_end));
		c->n_circuits = i + 1;
		c->circuits = calloc(c->n_circuits, sizeof(*c->circuits));
		assert_non_null(c->circuits);
		for (size_t j = 0; j < c->n_circuits; j++) {
			c->circuits[j].index = (uint32_t)(3 * j + 1);
			c->circuits[j].id = dup("x");
		}
		c->n_installments = i % 2 + 1;
		c->installments =
		    calloc(c->n_installments, sizeof(*c->installments));
		assert_non_null(c->installments);
		for (size_t j = 0; j < c->n_installments; j++)
			c->installments[j] = (struct ll_installment){
			    (uint32_t)(j + 1), c->term_end, 100};
		m->n_circuits += c->n_circuits;
		m->n_installments += c->n_installments;
	}
	return m;
}

struct walk {
	unsigned long name[MAXNAME];
	size_t len;
};

static struct mib_status walk_status = {.config_file = "test.conf"};

/* Every object in OID order, from the model alone (no lookup). */
static size_t
expected_walk(const struct ll_model *m, struct walk *w, size_t max)
{
	size_t n = 0;

#define PUSH(...)                                                              \
	do {                                                                   \
		const unsigned long v_[] = {__VA_ARGS__};                      \
		assert_true(n < max);                                          \
		memcpy(w[n].name, v_, sizeof(v_));                             \
		w[n].len = sizeof(v_) / sizeof(v_[0]);                         \
		n++;                                                           \
	} while (0)
	for (unsigned long k = 1; k <= NSCALARS; k++)
		PUSH(1, k, 0);
	for (unsigned long col = 2; col <= LAST_CONTRACT_COL; col++)
		for (size_t i = 0; i < m->n_contracts; i++)
			PUSH(2, 1, col, m->contracts[i].index);
	for (unsigned long col = 2; col <= LAST_CIRCUIT_COL; col++)
		for (size_t i = 0; i < m->n_contracts; i++)
			for (size_t j = 0; j < m->contracts[i].n_circuits; j++)
				PUSH(3, 1, col, m->contracts[i].index,
				     m->contracts[i].circuits[j].index);
	for (unsigned long col = 2; col <= LAST_INST_COL; col++)
		for (size_t i = 0; i < m->n_contracts; i++)
			for (size_t j = 0; j < m->contracts[i].n_installments;
			     j++)
				PUSH(4, 1, col, m->contracts[i].index,
				     m->contracts[i].installments[j].index);
#undef PUSH
	return n;
}

/* A walk: each request names the answer before it (or nothing, first).
 * With `search`, the snapshot is published again before each request,
 * which forgets where the last answer was. */
static size_t
walk(struct snapshot *snap, bool search, struct walk *w, size_t max)
{
	unsigned long name[MAXNAME];
	size_t len = 0, n = 0;

	mib_publish(snap, &walk_status);
	for (;;) {
		if (search)
			mib_publish(snap, &walk_status);
		if (mib_next_name(name, len, false, name, &len) != 0)
			break;
		assert_true(n < max);
		memcpy(w[n].name, name, len * sizeof(name[0]));
		w[n].len = len;
		n++;
	}
	return n;
}

static void
assert_same_walk(const struct walk *a, const struct walk *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].len, b[i].len);
		for (size_t k = 0; k < a[i].len; k++)
			assert_int_equal(a[i].name[k], b[i].name[k]);
	}
}

static void
test_walk_by_successor(void **state)
{
	struct ll_model *m = walk_model();
	struct snapshot *snap;
	struct walk *expect, *by_next, *by_search;
	size_t max = 2000, n, n_next, n_search;
	unsigned long hits;
	ll_day day;

	(void)state;
	assert_true(day_parse("2022-06-01", &day));
	expect = calloc(max, sizeof(*expect));
	by_next = calloc(max, sizeof(*by_next));
	by_search = calloc(max, sizeof(*by_search));
	assert_non_null(expect);
	assert_non_null(by_next);
	assert_non_null(by_search);
	n = expected_walk(m, expect, max);
	snap = snapshot_build(m, NULL, 0, 0, day);
	assert_non_null(snap);

	hits = mib_successor_hits();
	n_search = walk(snap, true, by_search, max);
	/* every request of the search walk was searched for */
	assert_int_equal(mib_successor_hits(), hits);
	n_next = walk(snap, false, by_next, max);
	/* ... and the successor walk took every row of a table from where
	 * the answer before it was: the first of a column follows the last
	 * of the column before, or the table's start */
	assert_int_equal(mib_successor_hits() - hits, n - NSCALARS);
	assert_int_equal(n_search, n);
	assert_int_equal(n_next, n);
	assert_same_walk(by_search, expect, n);
	assert_same_walk(by_next, expect, n);

	mib_publish(NULL, NULL);
	snapshot_free(snap);
	free(expect);
	free(by_next);
	free(by_search);
}

/* Requests that do not follow the last answer: after each object of a
 * walk (the hint then points at its row), every probe below gets what a
 * search gives it, as GETNEXT, as inclusive GETNEXT and as GET. */
static void
test_successor_other_requests(void **state)
{
	static const struct walk probes[] = {
	    {{0}, 0},
	    {{2, 1, 3, 9}, 4},	     /* another column, same row */
	    {{3, 1, 5, 9, 4}, 5},    /* a row of another column */
	    {{3, 1, 5, 9, 5}, 5},    /* between rows */
	    {{3, 1, 5, 9}, 4},	     /* a contract, no circuit */
	    {{3, 1, 5, 9, 4, 0}, 6}, /* longer than an index */
	    {{3, 1, 5, 4}, 4},	     /* a contract with no circuits */
	    {{3, 1, 5, 1, 1}, 5},    /* before the first row */
	    {{3, 1, 5, 20, 13}, 5},  /* the last row */
	    {{3, 1, 5, 20, 14}, 5},  /* past it */
	    {{3, 1, 12, 20, 13}, 5}, /* the last row of the last column */
	    {{3, 1, 2, 3, 1}, 5},    /* the first row */
	    {{3, 1, 2, 4294967295UL, 1}, 5},
	    {{3, 1, 2, 3, 4294967296UL}, 5}, /* above any sub-identifier */
	    {{4, 1, 13, 20, 1}, 5},	     /* the last object of the module */
	    {{4, 1, 7, 5, 1}, 5},
	    {{4, 1, 7, 5, 2}, 5},
	    {{2, 1, 44, 20}, 4},
	    {{2, 1, 2, 3}, 4},
	    {{1, 9, 0}, 3},
	    {{3}, 1},
	    {{3, 1, 1}, 3}, /* the not-accessible index column */
	};
	const size_t nprobes = sizeof(probes) / sizeof(probes[0]);
	struct ll_model *m = walk_model();
	struct snapshot *snap;
	struct walk *w;
	size_t max = 2000, n;
	unsigned long hits;
	ll_day day;

	(void)state;
	assert_true(day_parse("2022-06-01", &day));
	w = calloc(max, sizeof(*w));
	assert_non_null(w);
	n = expected_walk(m, w, max);
	snap = snapshot_build(m, NULL, 0, 0, day);
	assert_non_null(snap);
	hits = mib_successor_hits();
	for (size_t i = 0; i < n; i++) {
		for (size_t p = 0; p < nprobes; p++) {
			for (int inclusive = 0; inclusive <= 1; inclusive++) {
				unsigned long a[MAXNAME], b[MAXNAME];
				size_t alen = 0, blen = 0;
				int ra, rb, ga, gb;

				/* with the hint at w[i]'s row */
				mib_publish(snap, &walk_status);
				assert_int_equal(mib_next_name(w[i].name,
							       w[i].len, true,
							       a, &alen),
						 0);
				ra =
				    mib_next_name(probes[p].name, probes[p].len,
						  inclusive, a, &alen);
				assert_int_equal(
				    mib_get_name(w[i].name, w[i].len), 0);
				ga =
				    mib_get_name(probes[p].name, probes[p].len);
				/* by search */
				mib_publish(snap, &walk_status);
				rb =
				    mib_next_name(probes[p].name, probes[p].len,
						  inclusive, b, &blen);
				mib_publish(snap, &walk_status);
				gb =
				    mib_get_name(probes[p].name, probes[p].len);
				assert_int_equal(ra, rb);
				assert_int_equal(ga, gb);
				if (ra == 0) {
					assert_int_equal(alen, blen);
					assert_memory_equal(
					    a, b, alen * sizeof(a[0]));
				}
			}
		}
	}
	/* the probes named hinted rows often enough to take that path */
	assert_true(mib_successor_hits() > hits);
	/* and the answers themselves are right, a few by hand */
	{
		static const unsigned long last[] = {3, 1, 5, 20, 13};
		static const unsigned long past[] = {3, 1, 5, 20, 14};
		static const unsigned long end[] = {4, 1, 13, 20, 1};
		unsigned long a[MAXNAME];
		size_t alen;

		mib_publish(snap, &walk_status);
		assert_int_equal(mib_next_name(last, 5, false, a, &alen), 0);
		assert_int_equal(alen, 5);
		assert_int_equal(a[2], 6); /* the next column's first row */
		assert_int_equal(a[3], 3);
		assert_int_equal(a[4], 1);
		assert_int_equal(mib_next_name(past, 5, false, a, &alen), 0);
		assert_int_equal(a[2], 6);
		assert_int_equal(mib_get_name(last, 5), 0);
		assert_int_equal(mib_get_name(past, 5), -1);
		assert_int_equal(mib_next_name(end, 5, false, a, &alen), -1);
		assert_int_equal(mib_next_name(end, 5, true, a, &alen), 0);
	}
	mib_publish(NULL, NULL);
	snapshot_free(snap);
	free(w);
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
	    cmocka_unit_test(test_walk_by_successor),
	    cmocka_unit_test(test_successor_other_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
