/*
 * billing_terms.c: the terms of a contract in the replay (billing.c).
 *
 * Clause 2.2 (this contract's schedule) and 2.3.1 (monthly billing): the
 * installments of a term, billed from when the first falls due soon.
 * Clause 11.1: a term renews unless notice was given by its deadline; a
 * renewed term repeats the schedule renew_months later (or its own
 * term_schedules), its bounds from model_term_bounds.  Clauses 2.3.4 and
 * 6.2 (issue 13): a termination withdraws the terms billed ahead and
 * cancels or prorates the running term's installments.
 */
#include <stdlib.h>
#include <string.h>

#include "core/billing_sim.h"
#include "core/day.h"

static void
billing_add_installment(struct billing_sim *s, uint32_t i, ll_day due,
			ll_fen amount)
{
	struct billing_installment *in;

	if (s->failed)
		return;
	if (s->n_inst == s->cap_inst) {
		size_t cap = s->cap_inst ? 2 * s->cap_inst : 8;
		struct billing_installment *p =
		    realloc(s->inst, cap * sizeof(*p));
		struct billing_accrual *q;

		if (p == NULL) {
			s->failed = 1;
			return;
		}
		s->inst = p;
		q = realloc(s->acc, cap * sizeof(*q));
		if (q == NULL) {
			s->failed = 1;
			return;
		}
		s->acc = q;
		s->cap_inst = cap;
	}
	memset(&s->acc[s->n_inst], 0, sizeof(s->acc[s->n_inst]));
	s->acc[s->n_inst].gen = ++s->gen;
	s->acc[s->n_inst].cap_day = LL_NO_DAY;
	s->acc[s->n_inst].daily =
	    billing_daily_late_fee(amount, s->c->late_fee_ppm);
	in = &s->inst[s->n_inst++];
	memset(in, 0, sizeof(*in));
	in->index = (s->term - 1) * BILLING_TERM_STRIDE + i;
	in->term = s->term;
	in->due = due;
	in->amount = amount;
	in->outstanding = amount;
	in->paid_on = LL_NO_DAY;
}

/* Clause 2.2 (or 2.3.1 for monthly billing): the installments of the
 * current term. */
static void
billing_schedule_term(struct billing_sim *s)
{
	const struct ll_contract *c = s->c;
	int shift = (int)((s->term - 1) * c->renew_months);
	const struct ll_term_schedule *ts;

	if (c->billing_mode == LL_BILLING_MONTHLY) {
		ll_fen month = c->annual_fee / 12;
		ll_fen last = c->annual_fee - 11 * month;
		uint32_t i = 1;

		/* Month i starts i - 1 months after the term does, clamped to
		 * a shorter month's last day: derived from the term's start,
		 * never stepped from the month before, or a term starting on
		 * the 31st would step 31, 28, then the 28th for ever and bill
		 * a thirteenth month (issue 12). */
		for (ll_day m = s->term_start; m <= s->term_end;
		     m = day_add_months(s->term_start, (int)i), i++) {
			int y, mo, d;

			day_to_ymd(day_add_months(m, 1), &y, &mo, &d);
			billing_add_installment(s, i, day_from_ymd(y, mo, 5),
						i % 12 == 0 ? last : month);
		}
		return;
	}
	ts = model_term_schedule(c, s->term);
	if (ts != NULL) {
		for (size_t i = 0; i < ts->n_installments; i++)
			billing_add_installment(s, (uint32_t)i + 1,
						ts->installments[i].due,
						ts->installments[i].amount);
		return;
	}
	for (size_t i = 0; i < c->n_installments; i++)
		billing_add_installment(
		    s, (uint32_t)i + 1,
		    day_add_months(c->installments[i].due, shift),
		    c->installments[i].amount);
}

/* How many days before its due date an installment is billed: from its
 * earliest reminder (due_soon_days decrease), and from when it is due
 * soon. */
ll_day
billing_lead(const struct ll_contract *c)
{
	if (c->n_due_soon_days > 0 &&
	    c->due_soon_days[0] > BILLING_DUE_SOON_DAYS)
		return (ll_day)c->due_soon_days[0];
	return BILLING_DUE_SOON_DAYS;
}

/* The day the term after s->billed is billed, if it comes: its first
 * installment's due date less the lead.  Its schedule is made aside, by
 * the same rules (its bounds from model_term_bounds, as every term's),
 * in a replay of its own that holds nothing else; the installments made
 * aside count in the work. */
static void
billing_plan_ahead(struct billing_sim *s)
{
	const struct ll_contract *c = s->c;
	struct billing_sim next;

	s->ahead = LL_NO_DAY;
	if (!c->auto_renew || c->renew_months == 0)
		return;
	memset(&next, 0, sizeof(next));
	next.c = c;
	next.term = s->billed + 1;
	model_term_bounds(c, next.term, &next.term_start, &next.term_end);
	billing_schedule_term(&next);
	s->work += next.n_inst;
	if (next.failed)
		s->failed = 1;
	else if (next.n_inst > 0)
		s->ahead = next.inst[0].due - billing_lead(c);
	free(next.inst);
	free(next.acc);
}

/* Bills term k, which may be after the replay's own term:
 * billing_schedule_term() bills the replay's term, so the replay stands
 * in term k, bounded by model_term_bounds, for the call. */
void
billing_bill_term(struct billing_sim *s, uint32_t k)
{
	uint32_t term = s->term;
	ll_day term_start = s->term_start, term_end = s->term_end;

	s->term = k;
	model_term_bounds(s->c, k, &s->term_start, &s->term_end);
	billing_schedule_term(s);
	s->term = term;
	s->term_start = term_start;
	s->term_end = term_end;
	s->billed = k;
	billing_plan_ahead(s);
}

/* Installments inst[k..n_inst) will not be owed: they go, their late
 * fee with them, and what was paid on them is a credit again. */
static void
billing_drop(struct billing_sim *s, size_t k)
{
	for (size_t i = s->n_inst; i > k; s->work++) {
		struct billing_accrual *a = &s->acc[--i];
		struct billing_wide daily = billing_wide_of(a->daily);

		billing_catch_up(s, i);
		billing_wide_sub(&s->fee, &a->fee);
		if (a->accruing && !a->capped)
			billing_wide_sub(&s->daily, &daily);
		billing_wide_add(&s->credit, (uint64_t)s->inst[i].paid);
		billing_wide_sum(&s->credit, &a->fee_paid);
	}
	s->n_inst = k;
	if (s->live > k)
		s->live = k;
	if (s->owing > k)
		s->owing = k;
}

/* Clause 11.1: a notice ends the contract with term `last`.  The terms
 * after it, billed ahead, will not come: their installments are
 * withdrawn (billing_drop).  Terms are billed in order, so theirs are
 * the last installments: only those are visited. */
void
billing_withdraw(struct billing_sim *s, uint32_t last)
{
	size_t k = s->n_inst;

	for (; k > 0 && s->inst[k - 1].term > last; k--)
		s->work++;
	billing_drop(s, k);
	s->billed = last;
	s->ahead = LL_NO_DAY;
}

/* Issue 13, on_termination "prorate": the running term, inst[first..),
 * is worth its days of service, from its first day to the day before
 * the termination (the termination day is not served: the service is
 * terminated on it), out of its days: the sum of its installments times
 * days served over days in the term, rounded down to the fen.  That is
 * owed by its installments earliest first, each at most its amount,
 * keeping its due date; an installment paid beyond what it keeps leaves
 * the excess as a credit.  Returns the first installment left with
 * nothing, from which the term's installments go. */
static size_t
billing_prorate(struct billing_sim *s, size_t first, ll_day day)
{
	ll_fen total = 0, q, r, left;
	ll_day len = s->term_end - s->term_start + 1;
	ll_day served = day - s->term_start;
	bool capped = false;

	if (served < 0)
		served = 0;
	if (served > len)
		served = len;
	for (size_t i = first; i < s->n_inst; i++, s->work++)
		total = billing_cap_sum(total, s->inst[i].amount, &capped);
	/* total * served / len without overflow: len is below 2^22 days */
	q = total / len;
	r = total % len;
	left = q * served + r * served / len;
	for (size_t i = first; i < s->n_inst; i++, s->work++) {
		struct billing_installment *in = &s->inst[i];
		ll_fen keep = in->amount < left ? in->amount : left;

		if (keep == 0)
			return i;
		left -= keep;
		if (keep == in->amount)
			continue;
		billing_catch_up(s, i);
		if (in->paid > keep) {
			billing_wide_add(&s->credit,
					 (uint64_t)(in->paid - keep));
			in->paid = keep;
		}
		in->amount = keep;
		in->outstanding = keep - in->paid;
		billing_rate_changed(s, i);
		if (in->outstanding == 0 && in->paid_on == LL_NO_DAY)
			in->paid_on = day;
	}
	return s->n_inst;
}

/* Issue 13, clauses 2.3.4 and 6.2: after a recorded termination nothing
 * new falls due.  The terms billed ahead are withdrawn; of the running
 * term, on_termination "cancel" drops the installments due after the
 * termination day, "prorate" keeps what its days of service are worth.
 * What was due on or before the day stays owed and accrues late fees;
 * so does what earlier terms still owe. */
void
billing_terminate_terms(struct billing_sim *s, ll_day day)
{
	size_t first = s->n_inst, k;

	if (s->billed > s->term)
		billing_withdraw(s, s->term);
	s->ahead = LL_NO_DAY;
	while (first > 0 && s->inst[first - 1].term == s->term) {
		first--;
		s->work++;
	}
	if (s->c->on_termination == LL_TERMINATION_PRORATE) {
		k = billing_prorate(s, first, day);
	} else {
		for (k = s->n_inst; k > first && s->inst[k - 1].due > day; k--)
			s->work++;
	}
	billing_drop(s, k);
	billing_apply_credit(s, day);
}

/* Whether the term after s->billed comes, as things stand: the contract
 * runs and renews, and no notice ends it with a term billed already. */
bool
billing_next_comes(const struct billing_sim *s)
{
	return billing_renews(s) && s->ahead != LL_NO_DAY &&
	       !(s->notice_term >= s->term && s->notice_term <= s->billed);
}

/* Bills the term after s->billed, on `day`. */
void
billing_bill_ahead(struct billing_sim *s, ll_day day)
{
	billing_bill_term(s, s->billed + 1);
	billing_apply_credit(s, day);
}

ll_day
billing_deadline(const struct billing_sim *s)
{
	return s->term_end - (ll_day)s->c->notice_days;
}

/* Whether the current term will renew as things stand: a reminder of the
 * notice deadline is for such a term only. */
bool
billing_renews(const struct billing_sim *s)
{
	return s->c->auto_renew && s->c->renew_months > 0 &&
	       s->notice_term != s->term && !s->ended;
}

/* Clause 11.1, on the day after the term's last.  Issue 13: a contract
 * suspended then renews and its new term is billed (the text's reading,
 * marked), unless renew_while_suspended is false: then it expires, the
 * terms billed ahead withdrawn, and what it owes stays owed. */
void
billing_term_end(struct billing_sim *s, ll_day day)
{
	const struct ll_contract *c = s->c;
	enum billing_reason why = billing_suspension_reason(s);
	struct billing_event *ev;

	if (!c->auto_renew || c->renew_months == 0 ||
	    s->notice_term == s->term ||
	    (why != REASON_NONE && c->suspension_stops_renewal)) {
		s->ended = true;
		s->renewed_suspended = false;
		if (s->notice_term != s->term && why != REASON_NONE &&
		    c->auto_renew && c->renew_months > 0) {
			s->expired_suspended = true;
			if (s->billed > s->term)
				billing_withdraw(s, s->term);
			s->ahead = LL_NO_DAY;
		} else {
			why = REASON_NONE;
		}
		ev = billing_log(s, day, BILLING_EV_EXPIRED, NULL, 0, why);
		if (ev != NULL)
			ev->about = s->term_end;
		return;
	}
	s->term++;
	s->renewed_suspended = why != REASON_NONE;
	/* day is the new term's start: model_term_bounds derives it from
	 * the first renewal, as config/cfg_contract.c checks term_schedules by
	 * it. */
	model_term_bounds(c, s->term, &s->term_start, &s->term_end);
	ev = billing_log(s, day, BILLING_EV_RENEWED, NULL, 0, why);
	if (ev != NULL)
		ev->about = s->term_end;
	if (s->billed < s->term)
		billing_bill_term(s, s->term);
	billing_apply_credit(s, day);
}
