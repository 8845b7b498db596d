/*
 * test_billing: the billing clock against DIGEST.md's worked timeline.
 * The contract is built in memory so that these tests depend on billing.c
 * and day.c alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "billing.h"
#include "day.h"

static struct ll_installment schedule[2];
static struct ll_contract contract;

static ll_day
d(const char *s)
{
	ll_day day = LL_NO_DAY;

	assert_true(day_parse(s, &day));
	return day;
}

/* JSCZE2208138CGN00 as DIGEST.md models it. */
static int
setup(void **state)
{
	(void)state;
	schedule[0] = (struct ll_installment){1, d("2022-12-31"), 35960000};
	schedule[1] = (struct ll_installment){2, d("2023-06-01"), 9040000};
	contract = (struct ll_contract){
	    .index = 1,
	    .number = "JSCZE2208138CGN00",
	    .term_start = d("2022-01-01"),
	    .term_end = d("2022-12-31"),
	    .auto_renew = true,
	    .renew_months = 12,
	    .notice_days = 90,
	    .annual_fee = 45000000,
	    .late_fee_ppm = 30000,
	    .suspend_after_days = 30,
	    .terminate_after_days = 60,
	    .installments = schedule,
	    .n_installments = 2,
	};
	return 0;
}

static void
evaluate(const char *day, struct billing_contract *bc)
{
	assert_int_equal(billing_evaluate(&contract, d(day), bc), 0);
}

/* DIGEST.md: late fee per day at 3% and at 3 per mille, to the fen. */
static void
test_daily_late_fee(void **state)
{
	(void)state;
	assert_int_equal(billing_daily_late_fee(35960000, 30000), 1078800);
	assert_int_equal(billing_daily_late_fee(9040000, 30000), 271200);
	assert_int_equal(billing_daily_late_fee(35960000, 3000), 107880);
	assert_int_equal(billing_daily_late_fee(9040000, 3000), 27120);
	/* half up: 0.5 fen rounds to 1, 0.49 to 0 */
	assert_int_equal(billing_daily_late_fee(50, 10000), 1);
	assert_int_equal(billing_daily_late_fee(49, 10000), 0);
	/* large amounts do not overflow */
	assert_int_equal(billing_daily_late_fee(100000000000000LL, 1000000),
			 100000000000000LL);
}

static void
test_before_due(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2022-11-01", &bc);
	assert_int_equal(bc.state, BILLING_UP_TO_DATE);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.installments[0].state, INSTALLMENT_PENDING);
	assert_int_equal(bc.outstanding, 45000000);
	assert_int_equal(bc.next_due, d("2022-12-31"));
	assert_int_equal(bc.next_due_amount, 35960000);
	billing_contract_free(&bc);

	/* 30 days before the due date: due soon */
	evaluate("2022-12-01", &bc);
	assert_int_equal(bc.state, BILLING_DUE_SOON);
	assert_int_equal(bc.installments[0].state, INSTALLMENT_DUE_SOON);
	assert_int_equal(bc.installments[1].state, INSTALLMENT_PENDING);
	billing_contract_free(&bc);
}

/* On the due date nothing is late; the next day is the first overdue. */
static void
test_first_day_overdue(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2022-12-31", &bc);
	assert_int_equal(bc.installments[0].days_overdue, 0);
	assert_int_equal(bc.late_fee, 0);
	assert_int_equal(bc.state, BILLING_DUE_SOON);
	billing_contract_free(&bc);

	evaluate("2023-01-01", &bc);
	assert_int_equal(bc.installments[0].days_overdue, 1);
	assert_int_equal(bc.installments[0].state, INSTALLMENT_OVERDUE);
	assert_int_equal(bc.state, BILLING_OVERDUE);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.late_fee, 1078800);
	assert_int_equal(bc.overdue, 35960000);
	billing_contract_free(&bc);
}

/* Clause 2.3.4: day 30 overdue is not yet suspended, day 31 is. */
static void
test_suspension(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2023-01-30", &bc);
	assert_int_equal(bc.days_overdue, 30);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.suspended_since, LL_NO_DAY);
	billing_contract_free(&bc);

	evaluate("2023-01-31", &bc);
	assert_int_equal(bc.days_overdue, 31);
	assert_int_equal(bc.state, BILLING_SUSPENDED);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.reason, REASON_NONPAYMENT);
	assert_int_equal(bc.suspended_since, d("2023-01-31"));
	assert_int_equal(bc.termination_date, d("2023-04-01"));
	/* issue 3's figure: 334,428.00 CNY at 3% after 31 days */
	assert_int_equal(bc.late_fee, 33442800);
	assert_int_equal(bc.installments[0].late_fee, 33442800);
	billing_contract_free(&bc);
}

/* Suspension date + 60 days: termination possible. */
static void
test_termination_possible(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2023-03-31", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	billing_contract_free(&bc);

	evaluate("2023-04-01", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATION_POSSIBLE);
	assert_int_equal(bc.state, BILLING_TERMINATION_POSSIBLE);
	billing_contract_free(&bc);
}

/* Installment 2 alone: first overdue 2023-06-02, suspended 2023-07-02,
 * termination possible 2023-08-31 (DIGEST.md). */
static void
test_second_installment(void **state)
{
	struct billing_contract bc;

	(void)state;
	schedule[0].amount = 0; /* as if paid: only installment 2 counts */
	evaluate("2023-06-02", &bc);
	assert_int_equal(bc.installments[1].days_overdue, 1);
	assert_int_equal(bc.late_fee, 271200);
	billing_contract_free(&bc);

	evaluate("2023-07-01", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	billing_contract_free(&bc);

	evaluate("2023-07-02", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.suspended_since, d("2023-07-02"));
	assert_int_equal(bc.termination_date, d("2023-08-31"));
	billing_contract_free(&bc);
}

/* Two overdue installments at once: fees add up, the older one decides
 * the suspension date. */
static void
test_two_overdue(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2023-07-02", &bc);
	assert_int_equal(bc.overdue, 45000000);
	assert_int_equal(bc.late_fee,
			 (d("2023-07-02") - d("2022-12-31")) * 1078800LL +
			     31 * 271200LL);
	assert_int_equal(bc.suspended_since, d("2023-01-31"));
	assert_int_equal(bc.days_overdue, d("2023-07-02") - d("2022-12-31"));
	billing_contract_free(&bc);
}

/* Clause 11.1: terms and notice deadlines. */
static void
test_renewal(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2022-06-30", &bc);
	assert_int_equal(bc.term_number, 1);
	assert_int_equal(bc.notice_deadline, d("2022-10-02"));
	billing_contract_free(&bc);

	evaluate("2023-01-01", &bc);
	assert_int_equal(bc.term_number, 2);
	assert_int_equal(bc.term_start, d("2023-01-01"));
	assert_int_equal(bc.term_end, d("2023-12-31"));
	assert_int_equal(bc.notice_deadline, d("2023-10-02"));
	billing_contract_free(&bc);

	/* no automatic renewal: the service ends with the term */
	contract.auto_renew = false;
	evaluate("2023-01-01", &bc);
	assert_int_equal(bc.term_number, 1);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	assert_int_equal(bc.state, BILLING_TERMINATED);
	billing_contract_free(&bc);
}

static void
test_circuit_state(void **state)
{
	struct ll_circuit ci = {.index = 1, .admin = LL_CIRCUIT_IN_SERVICE};
	struct billing_contract bc;

	(void)state;
	evaluate("2023-01-30", &bc);
	assert_int_equal(billing_circuit_state(&ci, &bc), CIRCUIT_ACTIVE);
	billing_contract_free(&bc);
	evaluate("2023-01-31", &bc);
	assert_int_equal(billing_circuit_state(&ci, &bc), CIRCUIT_SUSPENDED);
	ci.admin = LL_CIRCUIT_PLANNED;
	assert_int_equal(billing_circuit_state(&ci, &bc), CIRCUIT_PLANNED);
	billing_contract_free(&bc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_daily_late_fee, setup),
	    cmocka_unit_test_setup(test_before_due, setup),
	    cmocka_unit_test_setup(test_first_day_overdue, setup),
	    cmocka_unit_test_setup(test_suspension, setup),
	    cmocka_unit_test_setup(test_termination_possible, setup),
	    cmocka_unit_test_setup(test_second_installment, setup),
	    cmocka_unit_test_setup(test_two_overdue, setup),
	    cmocka_unit_test_setup(test_renewal, setup),
	    cmocka_unit_test_setup(test_circuit_state, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
