/*
 * test_billing: the billing clock against DIGEST.md's worked timeline:
 * late fees, suspension, termination, payments, reversals, decisions,
 * notices and reminders.
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

/* Paid on the due date: never overdue, no fee. */
static void
test_paid_on_due_date(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2022-12-31", 35960000, 0);
	run("2023-03-01", &bc);
	assert_int_equal(bc.installments[0].state, INSTALLMENT_PAID);
	assert_int_equal(bc.installments[0].paid_on, d("2022-12-31"));
	assert_int_equal(bc.late_fee, 0);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.state, BILLING_UP_TO_DATE);
	assert_int_equal(bc.next_due, d("2023-06-01"));
	billing_contract_free(&bc);
}

/* Principal paid on the 31st day overdue: suspended that day all the
 * same, and still suspended while the 31 days of late fee are owed
 * (clause 2.3.5); paying them lifts it and clears everything. */
static void
test_paid_on_day_31(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2023-01-31", 35960000, 0);
	run("2023-01-31", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.suspended_since, d("2023-01-31"));
	assert_int_equal(bc.late_fee, 33442800);
	assert_int_equal(bc.overdue, 0);
	billing_contract_free(&bc);

	add(ENTRY_PAYMENT, "2023-02-01", 33442800, 0);
	run("2023-02-10", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.late_fee, 0);
	assert_int_equal(bc.installments[0].late_fee_paid, 33442800);
	assert_int_equal(bc.state, BILLING_UP_TO_DATE);
	billing_contract_free(&bc);
}

/* Paid on day 30: the fee is 30 days. */
static void
test_paid_on_day_30(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2023-01-30", 35960000, 0);
	run("2023-02-15", &bc);
	assert_int_equal(bc.late_fee, 30 * 1078800);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	billing_contract_free(&bc);
}

/* Partial payment: the fee follows what is still unpaid. */
static void
test_partial_payment(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2023-01-10", 20000000, 0);
	run("2023-01-20", &bc);
	/* 10 days on 359,600.00, then 10 on 159,600.00 */
	assert_int_equal(bc.late_fee, 10 * 1078800 + 10 * 478800);
	assert_int_equal(bc.installments[0].outstanding, 15960000);
	assert_int_equal(bc.installments[0].state, INSTALLMENT_OVERDUE);
	billing_contract_free(&bc);
}

/* Issue 3's "done when": suspended on 2023-01-31, the arrears and the
 * late fee paid, active again. */
static void
test_payment_after_suspension(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2023-02-05", 35960000 + 36 * 1078800, 0);
	run("2023-02-04", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	billing_contract_free(&bc);
	run("2023-02-05", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.reason, REASON_NONE);
	assert_int_equal(bc.late_fee, 0);
	assert_int_equal(bc.suspended_since, LL_NO_DAY);
	billing_contract_free(&bc);
}

/* Principal paid, late fee not: still suspended (clause 2.3.5). */
static void
test_fee_unpaid_keeps_suspension(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2023-02-05", 35960000, 0);
	run("2023-02-06", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.overdue, 0);
	assert_int_equal(bc.late_fee, 36 * 1078800);
	billing_contract_free(&bc);
}

/* After termination became possible, paying everything still restores. */
static void
test_payment_after_termination_possible(void **state)
{
	struct billing_contract bc;
	ll_fen fee = (d("2023-04-10") - d("2022-12-31")) * 1078800LL;

	(void)state;
	run("2023-04-10", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATION_POSSIBLE);
	assert_int_equal(bc.late_fee, fee);
	billing_contract_free(&bc);
	add(ENTRY_PAYMENT, "2023-04-10", 35960000 + fee, 0);
	run("2023-04-10", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	billing_contract_free(&bc);
}

/* A reversal takes the payment out as if never recorded. */
static void
test_reversal(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2022-12-20", 35960000, 0);
	add(ENTRY_REVERSAL, "2023-01-05", 0, 0);
	entries[1].reverses = entries[0].id;
	run("2023-01-04", &bc);
	assert_int_equal(bc.installments[0].state, INSTALLMENT_PAID);
	billing_contract_free(&bc);
	run("2023-01-31", &bc);
	assert_int_equal(bc.installments[0].state, INSTALLMENT_OVERDUE);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.late_fee, 33442800);
	assert_int_equal(bc.paid, 0);
	billing_contract_free(&bc);
}

/* A person's suspension, with reason and note, lifted only by a person;
 * termination by a person ends everything. */
static void
test_manual_decisions(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2022-12-01", 45000000, 0);
	add(ENTRY_SUSPEND, "2023-03-01", 0, REASON_VIOLATION);
	run("2023-03-02", &bc);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.reason, REASON_VIOLATION);
	assert_string_equal(bc.note, "lines used for transit");
	assert_int_equal(bc.suspended_since, d("2023-03-01"));
	assert_int_equal(bc.termination_date, LL_NO_DAY);
	billing_contract_free(&bc);

	add(ENTRY_RESUME, "2023-03-10", 0, 0);
	run("2023-03-10", &bc);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_null(bc.note);
	billing_contract_free(&bc);

	add(ENTRY_TERMINATE, "2023-05-01", 0, REASON_REGULATORY);
	run("2023-05-01", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	assert_int_equal(bc.state, BILLING_TERMINATED);
	assert_int_equal(bc.reason, REASON_REGULATORY);
	billing_contract_free(&bc);
}

/* Clause 11.1 with a notice: given on the deadline, the term ends;
 * given a day late, it is for the next term. */
static void
test_notice(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_NOTICE, "2022-10-02", 0, 0);
	add(ENTRY_PAYMENT, "2022-12-01", 45000000, 0);
	run("2022-12-31", &bc);
	assert_true(bc.notice_given);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	billing_contract_free(&bc);
	run("2023-01-01", &bc);
	assert_int_equal(bc.term_number, 1);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	billing_contract_free(&bc);

	entries[0].day = d("2022-10-03");
	run("2023-01-01", &bc);
	assert_int_equal(bc.term_number, 2);
	assert_true(bc.notice_given);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	billing_contract_free(&bc);
	run("2024-01-01", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	billing_contract_free(&bc);
}

/* A renewed term repeats the schedule 12 months later; indexes of the
 * configured term do not move. */
static void
test_renewed_schedule(void **state)
{
	struct billing_contract bc;

	(void)state;
	add(ENTRY_PAYMENT, "2022-12-01", 45000000, 0);
	run("2023-12-01", &bc);
	assert_int_equal(bc.n_installments, 4);
	assert_int_equal(bc.installments[0].index, 1);
	assert_int_equal(bc.installments[1].index, 2);
	assert_int_equal(bc.installments[2].index, 101);
	assert_int_equal(bc.installments[2].term, 2);
	assert_int_equal(bc.installments[2].due, d("2023-12-31"));
	assert_int_equal(bc.installments[3].due, d("2024-06-01"));
	assert_int_equal(bc.installments[2].state, INSTALLMENT_DUE_SOON);
	assert_int_equal(bc.outstanding, 45000000);
	billing_contract_free(&bc);
}

/* Leap day: a schedule on 2024-02-29 moves to 2025-02-28; day counts
 * across February of a leap year. */
static void
test_leap_day(void **state)
{
	struct billing_contract bc;

	(void)state;
	contract.term_start = d("2024-01-01");
	contract.term_end = d("2024-12-31");
	schedule[0].due = d("2024-02-29");
	schedule[1].due = d("2024-06-01");
	run("2024-03-31", &bc);
	assert_int_equal(bc.installments[0].days_overdue, 31);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.suspended_since, d("2024-03-31"));
	billing_contract_free(&bc);
	add(ENTRY_PAYMENT, "2024-01-01", 45000000, 0);
	run("2025-01-01", &bc);
	assert_int_equal(bc.installments[2].due, d("2025-02-28"));
	billing_contract_free(&bc);
}

/* Both rates reproduce DIGEST.md's table over a whole suspension. */
static void
test_per_mille(void **state)
{
	struct billing_contract bc;

	(void)state;
	contract.late_fee_ppm = 3000;
	run("2023-01-31", &bc);
	assert_int_equal(bc.late_fee, 31 * 107880);
	billing_contract_free(&bc);
}

/* General terms 2.3.1/2.3.2: monthly postpaid, due on the 5th. */
static void
test_monthly(void **state)
{
	struct billing_contract bc;

	(void)state;
	contract.billing_mode = LL_BILLING_MONTHLY;
	contract.annual_fee = 45000001; /* one fen for the twelfth month */
	run("2022-02-06", &bc);
	assert_int_equal(bc.n_installments, 12);
	assert_int_equal(bc.installments[0].due, d("2022-02-05"));
	assert_int_equal(bc.installments[0].amount, 3750000);
	assert_int_equal(bc.installments[11].due, d("2023-01-05"));
	assert_int_equal(bc.installments[11].amount, 3750001);
	assert_int_equal(bc.installments[0].days_overdue, 1);
	billing_contract_free(&bc);
}

/* The timeline: DIGEST.md's dates, past and projected. */
static void
test_timeline(void **state)
{
	struct billing_contract bc;
	static const struct {
		const char *day;
		enum billing_event_kind kind;
		uint32_t installment;
	} want[] = {
	    {"2022-10-02", BILLING_EV_NOTICE_DEADLINE, 0},
	    {"2022-12-31", BILLING_EV_DUE, 1},
	    {"2023-01-01", BILLING_EV_RENEWED, 0},
	    {"2023-01-01", BILLING_EV_OVERDUE, 1},
	    {"2023-01-31", BILLING_EV_SUSPENDED, 0},
	    {"2023-04-01", BILLING_EV_TERMINATION_POSSIBLE, 0},
	    {"2023-06-01", BILLING_EV_DUE, 2},
	    {"2023-06-02", BILLING_EV_OVERDUE, 2},
	    {"2023-10-02", BILLING_EV_NOTICE_DEADLINE, 0},
	};
	size_t k = 0;

	(void)state;
	assert_int_equal(billing_evaluate(&contract, NULL, 0, d("2022-06-01"),
					  d("2023-12-01"), &bc),
			 0);
	for (size_t i = 0; i < bc.n_events && k < 9; i++) {
		if (bc.events[i].kind == BILLING_EV_PAID ||
		    bc.events[i].kind == BILLING_EV_PAYMENT)
			continue;
		assert_int_equal(bc.events[i].day, d(want[k].day));
		assert_int_equal(bc.events[i].kind, want[k].kind);
		assert_int_equal(bc.events[i].installment, want[k].installment);
		k++;
	}
	assert_int_equal(k, 9);
	/* the suspension carries the arrears and the late fee of its day */
	assert_int_equal(bc.events[4].amount, 35960000);
	assert_int_equal(bc.events[4].late_fee, 33442800);
	assert_int_equal(bc.events[4].reason, REASON_NONPAYMENT);
	assert_int_equal(bc.events[4].days, 31);
	assert_int_equal(bc.events[4].about, d("2023-04-01"));
	/* termination possible names the suspension date */
	assert_int_equal(bc.events[5].about, d("2023-01-31"));
	assert_int_equal(bc.events[5].days, d("2023-04-01") - d("2022-12-31"));
	billing_contract_free(&bc);
}

/* Reminders (issue 4): 30, 7 and 1 days before each unpaid due date; 60,
 * 30 and 7 days before the notice deadline of a term that renews; none
 * for an installment already paid. */
static void
test_reminders(void **state)
{
	struct billing_contract bc;
	static const struct {
		const char *day;
		enum billing_event_kind kind;
		int32_t days;
	} want[] = {
	    {"2022-08-03", BILLING_EV_NOTICE_DUE, 60},
	    {"2022-09-02", BILLING_EV_NOTICE_DUE, 30},
	    {"2022-09-25", BILLING_EV_NOTICE_DUE, 7},
	    {"2022-12-01", BILLING_EV_DUE_SOON, 30},
	    {"2022-12-24", BILLING_EV_DUE_SOON, 7},
	    {"2022-12-30", BILLING_EV_DUE_SOON, 1},
	};
	size_t k = 0;

	(void)state;
	contract.due_soon_days[0] = 30;
	contract.due_soon_days[1] = 7;
	contract.due_soon_days[2] = 1;
	contract.n_due_soon_days = 3;
	contract.notice_reminder_days[0] = 60;
	contract.notice_reminder_days[1] = 30;
	contract.notice_reminder_days[2] = 7;
	contract.n_notice_reminder_days = 3;
	assert_int_equal(billing_evaluate(&contract, entries, n_entries,
					  d("2022-07-01"), d("2023-06-30"),
					  &bc),
			 0);
	for (size_t i = 0; i < bc.n_events; i++) {
		const struct billing_event *ev = &bc.events[i];

		if (ev->kind != BILLING_EV_DUE_SOON &&
		    ev->kind != BILLING_EV_NOTICE_DUE)
			continue;
		if (ev->day > d("2022-12-31"))
			break;
		assert_true(k < 6);
		assert_int_equal(ev->day, d(want[k].day));
		assert_int_equal(ev->kind, want[k].kind);
		assert_int_equal(ev->days, want[k].days);
		if (ev->kind == BILLING_EV_DUE_SOON) {
			assert_int_equal(ev->installment, 1);
			assert_int_equal(ev->amount, 35960000);
		}
		k++;
	}
	assert_int_equal(k, 6);
	billing_contract_free(&bc);

	/* installment 1 paid early: no reminder for it */
	add(ENTRY_PAYMENT, "2022-06-01", 35960000, 0);
	assert_int_equal(billing_evaluate(&contract, entries, n_entries,
					  d("2022-07-01"), d("2022-12-31"),
					  &bc),
			 0);
	for (size_t i = 0; i < bc.n_events; i++)
		assert_false(bc.events[i].kind == BILLING_EV_DUE_SOON &&
			     bc.events[i].installment == 1);
	billing_contract_free(&bc);
}

/* Everything paid on the 31st day: suspended at the start of the day,
 * restored by the payment the same day, both events told in that order. */
static void
test_paid_in_full_on_day_31(void **state)
{
	struct billing_contract bc;
	int suspended = -1, restored = -1;

	(void)state;
	add(ENTRY_PAYMENT, "2023-01-31", 35960000 + 33442800, 0);
	assert_int_equal(billing_evaluate(&contract, entries, n_entries,
					  d("2023-01-31"), d("2023-01-31"),
					  &bc),
			 0);
	assert_int_equal(bc.service, SERVICE_ACTIVE);
	assert_int_equal(bc.late_fee, 0);
	for (size_t i = 0; i < bc.n_events; i++) {
		if (bc.events[i].kind == BILLING_EV_SUSPENDED)
			suspended = (int)i;
		if (bc.events[i].kind == BILLING_EV_RESTORED)
			restored = (int)i;
	}
	assert_true(suspended >= 0 && restored > suspended);
	assert_int_equal(bc.events[restored].day, d("2023-01-31"));
	/* what is left: installment 2 and the renewed term's two */
	assert_int_equal(bc.events[restored].amount, 9040000 + 45000000);
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
	    cmocka_unit_test_setup(test_paid_on_due_date, setup),
	    cmocka_unit_test_setup(test_paid_on_day_31, setup),
	    cmocka_unit_test_setup(test_paid_on_day_30, setup),
	    cmocka_unit_test_setup(test_partial_payment, setup),
	    cmocka_unit_test_setup(test_payment_after_suspension, setup),
	    cmocka_unit_test_setup(test_fee_unpaid_keeps_suspension, setup),
	    cmocka_unit_test_setup(test_payment_after_termination_possible,
				   setup),
	    cmocka_unit_test_setup(test_reversal, setup),
	    cmocka_unit_test_setup(test_manual_decisions, setup),
	    cmocka_unit_test_setup(test_notice, setup),
	    cmocka_unit_test_setup(test_renewed_schedule, setup),
	    cmocka_unit_test_setup(test_leap_day, setup),
	    cmocka_unit_test_setup(test_per_mille, setup),
	    cmocka_unit_test_setup(test_monthly, setup),
	    cmocka_unit_test_setup(test_timeline, setup),
	    cmocka_unit_test_setup(test_reminders, setup),
	    cmocka_unit_test_setup(test_paid_in_full_on_day_31, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
