/*
 * test_billing_decided: suspension "decided" (issue 13; clauses 2.3.3,
 * 2.3.4, 7.1(4)): suspensionDue, a suspension recorded by a person,
 * reminders.
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

/* Issue 13, item 7: the events of kind k up to `day`, counted; the day
 * and `about` of the last one. */
static size_t
kind_events(ll_day day, enum billing_event_kind k, ll_day *on, ll_day *about)
{
	struct billing_contract bc;
	size_t n = 0;

	assert_int_equal(
	    billing_evaluate(&contract, entries, n_entries, day, day, &bc), 0);
	for (size_t i = 0; i < bc.n_events; i++) {
		if (bc.events[i].kind != k)
			continue;
		n++;
		if (on != NULL)
			*on = bc.events[i].day;
		if (about != NULL)
			*about = bc.events[i].about;
	}
	billing_contract_free(&bc);
	return n;
}

/* Issue 13, item 7, suspension "decided" (clauses 2.3.3, 2.3.4): with
 * installment 1 (359,600.00 due 2022-12-31) unpaid, 2023-01-30 is active
 * and overdue; 2023-01-31, the day "automatic" suspends, is only
 * suspensionDue, and stays so (no termination possible) while nothing
 * is recorded; the lines are served; late fees accrue to the fen as
 * under "automatic". */
static void
test_decided_suspension_due(void **state)
{
	struct ll_circuit ci = {.index = 1, .admin = LL_CIRCUIT_IN_SERVICE};
	struct billing_contract bc, automatic;
	const char *why;
	ll_day on = LL_NO_DAY;

	(void)state;
	contract.suspension = LL_SUSPENSION_DECIDED;
	run("2023-01-30", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.state, BILLING_OVERDUE);
	assert_int_equal(bc.days_overdue, 30);
	assert_int_equal(bc.suspension_due_since, LL_NO_DAY);
	assert_false(billing_may_suspend(&contract, &bc, &why));
	assert_non_null(strstr(why, "no reminder to pay was recorded"));
	billing_contract_free(&bc);

	run("2023-01-31", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENSION_DUE);
	assert_int_equal(bc.reason, REASON_NONPAYMENT);
	assert_int_equal(bc.state, BILLING_OVERDUE);
	assert_int_equal(bc.suspension_due_since, d("2023-01-31"));
	assert_int_equal(bc.suspended_since, LL_NO_DAY);
	assert_int_equal(bc.termination_date, LL_NO_DAY);
	assert_int_equal(bc.late_fee, 33442800);
	assert_int_equal(billing_circuit_state(&ci, &bc), CIRCUIT_ACTIVE);
	assert_true(billing_may_suspend(&contract, &bc, &why));
	assert_string_equal(billing_service_name(bc.service), "suspensionDue");
	billing_contract_free(&bc);
	assert_int_equal(
	    kind_events(d("2023-04-10"), BILLING_EV_SUSPENSION_DUE, &on, NULL),
	    1);
	assert_int_equal(on, d("2023-01-31"));
	assert_int_equal(
	    kind_events(d("2023-04-10"), BILLING_EV_SUSPENDED, NULL, NULL), 0);

	/* 60 days on, nothing recorded: still due, never termination
	 * possible; the late fee is the automatic one's */
	run("2023-04-10", &bc);
	contract.suspension = LL_SUSPENSION_AUTOMATIC;
	run("2023-04-10", &automatic);
	assert_int_equal(bc.service, SERVICE_SUSPENSION_DUE);
	assert_int_equal(bc.termination_date, LL_NO_DAY);
	assert_int_equal(automatic.service, SERVICE_TERMINATION_POSSIBLE);
	assert_int_equal(bc.late_fee, automatic.late_fee);
	assert_int_equal(bc.late_fee, 100 * 1078800);
	assert_int_equal(bc.outstanding, automatic.outstanding);
	billing_contract_free(&bc);
	billing_contract_free(&automatic);
}

/* Issue 13, item 7: a suspension for nonpayment recorded on 2023-02-03
 * suspends from that day; termination becomes possible 60 days into
 * it, as DIGEST.md counts them from a suspension (2023-01-31 + 60 =
 * 2023-04-01): 2023-02-03 + 60 = 2023-04-04.  Payment in full lifts it
 * (clause 2.3.5 as read). */
static void
test_decided_recorded(void **state)
{
	struct billing_contract bc;
	ll_day on = LL_NO_DAY, about = LL_NO_DAY;

	(void)state;
	contract.suspension = LL_SUSPENSION_DECIDED;
	add(ENTRY_SUSPEND, "2023-02-03", 0, REASON_NONPAYMENT);
	run("2023-02-02", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENSION_DUE);
	billing_contract_free(&bc);

	run("2023-02-03", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.reason, REASON_NONPAYMENT);
	assert_int_equal(bc.state, BILLING_SUSPENDED);
	assert_int_equal(bc.suspended_since, d("2023-02-03"));
	assert_int_equal(bc.termination_date, d("2023-04-04"));
	assert_int_equal(bc.suspension_due_since, LL_NO_DAY);
	assert_string_equal(bc.note, "lines used for transit");
	assert_int_equal(bc.late_fee, 34 * 1078800);
	billing_contract_free(&bc);
	assert_int_equal(
	    kind_events(d("2023-02-03"), BILLING_EV_SUSPENDED, &on, &about), 1);
	assert_int_equal(on, d("2023-02-03"));
	assert_int_equal(about, d("2023-04-04"));

	run("2023-04-03", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	billing_contract_free(&bc);
	run("2023-04-04", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATION_POSSIBLE);
	assert_int_equal(bc.state, BILLING_TERMINATION_POSSIBLE);
	billing_contract_free(&bc);
	assert_int_equal(kind_events(d("2023-04-04"),
				     BILLING_EV_TERMINATION_POSSIBLE, &on,
				     &about),
			 1);
	assert_int_equal(on, d("2023-04-04"));
	assert_int_equal(about, d("2023-02-03"));

	/* paid in full on 2023-02-10: 41 days of late fee */
	add(ENTRY_PAYMENT, "2023-02-10", 35960000 + 41 * 1078800, 0);
	run("2023-02-10", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.late_fee, 0);
	assert_int_equal(bc.termination_date, LL_NO_DAY);
	assert_null(bc.note);
	billing_contract_free(&bc);
	assert_int_equal(
	    kind_events(d("2023-02-10"), BILLING_EV_RESTORED, &on, NULL), 1);
	assert_int_equal(on, d("2023-02-10"));
}

/* Issue 13, item 7: paid in full before anything was recorded, the
 * contract is active again that day and the suspension due is over; a
 * suspension recorded after has no grounds and no effect. */
static void
test_decided_paid_before_recording(void **state)
{
	struct billing_contract bc;
	const char *why;

	(void)state;
	contract.suspension = LL_SUSPENSION_DECIDED;
	add(ENTRY_PAYMENT, "2023-02-02", 35960000 + 33 * 1078800, 0);
	add(ENTRY_SUSPEND, "2023-02-03", 0, REASON_NONPAYMENT);
	run("2023-02-02", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.reason, REASON_NONE);
	assert_int_equal(bc.suspension_due_since, LL_NO_DAY);
	assert_int_equal(bc.late_fee, 0);
	assert_false(billing_may_suspend(&contract, &bc, &why));
	assert_string_equal(why, "no installment is overdue");
	billing_contract_free(&bc);
	run("2023-02-05", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.suspended_since, LL_NO_DAY);
	billing_contract_free(&bc);
	assert_int_equal(
	    kind_events(d("2023-02-05"), BILLING_EV_RESTORED, NULL, NULL), 1);
	assert_int_equal(
	    kind_events(d("2023-02-05"), BILLING_EV_SUSPENDED, NULL, NULL), 0);
}

/* Issue 13, item 7, clause 7.1(4) "迟延付款，经乙方催告后仍不履行": a
 * reminder recorded on 2023-01-10, installment 1 overdue since
 * 2023-01-01 and still unpaid, lets a person suspend from the next day
 * (not on the reminder's own day), before the 31st day.  A reminder
 * sent before the due date is about nothing overdue and is no ground. */
static void
test_decided_reminder(void **state)
{
	struct billing_contract bc;
	const char *why;

	(void)state;
	contract.suspension = LL_SUSPENSION_DECIDED;
	add(ENTRY_REMINDER, "2022-12-20", 0, 0);
	run("2023-01-09", &bc);
	assert_int_equal(bc.reminders, 1);
	assert_int_equal(bc.last_reminder, d("2022-12-20"));
	assert_false(bc.reminder_unpaid);
	assert_false(billing_may_suspend(&contract, &bc, &why));
	billing_contract_free(&bc);

	add(ENTRY_REMINDER, "2023-01-10", 0, 0);
	add(ENTRY_SUSPEND, "2023-01-15", 0, REASON_NONPAYMENT);
	run("2023-01-10", &bc);
	assert_int_equal(bc.reminders, 2);
	assert_int_equal(bc.last_reminder, d("2023-01-10"));
	assert_false(bc.reminder_unpaid); /* no time to pay yet */
	assert_false(billing_may_suspend(&contract, &bc, &why));
	billing_contract_free(&bc);
	run("2023-01-11", &bc);
	assert_true(bc.reminder_unpaid);
	assert_true(billing_may_suspend(&contract, &bc, &why));
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	billing_contract_free(&bc);

	run("2023-01-15", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.reason, REASON_NONPAYMENT);
	assert_int_equal(bc.suspended_since, d("2023-01-15"));
	assert_int_equal(bc.termination_date, d("2023-03-16"));
	assert_int_equal(bc.late_fee, 15 * 1078800);
	billing_contract_free(&bc);
	/* the 31st day changes nothing: suspended already */
	run("2023-01-31", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.suspended_since, d("2023-01-15"));
	assert_int_equal(bc.suspension_due_since, LL_NO_DAY);
	assert_false(billing_may_suspend(&contract, &bc, &why));
	assert_string_equal(why, "it is suspended for nonpayment already");
	billing_contract_free(&bc);
	assert_int_equal(
	    kind_events(d("2023-01-31"), BILLING_EV_REMINDER, NULL, NULL), 2);
	assert_int_equal(
	    kind_events(d("2023-01-31"), BILLING_EV_SUSPENSION_DUE, NULL, NULL),
	    0);
}

/* Issue 13, item 7: under "automatic" (the default) a suspension for
 * nonpayment is computed; one in the ledger changes nothing, and a
 * person may not record one. */
static void
test_automatic_ignores_recorded(void **state)
{
	struct billing_contract bc;
	const char *why;

	(void)state;
	add(ENTRY_REMINDER, "2023-01-05", 0, 0);
	add(ENTRY_SUSPEND, "2023-01-15", 0, REASON_NONPAYMENT);
	run("2023-01-20", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_true(bc.reminder_unpaid);
	assert_false(billing_may_suspend(&contract, &bc, &why));
	assert_non_null(strstr(why, "automatic"));
	billing_contract_free(&bc);
	run("2023-01-31", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.suspended_since, d("2023-01-31"));
	assert_int_equal(bc.termination_date, d("2023-04-01"));
	assert_int_equal(bc.suspension_due_since, LL_NO_DAY);
	billing_contract_free(&bc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_decided_suspension_due, setup),
	    cmocka_unit_test_setup(test_decided_recorded, setup),
	    cmocka_unit_test_setup(test_decided_paid_before_recording, setup),
	    cmocka_unit_test_setup(test_decided_reminder, setup),
	    cmocka_unit_test_setup(test_automatic_ignores_recorded, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
