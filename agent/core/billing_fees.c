/*
 * billing_fees.c: late fees and payments in the replay (billing.c).
 *
 * Clause 2.3.3: each day overdue accrues the late-fee rate on what was
 * unpaid of an installment at the start of the day, rounded half up to
 * the fen; late fees accrue as one sum (s->fee, growing by s->daily a
 * day), brought up to date per installment when a payment changes it.
 * Issue 13, late_fee_cap (Civil Code art. 585): the days installments
 * reach their caps are a heap (s->cq).  Payments apply on the day
 * received: overdue principal oldest first, then late fees oldest first,
 * then principal not yet due, earliest first; the rest is a credit for
 * the next term.  Amounts are exact in 128 bits (struct billing_wide) and
 * published capped at BILLING_FEN_MAX.
 */
#include <stdlib.h>
#include <string.h>

#include "core/billing_sim.h"
#include "core/day.h"

ll_fen
billing_daily_late_fee(ll_fen owed, uint32_t ppm)
{
	/* owed * ppm can exceed 64 bits for large amounts: split owed.
	 * With ppm <= 1000000 (100%, the loader's limit) the fee is at most
	 * owed; a larger ppm on a large amount saturates. */
	ll_fen whole = owed / 1000000, part = owed % 1000000, fee;

	if (__builtin_mul_overflow(whole, (ll_fen)ppm, &fee) ||
	    __builtin_add_overflow(fee, (part * (ll_fen)ppm + 500000) / 1000000,
				   &fee))
		return BILLING_FEN_MAX;
	return fee;
}

/* The figure to publish: w, or BILLING_FEN_MAX flagged when above. */
ll_fen
billing_cap(const struct billing_wide *w, bool *saturated)
{
	if (w->hi != 0 || w->lo > (uint64_t)BILLING_FEN_MAX) {
		*saturated = true;
		return BILLING_FEN_MAX;
	}
	return (ll_fen)w->lo;
}

ll_fen
billing_cap_sum(ll_fen a, ll_fen b, bool *saturated)
{
	ll_fen sum;

	if (__builtin_add_overflow(a, b, &sum)) {
		*saturated = true;
		return BILLING_FEN_MAX;
	}
	return sum;
}

/* The first installment that still owes principal or a late fee: none
 * before it ever will again (what is unpaid never grows, and a fee
 * accrues only on unpaid principal). */
size_t
billing_owing(struct billing_sim *s)
{
	while (s->owing < s->n_inst && s->inst[s->owing].outstanding == 0 &&
	       billing_wide_zero(&s->acc[s->owing].fee)) {
		s->owing++;
		s->work++;
	}
	return s->owing;
}

/* Unpaid principal of every installment so far (capped, for events). */
ll_fen
billing_outstanding(struct billing_sim *s)
{
	ll_fen owed = 0;
	bool capped = false;

	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++)
		owed = billing_cap_sum(owed, s->inst[i].outstanding, &capped);
	return owed;
}

/* Unpaid principal past its due date at the end of `day` (capped). */
ll_fen
billing_arrears(struct billing_sim *s, ll_day day)
{
	ll_fen owed = 0;
	bool capped = false;

	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++)
		if (s->inst[i].due < day)
			owed = billing_cap_sum(owed, s->inst[i].outstanding,
					       &capped);
	return owed;
}

/* Brings inst[i]'s late fee up to s->fee_to: called before its unpaid
 * principal changes, before its fee is paid, and to publish it. */
void
billing_catch_up(struct billing_sim *s, size_t i)
{
	struct billing_accrual *a = &s->acc[i];
	struct billing_wide daily = billing_wide_of(a->daily);

	if (!a->accruing || a->capped || s->fee_to < a->from)
		return;
	billing_wide_add_times(&a->fee, &daily,
			       (uint32_t)(s->fee_to - a->from + 1));
	a->from = s->fee_to + 1;
}

static void billing_cap_schedule(struct billing_sim *s, size_t i);

/* inst[i]'s unpaid principal changed: so does its daily fee, and the day
 * it reaches its cap (its fee is caught up: a->from is tomorrow). */
void
billing_rate_changed(struct billing_sim *s, size_t i)
{
	struct billing_accrual *a = &s->acc[i];
	struct billing_wide old = billing_wide_of(a->daily);

	a->daily =
	    billing_daily_late_fee(s->inst[i].outstanding, s->c->late_fee_ppm);
	if (!a->accruing || a->capped)
		return;
	billing_wide_sub(&s->daily, &old);
	billing_wide_add(&s->daily, (uint64_t)a->daily);
	billing_cap_schedule(s, i);
}

/* Issue 13, Civil Code art. 585: the most late fee inst[i] may accrue,
 * paid or not; -1 when the contract sets no cap. */
static ll_fen
billing_fee_cap(const struct billing_sim *s, size_t i)
{
	switch (s->c->late_fee_cap_kind) {
	case LL_FEE_CAP_PERCENT:
		return billing_daily_late_fee(s->inst[i].amount,
					      s->c->late_fee_cap_ppm);
	case LL_FEE_CAP_AMOUNT: return s->c->late_fee_cap;
	case LL_FEE_CAP_NONE: break;
	}
	return -1;
}

/* What inst[i] has accrued, paid or not, through a->from - 1 (through
 * s->fee_to once caught up): at most its cap once clamped, so 64 bits
 * hold it; capped here at BILLING_FEN_MAX. */
static ll_fen
billing_fee_total(struct billing_sim *s, size_t i)
{
	struct billing_wide total = s->acc[i].fee;
	bool capped = false;

	billing_wide_sum(&total, &s->acc[i].fee_paid);
	return billing_cap(&total, &capped);
}

static void
billing_capq_swap(struct billing_sim *s, size_t a, size_t b)
{
	struct billing_capq t = s->cq[a];

	s->cq[a] = s->cq[b];
	s->cq[b] = t;
}

static void
billing_capq_pop(struct billing_sim *s)
{
	size_t k = 0;

	s->cq[0] = s->cq[--s->n_cq];
	for (;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;

		if (l < s->n_cq && s->cq[l].day < s->cq[m].day)
			m = l;
		if (r < s->n_cq && s->cq[r].day < s->cq[m].day)
			m = r;
		if (m == k)
			break;
		billing_capq_swap(s, k, m);
		k = m;
	}
	s->work++;
}

/* The earliest valid cap day in the queue, dropping stale entries (of an
 * installment withdrawn, capped, or whose daily fee changed since). */
bool
billing_capq_top(struct billing_sim *s, ll_day *day, size_t *i)
{
	while (s->n_cq > 0) {
		const struct billing_capq *q = &s->cq[0];
		const struct billing_accrual *a =
		    q->i < s->n_inst ? &s->acc[q->i] : NULL;

		if (a != NULL && a->gen == q->gen && !a->capped &&
		    a->cap_day == q->day) {
			*day = q->day;
			*i = q->i;
			return true;
		}
		billing_capq_pop(s);
	}
	return false;
}

/* Issue 13, Civil Code art. 585: queues the day inst[i], accruing
 * a->daily a day from a->from on, reaches its cap. */
static void
billing_cap_schedule(struct billing_sim *s, size_t i)
{
	struct billing_accrual *a = &s->acc[i];
	ll_fen cap = billing_fee_cap(s, i), left;
	size_t k;

	a->cap_day = LL_NO_DAY;
	if (cap < 0 || !a->accruing || a->capped || a->daily == 0 || s->failed)
		return;
	left = cap - billing_fee_total(s, i);
	if (left <= 0)
		a->cap_day = a->from;
	else if (left / a->daily >= (ll_fen)INT32_MAX - (ll_fen)a->from)
		return; /* never, in the calendar */
	else
		a->cap_day =
		    a->from - 1 + (ll_day)((left + a->daily - 1) / a->daily);
	if (s->n_cq == s->cap_cq) {
		size_t cap_cq = s->cap_cq ? 2 * s->cap_cq : 16;
		struct billing_capq *p = realloc(s->cq, cap_cq * sizeof(*p));

		if (p == NULL) {
			s->failed = 1;
			return;
		}
		s->cq = p;
		s->cap_cq = cap_cq;
	}
	k = s->n_cq++;
	s->cq[k] = (struct billing_capq){a->cap_day, a->gen, i};
	while (k > 0 && s->cq[(k - 1) / 2].day > s->cq[k].day) {
		billing_capq_swap(s, k, (k - 1) / 2);
		k = (k - 1) / 2;
	}
	s->work++;
}

/* Late fees accrued through s->fee_to past their cap are taken back to
 * it; those installments accrue no more.  Caps are reached on steps of
 * the replay (billing_next_day), so only the last day overshoots. */
static void
billing_clamp_fees(struct billing_sim *s)
{
	ll_day day;
	size_t i;

	while (billing_capq_top(s, &day, &i) && day <= s->fee_to) {
		struct billing_accrual *a = &s->acc[i];
		struct billing_wide excess, daily;
		ll_fen cap = billing_fee_cap(s, i), total;

		billing_capq_pop(s);
		billing_catch_up(s, i);
		total = billing_fee_total(s, i);
		if (total < cap) { /* not yet: cannot happen, but be exact */
			billing_cap_schedule(s, i);
			continue;
		}
		/* the excess is this step's accrual: still unpaid, in a->fee */
		excess = billing_wide_of(total - cap);
		billing_wide_sub(&a->fee, &excess);
		billing_wide_sub(&s->fee, &excess);
		daily = billing_wide_of(a->daily);
		billing_wide_sub(&s->daily, &daily);
		a->capped = true;
		a->cap_day = LL_NO_DAY;
	}
}

/* Clause 2.3.3: the late fee of days [from, to] on what is unpaid now.
 * Days are accrued in order, each once; an installment accrues from the
 * day after its due date (or from `from`, when it was due before the
 * replay's first day or billed after its due date), and that day is a
 * step of the replay (billing_next_day), so it is either `to` or before
 * `from`. */
void
billing_accrue(struct billing_sim *s, ll_day from, ll_day to)
{
	/* Issue 13: the end of the contract does not stop it. */
	if (to < from)
		return;
	billing_wide_add_times(&s->fee, &s->daily, (uint32_t)(to - from + 1));
	/* Installments falling overdue start accruing; they are live. */
	for (size_t i = s->live; i < s->n_inst; i++, s->work++) {
		struct billing_installment *in = &s->inst[i];
		struct billing_accrual *a = &s->acc[i];
		struct billing_wide daily = billing_wide_of(a->daily);

		if (a->accruing || in->outstanding == 0 || in->due >= to)
			continue;
		a->accruing = true;
		a->from = from > in->due ? from : in->due + 1;
		billing_wide_add_times(&s->fee, &daily,
				       (uint32_t)(to - a->from + 1));
		billing_wide_add(&s->daily, (uint64_t)a->daily);
		billing_cap_schedule(s, i);
	}
	s->fee_to = to;
	billing_clamp_fees(s);
}

/* What of *amount goes to *owed: the smaller, taken from both. */
static struct billing_wide
billing_take(struct billing_wide *owed, struct billing_wide *amount)
{
	struct billing_wide take =
	    billing_wide_cmp(owed, amount) < 0 ? *owed : *amount;

	billing_wide_sub(owed, &take);
	billing_wide_sub(amount, &take);
	return take;
}

static void
billing_principal(struct billing_sim *s, ll_day day,
		  struct billing_wide *amount, bool overdue)
{
	for (size_t i = billing_owing(s);
	     !billing_wide_zero(amount) && i < s->n_inst; i++, s->work++) {
		struct billing_installment *in = &s->inst[i];
		struct billing_wide owed = billing_wide_of(in->outstanding);
		ll_fen take;

		if (in->outstanding == 0 || (in->due < day) != overdue)
			continue;
		billing_catch_up(s, i);
		/* no more than the outstanding: it fits */
		take = (ll_fen)billing_take(&owed, amount).lo;
		in->outstanding -= take;
		in->paid += take;
		billing_rate_changed(s, i);
		if (in->outstanding == 0) {
			in->paid_on = day;
			billing_log(s, day, BILLING_EV_PAID, in, in->amount,
				    REASON_NONE);
		}
	}
}

/* The payment rule of the header comment, for `amount` and the credit. */
void
billing_apply(struct billing_sim *s, ll_day day, struct billing_wide amount)
{
	billing_wide_sum(&amount, &s->credit);
	billing_principal(s, day, &amount, true);
	for (size_t i = billing_owing(s);
	     !billing_wide_zero(&amount) && i < s->n_inst; i++, s->work++) {
		struct billing_accrual *a = &s->acc[i];
		struct billing_wide fee;

		billing_catch_up(s, i);
		fee = billing_take(&a->fee, &amount);
		billing_wide_sum(&a->fee_paid, &fee);
		billing_wide_sub(&s->fee, &fee);
	}
	billing_principal(s, day, &amount, false);
	s->credit = amount;
}

/* A credit, to the installments just billed. */
void
billing_apply_credit(struct billing_sim *s, ll_day day)
{
	struct billing_wide credit = s->credit;

	if (billing_wide_zero(&credit))
		return;
	s->credit = billing_wide_of(0);
	billing_apply(s, day, credit);
}

/* At the end of `day`, late fees accrued through it (s->fee_to). */
bool
billing_arrears_cleared(struct billing_sim *s, ll_day day)
{
	if (!billing_wide_zero(&s->fee))
		return false;
	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++)
		if (s->inst[i].due < day && s->inst[i].outstanding > 0)
			return false;
	return true;
}

/* Days the oldest unpaid installment is overdue at the end of `day`. */
int32_t
billing_days_overdue(struct billing_sim *s, ll_day day)
{
	int32_t most = 0;

	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++)
		if (s->inst[i].outstanding > 0 && day - s->inst[i].due > most)
			most = day - s->inst[i].due;
	return most;
}
