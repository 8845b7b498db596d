/*
 * billing.c: the billing clock of a contract (see billing.h).
 *
 * This file drives the replay day by day and applies what people
 * recorded; billing_fees.c keeps the late fees and applies payments,
 * billing_terms.c bills, renews and ends the terms, billing_result.c
 * publishes the result (their shared state: billing_sim.h).
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
#include "core/billing_sim.h"
#include "core/day.h"
/* Notes an event when events are asked for; returns it, or NULL. */
struct billing_event *
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

static bool
billing_suspended(const struct billing_sim *s)
{
	return s->np_since != LL_NO_DAY || s->manual_since != LL_NO_DAY;
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

/* Clause 7.1(4), at `day`: a reminder recorded before that day was
 * about an installment then overdue whose principal is still unpaid.
 * The last reminder before the day covers the most installments (each
 * one overdue at an earlier reminder is overdue at it), so it is the one
 * to look at; the reminder of the day itself leaves no time to pay. */
bool
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
enum billing_reason
billing_suspension_reason(const struct billing_sim *s)
{
	if (s->manual_since != LL_NO_DAY)
		return s->manual_reason;
	if (s->np_since != LL_NO_DAY)
		return REASON_NONPAYMENT;
	return REASON_NONE;
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
