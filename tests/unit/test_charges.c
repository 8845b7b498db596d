/*
 * test_charges.c: termination charges and the reclaim date (charges.h),
 * on the example configuration's contract JSCZE2208138CGN00 (30 lines,
 * 450,000.00 a year, term 2022-01-01 to 2022-12-31): clauses 6.2, 3.1.11,
 * 6.3 and 3.2.10 as conf/leaseline.conf writes them.
 *
 * The configuration is read under $srcdir ("." when unset).
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
#include "core/charges.h"
#include "config/config.h"
#include "core/day.h"
#include "core/model.h"

#define YUAN(y) ((ll_fen)(y)*100)

struct fixture {
	struct ll_model *model;
	const struct ll_contract *c;
	struct entry e[8];
	size_t n;
};

static int
setup(void **state)
{
	const char *top = getenv("srcdir");
	char path[512], err[CONFIG_ERRLEN];
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/conf/leaseline.conf",
		 top && *top ? top : ".");
	f->model = config_load(path, err, sizeof(err));
	if (f->model == NULL) {
		fprintf(stderr, "%s\n", err);
		free(f);
		return -1;
	}
	f->c = model_contract_by_number(f->model, "JSCZE2208138CGN00");
	*state = f;
	return f->c != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	model_free(f->model);
	free(f);
	return 0;
}

static ll_day
day(const char *s)
{
	ll_day d = LL_NO_DAY;

	assert_true(day_parse(s, &d));
	return d;
}

/* Appends a ledger entry; entries must come in day order. */
static void
add(struct fixture *f, enum entry_kind kind, const char *on, ll_fen amount,
    int reason)
{
	struct entry *e = &f->e[f->n];

	assert_true(f->n < sizeof(f->e) / sizeof(f->e[0]));
	memset(e, 0, sizeof(*e));
	e->id = (int64_t)++f->n;
	e->kind = kind;
	e->contract = "JSCZE2208138CGN00";
	e->day = day(on);
	e->amount = amount;
	e->reason = reason;
	e->note = "";
}

/* The charges of the contract evaluated on `on` with f's entries. */
static void
charges_on(struct fixture *f, const char *on, struct charges *ch)
{
	struct billing_contract bc;

	assert_int_equal(
	    billing_evaluate(f->c, f->e, f->n, day(on), LL_NO_DAY, &bc), 0);
	assert_int_equal(charges_of_contract(f->c, f->e, f->n, &bc, ch), 0);
	billing_contract_free(&bc);
}

static const struct charges_item *
item(const struct charges *ch, const char *clause)
{
	for (size_t i = 0; i < ch->n_items; i++)
		if (strcmp(ch->items[i].rule->clause, clause) == 0)
			return &ch->items[i];
	fail_msg("no item for clause %s", clause);
	return NULL;
}

/* The configuration holds the clauses as data. */
static void
test_config(void **state)
{
	struct fixture *f = *state;
	const struct ll_contract *c = f->c;

	assert_int_equal(c->n_charges, 3);
	assert_string_equal(c->charges[0].clause, "6.2");
	assert_int_equal(c->charges[0].applies, LL_CHARGE_ANY);
	assert_int_equal(c->charges[0].per_line_discount, YUAN(2000));
	assert_int_equal(c->charges[0].fixed, YUAN(10000));
	assert_string_equal(c->charges[1].clause, "3.1.11");
	assert_int_equal(c->charges[1].applies, 1u << REASON_TRANSIT);
	assert_int_equal(c->charges[1].of_total_ppm, 200000);
	assert_string_equal(c->charges[2].clause, "6.3");
	assert_int_equal(c->charges[2].applies, 1u << REASON_MISUSE);
	assert_int_equal(c->charges[2].of_unperformed_ppm, 500000);
	assert_true(c->charges[2].plus_unpaid);
	assert_int_equal(c->reclaim_after_days, 90);
}

/* Clause 6.2 for any termination: 30 lines x 2,000.00 + 10,000.00; and
 * clause 3.2.10: 90 days after the termination day. */
static void
test_6_2_any_reason(void **state)
{
	struct fixture *f = *state;
	char text[CHARGES_TEXT_MAX];
	struct charges ch;

	add(f, ENTRY_TERMINATE, "2022-06-01", 0, REASON_VIOLATION);
	charges_on(f, "2022-06-02", &ch);
	assert_int_equal(ch.kind, CHARGES_RECORDED);
	assert_int_equal(ch.day, day("2022-06-01"));
	assert_int_equal(ch.reason, REASON_VIOLATION);
	assert_int_equal(ch.lines, 30);
	assert_int_equal(ch.n_items, 1);
	assert_int_equal(item(&ch, "6.2")->discounts, YUAN(60000));
	assert_int_equal(item(&ch, "6.2")->fixed, YUAN(10000));
	assert_int_equal(ch.total, YUAN(70000));
	assert_false(ch.saturated);
	assert_string_equal(charges_text(&ch, text, sizeof(text)),
			    "6.2: 30 lines x 2,000.00 discount repaid + "
			    "10,000.00 = 70,000.00");
	assert_int_equal(ch.ended, day("2022-06-01"));
	assert_int_equal(ch.reclaim, day("2022-08-30"));
}

/* Clause 3.1.11, transit traffic: 20% of 450,000.00 = 90,000.00, with
 * clause 6.2's 70,000.00. */
static void
test_3_1_11_transit(void **state)
{
	struct fixture *f = *state;
	char text[CHARGES_TEXT_MAX];
	struct charges ch;

	add(f, ENTRY_TERMINATE, "2022-06-01", 0, REASON_TRANSIT);
	charges_on(f, "2022-06-01", &ch);
	assert_int_equal(ch.n_items, 2);
	assert_int_equal(item(&ch, "3.1.11")->of_total, YUAN(90000));
	assert_int_equal(item(&ch, "3.1.11")->amount, YUAN(90000));
	assert_int_equal(item(&ch, "6.2")->amount, YUAN(70000));
	assert_int_equal(ch.total, YUAN(160000));
	assert_string_equal(charges_text(&ch, text, sizeof(text)),
			    "6.2: 30 lines x 2,000.00 discount repaid + "
			    "10,000.00 = 70,000.00; 3.1.11: 20% of total "
			    "450,000.00 = 90,000.00");
}

/* Clause 6.3, misuse, on 2022-06-03: 212 of the term's 365 days are
 * unperformed: 450,000.00 x 212 / 365 = 261,369.863... -> 261,369.86;
 * the fees used, 188,630.14, are unpaid; 50% of the unperformed part is
 * 130,684.93. */
static void
test_6_3_misuse(void **state)
{
	struct fixture *f = *state;
	struct charges ch;

	add(f, ENTRY_TERMINATE, "2022-06-03", 0, REASON_MISUSE);
	charges_on(f, "2022-07-01", &ch);
	assert_int_equal(ch.term_days, 365);
	assert_int_equal(ch.remaining_days, 212);
	assert_int_equal(ch.unperformed, 26136986);
	assert_int_equal(ch.unpaid, 18863014);
	assert_int_equal(item(&ch, "6.3")->unpaid, 18863014);
	assert_int_equal(item(&ch, "6.3")->of_unperformed, 13068493);
	assert_int_equal(item(&ch, "6.3")->amount, 18863014 + 13068493);
	assert_int_equal(ch.total, YUAN(70000) + 18863014 + 13068493);
}

/* Payments count against the fees used: 100,000.00 paid before leaves
 * 88,630.14 of them unpaid; more than was used leaves none. */
static void
test_6_3_payments(void **state)
{
	struct fixture *f = *state;
	struct charges ch;

	add(f, ENTRY_PAYMENT, "2022-05-01", YUAN(100000), 0);
	add(f, ENTRY_TERMINATE, "2022-06-03", 0, REASON_MISUSE);
	charges_on(f, "2022-06-03", &ch);
	assert_int_equal(ch.unpaid, 18863014 - YUAN(100000));
	assert_int_equal(item(&ch, "6.3")->amount,
			 18863014 - YUAN(100000) + 13068493);

	f->n = 0;
	add(f, ENTRY_PAYMENT, "2022-05-01", YUAN(359600), 0);
	add(f, ENTRY_TERMINATE, "2022-06-03", 0, REASON_MISUSE);
	charges_on(f, "2022-06-03", &ch);
	assert_int_equal(ch.unpaid, 0);
}

/* In a renewed term, the unpaid fees of the term before count too:
 * terminated for misuse on 2023-07-01 with nothing paid, the first
 * term's 450,000.00 and 181 of the second term's 365 days are used. */
static void
test_6_3_second_term(void **state)
{
	struct fixture *f = *state;
	struct charges ch;
	ll_fen unperformed = 45000000 / 365 * 184 +
			     (2 * (45000000 % 365) * 184 + 365) / (2 * 365);

	add(f, ENTRY_TERMINATE, "2023-07-01", 0, REASON_MISUSE);
	charges_on(f, "2023-07-01", &ch);
	assert_int_equal(ch.term_start, day("2023-01-01"));
	assert_int_equal(ch.remaining_days, 184);
	assert_int_equal(ch.unperformed, unperformed);
	assert_int_equal(ch.unpaid, YUAN(450000) + YUAN(450000) - unperformed);
}

/* A termination dated after the contract expired (notice given) falls
 * outside the service period: no charge; the numbers go 90 days after
 * the expiry. */
static void
test_after_expiry(void **state)
{
	struct fixture *f = *state;
	struct charges ch;

	add(f, ENTRY_NOTICE, "2022-09-01", 0, 0);
	charges_on(f, "2023-01-15", &ch);
	assert_int_equal(ch.kind, CHARGES_NONE);
	assert_int_equal(ch.ended, day("2023-01-01"));
	assert_int_equal(ch.reclaim, day("2023-04-01"));

	add(f, ENTRY_TERMINATE, "2023-02-01", 0, REASON_TRANSIT);
	charges_on(f, "2023-02-01", &ch);
	assert_int_equal(ch.kind, CHARGES_NONE);
	assert_int_equal(ch.total, 0);
	assert_int_equal(ch.ended, day("2023-01-01"));
	assert_int_equal(ch.reclaim, day("2023-04-01"));
}

/* While termination is possible (nothing paid: from 2023-04-01), the
 * charges of a termination for nonpayment that day: clause 6.2's.
 * Before, and while the contract runs, none and no reclaim date. */
static void
test_prospective(void **state)
{
	struct fixture *f = *state;
	struct charges ch;

	charges_on(f, "2023-03-31", &ch);
	assert_int_equal(ch.kind, CHARGES_NONE);
	assert_int_equal(ch.total, 0);
	assert_int_equal(ch.reclaim, LL_NO_DAY);
	charges_on(f, "2023-04-01", &ch);
	assert_int_equal(ch.kind, CHARGES_PROSPECTIVE);
	assert_int_equal(ch.reason, REASON_NONPAYMENT);
	assert_int_equal(ch.total, YUAN(70000));
	assert_int_equal(ch.reclaim, LL_NO_DAY);
}

/* A clause applies only to the reasons it names. */
static void
test_applies(void **state)
{
	struct fixture *f = *state;
	struct billing_contract bc;
	struct charges ch;

	assert_int_equal(
	    billing_evaluate(f->c, NULL, 0, day("2022-06-01"), LL_NO_DAY, &bc),
	    0);
	charges_compute(f->c, REASON_REGULATORY, day("2022-06-01"), &bc, &ch);
	assert_int_equal(ch.n_items, 1);
	charges_compute(f->c, REASON_MISUSE, day("2022-06-01"), &bc, &ch);
	assert_int_equal(ch.n_items, 2);
	assert_string_equal(ch.items[1].rule->clause, "6.3");
	billing_contract_free(&bc);
}

static void
test_percent(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(charges_percent(200000, b, sizeof(b)), "20%");
	assert_string_equal(charges_percent(125000, b, sizeof(b)), "12.5%");
	assert_string_equal(charges_percent(1, b, sizeof(b)), "0.0001%");
	assert_string_equal(charges_percent(1000000, b, sizeof(b)), "100%");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_config, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_6_2_any_reason, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_3_1_11_transit, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_6_3_misuse, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_6_3_payments, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_6_3_second_term, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_after_expiry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_prospective, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_applies, setup, teardown),
	    cmocka_unit_test(test_percent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
