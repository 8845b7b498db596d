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
#include <string.h>

#include "core/billing.h"
#include "core/day.h"
#include "core/money.h"

static struct ll_installment schedule[2];
static struct ll_contract contract;
/* Ledger entries for a test, in day order. */
static struct entry entries[64];
static size_t n_entries;

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
	n_entries = 0;
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
	assert_int_equal(
	    billing_evaluate(&contract, NULL, 0, d(day), LL_NO_DAY, bc), 0);
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

static void
add_on(enum entry_kind kind, ll_day day, ll_fen amount, int reason)
{
	struct entry *e = &entries[n_entries];

	assert_true(n_entries < sizeof(entries) / sizeof(entries[0]));
	memset(e, 0, sizeof(*e));
	e->id = (int64_t)++n_entries;
	e->kind = kind;
	e->contract = "JSCZE2208138CGN00";
	e->day = day;
	e->amount = amount;
	e->reason = reason;
	e->note = kind == ENTRY_SUSPEND ? "lines used for transit" : "";
}

static void
add(enum entry_kind kind, const char *day, ll_fen amount, int reason)
{
	add_on(kind, d(day), amount, reason);
}

static void
run_on(ll_day day, struct billing_contract *bc)
{
	assert_int_equal(
	    billing_evaluate(&contract, entries, n_entries, day, LL_NO_DAY, bc),
	    0);
}

static void
run(const char *day, struct billing_contract *bc)
{
	run_on(d(day), bc);
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

	/* The model says the same (config.c checks term_schedules by it). */
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

/* Issue 12, defect 11: the replay's cost is linear in the installments.
 * Counted, not timed: bc.work is how many installments the replay
 * visited, and each installment may cost a bounded number of visits
 * whatever the day, so the work per installment is the same on
 * 4000-12-31 (3,958 installments) as on 9999-12-31 (15,956); a replay
 * that rescans every installment at each event grows fourfold.  The
 * figures are checked too: each installment's late fee is its days
 * overdue times its daily fee. */
static void
cost_check(const char *on, struct billing_contract *bc, size_t *per_inst)
{
	ll_fen sum = 0;
	ll_day today = d(on);

	assert_int_equal(billing_evaluate(&contract, entries, n_entries, today,
					  today + 365, bc),
			 0);
	assert_true(bc->n_installments > 1000);
	assert_true(bc->n_events > bc->n_installments);
	for (size_t i = 0; i < bc->n_installments; i++) {
		const struct billing_installment *in = &bc->installments[i];
		ll_fen fee = 0;

		if (in->due < today && in->outstanding > 0)
			fee = (ll_fen)(today - in->due) *
			      billing_daily_late_fee(in->outstanding,
						     contract.late_fee_ppm);
		assert_int_equal(in->late_fee, fee);
		sum += fee;
	}
	assert_int_equal(bc->late_fee, sum);
	*per_inst = bc->work / bc->n_installments;
	print_message("# %s: %zu installments, %zu events, work %zu "
		      "(%zu per installment)\n",
		      on, bc->n_installments, bc->n_events, bc->work,
		      *per_inst);
	/* A generous constant for this contract: a few events per
	 * installment, a handful of live installments per event. */
	assert_true(*per_inst <= 200);
}

static void
test_cost_linear(void **state)
{
	struct billing_contract a, b;
	size_t pa, pb;

	(void)state;
	contract.due_soon_days[0] = 30;
	contract.due_soon_days[1] = 7;
	contract.due_soon_days[2] = 1;
	contract.n_due_soon_days = 3;
	contract.notice_reminder_days[0] = 60;
	contract.notice_reminder_days[1] = 30;
	contract.notice_reminder_days[2] = 7;
	contract.n_notice_reminder_days = 3;

	/* Never paid: suspended from 2023-01-31, every installment
	 * accruing its late fee for ever. */
	cost_check("4000-12-31", &a, &pa);
	cost_check("9999-12-31", &b, &pb);
	assert_int_equal(a.n_installments, 2 * (4000 - 2022 + 1));
	assert_int_equal(b.n_installments, 2 * (9999 - 2022 + 1));
	assert_int_equal(b.service, SERVICE_TERMINATION_POSSIBLE);
	assert_true(pb <= pa + pa / 10 + 1);
	billing_contract_free(&a);
	billing_contract_free(&b);

	/* Paid up front: the credit pays each renewed term as it starts. */
	add(ENTRY_PAYMENT, "2022-01-01", 100000000000000LL, 0);
	cost_check("4000-12-31", &a, &pa);
	cost_check("9999-12-31", &b, &pb);
	assert_int_equal(b.late_fee, 0);
	assert_int_equal(b.service, SERVICE_ACTIVE);
	assert_int_equal(b.credit, 100000000000000LL -
				       (ll_fen)(9999 - 2022 + 1) * 45000000);
	assert_true(pb <= pa + pa / 10 + 1);
	billing_contract_free(&a);
	billing_contract_free(&b);
}

/* Issue 13, item 8: with a late-fee cap an installment stays in the
 * replay's view until it reaches its cap, then leaves it: the cost stays
 * linear in the installments (30% at 3% a day: ten days), and every
 * installment's fee is its cap. */
static void
test_cost_linear_capped(void **state)
{
	struct billing_contract a, b;
	size_t pa, pb;

	(void)state;
	contract.late_fee_cap_kind = LL_FEE_CAP_PERCENT;
	contract.late_fee_cap_ppm = 300000;
	assert_int_equal(billing_evaluate(&contract, NULL, 0, d("4000-12-31"),
					  LL_NO_DAY, &a),
			 0);
	assert_int_equal(billing_evaluate(&contract, NULL, 0, d("9999-12-31"),
					  LL_NO_DAY, &b),
			 0);
	pa = a.work / a.n_installments;
	pb = b.work / b.n_installments;
	assert_true(pb <= pa + pa / 10 + 1);
	for (size_t i = 0; i < b.n_installments; i++)
		if (b.installments[i].due + 10 <= d("9999-12-31"))
			assert_int_equal(b.installments[i].late_fee,
					 b.installments[i].amount * 3 / 10);
	billing_contract_free(&a);
	billing_contract_free(&b);

	/* 1 ppm a day against a cap of 100%: 36 fen a day on installment 1
	 * reach its cap after 998,889 days, in 4757; until then no
	 * installment need be kept in view for its cap (issue 13 first kept
	 * them: quadratic) */
	contract.late_fee_ppm = 1;
	contract.late_fee_cap_ppm = 1000000;
	assert_int_equal(billing_evaluate(&contract, NULL, 0, d("3000-12-31"),
					  LL_NO_DAY, &a),
			 0);
	assert_int_equal(billing_evaluate(&contract, NULL, 0, d("4700-12-31"),
					  LL_NO_DAY, &b),
			 0);
	pa = a.work / a.n_installments;
	pb = b.work / b.n_installments;
	assert_true(pb <= pa + pa / 10 + 1);
	assert_int_equal(b.installments[0].late_fee,
			 (d("4700-12-31") - d("2022-12-31")) * 36);
	billing_contract_free(&a);
	billing_contract_free(&b);
	/* and after, each installment stops at its principal */
	assert_int_equal(billing_evaluate(&contract, NULL, 0, d("9999-12-31"),
					  LL_NO_DAY, &b),
			 0);
	assert_int_equal(b.installments[0].late_fee, 35960000);
	assert_int_equal(b.installments[1].late_fee, 9040000);
	billing_contract_free(&a);
	billing_contract_free(&b);
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

/* The exact late fee of every installment unpaid since its due date,
 * added up in 64 unsigned bits (each is below 2^63 here, the sum below
 * 2^64), and the most any of them comes to. */
static uint64_t
exact_fees(const struct billing_contract *bc, ll_day today, ll_fen *most)
{
	uint64_t sum = 0;

	*most = 0;
	for (size_t i = 0; i < bc->n_installments; i++) {
		const struct billing_installment *in = &bc->installments[i];
		ll_fen fee = 0;

		if (in->due < today)
			fee = (ll_fen)(today - in->due) *
			      billing_daily_late_fee(in->amount,
						     contract.late_fee_ppm);
		assert_int_equal(in->late_fee, fee);
		sum += (uint64_t)fee;
		if (fee > *most)
			*most = fee;
	}
	return sum;
}

/* Issue 12, defect 7: at the documented limits (an annual fee of
 * 1,000,000,000,000.00 CNY, 100% a day) the late fee outgrows 64 bits
 * within the century; it wrapped to -9,987,644,422,584,819.96 on
 * 2099-12-31.  Figures are exact up to BILLING_FEN_MAX, shown as
 * BILLING_FEN_MAX (at least that much) beyond, with bc.saturated set;
 * never wrapped, and exact again once payments bring them back under. */
static void
test_late_fee_saturates(void **state)
{
	struct billing_contract bc;
	uint64_t sum;
	ll_fen most, principal = 0, paid;
	ll_day day;

	(void)state;
	schedule[0] =
	    (struct ll_installment){1, d("2022-12-31"), MONEY_MAX - 9040000};
	contract.annual_fee = MONEY_MAX;
	contract.late_fee_ppm = 1000000;

	/* A day's fee never wraps either: at most 100% of what is owed, and
	 * capped past the loader's rates. */
	assert_int_equal(billing_daily_late_fee(BILLING_FEN_MAX, 1000000),
			 BILLING_FEN_MAX);
	assert_int_equal(billing_daily_late_fee(BILLING_FEN_MAX, UINT32_MAX),
			 BILLING_FEN_MAX);

	/* Exact below the limit. */
	run("2023-01-10", &bc);
	assert_int_equal(bc.late_fee, 10 * (MONEY_MAX - 9040000));
	assert_false(bc.saturated);
	billing_contract_free(&bc);

	/* The day: every installment's fee is exact, their sum is
	 * past 2^63 - 1 fen, and so are the arrears. */
	run("2099-12-31", &bc);
	sum = exact_fees(&bc, d("2099-12-31"), &most);
	assert_true(sum > (uint64_t)BILLING_FEN_MAX);
	assert_int_equal(bc.late_fee, BILLING_FEN_MAX);
	assert_int_equal(bc.arrears, BILLING_FEN_MAX);
	assert_int_equal(bc.days_overdue, 28124);
	assert_true(bc.saturated);
	billing_contract_free(&bc);

	/* One installment alone outgrows it; its row says so too. */
	run("9999-12-31", &bc);
	assert_int_equal(bc.installments[0].late_fee, BILLING_FEN_MAX);
	assert_int_equal(bc.late_fee, BILLING_FEN_MAX);
	assert_true(bc.saturated);
	billing_contract_free(&bc);

	/* The timeline: the fee grows, then stays at the limit. */
	assert_int_equal(billing_evaluate(&contract, NULL, 0, d("2099-12-31"),
					  d("2100-12-31"), &bc),
			 0);
	for (size_t i = 1; i < bc.n_events; i++) {
		assert_true(bc.events[i].late_fee >= 0);
		assert_true(bc.events[i].late_fee >= bc.events[i - 1].late_fee);
	}
	assert_int_equal(bc.events[bc.n_events - 1].late_fee, BILLING_FEN_MAX);
	billing_contract_free(&bc);

	/* One installment a year: find the first day the fees add up to
	 * more than the limit, then pay what brings them back under. */
	contract.n_installments = 1;
	schedule[0].amount = MONEY_MAX;
	for (day = d("2044-01-01");; day++) {
		run_on(day, &bc);
		sum = exact_fees(&bc, day, &most);
		if (sum > (uint64_t)BILLING_FEN_MAX)
			break;
		assert_int_equal(bc.late_fee, (ll_fen)sum);
		/* the arrears, overdue principal and fee, pass it first */
		if (sum + (uint64_t)bc.overdue > (uint64_t)BILLING_FEN_MAX) {
			assert_int_equal(bc.arrears, BILLING_FEN_MAX);
			assert_true(bc.saturated);
		} else {
			assert_int_equal(bc.arrears, (ll_fen)sum + bc.overdue);
			assert_false(bc.saturated);
		}
		billing_contract_free(&bc);
	}
	assert_int_equal(bc.late_fee, BILLING_FEN_MAX);
	for (size_t i = 0; i < bc.n_installments; i++)
		if (bc.installments[i].due < day)
			principal += bc.installments[i].amount;
	billing_contract_free(&bc);
	/* all the principal overdue, then the excess and one more */
	paid = 0;
	while (paid < principal || sum - (uint64_t)(paid - principal) >=
				       (uint64_t)BILLING_FEN_MAX) {
		add_on(ENTRY_PAYMENT, day, MONEY_MAX, 0);
		paid += MONEY_MAX;
	}
	run_on(day, &bc);
	assert_int_equal(bc.overdue, 0);
	assert_int_equal(bc.late_fee,
			 (ll_fen)(sum - (uint64_t)(paid - principal)));
	assert_int_equal(bc.paid, paid);
	assert_false(bc.saturated);
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
	    cmocka_unit_test_setup(test_expired_contract, setup),
	    cmocka_unit_test_setup(test_expiry_keeps_debt, setup),
	    cmocka_unit_test_setup(test_termination_cancel, setup),
	    cmocka_unit_test_setup(test_termination_cancel_credit, setup),
	    cmocka_unit_test_setup(test_termination_prorate, setup),
	    cmocka_unit_test_setup(test_late_fee_cap, setup),
	    cmocka_unit_test_setup(test_late_fee_cap_fen, setup),
	    cmocka_unit_test_setup(test_renew_while_suspended, setup),
	    cmocka_unit_test_setup(test_renew_on_suspension_day, setup),
	    cmocka_unit_test_setup(test_term_schedule, setup),
	    cmocka_unit_test_setup(test_monthly_end_of_month, setup),
	    cmocka_unit_test_setup(test_renewal_from_anchor, setup),
	    cmocka_unit_test_setup(test_cost_linear, setup),
	    cmocka_unit_test_setup(test_cost_linear_capped, setup),
	    cmocka_unit_test_setup(test_due_before_term_accrues, setup),
	    cmocka_unit_test_setup(test_late_fee_saturates, setup),
	    cmocka_unit_test_setup(test_due_before_term, setup),
	    cmocka_unit_test_setup(test_notice_withdraws_billed_ahead, setup),
	    cmocka_unit_test_setup(test_termination_withdraws_billed_ahead,
				   setup),
	    cmocka_unit_test_setup(test_reminder_reached_late, setup),
	    cmocka_unit_test_setup(test_decided_suspension_due, setup),
	    cmocka_unit_test_setup(test_decided_recorded, setup),
	    cmocka_unit_test_setup(test_decided_paid_before_recording, setup),
	    cmocka_unit_test_setup(test_decided_reminder, setup),
	    cmocka_unit_test_setup(test_automatic_ignores_recorded, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
