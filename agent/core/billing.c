/*
 * billing.c: the billing clock of a contract (see billing.h).
 *
 * The contract is replayed from the day its first installment is billed
 * (see the rules below; the first day of its first term at the latest).
 * Between
 * two days on which something happens (a payment, a due date, a threshold,
 * a renewal) nothing changes but the late fee, which grows linearly, so the
 * replay jumps from one such day to the next: its cost is the number of
 * events, not of days.  Each step visits only the installments it can
 * concern, so that the cost is linear in the installments, not quadratic
 * (issue 12: 15,956 installments on 9999-12-31 took 14.6 s):
 * - the live ones, from s->live on: those with a day still to come (a
 *   reminder, the due date, the first day overdue, the suspension; each
 *   logged on the first day replayed on which it holds, see
 *   billing_installment_day, which billing_done covers); installments are
 *   billed term after term, a term at most as far ahead as its first
 *   installment's lead, so the live ones are the last few terms' (how
 *   many is set by the configuration's delays, not by the day evaluated);
 *   an installment billed on a day is visited on that day, and a notice
 *   that withdraws the terms billed ahead takes the last installments;
 * - for payments and arrears, those still owing, from s->owing on;
 * - late fees accrue as one sum, s->fee, at s->daily a day; an
 *   installment's own share is brought up to date (billing_catch_up)
 *   when a payment changes it and when the result is published.
 * - issue 13, late_fee_cap: the day each accruing installment reaches
 *   its cap is kept in a heap (s->cq), whose earliest day is a step of
 *   the replay: on it the installment's fee is clamped to the cap and
 *   its daily fee leaves s->daily.  A change of its daily fee queues a
 *   new day; the old entry is stale and dropped when it surfaces.
 * billing_contract.work counts the visits, for tests/unit/test_billing.c.
 *
 * Money past 64 bits (issue 12, leaseline.conf(5) LIMITS): at the
 * configuration's limits (an annual fee of 1,000,000,000,000.00 CNY, a
 * late fee of 100% a day) the late fees of the unpaid terms pass 2^63
 * fen within the century, and by 9999-12-31 a single installment's does;
 * payments and the credit they leave can add up past it too.  Bounding
 * the configuration instead would refuse large but real contracts (a
 * billion CNY a year at 3% a day passes 2^63 fen before 9999-12-31), and
 * could not bound the payments.  So the replay keeps late fees, payments
 * and credit exact in 128 bits (struct billing_wide: two words, no
 * compiler extension, so that 32-bit targets build it) and publishes
 * every figure capped at BILLING_FEN_MAX, flagging the result
 * (billing_contract.saturated): a figure is exact, or it is
 * BILLING_FEN_MAX and means "at least".  Nothing wraps, and a fee paid
 * back under the cap is exact again.  An installment's own principal
 * fits 64 bits (at most MONEY_MAX, 1e14 fen); the sums of principal are
 * added in 128 bits for the result, and capped for events.
 *
 * Rules, from DIGEST.md and its worked timeline:
 * - an installment due on day D is on time through D and overdue from D+1,
 *   its first day overdue;
 * - clause 2.3.3: each day overdue accrues rate x what was unpaid of that
 *   installment at the start of the day, rounded half up to the fen per
 *   installment per day; a payment stops the accrual from the next day;
 * - clause 2.3.4: an installment still unpaid at the start of its
 *   (suspend_after_days + 1)-th day overdue (the 31st) suspends service
 *   that day (DIGEST.md: suspended 2023-01-31); a payment that same day
 *   lifts the suspension like any other, by clause 2.3.5;
 *   termination becomes possible terminate_after_days after the suspension
 *   date (2023-01-31 + 60 = 2023-04-01);
 * - clause 2.3.5: paying all arrears and every late fee accrued lifts a
 *   suspension for nonpayment on the day of that payment;
 * - payments are applied, on the day received: first to overdue principal,
 *   oldest installment first; then to late fees, oldest first; then to
 *   principal not yet due, earliest first; what is left is a credit,
 *   applied to the installments of the next term when it starts;
 * - a reversal takes its payment out as if it had never been recorded: it
 *   corrects a mistake;
 * - clause 11.1: the term renews by renew_months at a time unless a
 *   non-renewal notice was given on or before the deadline (term end minus
 *   notice_days); a notice given after the deadline is for the next term.
 *   A renewed term repeats the configured schedule renew_months later per
 *   term (installment i of term k is due k-1 renewals after the configured
 *   one, same amount), unless the configuration gives that term a
 *   schedule of its own (term_schedules, leaseline.conf(5));
 * - clauses 2.2 and 11.1, issue 12: an installment is billed (exists, is
 *   owed, reminded, overdue) from when its due date approaches, the
 *   earliest of its reminders or BILLING_DUE_SOON_DAYS before it, or from
 *   its term's start if that is earlier; the configured schedule may fall
 *   due up to 12 months before its term, and a renewed term repeats the
 *   offset.  A term is billed ahead only while every term before it
 *   renews as things stand: a notice that ends the contract before it
 *   withdraws its installments, and what was paid on them is a credit
 *   again.  The replay starts as early as the first installment needs;
 *   each event of an installment is logged on the day its state is
 *   reached (the nearest reminder only, when several were reached at
 *   once by a term billed late);
 * - monthly billing (general terms 2.3.1, 2.3.2): each calendar month of a
 *   term bills one twelfth of the annual fee (the twelfth month of a year
 *   takes the fen left over), due on the 5th of the next month; month i
 *   starts i - 1 months after the term, clamped to a shorter month's
 *   last day, and renewal terms are derived from the first renewal's
 *   start the same way (model_term_bounds), never stepped;
 * - suspensions, resumptions and terminations decided by a person take
 *   effect on their day; a person's suspension is lifted only by a person;
 * - issue 13, clauses 2.3.3 and 11.1: the end of a contract (expired or
 *   terminated) ends the service, not the debt: what was due before the
 *   end, and what was billed for the service rendered (installment 2 of
 *   an expired first term), stays owed, falls due on its date and
 *   accrues late fees like any other; no term is billed after the end;
 * - issue 13, clauses 2.3.4 and 6.2: a recorded termination withdraws
 *   the terms billed ahead (billing_withdraw) and, in the running term,
 *   cancels the installments due after the termination day
 *   (on_termination "cancel") or replaces the term's installments by
 *   what its days of service are worth (on_termination "prorate",
 *   billing_prorate); what was paid on what goes is a credit;
 * - issue 13, Civil Code art. 585: with a late_fee_cap, an installment
 *   accrues no more late fee, paid or not, than the cap (a percentage of
 *   its principal rounded half up to the fen, or an amount); the day the
 *   cap is reached accrues what is left below it;
 * - issue 13, clause 11.1 read with 2.3.4: with renew_while_suspended
 *   false, a contract suspended at the start of the day its next term
 *   would begin expires instead; by default it renews and its new term
 *   is billed, marked as renewed while suspended;
 * - issue 13, clauses 2.3.3 ("有权"), 2.3.4 and 7.1(4) ("可以暂停...经乙方
 *   催告后"), suspension "decided": on the day "automatic" would suspend
 *   (the 31st day overdue) the service is only suspensionDue; it stays so
 *   while the arrears remain, and payment in full ends it like a
 *   suspension (2.3.5 as read above).  A suspension for nonpayment
 *   recorded by a person takes effect on its day when it is allowed
 *   then (billing_may_suspend: suspensionDue, or a reminder recorded
 *   before it, about an installment then overdue, still unpaid); from
 *   then on it is the automatic one's in all but its first day:
 *   payment in full lifts it, termination becomes possible
 *   terminate_after_days after the day recorded.  One not allowed on its
 *   day (a payment dated before it, recorded later, took its grounds
 *   away) has no effect, and under "automatic" none has any: the
 *   suspension is computed.  Late fees accrue the same in both modes;
 * - clause 7.1(4): reminders to pay (催告) are recorded and counted; they
 *   change no money.
 */
#include <stdlib.h>
#include <string.h>

#include "core/billing.h"
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

/* A non-negative amount of fen in 128 bits: hi * 2^64 + lo. */
struct billing_wide {
	uint64_t hi, lo;
};

static void
billing_wide_add(struct billing_wide *w, uint64_t v)
{
	w->lo += v;
	w->hi += w->lo < v; /* the carry */
}

static void
billing_wide_sum(struct billing_wide *w, const struct billing_wide *x)
{
	billing_wide_add(w, x->lo);
	w->hi += x->hi;
}

/* x <= w */
static void
billing_wide_sub(struct billing_wide *w, const struct billing_wide *x)
{
	w->hi -= x->hi + (w->lo < x->lo); /* the borrow */
	w->lo -= x->lo;
}

/* w += x * n, n a number of days (below 2^32).  x is a daily fee or a
 * sum of them, each at most MONEY_MAX (below 2^47) on fewer than 2^32
 * installments: below 2^79, so the product stays far below 2^128. */
static void
billing_wide_add_times(struct billing_wide *w, const struct billing_wide *x,
		       uint32_t n)
{
	uint64_t a = (x->lo >> 32) * n, b = (x->lo & 0xffffffffu) * n;

	billing_wide_add(w, b);
	billing_wide_add(w, a << 32);
	w->hi += (a >> 32) + x->hi * n;
}

static int
billing_wide_cmp(const struct billing_wide *a, const struct billing_wide *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return (a->lo > b->lo) - (a->lo < b->lo);
}

static bool
billing_wide_zero(const struct billing_wide *w)
{
	return w->hi == 0 && w->lo == 0;
}

static struct billing_wide
billing_wide_of(ll_fen v)
{
	return (struct billing_wide){0, (uint64_t)v};
}

/* The figure to publish: w, or BILLING_FEN_MAX flagged when above. */
static ll_fen
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

/* What the replay keeps of an installment besides what it publishes: its
 * late fee accrues lazily (see the top of this file). */
struct billing_accrual {
	struct billing_wide fee;      /* accrued through from - 1, unpaid */
	struct billing_wide fee_paid; /* late fee paid */
	ll_fen daily;		      /* the fee of a day on what is unpaid */
	ll_day from;		      /* the first day not yet in fee */
	bool accruing;		      /* past due: daily counts in s->daily */
	bool capped;	/* reached late_fee_cap: accrues no more */
	uint32_t gen;	/* this installment's, unique in the replay */
	ll_day cap_day; /* when it reaches its cap; LL_NO_DAY */
};

/* A day an installment reaches its late-fee cap, in the replay's queue:
 * valid while the installment's gen and cap_day still match. */
struct billing_capq {
	ll_day day;
	uint32_t gen;
	size_t i;
};

/* The replay's state. */
struct billing_sim {
	const struct ll_contract *c;
	const struct entry *e;
	size_t n_entries;
	size_t next_entry;
	const bool *skip; /* reversed payments and their reversals */
	ll_day today;

	ll_day day; /* the first day not yet replayed */
	uint32_t term;
	ll_day term_start, term_end;
	uint32_t billed;      /* the last term whose installments exist */
	ll_day ahead;	      /* when term billed + 1 is billed; LL_NO_DAY */
	uint32_t notice_term; /* the term a notice ends, 0 when none */
	bool ended;	      /* expired or terminated */

	ll_day np_since; /* suspended for nonpayment since */
	bool np_termination_logged;
	const char *np_note; /* the note of a suspension recorded for it */
	ll_day due_since;    /* suspension "decided": suspensionDue since */
	/* Clause 7.1(4): reminders recorded, the last one's day and the
	 * last one's before it (billing_reminder_unpaid). */
	uint32_t reminders;
	ll_day last_reminder, reminder_before;
	ll_day manual_since; /* suspended by a person since */
	enum billing_reason manual_reason;
	const char *manual_note;
	bool terminated;
	enum billing_reason terminate_reason;
	bool renewed_suspended; /* the current term began while suspended */
	/* Issue 13, late_fee_cap: the days installments reach their caps,
	 * a binary heap by day, so that installments below their cap need
	 * not stay in view (s->live) until they reach it. */
	struct billing_capq *cq;
	size_t n_cq, cap_cq;
	uint32_t gen;
	bool expired_suspended; /* it ended for being suspended then */
	struct billing_wide credit;
	struct billing_wide paid;

	struct billing_installment *inst;
	struct billing_accrual *acc; /* inst[i]'s is acc[i] */
	size_t n_inst, cap_inst;
	size_t live;   /* inst[0..live) have no day left to come */
	size_t owing;  /* inst[0..owing) owe neither principal nor fee */
	ll_day fee_to; /* late fees are accrued through this day */
	struct billing_wide fee;   /* every installment's accrued, unpaid */
	struct billing_wide daily; /* what fee grows by a day: the accruing
				    * installments' daily fees added up */
	size_t work; /* installments visited (billing_contract.work) */
	bool log;
	struct billing_event *ev;
	size_t n_ev, cap_ev;
	int failed; /* out of memory */
};

/* The first installment that still owes principal or a late fee: none
 * before it ever will again (what is unpaid never grows, and a fee
 * accrues only on unpaid principal). */
static size_t
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
static ll_fen
billing_outstanding(struct billing_sim *s)
{
	ll_fen owed = 0;
	bool capped = false;

	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++)
		owed = billing_cap_sum(owed, s->inst[i].outstanding, &capped);
	return owed;
}

/* Unpaid principal past its due date at the end of `day` (capped). */
static ll_fen
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
static void
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
static void
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

/* Notes an event when events are asked for; returns it, or NULL. */
static struct billing_event *
billing_log(struct billing_sim *s, ll_day day, enum billing_event_kind kind,
	    const struct billing_installment *in, ll_fen amount,
	    enum billing_reason reason)
{
	struct billing_event *ev;
	bool capped = false; /* the figure says it: BILLING_FEN_MAX */

	if (!s->log || s->failed)
		return NULL;
	if (s->n_ev == s->cap_ev) {
		size_t cap = s->cap_ev ? 2 * s->cap_ev : 16;
		struct billing_event *p = realloc(s->ev, cap * sizeof(*p));

		if (p == NULL) {
			s->failed = 1;
			return NULL;
		}
		s->ev = p;
		s->cap_ev = cap;
	}
	ev = &s->ev[s->n_ev++];
	ev->day = day;
	ev->kind = kind;
	ev->term = in ? in->term : s->term;
	ev->installment = in ? in->index : 0;
	ev->amount = amount;
	ev->late_fee = billing_cap(&s->fee, &capped);
	ev->days = 0;
	ev->about = in ? in->due : LL_NO_DAY;
	ev->note = NULL;
	ev->reason = reason;
	ev->installment_late_fee = 0;
	ev->from = (enum billing_service)0;
	return ev;
}

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
static ll_day
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
static void
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

static bool billing_renews(const struct billing_sim *s);

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
static bool
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
static void
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
static void
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
static void
billing_apply_credit(struct billing_sim *s, ll_day day)
{
	struct billing_wide credit = s->credit;

	if (billing_wide_zero(&credit))
		return;
	s->credit = billing_wide_of(0);
	billing_apply(s, day, credit);
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
static void
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
static void
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
static bool
billing_next_comes(const struct billing_sim *s)
{
	return billing_renews(s) && s->ahead != LL_NO_DAY &&
	       !(s->notice_term >= s->term && s->notice_term <= s->billed);
}

/* Bills the term after s->billed, on `day`. */
static void
billing_bill_ahead(struct billing_sim *s, ll_day day)
{
	billing_bill_term(s, s->billed + 1);
	billing_apply_credit(s, day);
}

/* At the end of `day`, late fees accrued through it (s->fee_to). */
static bool
billing_arrears_cleared(struct billing_sim *s, ll_day day)
{
	if (!billing_wide_zero(&s->fee))
		return false;
	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++)
		if (s->inst[i].due < day && s->inst[i].outstanding > 0)
			return false;
	return true;
}

static bool
billing_suspended(const struct billing_sim *s)
{
	return s->np_since != LL_NO_DAY || s->manual_since != LL_NO_DAY;
}

static ll_day
billing_deadline(const struct billing_sim *s)
{
	return s->term_end - (ll_day)s->c->notice_days;
}

/* Whether the current term will renew as things stand: a reminder of the
 * notice deadline is for such a term only. */
static bool
billing_renews(const struct billing_sim *s)
{
	return s->c->auto_renew && s->c->renew_months > 0 &&
	       s->notice_term != s->term && !s->ended;
}

static void
billing_remind(struct billing_sim *s, ll_day day, enum billing_event_kind kind,
	       const struct billing_installment *in, ll_fen amount,
	       uint32_t days)
{
	struct billing_event *ev =
	    billing_log(s, day, kind, in, amount, REASON_NONE);

	if (ev == NULL)
		return;
	ev->days = (int32_t)days;
	if (kind == BILLING_EV_NOTICE_DUE)
		ev->about = billing_deadline(s);
}

/* Days the oldest unpaid installment is overdue at the end of `day`. */
static int32_t
billing_days_overdue(struct billing_sim *s, ll_day day)
{
	int32_t most = 0;

	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++)
		if (s->inst[i].outstanding > 0 && day - s->inst[i].due > most)
			most = day - s->inst[i].due;
	return most;
}

/* Clause 7.1(4), at `day`: a reminder recorded before that day was
 * about an installment then overdue whose principal is still unpaid.
 * The last reminder before the day covers the most installments (each
 * one overdue at an earlier reminder is overdue at it), so it is the one
 * to look at; the reminder of the day itself leaves no time to pay. */
static bool
billing_reminder_unpaid(struct billing_sim *s, ll_day day)
{
	ll_day r =
	    s->last_reminder < day ? s->last_reminder : s->reminder_before;

	if (r == LL_NO_DAY)
		return false;
	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++)
		if (s->inst[i].due < r && s->inst[i].outstanding > 0)
			return true;
	return false;
}

/* Suspension "decided" (billing_may_suspend), while the entries of `day`
 * are applied: a suspension for nonpayment recorded now takes effect. */
static bool
billing_suspension_allowed(struct billing_sim *s, ll_day day)
{
	return s->c->suspension == LL_SUSPENSION_DECIDED && !s->ended &&
	       s->np_since == LL_NO_DAY &&
	       ((s->due_since != LL_NO_DAY &&
		 !billing_arrears_cleared(s, day)) ||
		billing_reminder_unpaid(s, day));
}

/* Clause 2.3.4 under suspension "decided": the day a suspension for
 * nonpayment is due, told unless service is suspended already. */
static void
billing_log_due(struct billing_sim *s, ll_day day)
{
	struct billing_event *ev =
	    billing_log(s, day, BILLING_EV_SUSPENSION_DUE, NULL,
			billing_arrears(s, day), REASON_NONPAYMENT);

	if (ev != NULL)
		ev->days = billing_days_overdue(s, day);
}

/* Issue 13, suspension "decided": a person's suspension for nonpayment
 * (clauses 2.3.4, 7.1(4)), from its day on the automatic one's rules. */
static void
billing_nonpayment_recorded(struct billing_sim *s, const struct entry *e,
			    bool was)
{
	struct billing_event *ev;

	if (!billing_suspension_allowed(s, e->day))
		return;
	s->np_since = e->day;
	s->np_termination_logged = false;
	s->np_note = e->note;
	s->due_since = LL_NO_DAY;
	if (was)
		return;
	ev = billing_log(s, e->day, BILLING_EV_SUSPENDED, NULL,
			 billing_arrears(s, e->day), REASON_NONPAYMENT);
	if (ev != NULL) {
		ev->days = billing_days_overdue(s, e->day);
		ev->about = e->day + (ll_day)s->c->terminate_after_days;
		ev->note = e->note;
	}
}

/* A person's decision or a payment, on its day. */
static void
billing_entry(struct billing_sim *s, const struct entry *e)
{
	bool was = billing_suspended(s);
	struct billing_event *ev;

	switch (e->kind) {
	case ENTRY_PAYMENT:
		billing_wide_add(&s->paid, (uint64_t)e->amount);
		billing_apply(s, e->day, billing_wide_of(e->amount));
		billing_log(s, e->day, BILLING_EV_PAYMENT, NULL, e->amount,
			    REASON_NONE);
		break;
	case ENTRY_SUSPEND:
		if (e->reason == REASON_NONPAYMENT) {
			billing_nonpayment_recorded(s, e, was);
			break;
		}
		if (s->manual_since == LL_NO_DAY)
			s->manual_since = e->day;
		s->manual_reason = (enum billing_reason)e->reason;
		s->manual_note = e->note;
		if (!was) {
			ev = billing_log(s, e->day, BILLING_EV_SUSPENDED, NULL,
					 0, s->manual_reason);
			if (ev != NULL)
				ev->note = e->note;
		}
		break;
	case ENTRY_RESUME:
		s->manual_since = LL_NO_DAY;
		s->manual_note = NULL;
		if (was && !billing_suspended(s) && s->due_since != LL_NO_DAY)
			billing_log_due(s, e->day);
		else if (was && !billing_suspended(s))
			billing_log(s, e->day, BILLING_EV_RESTORED, NULL,
				    billing_outstanding(s), REASON_NONE);
		break;
	case ENTRY_TERMINATE:
		if (s->terminated)
			break;
		s->terminated = true;
		s->ended = true;
		s->terminate_reason = (enum billing_reason)e->reason;
		s->manual_note = e->note;
		ev = billing_log(s, e->day, BILLING_EV_TERMINATED, NULL, 0,
				 s->terminate_reason);
		if (ev != NULL)
			ev->note = e->note;
		billing_terminate_terms(s, e->day);
		break;
	case ENTRY_NOTICE:
		/* A notice after the deadline is for the next term. */
		s->notice_term =
		    e->day <= billing_deadline(s) ? s->term : s->term + 1;
		ev = billing_log(s, e->day, BILLING_EV_NOTICE_GIVEN, NULL, 0,
				 REASON_NONE);
		if (ev != NULL)
			ev->term = s->notice_term;
		if (s->billed > s->notice_term)
			billing_withdraw(s, s->notice_term);
		break;
	case ENTRY_REMINDER:
		s->reminders++;
		if (s->last_reminder != e->day) {
			s->reminder_before = s->last_reminder;
			s->last_reminder = e->day;
		}
		ev = billing_log(s, e->day, BILLING_EV_REMINDER, NULL,
				 billing_arrears(s, e->day), REASON_NONE);
		if (ev != NULL) {
			ev->days = billing_days_overdue(s, e->day);
			ev->note = e->note;
		}
		break;
	case ENTRY_REVERSAL: break;
	}
}

/* The reason service is suspended for, REASON_NONE when it is not: a
 * person's suspension before nonpayment, as billing_result tells it. */
static enum billing_reason
billing_suspension_reason(const struct billing_sim *s)
{
	if (s->manual_since != LL_NO_DAY)
		return s->manual_reason;
	if (s->np_since != LL_NO_DAY)
		return REASON_NONPAYMENT;
	return REASON_NONE;
}

/* Clause 11.1, on the day after the term's last.  Issue 13: a contract
 * suspended then renews and its new term is billed (the text's reading,
 * marked), unless renew_while_suspended is false: then it expires, the
 * terms billed ahead withdrawn, and what it owes stays owed. */
static void
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
	 * the first renewal, as config.c checks term_schedules by it. */
	model_term_bounds(c, s->term, &s->term_start, &s->term_end);
	ev = billing_log(s, day, BILLING_EV_RENEWED, NULL, 0, why);
	if (ev != NULL)
		ev->about = s->term_end;
	if (s->billed < s->term)
		billing_bill_term(s, s->term);
	billing_apply_credit(s, day);
}

/* Clause 2.3.4, at the start of `day`: an installment still unpaid more
 * than suspend_after_days after its due date suspends service. */
static void
billing_suspend_check(struct billing_sim *s, ll_day day)
{
	const struct ll_contract *c = s->c;
	bool was = billing_suspended(s);
	struct billing_event *ev;

	if (s->np_since != LL_NO_DAY || s->due_since != LL_NO_DAY)
		return;
	for (size_t i = billing_owing(s); i < s->n_inst; i++, s->work++) {
		if (s->inst[i].outstanding == 0 ||
		    day - s->inst[i].due <= (ll_day)c->suspend_after_days)
			continue;
		/* Issue 13: under "decided", due, not suspended. */
		if (c->suspension == LL_SUSPENSION_DECIDED) {
			s->due_since = day;
			if (!was)
				billing_log_due(s, day);
			return;
		}
		s->np_since = day;
		s->np_termination_logged = false;
		if (was)
			return;
		ev = billing_log(s, day, BILLING_EV_SUSPENDED, NULL,
				 billing_arrears(s, day), REASON_NONPAYMENT);
		if (ev != NULL) {
			ev->days = billing_days_overdue(s, day);
			ev->about = day + (ll_day)c->terminate_after_days;
		}
		return;
	}
}

/* At the end of `day`: clause 2.3.5, paying every arrear and late fee
 * lifts a suspension for nonpayment, or ends one due (suspension
 * "decided"); clause 2.3.4, termination becomes possible
 * terminate_after_days into it. */
static void
billing_nonpayment_end(struct billing_sim *s, ll_day day)
{
	const struct ll_contract *c = s->c;
	struct billing_event *ev;

	if (s->due_since != LL_NO_DAY && billing_arrears_cleared(s, day)) {
		s->due_since = LL_NO_DAY;
		ev = billing_suspended(s)
			 ? NULL
			 : billing_log(s, day, BILLING_EV_RESTORED, NULL,
				       billing_outstanding(s), REASON_NONE);
		if (ev != NULL)
			ev->from = SERVICE_SUSPENSION_DUE;
	}
	if (s->np_since == LL_NO_DAY)
		return;
	if (billing_arrears_cleared(s, day)) {
		s->np_since = LL_NO_DAY;
		s->np_note = NULL;
		if (!billing_suspended(s))
			billing_log(s, day, BILLING_EV_RESTORED, NULL,
				    billing_outstanding(s), REASON_NONE);
		return;
	}
	if (!s->np_termination_logged &&
	    day >= s->np_since + (ll_day)c->terminate_after_days) {
		s->np_termination_logged = true;
		ev = billing_log(s, day, BILLING_EV_TERMINATION_POSSIBLE, NULL,
				 billing_arrears(s, day), REASON_NONPAYMENT);
		if (ev != NULL) {
			ev->days = billing_days_overdue(s, day);
			ev->about = s->np_since;
		}
	}
}

static void
billing_candidate(ll_day *next, ll_day day, ll_day candidate)
{
	if (candidate >= day && candidate < *next)
		*next = candidate;
}

/* Whether nothing more can happen to inst[i] from `day` on, so that no
 * step need visit it: past its due date once paid; else past its first
 * day overdue, and past its suspension while the contract runs, and
 * accruing its late fee (one due before the replay's first day, or
 * billed after its due date, starts accruing on the next step).  Once true, it
 * stays true: what is unpaid never grows, an ended contract stays ended,
 * and an installment accrues until paid.
 *
 * billing_installment_day logs each event on the first day replayed on
 * which it holds, which is its own day or the day the installment is
 * billed; both are visited before this holds: a reminder holds only
 * through the due date; the due date is a step while the installment
 * lives, as is the first day overdue while it is unpaid (and an
 * installment accrues only from a step past its due date, on which it is
 * visited); an installment billed late is visited on the day it is
 * billed.  So when this holds, its reminder, due date and first day
 * overdue are all behind it.  A withdrawal (billing_withdraw) removes
 * the last installments and clamps s->live and s->owing to what is left.
 */
static bool
billing_done(const struct billing_sim *s, size_t i, ll_day day)
{
	const struct billing_installment *in = &s->inst[i];

	if (in->outstanding == 0)
		return in->due < day;
	if (s->ended)
		return s->acc[i].accruing && in->due + 1 < day;
	return s->acc[i].accruing &&
	       in->due + (ll_day)s->c->suspend_after_days + 1 < day;
}

/* The next day, from s->day on, on which anything can change.  First
 * moves s->live past the installments whose last step is behind. */
static ll_day
billing_next_day(struct billing_sim *s, ll_day end)
{
	const struct ll_contract *c = s->c;
	ll_day next = end + 1, day = s->day, cap_day;
	size_t cap_i;
	bool runs = !s->ended;

	while (s->live < s->n_inst && billing_done(s, s->live, day)) {
		s->live++;
		s->work++;
	}
	if (s->next_entry < s->n_entries)
		billing_candidate(&next, day, s->e[s->next_entry].day);
	for (size_t i = s->live; i < s->n_inst; i++, s->work++) {
		const struct billing_installment *in = &s->inst[i];

		/* due dates fall, ended contract or not */
		billing_candidate(&next, day, in->due);
		if (in->outstanding == 0)
			continue;
		billing_candidate(&next, day, in->due + 1);
		for (size_t k = 0; k < c->n_due_soon_days && runs; k++)
			billing_candidate(
			    &next, day, in->due - (ll_day)c->due_soon_days[k]);
		if (runs)
			billing_candidate(
			    &next, day,
			    in->due + (ll_day)c->suspend_after_days + 1);
	}
	if (billing_capq_top(s, &cap_day, &cap_i))
		billing_candidate(&next, day, cap_day);
	if (!runs)
		return next;
	if (billing_next_comes(s))
		billing_candidate(&next, day, s->ahead > day ? s->ahead : day);
	billing_candidate(&next, day, s->term_end + 1);
	billing_candidate(&next, day, billing_deadline(s));
	for (size_t k = 0; k < c->n_notice_reminder_days && billing_renews(s);
	     k++)
		billing_candidate(&next, day,
				  billing_deadline(s) -
				      (ll_day)c->notice_reminder_days[k]);
	if (s->np_since != LL_NO_DAY && !s->np_termination_logged)
		billing_candidate(
		    &next, day, s->np_since + (ll_day)c->terminate_after_days);
	return next;
}

/* An installment's reminders, due date and first day overdue, each
 * logged once, on the first day replayed on which it holds: its own day,
 * or the day the installment is billed when that is later.  Of reminders
 * reached at once, the nearest: the others are overtaken.  Reminders
 * while the contract runs and the installment is unpaid; due dates
 * always. */
static void
billing_installment_day(struct billing_sim *s, ll_day day,
			struct billing_installment *in)
{
	const struct ll_contract *c = s->c;
	uint32_t near = 0;

	for (size_t k = 0; k < c->n_due_soon_days &&
			   in->due - (ll_day)c->due_soon_days[k] <= day;
	     k++)
		near = c->due_soon_days[k];
	if (!s->ended && in->outstanding > 0 && day <= in->due && near > 0 &&
	    (in->reminded == 0 || near < in->reminded)) {
		in->reminded = near;
		billing_remind(s, day, BILLING_EV_DUE_SOON, in, in->outstanding,
			       (uint32_t)(in->due - day));
	}
	if (!in->fell_due && day >= in->due) {
		in->fell_due = true;
		billing_log(s, day, BILLING_EV_DUE, in, in->amount,
			    REASON_NONE);
	}
	if (!in->went_overdue && day > in->due && in->outstanding > 0) {
		size_t i = (size_t)(in - s->inst);
		struct billing_event *ev;
		bool capped = false;

		in->went_overdue = true;
		ev = billing_log(s, day, BILLING_EV_OVERDUE, in,
				 in->outstanding, REASON_NONE);
		if (ev != NULL) {
			billing_catch_up(s, i);
			ev->installment_late_fee =
			    billing_cap(&s->acc[i].fee, &capped);
		}
	}
}

/* Everything that happens on `day`, after its late fee accrued: first
 * what holds from its start (a renewal, a term billed ahead, reminders,
 * due dates, the first day overdue, a suspension), then the entries of
 * the day, then what they change. */
static void
billing_day(struct billing_sim *s, ll_day day)
{
	const struct ll_contract *c = s->c;

	/* A suspension that begins on the day a term would renew is in
	 * force at the start of that day, when the renewal is decided. */
	if (!s->ended && day == s->term_end + 1) {
		billing_suspend_check(s, day);
		billing_term_end(s, day);
	}
	while (!s->failed && billing_next_comes(s) && s->ahead <= day)
		billing_bill_ahead(s, day);
	for (size_t i = s->live; i < s->n_inst; i++, s->work++)
		billing_installment_day(s, day, &s->inst[i]);
	if (!s->ended)
		billing_suspend_check(s, day);
	while (s->next_entry < s->n_entries && s->e[s->next_entry].day == day) {
		size_t k = s->next_entry++;

		if (!s->skip[k])
			billing_entry(s, &s->e[k]);
	}
	if (s->ended)
		return;
	billing_nonpayment_end(s, day);
	if (day == billing_deadline(s)) {
		struct billing_event *ev = billing_log(
		    s, day, BILLING_EV_NOTICE_DEADLINE, NULL, 0, REASON_NONE);

		if (ev != NULL)
			ev->about = day;
	}
	for (size_t k = 0; k < c->n_notice_reminder_days; k++)
		if (billing_renews(s) &&
		    billing_deadline(s) - (ll_day)c->notice_reminder_days[k] ==
			day)
			billing_remind(s, day, BILLING_EV_NOTICE_DUE, NULL, 0,
				       c->notice_reminder_days[k]);
}

/* Replays days s->day .. end. */
static void
billing_run(struct billing_sim *s, ll_day end)
{
	while (s->day <= end && !s->failed) {
		ll_day next = billing_next_day(s, end);

		if (next > end) {
			billing_accrue(s, s->day, end);
			s->day = end + 1;
			break;
		}
		billing_accrue(s, s->day, next);
		billing_day(s, next);
		s->day = next + 1;
	}
}

static int
billing_by_id(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Reversals: a reversed payment, and the reversal, are left out.  Each
 * reversal finds its payment by id among the payments sorted by id, so
 * that a ledger of many corrections costs n log n, not n squared. */
static bool *
billing_reversed(const struct entry *e, size_t n, ll_day today)
{
	bool *skip = calloc(n ? n : 1, sizeof(*skip));
	const struct entry **pay = calloc(n ? n : 1, sizeof(*pay));
	size_t n_pay = 0;

	if (skip == NULL || pay == NULL) {
		free(skip);
		free(pay);
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		if (e[k].kind == ENTRY_PAYMENT)
			pay[n_pay++] = &e[k];
	qsort(pay, n_pay, sizeof(*pay), billing_by_id);
	for (size_t k = 0; k < n; k++) {
		size_t lo = 0, hi = n_pay;

		if (e[k].kind != ENTRY_REVERSAL)
			continue;
		skip[k] = true;
		if (e[k].day > today)
			continue;
		while (lo < hi) { /* the first payment of an id >= reverses */
			size_t mid = lo + (hi - lo) / 2;

			if (pay[mid]->id < e[k].reverses)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < n_pay && pay[lo]->id == e[k].reverses; lo++)
			skip[pay[lo] - e] = true;
	}
	free(pay);
	return skip;
}

/* The state on `today`, from the replay stopped at the end of that day.
 * Amounts are added up in 128 bits and published capped (billing_cap). */
static int
billing_result(struct billing_sim *s, struct billing_contract *out)
{
	const struct ll_contract *c = s->c;
	struct billing_wide outstanding = {0, 0}, overdue = {0, 0}, arrears;
	bool *sat = &out->saturated;
	const char *note;

	out->today = s->today;
	out->term_number = s->term;
	out->term_start = s->term_start;
	out->term_end = s->term_end;
	out->notice_deadline = billing_deadline(s);
	out->notice_given = s->notice_term == s->term;
	out->renewed_while_suspended = s->renewed_suspended;
	out->expired_while_suspended = s->expired_suspended;
	out->paid = billing_cap(&s->paid, sat);
	out->credit = billing_cap(&s->credit, sat);
	out->next_due = LL_NO_DAY;
	out->suspended_since = LL_NO_DAY;
	out->termination_date = LL_NO_DAY;
	out->suspension_due_since = LL_NO_DAY;

	out->installments =
	    malloc((s->n_inst ? s->n_inst : 1) * sizeof(*out->installments));
	if (out->installments == NULL)
		return -1;
	memcpy(out->installments, s->inst, s->n_inst * sizeof(*s->inst));
	out->n_installments = s->n_inst;
	for (size_t i = 0; i < s->n_inst; i++, s->work++) {
		struct billing_installment *in = &out->installments[i];

		billing_catch_up(s, i);
		in->late_fee = billing_cap(&s->acc[i].fee, sat);
		in->late_fee_paid = billing_cap(&s->acc[i].fee_paid, sat);
		if (in->outstanding == 0) {
			in->state = INSTALLMENT_PAID;
		} else if (s->today > in->due) {
			in->state = INSTALLMENT_OVERDUE;
			in->days_overdue = s->today - in->due;
			billing_wide_add(&overdue, (uint64_t)in->outstanding);
			if (in->days_overdue > out->days_overdue)
				out->days_overdue = in->days_overdue;
		} else if (in->due - s->today <= BILLING_DUE_SOON_DAYS) {
			in->state = INSTALLMENT_DUE_SOON;
		} else {
			in->state = INSTALLMENT_PENDING;
		}
		billing_wide_add(&outstanding, (uint64_t)in->outstanding);
		if (in->outstanding > 0 && out->next_due == LL_NO_DAY) {
			out->next_due = in->due;
			out->next_due_amount = in->outstanding;
		}
	}
	out->outstanding = billing_cap(&outstanding, sat);
	out->overdue = billing_cap(&overdue, sat);
	out->late_fee = billing_cap(&s->fee, sat);
	arrears = overdue;
	billing_wide_sum(&arrears, &s->fee);
	out->arrears = billing_cap(&arrears, sat);

	out->service = SERVICE_ACTIVE;
	out->reason = REASON_NONE;
	if (s->ended) {
		out->service = SERVICE_TERMINATED;
		if (s->terminated)
			out->reason = s->terminate_reason;
	} else if (s->manual_since != LL_NO_DAY) {
		out->service = SERVICE_SUSPENDED;
		out->reason = s->manual_reason;
		out->suspended_since = s->manual_since;
	} else if (s->np_since != LL_NO_DAY) {
		out->service = SERVICE_SUSPENDED;
		out->reason = REASON_NONPAYMENT;
		out->suspended_since = s->np_since;
	} else if (s->due_since != LL_NO_DAY) {
		/* issue 13, suspension "decided" */
		out->service = SERVICE_SUSPENSION_DUE;
		out->reason = REASON_NONPAYMENT;
	}
	if (!s->ended) {
		out->suspension_due_since = s->due_since;
		if (s->np_since != LL_NO_DAY) {
			out->termination_date =
			    s->np_since + (ll_day)c->terminate_after_days;
			if (s->today >= out->termination_date)
				out->service = SERVICE_TERMINATION_POSSIBLE;
		}
	}
	note = s->manual_note;
	if (note == NULL && !s->ended && s->np_since != LL_NO_DAY)
		note = s->np_note; /* a suspension recorded for nonpayment */
	if (note != NULL && *note != '\0' && out->service != SERVICE_ACTIVE) {
		out->note = strdup(note);
		if (out->note == NULL)
			return -1;
	}
	out->reminders = s->reminders;
	out->last_reminder = s->last_reminder;
	out->reminder_unpaid = billing_reminder_unpaid(s, s->today);

	if (out->service == SERVICE_TERMINATED)
		out->state = BILLING_TERMINATED;
	else if (out->service == SERVICE_TERMINATION_POSSIBLE)
		out->state = BILLING_TERMINATION_POSSIBLE;
	else if (out->service == SERVICE_SUSPENDED)
		out->state = BILLING_SUSPENDED;
	else if (out->overdue > 0 || out->late_fee > 0)
		out->state = BILLING_OVERDUE;
	else if (out->next_due != LL_NO_DAY &&
		 out->next_due - s->today <= BILLING_DUE_SOON_DAYS)
		out->state = BILLING_DUE_SOON;
	else
		out->state = BILLING_UP_TO_DATE;
	return 0;
}

int
billing_evaluate(const struct ll_contract *c, const struct entry *e, size_t n,
		 ll_day today, ll_day horizon, struct billing_contract *out)
{
	struct billing_sim s;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.e = e;
	s.n_entries = n;
	s.today = today;
	s.np_since = LL_NO_DAY;
	s.due_since = LL_NO_DAY;
	s.last_reminder = LL_NO_DAY;
	s.reminder_before = LL_NO_DAY;
	s.manual_since = LL_NO_DAY;
	s.term = 1;
	s.term_start = c->term_start;
	s.term_end = c->term_end;
	s.log = horizon != LL_NO_DAY;
	billing_bill_term(&s, 1);
	/* The replay starts when the first installment is billed, or on the
	 * day of a payment received before: applied on its day, to
	 * principal not yet due. */
	s.day = c->term_start;
	if (n > 0 && e[0].day < s.day)
		s.day = e[0].day;
	if (s.n_inst > 0 && s.inst[0].due - billing_lead(c) < s.day)
		s.day = s.inst[0].due - billing_lead(c);
	s.fee_to = s.day - 1;
	/* Entries dated after today are not in force yet. */
	while (s.n_entries > 0 && e[s.n_entries - 1].day > today)
		s.n_entries--;
	s.skip = billing_reversed(e, s.n_entries, today);
	if (s.skip == NULL) {
		free(s.inst);
		free(s.acc);
		return -1;
	}
	billing_run(&s, today);
	if (s.failed || billing_result(&s, out) < 0)
		goto out;
	if (s.log && horizon > today) {
		s.n_entries = s.next_entry; /* project without new entries */
		billing_run(&s, horizon);
	}
	if (s.failed)
		goto out;
	out->work = s.work;
	out->events = s.ev;
	out->n_events = s.n_ev;
	s.ev = NULL;
	rc = 0;
out:
	free((void *)s.skip);
	free(s.inst);
	free(s.acc);
	free(s.ev);
	free(s.cq);
	if (rc < 0)
		billing_contract_free(out);
	return rc;
}

bool
billing_may_suspend(const struct ll_contract *c,
		    const struct billing_contract *bc, const char **why)
{
	*why = NULL;
	if (c->suspension != LL_SUSPENSION_DECIDED)
		*why = "its suspension for nonpayment is automatic "
		       "(leaseline.conf(5) suspension): computed from the "
		       "ledger (clause 2.3.4), not recorded";
	else if (bc->service == SERVICE_TERMINATED)
		*why = "it has ended: nothing more can be decided on it";
	else if (bc->termination_date != LL_NO_DAY)
		*why = "it is suspended for nonpayment already";
	else if (bc->service == SERVICE_SUSPENSION_DUE || bc->reminder_unpaid)
		return true;
	else if (bc->overdue == 0)
		*why = "no installment is overdue";
	else if (bc->last_reminder == LL_NO_DAY)
		*why = "an installment is overdue, but a suspension is not "
		       "due yet (clause 2.3.4) and no reminder to pay was "
		       "recorded before (clause 7.1(4): record one with "
		       "'leaselinectl remind')";
	else
		*why = "an installment is overdue, but a suspension is not "
		       "due yet (clause 2.3.4) and no reminder recorded "
		       "before this day is about an installment then "
		       "overdue and still unpaid (clause 7.1(4))";
	return false;
}

void
billing_contract_free(struct billing_contract *bc)
{
	if (bc == NULL)
		return;
	free(bc->installments);
	free(bc->events);
	free(bc->note);
	memset(bc, 0, sizeof(*bc));
}

enum billing_circuit_state
billing_circuit_state(const struct ll_circuit *ci,
		      const struct billing_contract *bc)
{
	if (ci->admin == LL_CIRCUIT_PLANNED)
		return CIRCUIT_PLANNED;
	if (ci->admin == LL_CIRCUIT_CEASED)
		return CIRCUIT_CEASED;
	switch (bc->service) {
	case SERVICE_SUSPENDED:
	case SERVICE_TERMINATION_POSSIBLE: return CIRCUIT_SUSPENDED;
	case SERVICE_TERMINATED: return CIRCUIT_TERMINATED;
	case SERVICE_ACTIVE:
	case SERVICE_SUSPENSION_DUE: break; /* served until suspended */
	}
	return CIRCUIT_ACTIVE;
}

#define BILLING_NAME(table, v)                                                 \
	((size_t)(v) < sizeof(table) / sizeof(table[0]) && table[(v)]          \
	     ? table[(v)]                                                      \
	     : "unknown")

const char *
billing_state_name(enum billing_state s)
{
	static const char *const names[] = {
	    [BILLING_UP_TO_DATE] = "upToDate",
	    [BILLING_DUE_SOON] = "dueSoon",
	    [BILLING_OVERDUE] = "overdue",
	    [BILLING_SUSPENDED] = "suspended",
	    [BILLING_TERMINATION_POSSIBLE] = "terminationPossible",
	    [BILLING_TERMINATED] = "terminated",
	};
	return BILLING_NAME(names, s);
}

const char *
billing_service_name(enum billing_service s)
{
	static const char *const names[] = {
	    [SERVICE_ACTIVE] = "active",
	    [SERVICE_SUSPENDED] = "suspended",
	    [SERVICE_TERMINATION_POSSIBLE] = "terminationPossible",
	    [SERVICE_TERMINATED] = "terminated",
	    [SERVICE_SUSPENSION_DUE] = "suspensionDue",
	};
	return BILLING_NAME(names, s);
}

const char *
billing_reason_name(enum billing_reason r)
{
	static const char *const names[] = {
	    [REASON_NONE] = "none",
	    [REASON_NONPAYMENT] = "nonpayment",
	    [REASON_VIOLATION] = "violation",
	    [REASON_ADMINISTRATIVE] = "administrative",
	    [REASON_REGULATORY] = "regulatory",
	    [REASON_TRANSIT] = "transit",
	    [REASON_MISUSE] = "misuse",
	};
	return BILLING_NAME(names, r);
}

const char *
billing_installment_state_name(enum billing_installment_state s)
{
	static const char *const names[] = {
	    [INSTALLMENT_PENDING] = "pending",
	    [INSTALLMENT_DUE_SOON] = "dueSoon",
	    [INSTALLMENT_OVERDUE] = "overdue",
	    [INSTALLMENT_PAID] = "paid",
	};
	return BILLING_NAME(names, s);
}

const char *
billing_event_name(enum billing_event_kind k)
{
	static const char *const names[] = {
	    [BILLING_EV_DUE] = "due",
	    [BILLING_EV_OVERDUE] = "overdue",
	    [BILLING_EV_PAYMENT] = "payment",
	    [BILLING_EV_PAID] = "paid",
	    [BILLING_EV_SUSPENDED] = "suspended",
	    [BILLING_EV_RESTORED] = "restored",
	    [BILLING_EV_TERMINATION_POSSIBLE] = "terminationPossible",
	    [BILLING_EV_TERMINATED] = "terminated",
	    [BILLING_EV_NOTICE_GIVEN] = "noticeGiven",
	    [BILLING_EV_NOTICE_DEADLINE] = "noticeDeadline",
	    [BILLING_EV_RENEWED] = "renewed",
	    [BILLING_EV_EXPIRED] = "expired",
	    [BILLING_EV_DUE_SOON] = "dueSoon",
	    [BILLING_EV_NOTICE_DUE] = "noticeDue",
	    [BILLING_EV_SUSPENSION_DUE] = "suspensionDue",
	    [BILLING_EV_REMINDER] = "reminder",
	};
	return BILLING_NAME(names, k);
}
