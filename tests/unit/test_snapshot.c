/*
 * test_snapshot: index lookup.  Every GET and GETNEXT of the MIB handler
 * is a lower-bound search on these rows; the cases below are the OID
 * suffixes a walk, a bulk walk or a stray request can send.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/day.h"
#include "snmp/mib.h"
#include "core/snapshot.h"

static const struct snapshot_row rows[] = {
    {1, 1, 0, 0}, {1, 2, 0, 1}, {5, 1, 1, 0}, {5, 7, 1, 1}, {9, 3, 2, 0},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static size_t
search(bool inclusive, size_t len, ...)
{
	unsigned long idx[8];
	va_list ap;

	va_start(ap, len);
	for (size_t i = 0; i < len; i++)
		idx[i] = va_arg(ap, unsigned long);
	va_end(ap);
	return snapshot_row_search(rows, NROWS, idx, len, inclusive);
}

static void
test_row_search(void **state)
{
	(void)state;
	/* the column itself, or a shorter prefix: its first row */
	assert_int_equal(search(false, 0), 0);
	assert_int_equal(search(false, 1, 1UL), 0);
	assert_int_equal(search(false, 1, 0UL), 0);
	/* an existing row: the next one, or itself when inclusive */
	assert_int_equal(search(false, 2, 1UL, 1UL), 1);
	assert_int_equal(search(true, 2, 1UL, 1UL), 0);
	assert_int_equal(search(false, 2, 5UL, 7UL), 4);
	/* between rows */
	assert_int_equal(search(false, 2, 5UL, 3UL), 3);
	assert_int_equal(search(false, 2, 2UL, 9UL), 2);
	/* longer than an index: the row it extends is behind it */
	assert_int_equal(search(false, 3, 1UL, 2UL, 0UL), 2);
	/* past the end, also with sub-identifiers above 2^32 - 1 */
	assert_int_equal(search(false, 2, 9UL, 3UL), NROWS);
	assert_int_equal(search(false, 1, 4294967296UL), NROWS);
	assert_int_equal(search(false, 2, 5UL, 4294967296UL), 4);
}

/* Rows past 2^31, as a request through AgentX names them once the
 * handler has decoded its sub-identifiers (issue 12, defect 1). */
static void
test_high_index_search(void **state)
{
	static const struct snapshot_row high[] = {
	    {1, 1, 0, 0},
	    {2147483647u, 4294967295u, 1, 0},
	    {2147483648u, 1, 2, 0},
	    {2147483648u, 2147483648u, 2, 1},
	    {4294967295u, 4294967295u, 3, 0},
	};
	const size_t n = sizeof(high) / sizeof(high[0]);
	unsigned long idx[2];

	(void)state;
	/* what SNMP and AgentX can carry: unchanged */
	assert_int_equal(mib_subid(0), 0);
	assert_int_equal(mib_subid(2147483647UL), 2147483647UL);
	assert_int_equal(mib_subid(2147483648UL), 2147483648UL);
	assert_int_equal(mib_subid(4294967295UL), 4294967295UL);
#if ULONG_MAX > 0xffffffffUL
	/* sign-extended by snmpd 5.9.3's AgentX: back to 32 bits */
	assert_int_equal(mib_subid(0xffffffff80000000UL), 2147483648UL);
	assert_int_equal(mib_subid(0xffffffffffffffffUL), 4294967295UL);
	/* anything else above 2^32 - 1 stays past every index */
	assert_int_equal(mib_subid(4294967296UL), 4294967296UL);
	assert_int_equal(mib_subid(0xffffffff7fffffffUL), 0xffffffff7fffffffUL);
	assert_int_equal(mib_subid(0x8000000000000000UL), 0x8000000000000000UL);

	/* GET: the exact rows, found from what the master handed over */
	idx[0] = mib_subid(0xffffffff80000000UL);
	idx[1] = mib_subid(0xffffffff80000000UL);
	assert_int_equal(snapshot_row_search(high, n, idx, 2, true), 3);
	assert_int_equal(snapshot_row_search(high, n, idx, 2, false), 4);
	idx[0] = idx[1] = mib_subid(0xffffffffffffffffUL);
	assert_int_equal(snapshot_row_search(high, n, idx, 2, true), 4);
	assert_int_equal(snapshot_row_search(high, n, idx, 2, false), n);
	/* GETNEXT from the first row past 2^31: the one after it */
	idx[0] = mib_subid(0xffffffff80000000UL);
	idx[1] = mib_subid(1);
	assert_int_equal(snapshot_row_search(high, n, idx, 2, false), 3);
	/* a value no index reaches is past every row of its contract, and
	 * never folded onto a smaller one */
	idx[0] = mib_subid(2147483647UL);
	idx[1] = mib_subid(0x100000001UL);
	assert_int_equal(snapshot_row_search(high, n, idx, 2, false), 2);
	idx[0] = mib_subid(0x100000001UL);
	assert_int_equal(snapshot_row_search(high, n, idx, 1, false), n);
#endif
	/* unsigned order: 2^31 after 2^31 - 1 */
	idx[0] = 2147483647UL;
	idx[1] = 4294967295UL;
	assert_int_equal(snapshot_row_search(high, n, idx, 2, false), 2);
}

static char *
dup(const char *s)
{
	char *p = strdup(s);

	assert_non_null(p);
	return p;
}

/* Three contracts with indexes 2, 4 and 6 (gaps stay gaps: indexes are
 * stable, never renumbered) and a few circuits each. */
static struct ll_model *
make_model(void)
{
	struct ll_model *m = calloc(1, sizeof(*m));
	static const uint32_t index[] = {2, 4, 6};

	assert_non_null(m);
	m->n_contracts = 3;
	m->contracts = calloc(3, sizeof(*m->contracts));
	assert_non_null(m->contracts);
	for (size_t i = 0; i < 3; i++) {
		struct ll_contract *c = &m->contracts[i];

		c->index = index[i];
		c->number = dup("C");
		assert_true(day_parse("2022-01-01", &c->term_start));
		assert_true(day_parse("2022-12-31", &c->term_end));
		c->n_circuits = i + 1;
		c->circuits = calloc(c->n_circuits, sizeof(*c->circuits));
		assert_non_null(c->circuits);
		for (size_t j = 0; j < c->n_circuits; j++) {
			c->circuits[j].index = (uint32_t)(10 * j + 1);
			c->circuits[j].id = dup("x");
		}
		c->n_installments = 1;
		c->installments = calloc(1, sizeof(*c->installments));
		assert_non_null(c->installments);
		c->installments[0] =
		    (struct ll_installment){1, c->term_end, 100};
		m->n_circuits += c->n_circuits;
		m->n_installments++;
	}
	return m;
}

static void
test_build(void **state)
{
	struct ll_model *m = make_model();
	struct snapshot *s, *s2;
	unsigned long four = 4, five = 5;
	ll_day day;

	(void)state;
	assert_true(day_parse("2022-06-01", &day));
	s = snapshot_build(m, NULL, 0, 0, day);
	assert_non_null(s);
	assert_int_equal(s->n_circuits, 6);
	assert_int_equal(s->n_installments, 3);
	for (size_t i = 1; i < s->n_circuits; i++) {
		const struct snapshot_row *a = &s->circuits[i - 1];
		const struct snapshot_row *b = &s->circuits[i];

		assert_true(a->contract_index < b->contract_index ||
			    (a->contract_index == b->contract_index &&
			     a->item_index < b->item_index));
	}
	assert_int_equal(s->circuits[5].contract_index, 6);
	assert_int_equal(s->circuits[5].item_index, 21);
	assert_int_equal(snapshot_contract_search(s, &four, 1, true), 1);
	assert_int_equal(snapshot_contract_search(s, &four, 1, false), 2);
	assert_int_equal(snapshot_contract_search(s, &five, 1, true), 2);
	assert_int_equal(s->eval[0].installments[0].state, INSTALLMENT_PENDING);

	/* a new day: same model, new evaluation; either snapshot may go
	 * first, the model goes with the last */
	s2 = snapshot_reevaluate(s, day + 214);
	assert_non_null(s2);
	assert_ptr_equal(s2->model, m);
	assert_int_equal(s2->eval[0].installments[0].state,
			 INSTALLMENT_OVERDUE);
	assert_int_equal(s->eval[0].installments[0].state, INSTALLMENT_PENDING);
	snapshot_free(s);
	assert_int_equal(s2->model->contracts[2].index, 6);
	/* a second holder keeps it past one free */
	snapshot_ref(s2);
	snapshot_free(s2);
	assert_int_equal(s2->n_circuits, 6);
	snapshot_free(s2);
}

/* Compaction keeps every installment of every evaluation, in place of
 * the arrays it frees; the events are dropped apart; a compacted snapshot
 * is freed like any other (valgrind.test and the sanitizers see the
 * rest). */
static void
test_compact(void **state)
{
	struct ll_model *m = make_model();
	struct snapshot *s, *s2;
	struct billing_installment before[8];
	size_t n = 0;
	ll_day day;

	(void)state;
	assert_true(day_parse("2022-12-01", &day));
	s = snapshot_build(m, NULL, 0, 0, day);
	assert_non_null(s);
	for (size_t i = 0; i < s->n_eval; i++)
		for (size_t j = 0; j < s->eval[i].n_installments; j++) {
			assert_true(n < 8);
			before[n++] = s->eval[i].installments[j];
		}
	assert_true(n > 0);
	assert_int_equal(snapshot_compact(s), 0);
	snapshot_drop_events(s);
	assert_non_null(s->installment_block);
	n = 0;
	for (size_t i = 0; i < s->n_eval; i++) {
		assert_null(s->eval[i].events);
		assert_int_equal(s->eval[i].n_events, 0);
		for (size_t j = 0; j < s->eval[i].n_installments; j++) {
			assert_ptr_equal(s->eval[i].installments,
					 s->installment_block + n - j);
			assert_memory_equal(&s->eval[i].installments[j],
					    &before[n], sizeof(before[n]));
			n++;
		}
	}
	/* twice: nothing more to do */
	assert_int_equal(snapshot_compact(s), 0);
	/* a snapshot built from a compacted one is evaluated afresh */
	s2 = snapshot_reevaluate(s, day + 60);
	assert_non_null(s2);
	assert_null(s2->installment_block);
	assert_int_equal(s2->eval[0].installments[0].state,
			 INSTALLMENT_OVERDUE);
	snapshot_free(s);
	assert_int_equal(snapshot_compact(s2), 0);
	assert_int_equal(s2->eval[0].installments[0].state,
			 INSTALLMENT_OVERDUE);
	snapshot_free(s2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_row_search),
	    cmocka_unit_test(test_high_index_search),
	    cmocka_unit_test(test_build),
	    cmocka_unit_test(test_compact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
