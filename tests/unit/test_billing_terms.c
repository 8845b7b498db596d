/*
 * test_billing_terms: terms and schedules (clauses 2.2, 2.3.1, 11.1):
 * term_schedules, month ends, renewals from their anchor, installments
 * due before their term, terms billed ahead and withdrawn.
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

/* A renewed term with a schedule of its own (term_schedules): its
 * installments replace the repeated ones, indexes 101, 102, ... */
static void
test_term_schedule(void **state)
{
	static struct ll_installment own[1];
	static struct ll_term_schedule ts;
	struct billing_contract bc;

	(void)state;
	own[0] = (struct ll_installment){1, d("2023-03-31"), 45000000};
	ts = (struct ll_term_schedule){2, own, 1};
	contract.term_schedules = &ts;
	contract.n_term_schedules = 1;
	add(ENTRY_PAYMENT, "2022-12-01", 45000000, 0);
	run("2023-04-05", &bc);
	assert_int_equal(bc.n_installments, 3);
	assert_int_equal(bc.installments[2].index, 101);
	assert_int_equal(bc.installments[2].due, d("2023-03-31"));
	assert_int_equal(bc.installments[2].amount, 45000000);
	assert_int_equal(bc.installments[2].days_overdue, 5);
	assert_int_equal(bc.late_fee, 5 * 1350000);
	billing_contract_free(&bc);
	contract.term_schedules = NULL;
	contract.n_term_schedules = 0;
}

/* Issue 12, defect 2: a monthly term starting on the 31st bills twelve
 * months, each derived from the term's start (clamped to the month's
 * last day), not stepped from the month before (31, 28, then the 28th
 * for ever, a thirteenth month); every renewal likewise. */
static void
test_monthly_end_of_month(void **state)
{
	static const char *const due1[12] = {
	    "2023-02-05", "2023-03-05", "2023-04-05", "2023-05-05",
	    "2023-06-05", "2023-07-05", "2023-08-05", "2023-09-05",
	    "2023-10-05", "2023-11-05", "2023-12-05", "2024-01-05"};
	struct billing_contract bc;

	(void)state;
	contract.billing_mode = LL_BILLING_MONTHLY;
	contract.term_start = d("2023-01-31");
	contract.term_end = d("2024-01-30");
	contract.installments = NULL;
	contract.n_installments = 0;
	/* On the term's last due day: from 2024-01-06 the renewal is billed
	 * too, 30 days before its first installment (defect 4). */
	run("2024-01-05", &bc);
	assert_int_equal(bc.term_number, 1);
	assert_int_equal(bc.n_installments, 12);
	for (size_t i = 0; i < 12; i++) {
		assert_int_equal(bc.installments[i].index, i + 1);
		assert_int_equal(bc.installments[i].due, d(due1[i]));
	}
	assert_int_equal(bc.outstanding, 45000000);
	billing_contract_free(&bc);

	/* The renewal starts on the 31st too and bills twelve months:
	 * 2024-01-31, 2024-02-29, 2024-03-31, ... 2024-12-31. */
	run("2025-01-05", &bc);
	assert_int_equal(bc.term_number, 2);
	assert_int_equal(bc.term_start, d("2024-01-31"));
	assert_int_equal(bc.term_end, d("2025-01-30"));
	assert_int_equal(bc.n_installments, 24);
	assert_int_equal(bc.installments[12].index, 101);
	assert_int_equal(bc.installments[12].due, d("2024-02-05"));
	assert_int_equal(bc.installments[13].due, d("2024-03-05"));
	assert_int_equal(bc.installments[23].index, 112);
	assert_int_equal(bc.installments[23].due, d("2025-01-05"));
	assert_int_equal(bc.outstanding, 2 * 45000000);
	billing_contract_free(&bc);

	/* Ten renewals on, still twelve a term and still on the 31st. */
	run("2034-01-31", &bc);
	assert_int_equal(bc.term_number, 12);
	assert_int_equal(bc.term_start, d("2034-01-31"));
	assert_int_equal(bc.n_installments, 12 * 12);
	assert_int_equal(bc.installments[11 * 12].index, 1101);
	assert_int_equal(bc.installments[11 * 12].due, d("2034-02-05"));
	billing_contract_free(&bc);
}

/* Issue 12, defect 2: renewal terms are derived from the first renewal's
 * start (the day after the configured term), not stepped from the term
 * before: a renewal starting on 2024-02-29 puts the fifth renewal on
 * 2028-02-29, not on the 28th (clause 11.1, 12 months at a time). */
static void
test_renewal_from_anchor(void **state)
{
	struct billing_contract bc;
	ll_day start, end;

	(void)state;
	contract.term_start = d("2023-03-01");
	contract.term_end = d("2024-02-28");
	schedule[0].due = d("2023-12-31");
	schedule[1].due = d("2024-02-28");
	add(ENTRY_PAYMENT, "2023-03-01", 45000000 * 6LL, 0);
	run("2028-02-28", &bc);
	assert_int_equal(bc.term_number, 5);
	assert_int_equal(bc.term_start, d("2027-02-28"));
	assert_int_equal(bc.term_end, d("2028-02-28"));
	billing_contract_free(&bc);
	run("2028-02-29", &bc);
	assert_int_equal(bc.term_number, 6);
	assert_int_equal(bc.term_start, d("2028-02-29"));
	assert_int_equal(bc.term_end, d("2029-02-27"));
	billing_contract_free(&bc);

	/* The model says the same (config/cfg_contract.c checks term_schedules
	 * by it). */
	model_term_bounds(&contract, 1, &start, &end);
	assert_int_equal(start, d("2023-03-01"));
	assert_int_equal(end, d("2024-02-28"));
	model_term_bounds(&contract, 2, &start, &end);
	assert_int_equal(start, d("2024-02-29"));
	assert_int_equal(end, d("2025-02-27"));
	model_term_bounds(&contract, 6, &start, &end);
	assert_int_equal(start, d("2028-02-29"));
	assert_int_equal(end, d("2029-02-27"));

	/* Month-long renewals from the 31st: 01-31, 02-28, 03-31, 04-30. */
	contract.term_start = d("2022-12-31");
	contract.term_end = d("2023-01-30");
	contract.renew_months = 1;
	contract.notice_days = 0;
	model_term_bounds(&contract, 3, &start, &end);
	assert_int_equal(start, d("2023-02-28"));
	assert_int_equal(end, d("2023-03-30"));
	model_term_bounds(&contract, 4, &start, &end);
	assert_int_equal(start, d("2023-03-31"));
	assert_int_equal(end, d("2023-04-29"));
	model_term_bounds(&contract, 5, &start, &end);
	assert_int_equal(start, d("2023-04-30"));
	assert_int_equal(end, d("2023-05-30"));
}

/* An installment due before the replay's first day (the loader allows 12
 * months before the term) accrues its late fee all the same: a replay
 * that visits only the installments with a day still to come must not
 * leave it behind before it starts accruing (issue 12, defect 11). */
static void
test_due_before_term_accrues(void **state)
{
	struct billing_contract bc;

	(void)state;
	schedule[0].due = d("2021-12-25");
	/* its suspension day too is behind: 2021-12-27 */
	contract.suspend_after_days = 1;
	run("2022-03-01", &bc);
	assert_int_equal(bc.installments[0].state, INSTALLMENT_OVERDUE);
	assert_true(bc.installments[0].late_fee >=
		    (d("2022-03-01") - d("2022-01-01") + 1) * 1078800LL);
	assert_int_equal(bc.late_fee, bc.installments[0].late_fee);
	billing_contract_free(&bc);
}

/* The events of installment `index` of kind `kind`, in order, into
 * days[] (and their `days` field into counts[]); returns how many. */
static size_t
events_of(const struct billing_contract *bc, uint32_t index,
	  enum billing_event_kind kind, ll_day *days, int32_t *counts,
	  size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < bc->n_events; i++) {
		const struct billing_event *ev = &bc->events[i];

		if (ev->installment != index || ev->kind != kind)
			continue;
		assert_true(n < max);
		days[n] = ev->day;
		counts[n] = ev->days;
		n++;
	}
	return n;
}

/* Issue 12, defect 4: installment 1 due a week before its term starts
 * (2021-12-25 for 2022-01-01), so the renewed installment 101 is due
 * 2022-12-25, before the renewed term starts.  Each installment exists
 * from when its due date approaches: its reminders, its due date and its
 * first day overdue are told on their days, and its late fee counts every
 * day it is overdue. */
static void
test_due_before_term(void **state)
{
	struct billing_contract bc;
	ll_day days[8];
	int32_t counts[8];
	const ll_fen daily = 1078800; /* 3% of 359,600.00 */

	(void)state;
	schedule[0].due = d("2021-12-25");
	schedule[1].due = d("2022-06-01");
	contract.due_soon_days[0] = 30;
	contract.due_soon_days[1] = 7;
	contract.due_soon_days[2] = 1;
	contract.n_due_soon_days = 3;
	/* the first term paid in full before it starts */
	add(ENTRY_PAYMENT, "2021-12-20", 45000000, 0);

	/* not yet billed the day before the 30-day reminder */
	run("2022-11-24", &bc);
	assert_int_equal(bc.n_installments, 2);
	assert_int_equal(bc.state, BILLING_UP_TO_DATE);
	billing_contract_free(&bc);

	/* 2022-12-26, still in the first term: 101 is 1 day overdue */
	run("2022-12-26", &bc);
	assert_int_equal(bc.term_number, 1);
	assert_int_equal(bc.n_installments, 4);
	assert_int_equal(bc.installments[2].index, 101);
	assert_int_equal(bc.installments[2].term, 2);
	assert_int_equal(bc.installments[2].due, d("2022-12-25"));
	assert_int_equal(bc.installments[2].state, INSTALLMENT_OVERDUE);
	assert_int_equal(bc.installments[2].days_overdue, 1);
	assert_int_equal(bc.installments[2].late_fee, daily);
	assert_int_equal(bc.state, BILLING_OVERDUE);
	assert_int_equal(bc.overdue, 35960000);
	billing_contract_free(&bc);

	/* 2023-01-25: the 31st day overdue, suspended; the late fee is 31
	 * days of it, as many as the days overdue shown */
	assert_int_equal(billing_evaluate(&contract, entries, n_entries,
					  d("2023-01-25"), d("2023-01-25"),
					  &bc),
			 0);
	assert_int_equal(bc.service, SERVICE_SUSPENDED);
	assert_int_equal(bc.suspended_since, d("2023-01-25"));
	assert_int_equal(bc.installments[2].days_overdue, 31);
	assert_int_equal(bc.days_overdue, 31);
	assert_int_equal(bc.installments[2].late_fee, 31 * daily);
	assert_int_equal(bc.late_fee, 31 * daily);

	/* installment 1, due before the first term: reminded, then paid
	 * before its 1-day reminder; due on its day; never overdue */
	assert_int_equal(
	    events_of(&bc, 1, BILLING_EV_DUE_SOON, days, counts, 8), 2);
	assert_int_equal(days[0], d("2021-11-25"));
	assert_int_equal(counts[0], 30);
	assert_int_equal(days[1], d("2021-12-18"));
	assert_int_equal(counts[1], 7);
	assert_int_equal(events_of(&bc, 1, BILLING_EV_DUE, days, counts, 8), 1);
	assert_int_equal(days[0], d("2021-12-25"));
	assert_int_equal(events_of(&bc, 1, BILLING_EV_OVERDUE, days, counts, 8),
			 0);

	/* installment 101: 30, 7 and 1 days before, due, overdue */
	assert_int_equal(
	    events_of(&bc, 101, BILLING_EV_DUE_SOON, days, counts, 8), 3);
	assert_int_equal(days[0], d("2022-11-25"));
	assert_int_equal(counts[0], 30);
	assert_int_equal(days[1], d("2022-12-18"));
	assert_int_equal(counts[1], 7);
	assert_int_equal(days[2], d("2022-12-24"));
	assert_int_equal(counts[2], 1);
	assert_int_equal(events_of(&bc, 101, BILLING_EV_DUE, days, counts, 8),
			 1);
	assert_int_equal(days[0], d("2022-12-25"));
	assert_int_equal(
	    events_of(&bc, 101, BILLING_EV_OVERDUE, days, counts, 8), 1);
	assert_int_equal(days[0], d("2022-12-26"));
	for (size_t i = 0; i < bc.n_events; i++)
		if (bc.events[i].kind == BILLING_EV_SUSPENDED) {
			assert_int_equal(bc.events[i].day, d("2023-01-25"));
			assert_int_equal(bc.events[i].days, 31);
			assert_int_equal(bc.events[i].late_fee, 31 * daily);
		}
	billing_contract_free(&bc);
}

/* Clause 11.1: installments billed ahead of a term that, as things
 * stood, would renew are withdrawn by a notice given in time: what was
 * paid on them is a credit again, their late fee is gone, and the
 * contract ends with its term. */
static void
test_notice_withdraws_billed_ahead(void **state)
{
	struct billing_contract bc;

	(void)state;
	schedule[0].due = d("2021-09-15");
	schedule[1].due = d("2022-06-01");
	add(ENTRY_PAYMENT, "2021-09-01", 35960000, 0);
	add(ENTRY_PAYMENT, "2022-05-01", 9040000, 0);
	/* toward 101 (due 2022-09-15), not yet due */
	add(ENTRY_PAYMENT, "2022-09-10", 10000000, 0);
	add(ENTRY_NOTICE, "2022-09-20", 0, 0);

	run("2022-09-19", &bc);
	assert_int_equal(bc.n_installments, 4);
	assert_int_equal(bc.installments[2].index, 101);
	assert_int_equal(bc.installments[2].paid, 10000000);
	assert_int_equal(bc.installments[2].days_overdue, 4);
	assert_int_equal(bc.late_fee,
			 4 * billing_daily_late_fee(25960000, 30000));
	billing_contract_free(&bc);

	run("2022-09-25", &bc);
	assert_true(bc.notice_given);
	assert_int_equal(bc.n_installments, 2);
	assert_int_equal(bc.credit, 10000000);
	assert_int_equal(bc.outstanding, 0);
	assert_int_equal(bc.late_fee, 0);
	assert_int_equal(bc.state, BILLING_UP_TO_DATE);
	billing_contract_free(&bc);

	run("2023-01-01", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	assert_int_equal(bc.n_installments, 2);
	billing_contract_free(&bc);
}

/* Issue 13, item 2: a termination withdraws the installments billed
 * ahead of a term that will never come, like a notice: installment 101
 * (due 2022-09-15, term 2's) billed ahead and partly paid is withdrawn
 * with its late fee by a termination on 2022-09-20, what was paid on it
 * a credit; installments 1 and 2, of the running term, were due before
 * the termination and stay paid. */
static void
test_termination_withdraws_billed_ahead(void **state)
{
	struct billing_contract bc;

	(void)state;
	schedule[0].due = d("2021-09-15");
	schedule[1].due = d("2022-06-01");
	add(ENTRY_PAYMENT, "2021-09-01", 35960000, 0);
	add(ENTRY_PAYMENT, "2022-05-01", 9040000, 0);
	add(ENTRY_PAYMENT, "2022-09-10", 10000000, 0);
	add(ENTRY_TERMINATE, "2022-09-20", 0, REASON_VIOLATION);
	run("2022-09-19", &bc);
	assert_int_equal(bc.n_installments, 4);
	billing_contract_free(&bc);

	run("2023-06-01", &bc);
	assert_int_equal(bc.service, SERVICE_TERMINATED);
	assert_int_equal(bc.n_installments, 2);
	assert_int_equal(bc.credit, 10000000);
	assert_int_equal(bc.outstanding, 0);
	assert_int_equal(bc.late_fee, 0);
	billing_contract_free(&bc);
}

/* An event fires on the day its state is reached, also when that is
 * after the day it would have fallen on: a renewed term billed by its
 * own schedule, due before the configured term's only installment, with
 * a 400-day reminder, exists from the first day of the replay; its
 * 400-day reminder is told that day, with the days then left. */
static void
test_reminder_reached_late(void **state)
{
	static struct ll_installment own[1];
	static struct ll_term_schedule ts;
	struct billing_contract bc;
	ll_day days[8];
	int32_t counts[8];

	(void)state;
	schedule[0] = (struct ll_installment){1, d("2023-06-01"), 45000000};
	contract.n_installments = 1;
	own[0] = (struct ll_installment){1, d("2023-01-10"), 45000000};
	ts = (struct ll_term_schedule){2, own, 1};
	contract.term_schedules = &ts;
	contract.n_term_schedules = 1;
	contract.due_soon_days[0] = 400;
	contract.due_soon_days[1] = 30;
	contract.n_due_soon_days = 2;
	assert_int_equal(billing_evaluate(&contract, NULL, 0, d("2022-01-01"),
					  d("2023-01-11"), &bc),
			 0);
	assert_int_equal(
	    events_of(&bc, 101, BILLING_EV_DUE_SOON, days, counts, 8), 2);
	assert_int_equal(days[0], d("2022-01-01"));
	assert_int_equal(counts[0], d("2023-01-10") - d("2022-01-01"));
	assert_int_equal(days[1], d("2022-12-11"));
	assert_int_equal(counts[1], 30);
	assert_int_equal(events_of(&bc, 101, BILLING_EV_DUE, days, counts, 8),
			 1);
	assert_int_equal(days[0], d("2023-01-10"));
	assert_int_equal(
	    events_of(&bc, 101, BILLING_EV_OVERDUE, days, counts, 8), 1);
	assert_int_equal(days[0], d("2023-01-11"));
	billing_contract_free(&bc);
	contract.term_schedules = NULL;
	contract.n_term_schedules = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_term_schedule, setup),
	    cmocka_unit_test_setup(test_monthly_end_of_month, setup),
	    cmocka_unit_test_setup(test_renewal_from_anchor, setup),
	    cmocka_unit_test_setup(test_due_before_term_accrues, setup),
	    cmocka_unit_test_setup(test_due_before_term, setup),
	    cmocka_unit_test_setup(test_notice_withdraws_billed_ahead, setup),
	    cmocka_unit_test_setup(test_termination_withdraws_billed_ahead,
				   setup),
	    cmocka_unit_test_setup(test_reminder_reached_late, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
