/*
 * test_billing_limits: the billing clock at its limits (issue 12):
 * its cost stays linear in the installments, and money past 64 bits
 * saturates, flagged, never wraps.
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_cost_linear, setup),
	    cmocka_unit_test_setup(test_cost_linear_capped, setup),
	    cmocka_unit_test_setup(test_late_fee_saturates, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
