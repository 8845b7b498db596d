/*
 * test_billing_end: the end of a contract (issue 13): expiry and
 * termination keep the debt, cancel or prorate, late_fee_cap and
 * renew_while_suspended.
 * The contract is built in memory (billing_fixture.c) so that these
 * tests depend on core/ alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/billing.h"
#include "core/day.h"
#include "core/money.h"
#include "billing_fixture.h"

/* A contract that ended with its term (notice given in time): what was
 * billed stays owed, falls due and, issue 13, accrues late fees after
 * the term's last day like any other debt (clauses 2.3.3, 11.1). */
static void
test_expired_contract(void **state)
{
	struct billing_contract bc;
	bool due2 = false, overdue2 = false;

	(void)state;
	add(ENTRY_NOTICE, "2022-09-01", 0, 0);
	assert_int_equal(billing_evaluate(&contract, entries, n_entries,
					  d("2023-07-01"), d("2023-07-01"),
					  &bc),
			 0);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	/* issue 13: 182 days on installment 1, 30 on installment 2 */
	assert_int_equal(bc.late_fee, 182 * 1078800 + 30 * 271200);
	assert_int_equal(bc.installments[1].state, INSTALLMENT_OVERDUE);
	assert_int_equal(bc.installments[1].days_overdue, 30);
	assert_int_equal(bc.overdue, 45000000);
	for (size_t i = 0; i < bc.n_events; i++) {
		due2 |= bc.events[i].kind == BILLING_EV_DUE &&
			bc.events[i].installment == 2 &&
			bc.events[i].day == d("2023-06-01");
		overdue2 |= bc.events[i].kind == BILLING_EV_OVERDUE &&
			    bc.events[i].installment == 2 &&
			    bc.events[i].day == d("2023-06-02");
	}
	assert_true(due2);
	assert_true(overdue2);
	billing_contract_free(&bc);
}

/* Issue 13, item 1, scenario 1: notice given on 2022-10-02 (the
 * deadline), nothing paid.  The contract expires 2022-12-31; the debt
 * does not: installment 1 accrues 10,788.00 a day, 1,974,204.00 by
 * 2023-07-02 (183 days), and installment 2, due 2023-06-01, falls
 * overdue and accrues 2,712.00 a day from 2023-06-02.  No second term. */
static void
test_expiry_keeps_debt(void **state)
{
	struct billing_contract bc;
	size_t overdue2 = 0;

	(void)state;
	add(ENTRY_NOTICE, "2022-10-02", 0, 0);
	run("2023-06-01", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	assert_int_equal(bc.n_installments, 2);
	assert_int_equal(bc.installments[0].late_fee, 152 * 1078800);
	assert_int_equal(bc.installments[1].late_fee, 0);
	assert_int_equal(bc.installments[1].state, INSTALLMENT_DUE_SOON);
	billing_contract_free(&bc);

	run("2023-06-02", &bc);
	assert_int_equal(bc.installments[1].late_fee, 271200);
	assert_int_equal(bc.installments[1].state, INSTALLMENT_OVERDUE);
	billing_contract_free(&bc);

	assert_int_equal(billing_evaluate(&contract, entries, n_entries,
					  d("2023-07-02"), d("2023-07-02"),
					  &bc),
			 0);
	assert_int_equal(bc.n_installments, 2);
	assert_int_equal(bc.installments[0].days_overdue, 183);
	assert_int_equal(bc.installments[0].late_fee, 197420400);
	assert_int_equal(bc.installments[1].late_fee, 31 * 271200);
	assert_int_equal(bc.late_fee, 197420400 + 31 * 271200);
	assert_int_equal(bc.arrears, 45000000 + 197420400 + 31 * 271200);
	assert_int_equal(bc.state, BILLING_TERMINATED);
	/* the first day overdue tells the fee billing accrued on it */
	for (size_t i = 0; i < bc.n_events; i++)
		if (bc.events[i].kind == BILLING_EV_OVERDUE &&
		    bc.events[i].installment == 2) {
			overdue2++;
			assert_int_equal(bc.events[i].day, d("2023-06-02"));
			assert_int_equal(bc.events[i].installment_late_fee,
					 271200);
		}
	assert_int_equal(overdue2, 1);
	billing_contract_free(&bc);
}

/* Issue 13, item 2, scenario 2: terminated on 2023-04-01 for nonpayment
 * (suspended 2023-01-31, termination possible that day).  Under
 * on_termination "cancel" (the default) nothing of term 2 falls due
 * after it: installments 101 and 102 are cancelled.  Installment 2,
 * term 1's, is owed for service rendered and falls due on its date;
 * installment 1 keeps accruing. */
static void
test_termination_cancel(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_TERMINATE, "2023-04-01", 0, REASON_NONPAYMENT);
	run("2023-03-31", &bc);
	assert_int_equal(bc.n_installments, 4); /* 1, 2, 101, 102 */
	billing_contract_free(&bc);

	run("2023-04-01", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	assert_int_equal(bc.n_installments, 2);
	assert_int_equal(bc.installments[1].index, 2);
	assert_int_equal(bc.outstanding, 45000000);
	assert_int_equal(bc.late_fee, 91 * 1078800);
	billing_contract_free(&bc);

	run("2024-07-01", &bc);
	assert_int_equal(bc.n_installments, 2);
	assert_int_equal(bc.outstanding, 45000000);
	assert_int_equal(bc.overdue, 45000000);
	assert_int_equal(bc.installments[0].late_fee,
			 (d("2024-07-01") - d("2022-12-31")) * 1078800);
	assert_int_equal(bc.installments[1].late_fee,
			 (d("2024-07-01") - d("2023-06-01")) * 271200);
	assert_int_equal(bc.reason, REASON_NONPAYMENT);
	billing_contract_free(&bc);
}

/* Issue 13, item 2: a terminated term's installment due on the
 * termination day stays; one paid and cancelled is a credit. */
static void
test_termination_cancel_credit(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2022-12-31", 45000000, 0);
	add(ENTRY_PAYMENT, "2023-01-05", 10000000, 0); /* on 101 */
	add(ENTRY_TERMINATE, "2023-06-01", 0, REASON_ADMINISTRATIVE);
	run("2024-07-01", &bc);
	assert_int_equal(bc.n_installments, 2);
	assert_int_equal(bc.outstanding, 0);
	assert_int_equal(bc.late_fee, 0);
	assert_int_equal(bc.credit, 10000000);
	billing_contract_free(&bc);
}

/* Issue 13, item 2, on_termination "prorate": term 2 (2023-01-01 to
 * 2023-12-31, 365 days, 450,000.00) served 90 days before its
 * termination on 2023-04-01 is worth 450,000.00 x 90 / 365 =
 * 110,958.904... rounded down, 110,958.90; installment 101 owes it on
 * its date, 102 goes. */
static void
test_termination_prorate(void **state)
{
	struct billing_contract bc;

	(void)state;
	contract.on_termination = LL_TERMINATION_PRORATE;
	add(ENTRY_TERMINATE, "2023-04-01", 0, REASON_NONPAYMENT);
	run("2023-04-01", &bc);
	assert_int_equal(bc.n_installments, 3);
	assert_int_equal(bc.installments[2].index, 101);
	assert_int_equal(bc.installments[2].amount, 11095890);
	assert_int_equal(bc.installments[2].due, d("2023-12-31"));
	assert_int_equal(bc.outstanding, 45000000 + 11095890);
	billing_contract_free(&bc);

	run("2024-01-01", &bc);
	assert_int_equal(bc.n_installments, 3);
	assert_int_equal(bc.installments[2].late_fee,
			 billing_daily_late_fee(11095890, 30000));
	billing_contract_free(&bc);

	/* paid ahead in full: what the days are not worth is a credit */
	n_entries = 0;
	add(ENTRY_PAYMENT, "2022-12-31", 90000000, 0);
	add(ENTRY_TERMINATE, "2023-04-01", 0, REASON_ADMINISTRATIVE);
	run("2023-04-01", &bc);
	assert_int_equal(bc.n_installments, 3);
	assert_int_equal(bc.installments[2].amount, 11095890);
	assert_int_equal(bc.installments[2].state, INSTALLMENT_PAID);
	assert_int_equal(bc.outstanding, 0);
	assert_int_equal(bc.credit, 45000000 - 11095890);
	billing_contract_free(&bc);
}

/* Issue 13, item 8: a cap on the late fee of each installment.  30% of
 * 359,600.00 is 107,880.00, ten days at 10,788.00: reached on
 * 2023-01-10, not a fen more after; installment 2's, 27,120.00, on
 * 2023-06-11.  An amount, 100,000.00: nine days are 97,092.00, the tenth
 * accrues the 2,908.00 left. */
static void
test_late_fee_cap(void **state)
{
	struct billing_contract bc;

	(void)state;
	contract.late_fee_cap_kind = LL_FEE_CAP_PERCENT;
	contract.late_fee_cap_ppm = 300000;
	run("2023-01-09", &bc);
	assert_int_equal(bc.late_fee, 9 * 1078800);
	billing_contract_free(&bc);
	run("2023-01-10", &bc);
	assert_int_equal(bc.late_fee, 10788000);
	billing_contract_free(&bc);
	run("2023-01-11", &bc);
	assert_int_equal(bc.late_fee, 10788000);
	billing_contract_free(&bc);
	run("2023-06-10", &bc);
	assert_int_equal(bc.installments[1].late_fee, 9 * 271200);
	billing_contract_free(&bc);
	run("2023-06-11", &bc);
	assert_int_equal(bc.installments[1].late_fee, 2712000);
	assert_int_equal(bc.late_fee, 10788000 + 2712000);
	billing_contract_free(&bc);
	run("2030-01-01", &bc);
	assert_int_equal(bc.installments[0].late_fee, 10788000);
	assert_int_equal(bc.installments[1].late_fee, 2712000);
	billing_contract_free(&bc);

	contract.late_fee_cap_kind = LL_FEE_CAP_AMOUNT;
	contract.late_fee_cap = 10000000;
	run("2023-01-09", &bc);
	assert_int_equal(bc.late_fee, 9709200);
	billing_contract_free(&bc);
	run("2023-01-10", &bc);
	assert_int_equal(bc.late_fee, 10000000);
	billing_contract_free(&bc);
	run("2023-01-31", &bc);
	assert_int_equal(bc.late_fee, 10000000);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	billing_contract_free(&bc);
}

/* Issue 13, item 8, the fen: 30% of 359,600.05 is 107,880.015, rounded
 * half up... to 107,880.02: the tenth day's 10,788.00 reaches 107,880.00,
 * the eleventh adds the last 2 fen.  A fee paid counts towards the cap:
 * after paying 50,000.00 of fees, the installment accrues up to the cap
 * and no further. */
static void
test_late_fee_cap_fen(void **state)
{
	struct billing_contract bc;

	(void)state;
	schedule[0].amount = 35960005;
	contract.late_fee_cap_kind = LL_FEE_CAP_PERCENT;
	contract.late_fee_cap_ppm = 300000;
	run("2023-01-10", &bc);
	assert_int_equal(bc.installments[0].late_fee, 10788000);
	billing_contract_free(&bc);
	run("2023-01-11", &bc);
	assert_int_equal(bc.installments[0].late_fee, 10788002);
	billing_contract_free(&bc);
	run("2023-01-12", &bc);
	assert_int_equal(bc.installments[0].late_fee, 10788002);
	billing_contract_free(&bc);

	/* 2023-01-05: 5 days accrued (5,394,000); 300,000.00 paid takes the
	 * fen of principal first: principal to 59,600.05, daily 1,788.00 */
	add(ENTRY_PAYMENT, "2023-01-05", 30000000, 0);
	run("2023-01-05", &bc);
	assert_int_equal(bc.installments[0].late_fee, 5 * 1078800);
	billing_contract_free(&bc);
	add(ENTRY_PAYMENT, "2023-01-06", 5960005 + 5394000 + 178800, 0);
	run("2023-01-06", &bc);
	assert_int_equal(bc.installments[0].outstanding, 0);
	assert_int_equal(bc.installments[0].late_fee, 0);
	assert_int_equal(bc.installments[0].late_fee_paid, 5394000 + 178800);
	billing_contract_free(&bc);
}

/* Issue 13, item 9: suspended since 2023-01-31, never paid.  As the text
 * reads (the default) terms 3 and 4 start on 2024-01-01 and 2025-01-01
 * while suspended and are billed, marked so: 14,020,128.00 of late fee
 * by 2025-01-01.  With
 * renew_while_suspended false the contract expires on 2023-12-31
 * instead; term 2, which began before the suspension, stays owed and
 * keeps accruing (item 1), term 3 never comes. */
static void
test_renew_while_suspended(void **state)
{
	struct billing_contract bc;
	size_t renewed = 0, expired = 0;

	(void)state;
	assert_int_equal(billing_evaluate(&contract, entries, n_entries,
					  d("2025-01-01"), d("2025-01-01"),
					  &bc),
			 0);
	assert_int_equal(bc.late_fee, 1402012800);
	assert_int_equal(bc.n_installments, 8); /* terms 1 to 4 */
	assert_int_equal(bc.term_number, 4);
	assert_true(bc.renewed_while_suspended);
	for (size_t i = 0; i < bc.n_events; i++)
		if (bc.events[i].kind == BILLING_EV_RENEWED) {
			renewed++;
			assert_int_equal(bc.events[i].reason,
					 bc.events[i].day == d("2023-01-01")
					     ? REASON_NONE
					     : REASON_NONPAYMENT);
		}
	assert_int_equal(renewed, 3);
	billing_contract_free(&bc);

	run("2023-06-01", &bc);
	assert_false(bc.renewed_while_suspended);
	billing_contract_free(&bc);

	contract.suspension_stops_renewal = true;
	run("2023-12-31", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATION_POSSIBLE);
	billing_contract_free(&bc);
	assert_int_equal(billing_evaluate(&contract, entries, n_entries,
					  d("2025-01-01"), d("2025-01-01"),
					  &bc),
			 0);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	assert_int_equal(bc.term_number, 2);
	assert_int_equal(bc.n_installments, 4);
	assert_false(bc.renewed_while_suspended);
	assert_true(bc.expired_while_suspended);
	assert_int_equal(bc.late_fee, 1402012800 - 1078800);
	for (size_t i = 0; i < bc.n_events; i++)
		if (bc.events[i].kind == BILLING_EV_EXPIRED) {
			expired++;
			assert_int_equal(bc.events[i].day, d("2024-01-01"));
			assert_int_equal(bc.events[i].reason,
					 REASON_NONPAYMENT);
		}
	assert_int_equal(expired, 1);
	billing_contract_free(&bc);
}

/* Issue 13, item 9, the edge: installment 1 due 2022-12-01 is 31 days
 * overdue on 2023-01-01, the day term 2 would begin: the suspension is in
 * force at the start of that day, when the renewal is decided. */
static void
test_renew_on_suspension_day(void **state)
{
	struct billing_contract bc;

	(void)state;
	schedule[0].due = d("2022-12-01");
	run("2023-01-01", &bc);
	assert_int_equal(bc.suspended_since, d("2023-01-01"));
	assert_int_equal(bc.term_number, 2);
	assert_true(bc.renewed_while_suspended);
	billing_contract_free(&bc);

	contract.suspension_stops_renewal = true;
	run("2022-12-31", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	billing_contract_free(&bc);
	run("2023-01-01", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	assert_true(bc.expired_while_suspended);
	assert_int_equal(bc.term_number, 1);
	assert_int_equal(bc.n_installments, 2);
	billing_contract_free(&bc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_expired_contract, setup),
	    cmocka_unit_test_setup(test_expiry_keeps_debt, setup),
	    cmocka_unit_test_setup(test_termination_cancel, setup),
	    cmocka_unit_test_setup(test_termination_cancel_credit, setup),
	    cmocka_unit_test_setup(test_termination_prorate, setup),
	    cmocka_unit_test_setup(test_late_fee_cap, setup),
	    cmocka_unit_test_setup(test_late_fee_cap_fen, setup),
	    cmocka_unit_test_setup(test_renew_while_suspended, setup),
	    cmocka_unit_test_setup(test_renew_on_suspension_day, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
