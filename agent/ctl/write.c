/*
 * write.c: the commands that append to the ledger: pay, reverse, suspend,
 * resume, terminate, remind and notice, and the report every write
 * ends with.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "core/day.h"
#include "core/decide.h"
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
		/* A COMMIT whose answer was lost (store/pg.c says "may have
		 * taken effect"): perhaps recorded; the reader is told to look
		 * (timeline) rather than to record it again. */
		if (strstr(err, "may have taken effect") != NULL)
			ctl_refuse(ctl,
				   "perhaps recorded: %s (leaselinectl "
				   "timeline %s shows whether it is)",
				   err, e->contract);
		else
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

/* ------------------------------------------------ the shared prologue -- */

/* What a write of an entry about one contract (all but reverse) takes
 * from the command line and checks before it opens the ledger. */
struct ctl_write_spec {
	enum entry_kind kind;
	/* Dated when received, never ahead of today ("payments"); NULL for
	 * a decision, which may be dated ahead and is checked and shown on
	 * the day it takes effect. */
	const char *received;
	bool amount;	    /* args[1] is the amount */
	bool reason;	    /* --reason */
	bool note_required; /* a decision says why */
	bool on_first;	    /* pay checked --on before --note: kept */
	/* A rule of the contract alone, checked before the ledger opens,
	 * or NULL. */
	enum decide_verdict (*may)(const struct ll_contract *c, char *why,
				   size_t len);
};

/* The entry a write builds and the contract before it, freed by
 * ctl_write_end. */
struct ctl_write {
	const struct ll_contract *c;
	struct entry e;
	ll_day day; /* the day `before` is evaluated on */
	struct billing_contract before;
};

/* The day a decision is checked and shown on: its own day when it lies
 * ahead, else the evaluation day. */
static ll_day
ctl_effect_day(const struct ctl *ctl, ll_day on)
{
	return on > ctl->today ? on : ctl->today;
}

/*
 * The one prologue of every write about a contract: finds the contract,
 * parses and checks the arguments in the order the commands always did
 * (so that the first refusal stays the same), opens the ledger for the
 * write and evaluates the contract before it on w->day.  On -1 the
 * refusal is said and nothing is left to free.
 */
static int
ctl_write_begin(struct ctl *ctl, const struct ctl_write_spec *s,
		struct ctl_write *w)
{
	char why[DECIDE_WHYLEN];
	bool nonpayment;

	w->e = (struct entry){.kind = s->kind};
	w->c = ctl_contract(ctl, ctl->args[0]);
	if (w->c == NULL)
		return -1;
	if (s->amount && ctl_parse_amount(ctl, ctl->args[1], &w->e.amount) < 0)
		return -1;
	/* Issue 13: nonpayment is a reason a person records for a
	 * termination, and for a suspension only under suspension
	 * "decided"; under "automatic" it is computed. */
	nonpayment = s->kind == ENTRY_TERMINATE ||
		     w->c->suspension == LL_SUSPENSION_DECIDED;
	if (s->reason && ctl_parse_reason(ctl, nonpayment, &w->e.reason) < 0)
		return -1;
	if (s->on_first &&
	    ctl_on_day(ctl, s->received != NULL, s->received, &w->e.day) < 0)
		return -1;
	if (ctl_check_note(ctl, s->note_required) < 0)
		return -1;
	if (!s->on_first &&
	    ctl_on_day(ctl, s->received != NULL, s->received, &w->e.day) < 0)
		return -1;
	if (s->may != NULL && s->may(w->c, why, sizeof(why)) != DECIDE_OK) {
		ctl_refuse(ctl, "%s", why);
		return -1;
	}
	w->day = s->received ? ctl->today : ctl_effect_day(ctl, w->e.day);
	w->e.contract = w->c->number;
	w->e.note = (char *)(ctl->note ? ctl->note : "");
	if (ctl_open_write(ctl) < 0)
		return -1;
	return ctl_load_and_evaluate(ctl, w->c, w->day, &w->before);
}

static int
ctl_write_end(struct ctl_write *w, int rc)
{
	billing_contract_free(&w->before);
	return rc;
}

/* ------------------------------------------------------------- pay -- */

static const struct ctl_write_spec ctl_pay = {
    .kind = ENTRY_PAYMENT,
    .received = "payments",
    .amount = true,
    .on_first = true,
};

int
ctl_cmd_pay(struct ctl *ctl)
{
	struct ctl_write w;
	struct ctl_effects fx = {.n = 0};
	char m[MONEY_STRLEN], d[DAY_STRLEN], what[128];

	if (ctl_write_begin(ctl, &ctl_pay, &w) < 0)
		return CTL_EXIT_REFUSED;
	snprintf(
	    what, sizeof(what), "payment of %s CNY to contract %s, received %s",
	    money_format(w.e.amount, m), w.c->number, day_format(w.e.day, d));
	if (ctl_append(ctl, &w.e, what) < 0)
		return ctl_write_end(&w, CTL_EXIT_REFUSED);
	return ctl_write_end(&w,
			     ctl_report(ctl, w.c, &w.e, &w.before, w.day, &fx));
}

/* --------------------------------------------------------- reverse -- */

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

/* The checks the ledger makes too, said in the clerk's words first
 * (decide_may_reverse). */
static int
ctl_check_reversible(struct ctl *ctl, const struct entry *p)
{
	char why[DECIDE_WHYLEN];
	struct entry *e;
	size_t n;
	enum decide_verdict v;

	/* Only a payment is reversed: said before the ledger is read. */
	if (decide_may_reverse(p, NULL, 0, why, sizeof(why)) != DECIDE_OK) {
		ctl_refuse(ctl, "%s", why);
		return -1;
	}
	if (ctl_entries(ctl, p->contract, &e, &n) < 0)
		return -1;
	v = decide_may_reverse(p, e, n, why, sizeof(why));
	entry_array_free(e, n);
	if (v != DECIDE_OK) {
		ctl_refuse(ctl, "%s", why);
		return -1;
	}
	return 0;
}

/* Reverse names an entry, not a contract: no shared prologue. */
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
	if (!ledger_path_is_uri(ctl->ledger_path) &&
	    stat(ctl->ledger_path, &sb) < 0 && errno == ENOENT)
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

/* ------------------------------------------------------- decisions -- */

/* Appends a person's decision ("suspension (violation)") and reports
 * it. */
static int
ctl_decide(struct ctl *ctl, struct ctl_write *w, const char *decision)
{
	struct ctl_effects fx = {.n = 0};
	char d[DAY_STRLEN], what[128];

	snprintf(what, sizeof(what), "%s of contract %s from %s", decision,
		 w->c->number, day_format(w->e.day, d));
	if (ctl_append(ctl, &w->e, what) < 0)
		return CTL_EXIT_REFUSED;
	if (w->e.day > ctl->today)
		ctl_effect(&fx,
			   "takes effect on %s; until then nothing changes",
			   day_format(w->e.day, d));
	/* issue 13, suspension "decided": the count starts on its day */
	if (w->e.kind == ENTRY_SUSPEND && w->e.reason == REASON_NONPAYMENT)
		ctl_effect(
		    &fx,
		    "termination for nonpayment becomes possible on "
		    "%s, %u days into it (clause 2.3.4)",
		    day_format(w->e.day + (ll_day)w->c->terminate_after_days,
			       d),
		    w->c->terminate_after_days);
	return ctl_report(ctl, w->c, &w->e, &w->before, w->day, &fx);
}

/* Issue 13, suspension "decided": decide_may_suspend_nonpayment on the
 * day the suspension would take effect. */
static int
ctl_may_suspend(struct ctl *ctl, const struct ll_contract *c, ll_day day)
{
	struct billing_contract at;
	char why[DECIDE_WHYLEN];
	enum decide_verdict v;

	if (ctl_load_and_evaluate(ctl, c, day, &at) < 0)
		return -1;
	v = decide_may_suspend_nonpayment(c, &at, why, sizeof(why));
	billing_contract_free(&at);
	if (v == DECIDE_OK)
		return 0;
	ctl_refuse(ctl, "--reason nonpayment: %s", why);
	return -1;
}

static const struct ctl_write_spec ctl_suspend = {
    .kind = ENTRY_SUSPEND,
    .reason = true,
    .note_required = true,
};

int
ctl_cmd_suspend(struct ctl *ctl)
{
	struct ctl_write w;
	char what[64], why[DECIDE_WHYLEN];

	if (ctl_write_begin(ctl, &ctl_suspend, &w) < 0)
		return CTL_EXIT_REFUSED;
	if (decide_may_suspend(w.c, &w.before, why, sizeof(why)) != DECIDE_OK) {
		ctl_refuse(ctl, "%s", why);
		return ctl_write_end(&w, CTL_EXIT_REFUSED);
	}
	if (w.e.reason == REASON_NONPAYMENT &&
	    ctl_may_suspend(ctl, w.c, w.e.day) < 0)
		return ctl_write_end(&w, CTL_EXIT_REFUSED);
	snprintf(what, sizeof(what), "suspension (%s)",
		 billing_reason_name((enum billing_reason)w.e.reason));
	return ctl_write_end(&w, ctl_decide(ctl, &w, what));
}

static const struct ctl_write_spec ctl_resume = {
    .kind = ENTRY_RESUME,
};

int
ctl_cmd_resume(struct ctl *ctl)
{
	struct ctl_write w;
	char why[DECIDE_WHYLEN];

	if (ctl_write_begin(ctl, &ctl_resume, &w) < 0)
		return CTL_EXIT_REFUSED;
	if (decide_may_resume(w.c, &w.before, why, sizeof(why)) != DECIDE_OK) {
		ctl_refuse(ctl, "%s", why);
		return ctl_write_end(&w, CTL_EXIT_REFUSED);
	}
	return ctl_write_end(&w, ctl_decide(ctl, &w, "resumption"));
}

static const struct ctl_write_spec ctl_terminate = {
    .kind = ENTRY_TERMINATE,
    .reason = true,
    .note_required = true,
};

int
ctl_cmd_terminate(struct ctl *ctl)
{
	struct ctl_write w;
	char what[64], why[DECIDE_WHYLEN];
	enum decide_verdict v;

	if (ctl_write_begin(ctl, &ctl_terminate, &w) < 0)
		return CTL_EXIT_REFUSED;
	v = decide_may_terminate(
	    w.c, &w.before, (enum billing_reason)w.e.reason, why, sizeof(why));
	if (v != DECIDE_OK) {
		/* Every rule but the end of the contract is about the
		 * reason given. */
		ctl_refuse(
		    ctl, "%s%s",
		    v == DECIDE_ENDED ? "" : "--reason nonpayment: ", why);
		return ctl_write_end(&w, CTL_EXIT_REFUSED);
	}
	snprintf(what, sizeof(what), "termination (%s)",
		 billing_reason_name((enum billing_reason)w.e.reason));
	return ctl_write_end(&w, ctl_decide(ctl, &w, what));
}

/* ---------------------------------------------------------- remind -- */

static const struct ctl_write_spec ctl_remind = {
    .kind = ENTRY_REMINDER,
    .received = "reminders",
};

/*
 * Issue 13, clause 7.1(4): a reminder to pay (催告) sent to the customer,
 * recorded on the day sent.  It is for a late payment: refused when
 * nothing is overdue on that day (decide_may_remind).  Both suspension
 * modes take it; under "decided" it lets a person suspend from the next
 * day on, while what was overdue when it was sent stays unpaid.  Like
 * every entry but a payment, it is never reversed.
 */
int
ctl_cmd_remind(struct ctl *ctl)
{
	struct ctl_write w;
	struct billing_contract at;
	struct ctl_effects fx = {.n = 0};
	char d[DAY_STRLEN], m1[MONEY_STRLEN], m2[MONEY_STRLEN], what[128];
	char why[DECIDE_WHYLEN];
	int rc = CTL_EXIT_REFUSED;

	if (ctl_write_begin(ctl, &ctl_remind, &w) < 0)
		return CTL_EXIT_REFUSED;
	/* What was owed on the day it was sent. */
	if (ctl_load_and_evaluate(ctl, w.c, w.e.day, &at) < 0)
		return ctl_write_end(&w, CTL_EXIT_REFUSED);
	if (decide_may_remind(w.c, &at, why, sizeof(why)) != DECIDE_OK) {
		ctl_refuse(ctl, "%s", why);
		goto free_at;
	}
	snprintf(what, sizeof(what), "reminder to pay for contract %s, sent %s",
		 w.c->number, day_format(w.e.day, d));
	if (ctl_append(ctl, &w.e, what) < 0)
		goto free_at;
	ctl_effect(&fx, "on %s: overdue %s, late fee %s (clause 7.1(4))",
		   day_format(w.e.day, d), money_format(at.overdue, m1),
		   money_format(at.late_fee, m2));
	if (w.c->suspension == LL_SUSPENSION_DECIDED && at.overdue > 0)
		ctl_effect(&fx, "from the next day, while that stays unpaid, a "
				"person may record a suspension for nonpayment "
				"(suspension = \"decided\")");
	rc = ctl_report(ctl, w.c, &w.e, &w.before, w.day, &fx);
free_at:
	billing_contract_free(&at);
	return ctl_write_end(&w, rc);
}

/* ---------------------------------------------------------- notice -- */

static const struct ctl_write_spec ctl_notice = {
    .kind = ENTRY_NOTICE,
    .received = "notices",
    .may = decide_may_notice,
};

/* Which term a notice given on `on` ends, by billing's deadline: the
 * current one when in time, else the next (decide_notice_term). */
static void
ctl_notice_effect(struct ctl_effects *fx, const struct ll_contract *c,
		  const struct billing_contract *bc, ll_day on)
{
	char a[DAY_STRLEN], b[DAY_STRLEN], e[DAY_STRLEN];
	ll_day next_start, next_end;

	model_term_bounds(c, bc->term_number + 1, &next_start, &next_end);

	if (decide_notice_term(bc, on) == bc->term_number)
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

/* The notice rules (decide_may_give_notice), `at` evaluated on the day
 * it is given: the contract has not ended, and no notice for the term it
 * would end is in the ledger. */
static int
ctl_may_give_notice(struct ctl *ctl, const struct ll_contract *c,
		    const struct billing_contract *at)
{
	struct billing_contract given;
	char why[DECIDE_WHYLEN];
	struct entry *e;
	enum decide_verdict v;
	size_t n;

	if (decide_may_decide(c, at, why, sizeof(why)) != DECIDE_OK) {
		ctl_refuse(ctl, "%s", why);
		return -1;
	}
	/* The events borrow the entries' notes: keep the entries until the
	 * events are freed. */
	if (ctl_entries(ctl, c->number, &e, &n) < 0)
		return -1;
	if (ctl_evaluate(ctl, c, e, n, at->today, at->today, &given) < 0) {
		entry_array_free(e, n);
		return -1;
	}
	v = decide_may_give_notice(c, at, &given, why, sizeof(why));
	billing_contract_free(&given);
	entry_array_free(e, n);
	if (v == DECIDE_OK)
		return 0;
	ctl_refuse(ctl, "%s", why);
	return -1;
}

int
ctl_cmd_notice(struct ctl *ctl)
{
	struct ctl_write w;
	struct billing_contract at;
	struct ctl_effects fx = {.n = 0};
	char d[DAY_STRLEN], what[128];
	int rc = CTL_EXIT_REFUSED;

	if (ctl_write_begin(ctl, &ctl_notice, &w) < 0)
		return CTL_EXIT_REFUSED;
	/* The term and deadline in force on the day the notice is given. */
	if (ctl_load_and_evaluate(ctl, w.c, w.e.day, &at) < 0)
		return ctl_write_end(&w, CTL_EXIT_REFUSED);
	if (ctl_may_give_notice(ctl, w.c, &at) < 0)
		goto free_at;
	snprintf(what, sizeof(what),
		 "non-renewal notice for contract %s, given %s", w.c->number,
		 day_format(w.e.day, d));
	if (ctl_append(ctl, &w.e, what) < 0)
		goto free_at;
	ctl_notice_effect(&fx, w.c, &at, w.e.day);
	rc = ctl_report(ctl, w.c, &w.e, &w.before, w.day, &fx);
free_at:
	billing_contract_free(&at);
	return ctl_write_end(&w, rc);
}
