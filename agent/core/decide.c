/*
 * decide.c: the contract's rules on what a person may record (decide.h).
 *
 * The rules leaselinectl applied before it appended a decision, moved
 * here (issue 15) so that the daemon or a second front end can apply the
 * same ones.  The sentences are leaselinectl's, word for word: its tests
 * read them.
 */
#include <stdio.h>

#include "core/day.h"
#include "core/decide.h"
#include "core/money.h"

const char *
decide_kind_name(enum entry_kind k)
{
	switch (k) {
	case ENTRY_PAYMENT: return "payment";
	case ENTRY_REVERSAL: return "reversal";
	case ENTRY_SUSPEND: return "suspension";
	case ENTRY_RESUME: return "resumption";
	case ENTRY_TERMINATE: return "termination";
	case ENTRY_NOTICE: return "notice";
	case ENTRY_REMINDER: return "reminder";
	}
	return "unknown";
}

bool
decide_suspended_by_person(const struct billing_contract *bc)
{
	return (bc->service == SERVICE_SUSPENDED ||
		bc->service == SERVICE_TERMINATION_POSSIBLE) &&
	       bc->reason != REASON_NONE && bc->reason != REASON_NONPAYMENT;
}

int64_t
decide_reversed_by(const struct entry *all, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (all[i].kind == ENTRY_REVERSAL && all[i].reverses == id)
			return all[i].id;
	return 0;
}

uint32_t
decide_notice_term(const struct billing_contract *bc, ll_day on)
{
	return on <= bc->notice_deadline ? bc->term_number
					 : bc->term_number + 1;
}

enum decide_verdict
decide_may_decide(const struct ll_contract *c,
		  const struct billing_contract *bc, char *why, size_t len)
{
	char d[DAY_STRLEN];

	if (bc->service != SERVICE_TERMINATED)
		return DECIDE_OK;
	if (bc->reason != REASON_NONE)
		snprintf(why, len,
			 "contract %s is terminated (%s): nothing more can be "
			 "decided on it",
			 c->number, billing_reason_name(bc->reason));
	else
		snprintf(why, len,
			 "contract %s expired after its last term ended on "
			 "%s: nothing more can be decided on it",
			 c->number, day_format(bc->term_end, d));
	return DECIDE_ENDED;
}

enum decide_verdict
decide_may_suspend(const struct ll_contract *c,
		   const struct billing_contract *bc, char *why, size_t len)
{
	char d[DAY_STRLEN];

	if (decide_may_decide(c, bc, why, len) != DECIDE_OK)
		return DECIDE_ENDED;
	if (!decide_suspended_by_person(bc))
		return DECIDE_OK;
	snprintf(why, len,
		 "contract %s is already suspended (%s) since %s: to change "
		 "the reason, resume first",
		 c->number, billing_reason_name(bc->reason),
		 day_format(bc->suspended_since, d));
	return DECIDE_ALREADY_SUSPENDED;
}

enum decide_verdict
decide_may_suspend_nonpayment(const struct ll_contract *c,
			      const struct billing_contract *at, char *why,
			      size_t len)
{
	const char *not_yet;
	char d[DAY_STRLEN];

	if (billing_may_suspend(c, at, &not_yet))
		return DECIDE_OK;
	snprintf(why, len,
		 "contract %s cannot be suspended for nonpayment on %s: %s",
		 c->number, day_format(at->today, d), not_yet);
	return DECIDE_NOT_DUE;
}

enum decide_verdict
decide_may_resume(const struct ll_contract *c,
		  const struct billing_contract *bc, char *why, size_t len)
{
	char m[MONEY_STRLEN];

	if (decide_may_decide(c, bc, why, len) != DECIDE_OK)
		return DECIDE_ENDED;
	if (decide_suspended_by_person(bc))
		return DECIDE_OK;
	/* Clause 2.3.5: paying what is late ends what nonpayment began. */
	if (bc->service == SERVICE_SUSPENSION_DUE) {
		snprintf(why, len,
			 "contract %s is not suspended: a suspension for "
			 "nonpayment is due, not recorded; paying the arrears "
			 "and late fees ends it (clause 2.3.5): '%s pay %s "
			 "\"%s\"'",
			 c->number, DECIDE_CTL, c->number,
			 money_format(bc->arrears, m));
		return DECIDE_SUSPENSION_DUE;
	}
	if (bc->reason == REASON_NONPAYMENT) {
		snprintf(why, len,
			 "contract %s is suspended for nonpayment, which a "
			 "person does not lift: paying the arrears and late "
			 "fees does (clause 2.3.5): '%s pay %s \"%s\"'",
			 c->number, DECIDE_CTL, c->number,
			 money_format(bc->arrears, m));
		return DECIDE_NONPAYMENT;
	}
	snprintf(why, len,
		 "contract %s is not suspended by a person: nothing to resume",
		 c->number);
	return DECIDE_NOT_SUSPENDED;
}

enum decide_verdict
decide_may_terminate(const struct ll_contract *c,
		     const struct billing_contract *bc,
		     enum billing_reason reason, char *why, size_t len)
{
	char d[DAY_STRLEN];

	if (decide_may_decide(c, bc, why, len) != DECIDE_OK)
		return DECIDE_ENDED;
	/* Clause 2.3.4: nonpayment allows termination only
	 * terminate_after_days into the suspension. */
	if (reason != REASON_NONPAYMENT ||
	    bc->service == SERVICE_TERMINATION_POSSIBLE)
		return DECIDE_OK;
	if (bc->service == SERVICE_SUSPENSION_DUE) {
		snprintf(why, len,
			 "contract %s is not suspended for nonpayment: a "
			 "suspension is due since %s, for a person to record "
			 "first ('%s suspend %s --reason nonpayment'); "
			 "termination becomes possible %u days into it "
			 "(clause 2.3.4)",
			 c->number, day_format(bc->suspension_due_since, d),
			 DECIDE_CTL, c->number, c->terminate_after_days);
		return DECIDE_SUSPENSION_DUE;
	}
	if (bc->termination_date != LL_NO_DAY) {
		snprintf(why, len,
			 "termination of contract %s for nonpayment becomes "
			 "possible on %s (clause 2.3.4)",
			 c->number, day_format(bc->termination_date, d));
		return DECIDE_TOO_EARLY;
	}
	snprintf(why, len, "contract %s is not suspended for nonpayment",
		 c->number);
	return DECIDE_NOT_SUSPENDED;
}

enum decide_verdict
decide_may_remind(const struct ll_contract *c,
		  const struct billing_contract *at, char *why, size_t len)
{
	char d[DAY_STRLEN];

	if (at->arrears != 0)
		return DECIDE_OK;
	snprintf(why, len,
		 "contract %s: nothing is overdue on %s: a reminder to pay "
		 "(催告, clause 7.1(4)) is for a late payment",
		 c->number, day_format(at->today, d));
	return DECIDE_NOTHING_OVERDUE;
}

enum decide_verdict
decide_may_notice(const struct ll_contract *c, char *why, size_t len)
{
	if (c->auto_renew && c->renew_months != 0)
		return DECIDE_OK;
	snprintf(why, len,
		 "contract %s does not renew automatically: it ends with its "
		 "term, no notice needed",
		 c->number);
	return DECIDE_NO_RENEWAL;
}

enum decide_verdict
decide_may_give_notice(const struct ll_contract *c,
		       const struct billing_contract *at,
		       const struct billing_contract *given, char *why,
		       size_t len)
{
	uint32_t term = decide_notice_term(at, at->today);
	char d[DAY_STRLEN];

	if (decide_may_decide(c, at, why, len) != DECIDE_OK)
		return DECIDE_ENDED;
	for (size_t i = 0; i < given->n_events; i++) {
		const struct billing_event *ev = &given->events[i];

		if (ev->kind != BILLING_EV_NOTICE_GIVEN || ev->term != term)
			continue;
		snprintf(why, len,
			 "contract %s: a non-renewal notice for term %u was "
			 "already given on %s",
			 c->number, term, day_format(ev->day, d));
		return DECIDE_NOTICE_GIVEN;
	}
	return DECIDE_OK;
}

enum decide_verdict
decide_may_reverse(const struct entry *p, const struct entry *all, size_t n,
		   char *why, size_t len)
{
	char d[DAY_STRLEN];
	int64_t by;

	if (p->kind != ENTRY_PAYMENT) {
		const char *hint = "";

		if (p->kind == ENTRY_SUSPEND)
			hint =
			    " (lift a suspension with '" DECIDE_CTL " resume')";
		else if (p->kind == ENTRY_REVERSAL)
			hint = " (to undo a reversal, record the payment "
			       "again with '" DECIDE_CTL " pay')";
		snprintf(why, len,
			 "entry %lld is a %s of contract %s, not a payment: "
			 "only payments are reversed%s",
			 (long long)p->id, decide_kind_name(p->kind),
			 p->contract, hint);
		return DECIDE_NOT_PAYMENT;
	}
	by = decide_reversed_by(all, n, p->id);
	if (by == 0)
		return DECIDE_OK;
	/* The reversal's day, as the clerk sees it in history. */
	for (size_t i = 0; i < n; i++)
		if (all[i].id == by)
			snprintf(why, len,
				 "payment %lld is already reversed by entry "
				 "%lld (on %s): a payment is reversed once",
				 (long long)p->id, (long long)by,
				 day_format(all[i].day, d));
	return DECIDE_REVERSED;
}
