/*
 * write.c: the commands that append to the ledger: pay, reverse, suspend,
 * resume, terminate, remind and notice, and the report every write
 * ends with.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "config/config.h"
#include "core/day.h"
#include "ctl/ctl.h"
#include "store/ledger.h"

/* ---------------------------------------------------------- writes -- */

/* a + b of billing's amounts, capped as billing caps them. */
static ll_fen
ctl_sum(ll_fen a, ll_fen b)
{
	return a > BILLING_FEN_MAX - b ? BILLING_FEN_MAX : a + b;
}

/* What one write changed between two evaluations of the same day. */
static void
ctl_changes(struct ctl_effects *fx, const struct billing_contract *b,
	    const struct billing_contract *a)
{
	char m1[MONEY_STRLEN], m2[MONEY_STRLEN], d[DAY_STRLEN], s[64];
	ll_fen fee_b = 0, fee_a = 0;

	for (size_t i = 0; i < a->n_installments; i++) {
		const struct billing_installment *in = &a->installments[i];
		ll_fen before = 0, delta;

		for (size_t k = 0; k < b->n_installments; k++)
			if (b->installments[k].index == in->index)
				before = b->installments[k].paid;
		delta = in->paid - before;
		if (delta > 0 && in->outstanding == 0)
			ctl_effect(fx,
				   "installment %u (due %s): %s applied, paid "
				   "in full",
				   in->index, day_format(in->due, d),
				   money_format(delta, m1));
		else if (delta > 0)
			ctl_effect(fx,
				   "installment %u (due %s): %s applied, %s "
				   "still outstanding",
				   in->index, day_format(in->due, d),
				   money_format(delta, m1),
				   money_format(in->outstanding, m2));
		else if (delta < 0)
			ctl_effect(fx,
				   "installment %u (due %s): %s taken back, %s "
				   "outstanding again",
				   in->index, day_format(in->due, d),
				   money_format(-delta, m1),
				   money_format(in->outstanding, m2));
		fee_a = ctl_sum(fee_a, in->late_fee_paid);
	}
	for (size_t k = 0; k < b->n_installments; k++)
		fee_b = ctl_sum(fee_b, b->installments[k].late_fee_paid);
	if (fee_a > fee_b)
		ctl_effect(fx, "late fee: %s paid",
			   money_format(fee_a - fee_b, m1));
	else if (fee_a < fee_b)
		ctl_effect(fx, "late fee: %s no longer paid, owed again",
			   money_format(fee_b - fee_a, m1));
	if (a->credit > b->credit)
		ctl_effect(fx,
			   "%s beyond everything billed so far, held as "
			   "credit for the next term",
			   money_format(a->credit - b->credit, m1));
	else if (a->credit < b->credit)
		ctl_effect(fx, "credit reduced by %s",
			   money_format(b->credit - a->credit, m1));
	if (a->service == b->service && a->reason == b->reason)
		return;
	if (a->service == SERVICE_ACTIVE)
		ctl_effect(fx, "service restored; it was %s",
			   ctl_service_text(b, s, sizeof(s)));
	else if (a->suspended_since != LL_NO_DAY)
		ctl_effect(fx, "service %s since %s",
			   ctl_service_text(a, s, sizeof(s)),
			   day_format(a->suspended_since, d));
	else
		ctl_effect(fx, "service %s", ctl_service_text(a, s, sizeof(s)));
}

/* The state after a write, in one line. */
static void
ctl_now(struct ctl_effects *fx, const struct billing_contract *a)
{
	char s[64], m1[MONEY_STRLEN], m2[MONEY_STRLEN], m3[MONEY_STRLEN];
	char d[DAY_STRLEN];

	ctl_effect(fx,
		   "now (%s): service %s, billing %s; outstanding %s, overdue "
		   "%s, late fee %s",
		   day_format(a->today, d), ctl_service_text(a, s, sizeof(s)),
		   billing_state_name(a->state),
		   money_format(a->outstanding, m1),
		   money_format(a->overdue, m2), money_format(a->late_fee, m3));
}

/*
 * Appends e and says so: the line starting "recorded" is printed only
 * once ledger_append returned 0, i.e. the entry is on disk.
 */
static int
ctl_append(struct ctl *ctl, struct entry *e, const char *what)
{
	char err[LEDGER_ERRLEN];

	if (ledger_append(ctl->ledger, e, err, sizeof(err)) < 0) {
		ctl_refuse(ctl, "not recorded: %s", err);
		return -1;
	}
	ctl->recorded = e->id;
	ctl->recorded_contract = e->contract;
	if (!ctl->json) {
		printf("recorded: entry %lld, %s\n", (long long)e->id, what);
		fflush(stdout);
	}
	return 0;
}

/* A termination's charges and reclaim date, as effects of recording it. */
static void
ctl_charges_effect(struct ctl_effects *fx, const struct charges *ch)
{
	char a[CTL_MONEYLEN], d[DAY_STRLEN], text[CHARGES_TEXT_MAX];

	if (ch->kind == CHARGES_RECORDED)
		ctl_effect(fx, "termination charge %s: %s",
			   ctl_money(ch->total, a),
			   charges_text(ch, text, sizeof(text)));
	else
		ctl_effect(fx, "no termination charge applies");
	if (ch->reclaim != LL_NO_DAY)
		ctl_effect(fx,
			   "numbers and IP addresses go to other customers "
			   "from %s (clause 3.2.10)",
			   day_format(ch->reclaim, d));
}

/*
 * The common end of every write: evaluates again on `day`, says what
 * changed since `before` after the lines the command put in fx, and in
 * JSON prints the entry too.  The entry is recorded whatever happens
 * here, so this never fails the command: a script must not record it
 * twice.
 */
static int
ctl_report(struct ctl *ctl, const struct ll_contract *c, const struct entry *e,
	   const struct billing_contract *before, ll_day day,
	   struct ctl_effects *fx)
{
	struct billing_contract after = {0};
	struct charges ch;
	struct ctl_json j;
	bool evaluated;

	evaluated = ctl_load_and_evaluate(ctl, c, day, &after) == 0 &&
		    ctl_charges(ctl, c, &after, &ch) == 0;
	if (evaluated) {
		ctl_changes(fx, before, &after);
		if (e->kind == ENTRY_TERMINATE)
			ctl_charges_effect(fx, &ch);
		ctl_now(fx, &after);
	} else {
		ctl_warn(ctl,
			 "entry %lld is recorded, but its effect cannot be "
			 "shown: run '%s status %s'",
			 (long long)e->id, CTL_PROG, c->number);
	}
	if (ctl->json) {
		ctl_json_init(&j, stdout);
		ctl_json_object(&j, NULL);
		ctl_json_bool(&j, "recorded", true);
		ctl_json_entry(&j, "entry", e, 0);
		ctl_json_array(&j, "effects");
		for (size_t i = 0; i < fx->n; i++)
			ctl_json_string(&j, NULL, fx->line[i]);
		ctl_json_end(&j, ']');
		if (evaluated)
			ctl_json_contract(&j, "status", c, &after, &ch);
		else
			ctl_json_null(&j, "status");
		ctl_json_end(&j, '}');
	} else {
		for (size_t i = 0; i < fx->n; i++)
			printf("  %s\n", fx->line[i]);
	}
	billing_contract_free(&after);
	return CTL_EXIT_OK;
}

/* Opens the ledger for writing and evaluates the contract before. */
static int
ctl_write_begin(struct ctl *ctl, const struct ll_contract *c, ll_day day,
		struct billing_contract *before)
{
	if (ctl_open_write(ctl) < 0)
		return -1;
	return ctl_load_and_evaluate(ctl, c, day, before);
}

int
ctl_cmd_pay(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct billing_contract before;
	struct ctl_effects fx = {.n = 0};
	struct entry e = {.kind = ENTRY_PAYMENT};
	char m[MONEY_STRLEN], d[DAY_STRLEN], what[128];
	int rc;

	if (c == NULL || ctl_parse_amount(ctl, ctl->args[1], &e.amount) < 0 ||
	    ctl_on_day(ctl, true, "payments", &e.day) < 0 ||
	    ctl_check_note(ctl, false) < 0)
		return CTL_EXIT_REFUSED;
	e.contract = c->number;
	e.note = (char *)(ctl->note ? ctl->note : "");
	if (ctl_write_begin(ctl, c, ctl->today, &before) < 0)
		return CTL_EXIT_REFUSED;
	snprintf(what, sizeof(what),
		 "payment of %s CNY to contract %s, received %s",
		 money_format(e.amount, m), c->number, day_format(e.day, d));
	rc = ctl_append(ctl, &e, what) < 0
		 ? CTL_EXIT_REFUSED
		 : ctl_report(ctl, c, &e, &before, ctl->today, &fx);
	billing_contract_free(&before);
	return rc;
}

/* Parses ENTRY-ID: a positive decimal number. */
static int
ctl_parse_id(const struct ctl *ctl, const char *s, int64_t *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v <= 0) {
		ctl_refuse(ctl,
			   "entry id \"%s\": expected the number of a payment "
			   "as '%s history CONTRACT' lists it",
			   s, CTL_PROG);
		return -1;
	}
	*id = v;
	return 0;
}

/* The checks the ledger makes too, said in the clerk's words first. */
static int
ctl_check_reversible(struct ctl *ctl, const struct entry *p)
{
	struct entry *e;
	char d[DAY_STRLEN];
	int64_t by;
	size_t n;

	if (p->kind != ENTRY_PAYMENT) {
		const char *hint = "";

		if (p->kind == ENTRY_SUSPEND)
			hint = " (lift a suspension with 'leaselinectl "
			       "resume')";
		else if (p->kind == ENTRY_REVERSAL)
			hint = " (to undo a reversal, record the payment "
			       "again with 'leaselinectl pay')";
		ctl_refuse(ctl,
			   "entry %lld is a %s of contract %s, not a payment: "
			   "only payments are reversed%s",
			   (long long)p->id, ctl_kind_name(p->kind),
			   p->contract, hint);
		return -1;
	}
	if (ctl_entries(ctl, p->contract, &e, &n) < 0)
		return -1;
	by = ctl_reversed_by(e, n, p->id);
	for (size_t i = 0; by != 0 && i < n; i++)
		if (e[i].id == by)
			ctl_refuse(ctl,
				   "payment %lld is already reversed by entry "
				   "%lld (on %s): a payment is reversed once",
				   (long long)p->id, (long long)by,
				   day_format(e[i].day, d));
	entry_array_free(e, n);
	return by != 0 ? -1 : 0;
}

int
ctl_cmd_reverse(struct ctl *ctl)
{
	struct entry p, e = {.kind = ENTRY_REVERSAL};
	const struct ll_contract *c;
	struct billing_contract before;
	struct ctl_effects fx = {.n = 0};
	char err[LEDGER_ERRLEN], m[MONEY_STRLEN], d[DAY_STRLEN], what[192];
	int rc = CTL_EXIT_REFUSED, found;
	struct stat sb;

	if (ctl_parse_id(ctl, ctl->args[0], &e.reverses) < 0 ||
	    ctl_check_note(ctl, false) < 0 ||
	    ctl_refuse_evaluation_ahead(
		ctl, "a reversal is dated the day it is recorded; leave out "
		     "--date and " LL_DATE_ENV) < 0)
		return CTL_EXIT_REFUSED;
	/* Nothing to reverse in a ledger not yet written: refuse before
	 * opening it for a write would create it. */
	if (stat(ctl->ledger_path, &sb) < 0 && errno == ENOENT)
		return ctl_refuse(ctl,
				  "entry %lld: no such entry: ledger %s does "
				  "not exist yet (nothing is recorded)",
				  (long long)e.reverses, ctl->ledger_path);
	if (ctl_open_write(ctl) < 0)
		return CTL_EXIT_REFUSED;
	found = ledger_entry(ctl->ledger, e.reverses, &p, err, sizeof(err));
	if (found < 0)
		return ctl_refuse(ctl, "%s", err);
	if (found > 0)
		return ctl_refuse(ctl,
				  "entry %lld: no such entry in ledger %s; "
				  "'%s history CONTRACT' lists the ids",
				  (long long)e.reverses, ctl->ledger_path,
				  CTL_PROG);
	if (ctl_check_reversible(ctl, &p) < 0)
		goto clear;
	c = ctl_contract(ctl, p.contract);
	if (c == NULL)
		goto clear;
	/* The model's copy: p is cleared before main() may name the entry's
	 * contract. */
	e.contract = c->number;
	e.day = ctl->today;
	e.note = (char *)(ctl->note ? ctl->note : "");
	if (ctl_load_and_evaluate(ctl, c, ctl->today, &before) < 0)
		goto clear;
	snprintf(what, sizeof(what),
		 "reversal of payment %lld (%s CNY received %s) of contract %s",
		 (long long)p.id, money_format(p.amount, m),
		 day_format(p.day, d), c->number);
	if (ctl_append(ctl, &e, what) == 0)
		rc = ctl_report(ctl, c, &e, &before, ctl->today, &fx);
	billing_contract_free(&before);
clear:
	entry_clear(&p);
	return rc;
}

/* The day a decision is checked and shown on: its own day when it lies
 * ahead, else the evaluation day. */
static ll_day
ctl_effect_day(const struct ctl *ctl, ll_day on)
{
	return on > ctl->today ? on : ctl->today;
}

/* Appends a person's decision ("suspension (violation)") and reports
 * it. */
static int
ctl_decide(struct ctl *ctl, const struct ll_contract *c, struct entry *e,
	   struct billing_contract *before, const char *decision)
{
	struct ctl_effects fx = {.n = 0};
	char d[DAY_STRLEN], what[128];

	e->contract = c->number;
	e->note = (char *)(ctl->note ? ctl->note : "");
	snprintf(what, sizeof(what), "%s of contract %s from %s", decision,
		 c->number, day_format(e->day, d));
	if (ctl_append(ctl, e, what) < 0)
		return CTL_EXIT_REFUSED;
	if (e->day > ctl->today)
		ctl_effect(&fx,
			   "takes effect on %s; until then nothing changes",
			   day_format(e->day, d));
	/* issue 13, suspension "decided": the count starts on its day */
	if (e->kind == ENTRY_SUSPEND && e->reason == REASON_NONPAYMENT)
		ctl_effect(
		    &fx,
		    "termination for nonpayment becomes possible on %s, "
		    "%u days into it (clause 2.3.4)",
		    day_format(e->day + (ll_day)c->terminate_after_days, d),
		    c->terminate_after_days);
	return ctl_report(ctl, c, e, before, ctl_effect_day(ctl, e->day), &fx);
}

/* Issue 13, suspension "decided": billing's rule (billing_may_suspend),
 * on the day the suspension would take effect. */
static int
ctl_may_suspend(struct ctl *ctl, const struct ll_contract *c, ll_day day)
{
	struct billing_contract at;
	const char *why;
	char d[DAY_STRLEN];
	bool may;

	if (ctl_load_and_evaluate(ctl, c, day, &at) < 0)
		return -1;
	may = billing_may_suspend(c, &at, &why);
	billing_contract_free(&at);
	if (may)
		return 0;
	ctl_refuse(ctl,
		   "--reason nonpayment: contract %s cannot be suspended for "
		   "nonpayment on %s: %s",
		   c->number, day_format(day, d), why);
	return -1;
}

int
ctl_cmd_suspend(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct entry e = {.kind = ENTRY_SUSPEND};
	struct billing_contract before;
	char what[64], d[DAY_STRLEN];
	int rc = CTL_EXIT_REFUSED;

	/* Issue 13: nonpayment is a reason a person records only under
	 * suspension "decided"; under "automatic" it is computed. */
	if (c == NULL ||
	    ctl_parse_reason(ctl, c->suspension == LL_SUSPENSION_DECIDED,
			     &e.reason) < 0 ||
	    ctl_check_note(ctl, true) < 0 ||
	    ctl_on_day(ctl, false, NULL, &e.day) < 0 ||
	    ctl_write_begin(ctl, c, ctl_effect_day(ctl, e.day), &before) < 0)
		return CTL_EXIT_REFUSED;
	if (ctl_refuse_if_ended(ctl, c, &before) < 0)
		goto out;
	if (ctl_suspended_by_person(&before)) {
		ctl_refuse(ctl,
			   "contract %s is already suspended (%s) since %s: "
			   "to change the reason, resume first",
			   c->number, billing_reason_name(before.reason),
			   day_format(before.suspended_since, d));
		goto out;
	}
	if (e.reason == REASON_NONPAYMENT && ctl_may_suspend(ctl, c, e.day) < 0)
		goto out;
	snprintf(what, sizeof(what), "suspension (%s)",
		 billing_reason_name((enum billing_reason)e.reason));
	rc = ctl_decide(ctl, c, &e, &before, what);
out:
	billing_contract_free(&before);
	return rc;
}

int
ctl_cmd_resume(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct entry e = {.kind = ENTRY_RESUME};
	struct billing_contract before;
	char m[MONEY_STRLEN];
	int rc = CTL_EXIT_REFUSED;

	if (c == NULL || ctl_check_note(ctl, false) < 0 ||
	    ctl_on_day(ctl, false, NULL, &e.day) < 0 ||
	    ctl_write_begin(ctl, c, ctl_effect_day(ctl, e.day), &before) < 0)
		return CTL_EXIT_REFUSED;
	if (ctl_refuse_if_ended(ctl, c, &before) < 0)
		goto out;
	if (!ctl_suspended_by_person(&before)) {
		if (before.service == SERVICE_SUSPENSION_DUE)
			ctl_refuse(ctl,
				   "contract %s is not suspended: a suspension "
				   "for nonpayment is due, not recorded; "
				   "paying the arrears and late fees ends it "
				   "(clause 2.3.5): '%s pay %s \"%s\"'",
				   c->number, CTL_PROG, c->number,
				   money_format(before.arrears, m));
		else if (before.reason == REASON_NONPAYMENT)
			ctl_refuse(ctl,
				   "contract %s is suspended for nonpayment, "
				   "which a person does not lift: paying the "
				   "arrears and late fees does (clause 2.3.5): "
				   "'%s pay %s \"%s\"'",
				   c->number, CTL_PROG, c->number,
				   money_format(before.arrears, m));
		else
			ctl_refuse(ctl,
				   "contract %s is not suspended by a person: "
				   "nothing to resume",
				   c->number);
		goto out;
	}
	rc = ctl_decide(ctl, c, &e, &before, "resumption");
out:
	billing_contract_free(&before);
	return rc;
}

int
ctl_cmd_terminate(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct entry e = {.kind = ENTRY_TERMINATE};
	struct billing_contract before;
	char what[64], d[DAY_STRLEN];
	int rc = CTL_EXIT_REFUSED;

	if (c == NULL || ctl_parse_reason(ctl, true, &e.reason) < 0 ||
	    ctl_check_note(ctl, true) < 0 ||
	    ctl_on_day(ctl, false, NULL, &e.day) < 0 ||
	    ctl_write_begin(ctl, c, ctl_effect_day(ctl, e.day), &before) < 0)
		return CTL_EXIT_REFUSED;
	if (ctl_refuse_if_ended(ctl, c, &before) < 0)
		goto out;
	/* Clause 2.3.4: nonpayment allows termination only 60 days into
	 * the suspension. */
	if (e.reason == REASON_NONPAYMENT &&
	    before.service != SERVICE_TERMINATION_POSSIBLE) {
		if (before.service == SERVICE_SUSPENSION_DUE)
			ctl_refuse(ctl,
				   "--reason nonpayment: contract %s is not "
				   "suspended for nonpayment: a suspension is "
				   "due since %s, for a person to record "
				   "first ('%s suspend %s --reason "
				   "nonpayment'); termination becomes "
				   "possible %u days into it (clause 2.3.4)",
				   c->number,
				   day_format(before.suspension_due_since, d),
				   CTL_PROG, c->number,
				   c->terminate_after_days);
		else if (before.termination_date != LL_NO_DAY)
			ctl_refuse(ctl,
				   "--reason nonpayment: termination of "
				   "contract %s for nonpayment becomes "
				   "possible on %s (clause 2.3.4)",
				   c->number,
				   day_format(before.termination_date, d));
		else
			ctl_refuse(ctl,
				   "--reason nonpayment: contract %s is not "
				   "suspended for nonpayment",
				   c->number);
		goto out;
	}
	snprintf(what, sizeof(what), "termination (%s)",
		 billing_reason_name((enum billing_reason)e.reason));
	rc = ctl_decide(ctl, c, &e, &before, what);
out:
	billing_contract_free(&before);
	return rc;
}

/*
 * Issue 13, clause 7.1(4): a reminder to pay (催告) sent to the customer,
 * recorded on the day sent.  It is for a late payment: refused when
 * nothing is overdue on that day.  Both suspension modes take it; under
 * "decided" it lets a person suspend from the next day on, while what
 * was overdue when it was sent stays unpaid.  Like every entry but a
 * payment, it is never reversed.
 */
int
ctl_cmd_remind(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct entry e = {.kind = ENTRY_REMINDER};
	struct billing_contract before, at;
	struct ctl_effects fx = {.n = 0};
	char d[DAY_STRLEN], m1[MONEY_STRLEN], m2[MONEY_STRLEN], what[128];
	int rc = CTL_EXIT_REFUSED;

	if (c == NULL || ctl_check_note(ctl, false) < 0 ||
	    ctl_on_day(ctl, true, "reminders", &e.day) < 0)
		return CTL_EXIT_REFUSED;
	if (ctl_write_begin(ctl, c, ctl->today, &before) < 0)
		return CTL_EXIT_REFUSED;
	/* What was owed on the day it was sent. */
	if (ctl_load_and_evaluate(ctl, c, e.day, &at) < 0)
		goto out;
	if (at.arrears == 0) {
		ctl_refuse(ctl,
			   "contract %s: nothing is overdue on %s: a reminder "
			   "to pay (催告, clause 7.1(4)) is for a late "
			   "payment",
			   c->number, day_format(e.day, d));
		goto free_at;
	}
	e.contract = c->number;
	e.note = (char *)(ctl->note ? ctl->note : "");
	snprintf(what, sizeof(what), "reminder to pay for contract %s, sent %s",
		 c->number, day_format(e.day, d));
	if (ctl_append(ctl, &e, what) < 0)
		goto free_at;
	ctl_effect(&fx, "on %s: overdue %s, late fee %s (clause 7.1(4))",
		   day_format(e.day, d), money_format(at.overdue, m1),
		   money_format(at.late_fee, m2));
	if (c->suspension == LL_SUSPENSION_DECIDED && at.overdue > 0)
		ctl_effect(&fx, "from the next day, while that stays unpaid, a "
				"person may record a suspension for nonpayment "
				"(suspension = \"decided\")");
	rc = ctl_report(ctl, c, &e, &before, ctl->today, &fx);
free_at:
	billing_contract_free(&at);
out:
	billing_contract_free(&before);
	return rc;
}

/* Which term a notice given on `on` ends, by billing's deadline: the
 * current one when in time, else the next. */
static void
ctl_notice_effect(struct ctl_effects *fx, const struct ll_contract *c,
		  const struct billing_contract *bc, ll_day on)
{
	char a[DAY_STRLEN], b[DAY_STRLEN], e[DAY_STRLEN];
	ll_day next_start, next_end;

	model_term_bounds(c, bc->term_number + 1, &next_start, &next_end);

	if (on <= bc->notice_deadline)
		ctl_effect(fx,
			   "in time (deadline %s): term %u, %s to %s, is the "
			   "last; the contract ends after %s",
			   day_format(bc->notice_deadline, a), bc->term_number,
			   day_format(bc->term_start, b),
			   day_format(bc->term_end, e), e);
	else
		ctl_effect(fx,
			   "too late for term %u (deadline %s): the contract "
			   "renews once more and ends after term %u, on %s",
			   bc->term_number, day_format(bc->notice_deadline, a),
			   bc->term_number + 1, day_format(next_end, b));
}

/* Whether a notice for the term that one given on `on` would end is
 * already in the ledger: refuses it then. */
static int
ctl_notice_given(struct ctl *ctl, const struct ll_contract *c, ll_day on,
		 const struct billing_contract *bc)
{
	uint32_t term =
	    on <= bc->notice_deadline ? bc->term_number : bc->term_number + 1;
	struct billing_contract all;
	struct entry *e;
	char d[DAY_STRLEN];
	int rc = 0;
	size_t n;

	/* The events borrow the entries' notes: keep the entries until the
	 * events are freed. */
	if (ctl_entries(ctl, c->number, &e, &n) < 0)
		return -1;
	if (ctl_evaluate(ctl, c, e, n, on, on, &all) < 0) {
		entry_array_free(e, n);
		return -1;
	}
	for (size_t i = 0; i < all.n_events && rc == 0; i++) {
		const struct billing_event *ev = &all.events[i];

		if (ev->kind == BILLING_EV_NOTICE_GIVEN && ev->term == term)
			rc =
			    ctl_refuse(ctl,
				       "contract %s: a non-renewal notice for "
				       "term %u was already given on %s",
				       c->number, term, day_format(ev->day, d));
	}
	billing_contract_free(&all);
	entry_array_free(e, n);
	return rc == 0 ? 0 : -1;
}

int
ctl_cmd_notice(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct entry e = {.kind = ENTRY_NOTICE};
	struct billing_contract before, at;
	struct ctl_effects fx = {.n = 0};
	char d[DAY_STRLEN], what[128];
	int rc = CTL_EXIT_REFUSED;

	if (c == NULL || ctl_check_note(ctl, false) < 0 ||
	    ctl_on_day(ctl, true, "notices", &e.day) < 0)
		return CTL_EXIT_REFUSED;
	if (!c->auto_renew || c->renew_months == 0)
		return ctl_refuse(ctl,
				  "contract %s does not renew automatically: "
				  "it ends with its term, no notice needed",
				  c->number);
	if (ctl_write_begin(ctl, c, ctl->today, &before) < 0)
		return CTL_EXIT_REFUSED;
	/* The term and deadline in force on the day the notice is given. */
	if (ctl_load_and_evaluate(ctl, c, e.day, &at) < 0)
		goto out;
	if (ctl_refuse_if_ended(ctl, c, &at) < 0 ||
	    ctl_notice_given(ctl, c, e.day, &at) < 0)
		goto free_at;
	e.contract = c->number;
	e.note = (char *)(ctl->note ? ctl->note : "");
	snprintf(what, sizeof(what),
		 "non-renewal notice for contract %s, given %s", c->number,
		 day_format(e.day, d));
	if (ctl_append(ctl, &e, what) < 0)
		goto free_at;
	ctl_notice_effect(&fx, c, &at, e.day);
	rc = ctl_report(ctl, c, &e, &before, ctl->today, &fx);
free_at:
	billing_contract_free(&at);
out:
	billing_contract_free(&before);
	return rc;
}
