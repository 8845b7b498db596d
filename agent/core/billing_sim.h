/*
 * billing_sim.h: the replay of a contract, shared by the four files that
 * run it (private to core/billing*.c; see billing.c's top comment).
 *
 * billing.c drives the replay day by day and applies what people
 * recorded; billing_result.c publishes its result; billing_fees.c keeps the
 * late fees and applies payments (clause 2.3.3, late_fee_cap); billing_terms.c
 * bills the terms, renews and ends them (clauses 2.2, 2.3.1, 6.2, 11.1).  One
 * replay runs on one thread, on memory of its own: nothing here is shared
 * between threads.
 */
#ifndef LL_BILLING_SIM_H
#define LL_BILLING_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/billing.h"

/* A non-negative amount of fen in 128 bits: hi * 2^64 + lo. */
struct billing_wide {
	uint64_t hi, lo;
};

static inline void
billing_wide_add(struct billing_wide *w, uint64_t v)
{
	w->lo += v;
	w->hi += w->lo < v; /* the carry */
}

static inline void
billing_wide_sum(struct billing_wide *w, const struct billing_wide *x)
{
	billing_wide_add(w, x->lo);
	w->hi += x->hi;
}

/* x <= w */
static inline void
billing_wide_sub(struct billing_wide *w, const struct billing_wide *x)
{
	w->hi -= x->hi + (w->lo < x->lo); /* the borrow */
	w->lo -= x->lo;
}

/* w += x * n, n a number of days (below 2^32).  x is a daily fee or a
 * sum of them, each at most MONEY_MAX (below 2^47) on fewer than 2^32
 * installments: below 2^79, so the product stays far below 2^128. */
static inline void
billing_wide_add_times(struct billing_wide *w, const struct billing_wide *x,
		       uint32_t n)
{
	uint64_t a = (x->lo >> 32) * n, b = (x->lo & 0xffffffffu) * n;

	billing_wide_add(w, b);
	billing_wide_add(w, a << 32);
	w->hi += (a >> 32) + x->hi * n;
}

static inline int
billing_wide_cmp(const struct billing_wide *a, const struct billing_wide *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return (a->lo > b->lo) - (a->lo < b->lo);
}

static inline bool
billing_wide_zero(const struct billing_wide *w)
{
	return w->hi == 0 && w->lo == 0;
}

static inline struct billing_wide
billing_wide_of(ll_fen v)
{
	return (struct billing_wide){0, (uint64_t)v};
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

/* billing_fees.c: late fees and payments */
ll_fen billing_cap(const struct billing_wide *w, bool *saturated);
size_t billing_owing(struct billing_sim *s);
ll_fen billing_outstanding(struct billing_sim *s);
ll_fen billing_arrears(struct billing_sim *s, ll_day day);
void billing_catch_up(struct billing_sim *s, size_t i);
void billing_rate_changed(struct billing_sim *s, size_t i);
bool billing_capq_top(struct billing_sim *s, ll_day *day, size_t *i);
void billing_accrue(struct billing_sim *s, ll_day from, ll_day to);
void billing_apply(struct billing_sim *s, ll_day day,
		   struct billing_wide amount);
void billing_apply_credit(struct billing_sim *s, ll_day day);
bool billing_arrears_cleared(struct billing_sim *s, ll_day day);
int32_t billing_days_overdue(struct billing_sim *s, ll_day day);

/* billing_terms.c: terms */
ll_day billing_lead(const struct ll_contract *c);
void billing_bill_term(struct billing_sim *s, uint32_t k);
void billing_withdraw(struct billing_sim *s, uint32_t last);
void billing_terminate_terms(struct billing_sim *s, ll_day day);
bool billing_next_comes(const struct billing_sim *s);
void billing_bill_ahead(struct billing_sim *s, ll_day day);
ll_day billing_deadline(const struct billing_sim *s);
bool billing_renews(const struct billing_sim *s);
void billing_term_end(struct billing_sim *s, ll_day day);

/* billing.c: the replay */
struct billing_event *billing_log(struct billing_sim *s, ll_day day,
				  enum billing_event_kind kind,
				  const struct billing_installment *in,
				  ll_fen amount, enum billing_reason reason);
bool billing_reminder_unpaid(struct billing_sim *s, ll_day day);
enum billing_reason billing_suspension_reason(const struct billing_sim *s);

/* billing_result.c: what the replay publishes */
int billing_result(struct billing_sim *s, struct billing_contract *out);

#endif
