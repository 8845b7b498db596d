/*
 * context.c: what every command of leaselinectl starts from: values
 * parsed from the command line (days, amounts, reasons, notes), the
 * configuration, and the ledger opened for reading or for a write.
 */
#include <stdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "core/day.h"
#include "core/text.h"
#include "ctl/ctl.h"
#include "ctl/format.h"
#include "store/ledger.h"

/* ------------------------------------------------ parsing values -- */

int
ctl_parse_day(const struct ctl *ctl, const char *what, const char *s,
	      ll_day *out)
{
	if (day_parse(s, out))
		return 0;
	ctl_refuse(ctl,
		   "%s \"%s\": not a calendar date; expected YYYY-MM-DD, "
		   "e.g. 2023-01-31",
		   what, s);
	return -1;
}

/* Why money_parse refused s, in the words a clerk needs. */
int
ctl_parse_amount(const struct ctl *ctl, const char *s, ll_fen *out)
{
	const char *p = s, *dot;
	size_t len;

	while (*p == ' ')
		p++;
	if (*p == '-') {
		ctl_refuse(ctl,
			   "amount \"%s\": negative amounts are refused; "
			   "record a correction with '%s reverse ENTRY-ID'",
			   s, CTL_PROG);
		return -1;
	}
	/* money_parse's rule, said in words: a space pasted along with
	 * the amount is easy to miss. */
	len = strlen(s);
	if (len > 0 && (*s == ' ' || *s == '\t' || s[len - 1] == ' ' ||
			s[len - 1] == '\t')) {
		ctl_refuse(ctl,
			   "amount \"%s\": a space before or after the amount "
			   "is refused; %s",
			   s, CTL_AMOUNT_EXAMPLES);
		return -1;
	}
	if (!money_parse(s, out)) {
		dot = strchr(s, '.');
		if (dot != NULL && strspn(dot + 1, "0123456789") > 2)
			ctl_refuse(ctl,
				   "amount \"%s\": at most two decimals (the "
				   "fen is the smallest unit); %s",
				   s, CTL_AMOUNT_EXAMPLES);
		else
			ctl_refuse(ctl,
				   "amount \"%s\": not an amount of CNY up to "
				   "1,000,000,000,000.00; %s",
				   s, CTL_AMOUNT_EXAMPLES);
		return -1;
	}
	if (*out == 0) {
		ctl_refuse(
		    ctl, "amount \"%s\": a payment must be more than 0.00", s);
		return -1;
	}
	return 0;
}

/* --reason: violation, administrative, regulatory, the violations
 * transit (clause 3.1.11) and misuse (clause 6.3), and for terminate
 * also nonpayment. */
int
ctl_parse_reason(const struct ctl *ctl, bool nonpayment, int *out)
{
	static const enum billing_reason reasons[] = {
	    REASON_VIOLATION, REASON_ADMINISTRATIVE, REASON_REGULATORY,
	    REASON_TRANSIT,   REASON_MISUSE,	     REASON_NONPAYMENT};
	const char *s = ctl->reason_arg;

	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (strcmp(s, billing_reason_name(reasons[i])) != 0)
			continue;
		if (reasons[i] == REASON_NONPAYMENT && !nonpayment)
			break;
		*out = (int)reasons[i];
		return 0;
	}
	if (strcmp(s, "nonpayment") == 0)
		ctl_refuse(ctl,
			   "--reason nonpayment: a suspension for nonpayment "
			   "is computed from the ledger (clause 2.3.4), not "
			   "recorded; expected violation, administrative, "
			   "regulatory, transit or misuse");
	else
		ctl_refuse(
		    ctl, "--reason \"%s\": unknown reason; expected %s", s,
		    nonpayment ? "violation, administrative, regulatory, "
				 "transit, misuse or nonpayment"
			       : "violation, administrative, regulatory, "
				 "transit or misuse");
	return -1;
}

/* --note: one line of valid UTF-8, for tables and JSON. */
int
ctl_check_note(const struct ctl *ctl, bool required)
{
	if (ctl->note == NULL || *ctl->note == '\0') {
		if (!required)
			return 0;
		ctl_refuse(ctl,
			   "--note: say why (who decided, which clause, which "
			   "letter): the note is kept in the ledger");
		return -1;
	}
	if (!ctl_text_ok(ctl->note)) {
		ctl_refuse(ctl,
			   "--note: control characters, line breaks and "
			   "invalid UTF-8 are refused; write the note on one "
			   "line");
		return -1;
	}
	/* Published as llContractSuspensionNote, an SnmpAdminString. */
	if (strlen(ctl->note) > TEXT_ADMIN_MAX) {
		ctl_refuse(ctl,
			   "--note: %zu octets; expected at most %d (it is "
			   "published in SNMP as llContractSuspensionNote): "
			   "keep the details in the letter it refers to",
			   strlen(ctl->note), TEXT_ADMIN_MAX);
		return -1;
	}
	return 0;
}

/*
 * Today by the clock, at UTC+08:00.  What is received (a payment, a
 * notice) or done now (a reversal) is recorded with a day no later than
 * this one, whatever day --date or LEASELINE_DATE read on: a payment dated
 * ahead would stay invisible, and its effect unknown, until that day.
 */
ll_day
ctl_clock_day(void)
{
	return day_of_time(time(NULL));
}

/* Refuses an entry dated the evaluation day (a reversal; a payment or a
 * notice without --on) while that day lies after the clock's today. */
int
ctl_refuse_evaluation_ahead(const struct ctl *ctl, const char *why)
{
	char a[DAY_STRLEN], b[DAY_STRLEN];
	ll_day now = ctl_clock_day();

	if (ctl->today <= now)
		return 0;
	ctl_refuse(ctl,
		   "the evaluation day %s (%s) is after today %s "
		   "(UTC+08:00): %s",
		   day_format(ctl->today, a),
		   ctl->today_from ? ctl->today_from : "the clock",
		   day_format(now, b), why);
	return -1;
}

/* --on DAY (default: the evaluation day); `not_after_today` for facts
 * that were received, not scheduled: never after the clock's today,
 * nor after the evaluation day. */
int
ctl_on_day(const struct ctl *ctl, bool not_after_today, const char *what,
	   ll_day *out)
{
	char a[DAY_STRLEN], b[DAY_STRLEN], why[96];
	ll_day now = ctl_clock_day();

	*out = ctl->today;
	if (ctl->on_arg == NULL) {
		if (!not_after_today)
			return 0;
		snprintf(why, sizeof(why),
			 "%s are recorded when received; give the day "
			 "received with --on",
			 what);
		return ctl_refuse_evaluation_ahead(ctl, why);
	}
	if (ctl_parse_day(ctl, "--on", ctl->on_arg, out) < 0)
		return -1;
	if (not_after_today && *out > now) {
		ctl_refuse(ctl,
			   "--on %s is after today %s (UTC+08:00): %s are "
			   "recorded when received, not scheduled; --date and "
			   "%s set the day to read on, not the clock",
			   day_format(*out, a), day_format(now, b), what,
			   LL_DATE_ENV);
		return -1;
	}
	if (not_after_today && *out > ctl->today) {
		ctl_refuse(ctl,
			   "--on %s is after the evaluation day %s: %s are "
			   "recorded when received, not scheduled",
			   day_format(*out, a), day_format(ctl->today, b),
			   what);
		return -1;
	}
	return 0;
}

/* -------------------------------------------- config and ledger -- */

const struct ll_contract *
ctl_contract(const struct ctl *ctl, const char *number)
{
	const struct ll_contract *c =
	    model_contract_by_number(ctl->model, number);
	const struct ll_model *m = ctl->model;
	char known[1024] = "";
	size_t len = 0;

	if (c != NULL)
		return c;
	if (m->n_contracts > CTL_FEW_CONTRACTS) {
		ctl_refuse(ctl,
			   "contract \"%s\": not in %s; run '%s status' for "
			   "the %zu contract numbers",
			   number, ctl->config, CTL_PROG, m->n_contracts);
		return NULL;
	}
	for (size_t i = 0; i < m->n_contracts && len < sizeof(known); i++)
		len +=
		    (size_t)snprintf(known + len, sizeof(known) - len, "%s%s",
				     i ? ", " : "", m->contracts[i].number);
	ctl_refuse(ctl, "contract \"%s\": not in %s; known: %s", number,
		   ctl->config, m->n_contracts ? known : "none");
	return NULL;
}

int
ctl_load_config(struct ctl *ctl)
{
	char err[CONFIG_ERRLEN];

	ctl->model = config_load(ctl->config, err, sizeof(err));
	if (ctl->model == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

/*
 * Opens the ledger for reading: a ledger that does not exist yet reads as
 * empty (nothing was ever paid or decided), which is said once.
 */
int
ctl_open_read(struct ctl *ctl)
{
	char err[LEDGER_ERRLEN];
	struct stat sb;

	if (ctl->ledger != NULL || ctl->ledger_missing)
		return 0;
	/* A URI (postgresql://) names no file. */
	if (!ledger_path_is_uri(ctl->ledger_path) &&
	    stat(ctl->ledger_path, &sb) < 0 && errno == ENOENT) {
		ctl->ledger_missing = true;
		fprintf(stderr,
			"%s: ledger %s does not exist yet: reading it as "
			"empty (no payment or decision recorded)\n",
			CTL_PROG, ctl->ledger_path);
		return 0;
	}
	ctl->ledger =
	    ledger_open(ctl->ledger_path, LEDGER_READ_ONLY, err, sizeof(err));
	if (ctl->ledger == NULL) {
		ctl_refuse(ctl, "%s", err);
		return -1;
	}
	return 0;
}

/* Opens (and creates) the ledger for a write. */
int
ctl_open_write(struct ctl *ctl)
{
	char err[LEDGER_ERRLEN];

	/* A reader gone away (a closed pipe) must not kill us between the
	 * commit and the report: a write to it fails instead, and main()
	 * says which entry is recorded. */
	signal(SIGPIPE, SIG_IGN);
	ctl->ledger =
	    ledger_open(ctl->ledger_path, LEDGER_READ_WRITE, err, sizeof(err));
	if (ctl->ledger == NULL) {
		ctl_refuse(ctl, "%s", err);
		return -1;
	}
	ctl->ledger_rw = true;
	return 0;
}

/* The ledger entries of one contract (all when number is NULL). */
int
ctl_entries(struct ctl *ctl, const char *number, struct entry **e, size_t *n)
{
	char err[LEDGER_ERRLEN];

	*e = NULL;
	*n = 0;
	if (!ctl->ledger_rw && ctl_open_read(ctl) < 0)
		return -1;
	if (ctl->ledger == NULL)
		return 0;
	if (ledger_entries(ctl->ledger, number, e, n, err, sizeof(err)) < 0) {
		ctl_refuse(ctl, "%s", err);
		return -1;
	}
	return 0;
}

int
ctl_evaluate(const struct ctl *ctl, const struct ll_contract *c,
	     const struct entry *e, size_t n, ll_day day, ll_day horizon,
	     struct billing_contract *bc)
{
	if (billing_evaluate(c, e, n, day, horizon, bc) < 0) {
		ctl_refuse(ctl, "contract %s: out of memory evaluating it",
			   c->number);
		return -1;
	}
	return 0;
}

/* Reads the contract's entries and evaluates it on `day`, without events
 * (events borrow from the entries, which are freed here). */
int
ctl_load_and_evaluate(struct ctl *ctl, const struct ll_contract *c, ll_day day,
		      struct billing_contract *bc)
{
	struct entry *e;
	size_t n;
	int rc;

	if (ctl_entries(ctl, c->number, &e, &n) < 0)
		return -1;
	rc = ctl_evaluate(ctl, c, e, n, day, LL_NO_DAY, bc);
	entry_array_free(e, n);
	return rc;
}

/* The termination charges and reclaim date of c evaluated as bc
 * (charges.h), from the contract's entries. */
int
ctl_charges(struct ctl *ctl, const struct ll_contract *c,
	    const struct billing_contract *bc, struct charges *ch)
{
	struct entry *e;
	size_t n;
	int rc;

	if (ctl_entries(ctl, c->number, &e, &n) < 0)
		return -1;
	rc = charges_of_contract(c, e, n, bc, ch);
	entry_array_free(e, n);
	if (rc < 0)
		ctl_refuse(ctl, "contract %s: out of memory evaluating it",
			   c->number);
	return rc;
}

const char *
ctl_charges_kind(const struct charges *ch)
{
	switch (ch->kind) {
	case CHARGES_RECORDED: return "recorded";
	case CHARGES_PROSPECTIVE: return "ifTerminatedNow";
	case CHARGES_NONE: break;
	}
	return "none";
}
