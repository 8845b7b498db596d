/*
 * status.c: the check command (configuration and ledger) and the status
 * command (one line per contract, or one contract in detail).
 */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#include "core/day.h"
#include "core/rate.h"
#include "ctl/ctl.h"
#include "ctl/format.h"
#include "store/ledger.h"

static void ctl_kv(struct ctl_table *t, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ----------------------------------------------------------- check -- */

/*
 * Checks the whole ledger file first: a damaged page of the outbox or of
 * an index reads nowhere in the entries, and a restore (README, Backups)
 * relies on this command to tell a good copy.  Then warns about entries
 * naming contracts the configuration lacks: after a contract was renamed
 * or removed, they no longer count anywhere.
 */
static int
ctl_check_ledger(struct ctl *ctl)
{
	char err[LEDGER_ERRLEN];
	struct entry *e;
	size_t n, unknown = 0;
	int rc;

	if (ctl_open_read(ctl) < 0)
		return -1;
	if (ctl->ledger == NULL)
		return 0;
	rc = ledger_verify(ctl->ledger, err, sizeof(err));
	if (rc > 0)
		ctl_refuse(
		    ctl, "%s; restore it from a backup (README, Backups)", err);
	else if (rc < 0)
		ctl_refuse(ctl, "%s", err);
	if (rc != 0)
		return -1;
	if (ctl_entries(ctl, NULL, &e, &n) < 0)
		return -1;
	for (size_t i = 0; i < n;) {
		size_t k = i;

		while (k < n && strcmp(e[k].contract, e[i].contract) == 0)
			k++;
		if (model_contract_by_number(ctl->model, e[i].contract) ==
		    NULL) {
			ctl_warn(ctl,
				 "warning: ledger %s: %zu %s contract \"%s\", "
				 "which %s does not have: they count nowhere "
				 "until it is configured again",
				 ctl->ledger_path, k - i,
				 k - i == 1 ? "entry names" : "entries name",
				 e[i].contract, ctl->config);
			unknown += k - i;
		}
		i = k;
	}
	printf("%s: ledger OK: %zu entries", ctl->ledger_path, n);
	if (unknown > 0)
		printf(", %zu of unknown contracts", unknown);
	printf("\n");
	entry_array_free(e, n);
	return 0;
}

int
ctl_cmd_check(struct ctl *ctl)
{
	const struct ll_model *m = ctl->model;

	printf("%s: configuration OK: %zu contracts, %zu circuits, "
	       "%zu installments\n",
	       ctl->config, m->n_contracts, m->n_circuits, m->n_installments);
	return ctl_check_ledger(ctl) < 0 ? CTL_EXIT_REFUSED : CTL_EXIT_OK;
}

/* ---------------------------------------------------------- status -- */

static void
ctl_status_row(struct ctl_table *t, const struct ll_contract *c,
	       const struct billing_contract *bc)
{
	char m[MONEY_STRLEN], d[DAY_STRLEN];

	ctl_table_row(t);
	ctl_table_cell(t, "%s", c->number);
	ctl_table_cell(t, "%s", c->customer.name);
	ctl_table_cell(t, "%s", billing_service_name(bc->service));
	ctl_table_cell(t, "%s", billing_reason_name(bc->reason));
	ctl_table_cell(t, "%s", billing_state_name(bc->state));
	ctl_table_cell(t, "%s", money_format(bc->outstanding, m));
	ctl_table_cell(t, "%s", money_format(bc->overdue, m));
	ctl_table_cell(t, "%s", money_format(bc->late_fee, m));
	ctl_table_cell(t, "%d", bc->days_overdue);
	ctl_table_cell(t, "%s", ctl_day(bc->next_due, d));
	if (bc->next_due != LL_NO_DAY)
		ctl_table_cell(t, "%s", money_format(bc->next_due_amount, m));
}

static int
ctl_status_all(struct ctl *ctl)
{
	static const char *const headers[] = {
	    "CONTRACT", "CUSTOMER",    "SERVICE", "REASON",
	    "BILLING",	"OUTSTANDING", "OVERDUE", "LATE FEE",
	    "DAYS",	"NEXT DUE",    "AMOUNT"};
	static const enum ctl_align align[] = {
	    CTL_LEFT,  CTL_LEFT,  CTL_LEFT,  CTL_LEFT, CTL_LEFT, CTL_RIGHT,
	    CTL_RIGHT, CTL_RIGHT, CTL_RIGHT, CTL_LEFT, CTL_RIGHT};
	const struct ll_model *m = ctl->model;
	struct ctl_table *t = NULL;
	struct ctl_json j;
	char d[DAY_STRLEN], a[MONEY_STRLEN];
	bool saturated = false;
	int rc = CTL_EXIT_REFUSED;

	if (ctl->json) {
		ctl_json_init(&j, stdout);
		ctl_json_object(&j, NULL);
		ctl_json_day(&j, "date", ctl->today);
		ctl_json_array(&j, "contracts");
	} else {
		t = ctl_table_new(sizeof(headers) / sizeof(headers[0]), headers,
				  align);
		if (t == NULL)
			return ctl_refuse(ctl, "out of memory");
	}
	for (size_t i = 0; i < m->n_contracts; i++) {
		const struct ll_contract *c = &m->contracts[i];
		struct billing_contract bc;
		struct charges ch;

		if (ctl_load_and_evaluate(ctl, c, ctl->today, &bc) < 0)
			goto out;
		if (ctl->json && ctl_charges(ctl, c, &bc, &ch) < 0) {
			billing_contract_free(&bc);
			goto out;
		}
		if (ctl->json)
			ctl_json_contract(&j, NULL, c, &bc, &ch);
		else
			ctl_status_row(t, c, &bc);
		saturated |= bc.saturated;
		billing_contract_free(&bc);
	}
	if (ctl->json) {
		ctl_json_end(&j, ']');
		ctl_json_end(&j, '}');
	} else {
		printf("evaluated on %s\n", day_format(ctl->today, d));
		if (ctl_table_print(t, stdout, "") < 0) {
			ctl_refuse(ctl, "out of memory");
			goto out;
		}
		if (saturated)
			printf("amounts are counted exactly up to %s CNY; "
			       "one shown as that is at least that much "
			       "(leaseline.conf(5), LIMITS)\n",
			       money_format(BILLING_FEN_MAX, a));
	}
	rc = CTL_EXIT_OK;
out:
	ctl_table_free(t);
	return rc;
}

/* One "label  value" line of the detailed view. */
static void
ctl_kv(struct ctl_table *t, const char *key, const char *fmt, ...)
{
	char value[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	ctl_table_row(t);
	ctl_table_cell(t, "%s", key);
	ctl_table_cell(t, "%s", value);
}

static void
ctl_kv_party(struct ctl_table *t, const char *key, const struct ll_party *p)
{
	ctl_kv(t, key, "%s", p->name);
	if (p->address != NULL)
		ctl_kv(t, "", "%s", p->address);
	if (p->representative != NULL)
		ctl_kv(t, "", "representative %s", p->representative);
}

/* The day of the non-renewal notice that ends term `term`, from the
 * events up to today; LL_NO_DAY when none. */
static ll_day
ctl_notice_day(const struct billing_contract *bc, uint32_t term)
{
	for (size_t i = 0; i < bc->n_events; i++)
		if (bc->events[i].kind == BILLING_EV_NOTICE_GIVEN &&
		    bc->events[i].term == term)
			return bc->events[i].day;
	return LL_NO_DAY;
}

/* Clause 11.1: whether and when the contract renews. */
static void
ctl_kv_renewal(struct ctl_table *t, const struct ll_contract *c,
	       const struct billing_contract *bc)
{
	ll_day now = ctl_notice_day(bc, bc->term_number);
	ll_day next = ctl_notice_day(bc, bc->term_number + 1);
	char a[DAY_STRLEN], b[DAY_STRLEN];

	if (!c->auto_renew || c->renew_months == 0) {
		ctl_kv(t, "renewal", "none: the contract ends with this term");
		return;
	}
	/* issue 13: renewal while suspended (renew_while_suspended) */
	if (bc->expired_while_suspended)
		ctl_kv(t, "renewal",
		       "none: the contract expired on %s, suspended when its "
		       "term would renew (renew_while_suspended = false)",
		       day_format(bc->term_end, a));
	else if (bc->renewed_while_suspended)
		ctl_kv(t, "while suspended",
		       "term %u began on %s while service was suspended; it "
		       "is billed (renew_while_suspended = true)",
		       bc->term_number, day_format(bc->term_start, a));
	if (bc->expired_while_suspended)
		return;
	if (bc->notice_given)
		ctl_kv(t, "renewal",
		       "none: non-renewal notice given on %s, the contract "
		       "ends with this term",
		       ctl_day(now, a));
	else if (next != LL_NO_DAY)
		ctl_kv(t, "renewal",
		       "once more, by %u months: non-renewal notice given on "
		       "%s, after the deadline, ends the next term",
		       c->renew_months, day_format(next, a));
	else
		ctl_kv(t, "renewal", "by %u months, unless notice is given",
		       c->renew_months);
	ctl_kv(t, "notice deadline", "%s (%u days before the term ends %s)",
	       day_format(bc->notice_deadline, a), c->notice_days,
	       day_format(bc->term_end, b));
}

static void
ctl_kv_service(struct ctl_table *t, const struct ll_contract *c,
	       const struct billing_contract *bc)
{
	char s[64], d[DAY_STRLEN];
	const char *why;

	ctl_service_text(bc, s, sizeof(s));
	if (bc->suspended_since != LL_NO_DAY)
		ctl_kv(t, "service", "%s since %s", s,
		       day_format(bc->suspended_since, d));
	else if (bc->service == SERVICE_SUSPENSION_DUE)
		ctl_kv(t, "service", "%s since %s", s,
		       day_format(bc->suspension_due_since, d));
	else
		ctl_kv(t, "service", "%s", s);
	/* issue 13: suspension "decided" (clauses 2.3.3, 2.3.4, 7.1(4)) */
	if (c->suspension == LL_SUSPENSION_DECIDED)
		ctl_kv(t, "suspension",
		       "decided: service is suspended for nonpayment from "
		       "the day a person records it%s",
		       billing_may_suspend(c, bc, &why)
			   ? " ('leaselinectl suspend --reason nonpayment'); "
			     "it may be now"
			   : "");
	if (bc->reminders > 0)
		ctl_kv(t, "reminders",
		       "%u to pay, the last on %s%s (clause 7.1(4))",
		       bc->reminders, day_format(bc->last_reminder, d),
		       bc->reminder_unpaid ? ", still unpaid" : "");
	if (bc->termination_date != LL_NO_DAY)
		ctl_kv(t, "termination",
		       "%s %s (%u days into the suspension, clause 2.3.4)",
		       bc->service == SERVICE_TERMINATION_POSSIBLE
			   ? "possible since"
			   : "becomes possible on",
		       day_format(bc->termination_date, d),
		       c->terminate_after_days);
	if (bc->note != NULL)
		ctl_kv(t, "note", "%s", bc->note);
	ctl_kv(t, "billing", "%s", billing_state_name(bc->state));
}

/* An amount billing computed: BILLING_FEN_MAX stands for that much or
 * more (billing.h), and says so. */
char *
ctl_money(ll_fen fen, char *buf)
{
	char m[MONEY_STRLEN];

	snprintf(buf, CTL_MONEYLEN, "%s%s",
		 fen == BILLING_FEN_MAX ? "at least " : "",
		 money_format(fen, m));
	return buf;
}

static void
ctl_kv_money(struct ctl_table *t, const struct ll_contract *c,
	     const struct billing_contract *bc)
{
	char a[CTL_MONEYLEN], b[CTL_MONEYLEN], f[CTL_MONEYLEN];
	char r[RATE_STRLEN], d[DAY_STRLEN];

	ctl_kv(t, "annual fee", "%s CNY", money_format(c->annual_fee, a));
	ctl_kv(t, "late fee rate", "%s of the amount owed per day overdue",
	       rate_format_late_fee(c->late_fee_ppm, r));
	ctl_kv(t, "outstanding", "%s (every installment billed so far)",
	       ctl_money(bc->outstanding, a));
	if (bc->overdue > 0)
		ctl_kv(t, "overdue", "%s, %d days", ctl_money(bc->overdue, a),
		       bc->days_overdue);
	else
		ctl_kv(t, "overdue", "0.00");
	ctl_kv(t, "late fee", "%s accrued and unpaid",
	       ctl_money(bc->late_fee, a));
	if (bc->arrears > 0)
		ctl_kv(t, "arrears", "%s to pay now (overdue %s + late fee %s)",
		       ctl_money(bc->arrears, a), ctl_money(bc->overdue, b),
		       ctl_money(bc->late_fee, f));
	ctl_kv(t, "paid", "%s", ctl_money(bc->paid, a));
	if (bc->credit > 0)
		ctl_kv(t, "credit", "%s (for the next term)",
		       ctl_money(bc->credit, a));
	if (bc->saturated)
		ctl_kv(t, "limit",
		       "amounts are counted exactly up to %s CNY; \"at "
		       "least\" marks one that may be more (leaseline.conf(5), "
		       "LIMITS)",
		       money_format(BILLING_FEN_MAX, a));
	if (bc->next_due != LL_NO_DAY)
		ctl_kv(t, "next due", "%s  %s", day_format(bc->next_due, d),
		       money_format(bc->next_due_amount, a));
	else
		ctl_kv(t, "next due", "nothing left to pay");
}

static int
ctl_print_installments(const struct billing_contract *bc)
{
	static const char *const headers[] = {"INST",	  "TERM", "DUE",
					      "AMOUNT",	  "PAID", "OUTSTANDING",
					      "LATE FEE", "DAYS", "STATE"};
	static const enum ctl_align align[] = {CTL_RIGHT, CTL_RIGHT, CTL_LEFT,
					       CTL_RIGHT, CTL_RIGHT, CTL_RIGHT,
					       CTL_RIGHT, CTL_RIGHT, CTL_LEFT};
	struct ctl_table *t = ctl_table_new(9, headers, align);
	char m[MONEY_STRLEN], d[DAY_STRLEN];
	int rc;

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < bc->n_installments; i++) {
		const struct billing_installment *in = &bc->installments[i];

		ctl_table_row(t);
		ctl_table_cell(t, "%u", in->index);
		ctl_table_cell(t, "%u", in->term);
		ctl_table_cell(t, "%s", day_format(in->due, d));
		ctl_table_cell(t, "%s", money_format(in->amount, m));
		ctl_table_cell(t, "%s", money_format(in->paid, m));
		ctl_table_cell(t, "%s", money_format(in->outstanding, m));
		ctl_table_cell(t, "%s", money_format(in->late_fee, m));
		ctl_table_cell(t, "%d", in->days_overdue);
		ctl_table_cell(t, "%s",
			       billing_installment_state_name(in->state));
	}
	printf("installments:\n");
	rc = ctl_table_print(t, stdout, "  ");
	ctl_table_free(t);
	return rc;
}

/* The contract's notes: clauses the configuration publishes as text and
 * billing does not compute (one-time fees, penalties, the grounds on
 * which a person decides), one a line, in the configured order. */
static void
ctl_print_notes(const struct ll_contract *c)
{
	if (c->n_notes == 0)
		return;
	printf("notes:\n");
	for (size_t i = 0; i < c->n_notes; i++)
		printf("  %s\n", c->notes[i]);
}

/* Clauses 6.2, 3.1.11, 6.3 and 3.2.10 (charges.h). */
static void
ctl_kv_charges(struct ctl_table *t, const struct ll_contract *c,
	       const struct charges *ch)
{
	char a[CTL_MONEYLEN], d[DAY_STRLEN], text[CHARGES_TEXT_MAX];

	/* "charges": the keys' column keeps its width */
	if (ch->kind != CHARGES_NONE)
		ctl_kv(t, "charges", "%s %s (%s): %s", ctl_money(ch->total, a),
		       ch->kind == CHARGES_RECORDED ? "owed for the termination"
						    : "if terminated today",
		       billing_reason_name((enum billing_reason)ch->reason),
		       charges_text(ch, text, sizeof(text)));
	if (ch->reclaim != LL_NO_DAY)
		ctl_kv(t, "numbers and IPs",
		       "go to other customers from %s (%u days after the end, "
		       "clause 3.2.10)",
		       day_format(ch->reclaim, d), c->reclaim_after_days);
}

/* The detailed view of one contract. */
static int
ctl_print_contract(const struct ll_contract *c,
		   const struct billing_contract *bc, const struct charges *ch)
{
	struct ctl_table *t = ctl_table_new(2, NULL, NULL);
	char a[DAY_STRLEN], b[DAY_STRLEN];
	int rc;

	if (t == NULL)
		return -1;
	ctl_kv(t, "contract", "%s (index %u)", c->number, c->index);
	ctl_kv(t, "title", "%s", c->title);
	ctl_kv_party(t, "customer", &c->customer);
	ctl_kv_party(t, "provider", &c->provider);
	ctl_kv(t, "signed", "%s", ctl_day(c->signed_on, a));
	ctl_kv(t, "evaluated on", "%s", day_format(bc->today, a));
	ctl_kv(t, "term", "%u: %s to %s", bc->term_number,
	       day_format(bc->term_start, a), day_format(bc->term_end, b));
	ctl_kv_renewal(t, c, bc);
	ctl_kv_service(t, c, bc);
	ctl_kv_charges(t, c, ch);
	ctl_kv_money(t, c, bc);
	rc = ctl_table_print(t, stdout, "");
	ctl_table_free(t);
	if (rc < 0 || ctl_print_installments(bc) < 0)
		return -1;
	ctl_print_notes(c);
	return 0;
}

static int
ctl_status_one(struct ctl *ctl, const char *number)
{
	const struct ll_contract *c = ctl_contract(ctl, number);
	struct billing_contract bc;
	struct charges ch;
	struct entry *e;
	struct ctl_json j;
	int rc = CTL_EXIT_OK;
	size_t n;

	if (c == NULL || ctl_entries(ctl, c->number, &e, &n) < 0)
		return CTL_EXIT_REFUSED;
	/* A horizon of today keeps the events up to today, for the notices
	 * given. */
	if (ctl_evaluate(ctl, c, e, n, ctl->today, ctl->today, &bc) < 0) {
		entry_array_free(e, n);
		return CTL_EXIT_REFUSED;
	}
	if (charges_of_contract(c, e, n, &bc, &ch) < 0) {
		rc = ctl_refuse(ctl, "out of memory");
	} else if (ctl->json) {
		ctl_json_init(&j, stdout);
		ctl_json_object(&j, NULL);
		ctl_json_day(&j, "date", ctl->today);
		ctl_json_contract(&j, "contract", c, &bc, &ch);
		ctl_json_end(&j, '}');
	} else if (ctl_print_contract(c, &bc, &ch) < 0) {
		rc = ctl_refuse(ctl, "out of memory");
	}
	billing_contract_free(&bc);
	entry_array_free(e, n);
	return rc;
}

int
ctl_cmd_status(struct ctl *ctl)
{
	if (ctl->nargs == 0)
		return ctl_status_all(ctl);
	return ctl_status_one(ctl, ctl->args[0]);
}
