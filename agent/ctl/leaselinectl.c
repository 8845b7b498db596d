/*
 * leaselinectl: the finance clerk's and the operator's command line.
 *
 * It reads the same configuration and ledger as leaselined, evaluates a
 * contract with the same billing engine on any day, and appends payments,
 * reversals and decisions to the ledger, which the daemon picks up within
 * seconds.  One static function per command (ctl_cmd_*); the table of
 * commands at the bottom says which options each one takes.
 *
 * Rules kept everywhere:
 * - money only through money_parse/money_format, days only through
 *   day_parse/day_format: no floating point, no time zone database;
 * - a write prints "recorded" only after ledger_append returned 0, which
 *   means the entry is on disk; from then on the command exits 0, even
 *   when its report cannot be written (the entry id is then said on
 *   stderr), so that a script retrying on failure never records it twice;
 * - every refusal names the argument, says what was expected, and exits
 *   1; a command line that cannot be understood exits 2.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/billing.h"
#include "core/charges.h"
#include "config/config.h"
#include "ctl/ctl_format.h"
#include "core/day.h"
#include "store/ledger.h"
#include "core/model.h"
#include "snmp/mib.h"
#include "core/money.h"
#include "core/rate.h"

#define CTL_PROG	  "leaselinectl"
#define CTL_EXIT_OK	  0
#define CTL_EXIT_REFUSED  1
#define CTL_EXIT_USAGE	  2
#define CTL_FEW_CONTRACTS 10 /* list the known numbers up to this many */
#define CTL_MAX_EFFECTS	  32
#define CTL_EFFECTLEN	  256
#define CTL_AMOUNT_EXAMPLES                                                    \
	"expected e.g. 359600, 359,600.00 or \"359600.00 CNY\""

/* Options that only some commands take (the global ones are -c, -l,
 * --date, --help and --version). */
enum ctl_opt {
	CTL_OPT_ON = 1u << 0,
	CTL_OPT_NOTE = 1u << 1,
	CTL_OPT_REASON = 1u << 2,
	CTL_OPT_UNTIL = 1u << 3,
	CTL_OPT_JSON = 1u << 4,
};

struct ctl;

struct ctl_command {
	const char *name;
	int (*run)(struct ctl *ctl);
	size_t min_args, max_args;
	const char *args;  /* what they are, for messages */
	unsigned options;  /* enum ctl_opt the command accepts */
	unsigned required; /* enum ctl_opt it cannot do without */
	const char *synopsis;
	const char *help;
};

struct ctl {
	/* The command line. */
	const char *config;
	const char *ledger_path;
	const char *date_arg;
	bool json, help, version;
	const char *on_arg, *note, *reason_arg, *until_arg;
	unsigned given; /* enum ctl_opt seen */
	const struct ctl_command *cmd;
	char **args;
	size_t nargs;

	/* What the command works on. */
	ll_day today; /* the evaluation day: --date, LEASELINE_DATE or now */
	const char *today_from; /* "--date", LEASELINE_DATE, NULL: the clock */
	struct ll_model *model;
	struct ledger *ledger;
	bool ledger_rw;
	bool ledger_missing; /* read as empty; said so once */
	int64_t recorded;    /* the entry this run appended, 0 when none */
	const char *recorded_contract; /* its contract, the model's string */
};

/* Lines describing what a write changed, for text and JSON alike. */
struct ctl_effects {
	char line[CTL_MAX_EFFECTS][CTL_EFFECTLEN];
	size_t n;
};

/* ------------------------------------------------------ messages -- */

static int ctl_refuse(const struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int ctl_usage_error(const struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ctl_warn(const struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ctl_effect(struct ctl_effects *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ctl_vmessage(const struct ctl *ctl, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", CTL_PROG);
	if (ctl != NULL && ctl->cmd != NULL)
		fprintf(stderr, "%s: ", ctl->cmd->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* A refusal: says why and returns the exit status 1. */
static int
ctl_refuse(const struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vmessage(ctl, fmt, ap);
	va_end(ap);
	return CTL_EXIT_REFUSED;
}

static void
ctl_warn(const struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vmessage(ctl, fmt, ap);
	va_end(ap);
}

static void
ctl_effect(struct ctl_effects *fx, const char *fmt, ...)
{
	va_list ap;

	if (fx->n == CTL_MAX_EFFECTS)
		return;
	va_start(ap, fmt);
	vsnprintf(fx->line[fx->n++], CTL_EFFECTLEN, fmt, ap);
	va_end(ap);
}

/* ----------------------------------------------------------- help -- */

static void
ctl_command_usage(FILE *out, const struct ctl_command *cmd)
{
	fprintf(out, "usage: %s [-c CONFIG] [-l LEDGER] [--date DAY] %s\n",
		CTL_PROG, cmd->synopsis);
}

/* A command line that cannot be understood: exit status 2. */
static int
ctl_usage_error(const struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vmessage(ctl, fmt, ap);
	va_end(ap);
	if (ctl != NULL && ctl->cmd != NULL)
		ctl_command_usage(stderr, ctl->cmd);
	else
		fprintf(stderr, "Try '%s --help'.\n", CTL_PROG);
	return CTL_EXIT_USAGE;
}

/* ------------------------------------------------ parsing values -- */

static int
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
static int
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
static int
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
static int
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
static ll_day
ctl_clock_day(void)
{
	return day_of_time(time(NULL));
}

/* Refuses an entry dated the evaluation day (a reversal; a payment or a
 * notice without --on) while that day lies after the clock's today. */
static int
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
static int
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

static const struct ll_contract *
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

static int
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
static int
ctl_open_read(struct ctl *ctl)
{
	char err[LEDGER_ERRLEN];
	struct stat sb;

	if (ctl->ledger != NULL || ctl->ledger_missing)
		return 0;
	if (stat(ctl->ledger_path, &sb) < 0 && errno == ENOENT) {
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
static int
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
static int
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

static int
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
static int
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
static int
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

static const char *
ctl_charges_kind(const struct charges *ch)
{
	switch (ch->kind) {
	case CHARGES_RECORDED: return "recorded";
	case CHARGES_PROSPECTIVE: return "ifTerminatedNow";
	case CHARGES_NONE: break;
	}
	return "none";
}

/* ------------------------------------------------ words for states -- */

static const char *
ctl_kind_name(enum entry_kind k)
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

/* leaseline.conf(5) suspension */
static const char *
ctl_suspension_mode(enum ll_suspension m)
{
	return m == LL_SUSPENSION_DECIDED ? "decided" : "automatic";
}

/* "suspended (nonpayment)", "active", "terminated (violation)" */
static const char *
ctl_service_text(const struct billing_contract *bc, char *buf, size_t len)
{
	if (bc->reason == REASON_NONE || bc->service == SERVICE_ACTIVE)
		snprintf(buf, len, "%s", billing_service_name(bc->service));
	else
		snprintf(buf, len, "%s (%s)", billing_service_name(bc->service),
			 billing_reason_name(bc->reason));
	return buf;
}

/* Suspended by a person (it may be for nonpayment as well). */
static bool
ctl_suspended_by_person(const struct billing_contract *bc)
{
	return (bc->service == SERVICE_SUSPENDED ||
		bc->service == SERVICE_TERMINATION_POSSIBLE) &&
	       bc->reason != REASON_NONE && bc->reason != REASON_NONPAYMENT;
}

/* Refuses a decision on a contract that has ended. */
static int
ctl_refuse_if_ended(const struct ctl *ctl, const struct ll_contract *c,
		    const struct billing_contract *bc)
{
	char d[DAY_STRLEN];

	if (bc->service != SERVICE_TERMINATED)
		return 0;
	if (bc->reason != REASON_NONE)
		ctl_refuse(ctl,
			   "contract %s is terminated (%s): nothing more can "
			   "be decided on it",
			   c->number, billing_reason_name(bc->reason));
	else
		ctl_refuse(ctl,
			   "contract %s expired after its last term ended on "
			   "%s: nothing more can be decided on it",
			   c->number, day_format(bc->term_end, d));
	return -1;
}

static const char *
ctl_event_text(const struct billing_event *ev, char *buf, size_t len)
{
	switch (ev->kind) {
	case BILLING_EV_DUE: snprintf(buf, len, "installment due"); break;
	case BILLING_EV_OVERDUE: snprintf(buf, len, "first day overdue"); break;
	case BILLING_EV_PAYMENT: snprintf(buf, len, "payment received"); break;
	case BILLING_EV_PAID:
		snprintf(buf, len, "installment paid in full");
		break;
	case BILLING_EV_SUSPENDED:
		snprintf(buf, len, "service suspended (%s)",
			 billing_reason_name(ev->reason));
		break;
	case BILLING_EV_RESTORED:
		/* issue 13: payment in full ends a suspension due too */
		snprintf(buf, len, "%s",
			 ev->from == SERVICE_SUSPENSION_DUE
			     ? "suspension no longer due"
			     : "service restored");
		break;
	case BILLING_EV_SUSPENSION_DUE:
		snprintf(buf, len,
			 "suspension due (%s), for a person to record",
			 billing_reason_name(ev->reason));
		break;
	case BILLING_EV_REMINDER:
		snprintf(buf, len, "reminder to pay sent (clause 7.1(4))");
		break;
	case BILLING_EV_TERMINATION_POSSIBLE:
		snprintf(buf, len, "termination possible");
		break;
	case BILLING_EV_TERMINATED:
		snprintf(buf, len, "service terminated (%s)",
			 billing_reason_name(ev->reason));
		break;
	case BILLING_EV_NOTICE_GIVEN:
		snprintf(buf, len, "non-renewal notice given");
		break;
	case BILLING_EV_NOTICE_DEADLINE:
		snprintf(buf, len, "last day for non-renewal notice");
		break;
	case BILLING_EV_RENEWED:
		/* issue 13: a term billed for a service suspended */
		if (ev->reason != REASON_NONE)
			snprintf(buf, len,
				 "term renewed and billed while suspended (%s)",
				 billing_reason_name(ev->reason));
		else
			snprintf(buf, len, "term renewed");
		break;
	case BILLING_EV_EXPIRED:
		if (ev->reason != REASON_NONE)
			snprintf(
			    buf, len,
			    "contract expired: suspended (%s) when its term "
			    "would renew",
			    billing_reason_name(ev->reason));
		else
			snprintf(buf, len, "contract expired");
		break;
	case BILLING_EV_DUE_SOON:
		snprintf(buf, len, "reminder: due in %d day%s", ev->days,
			 ev->days == 1 ? "" : "s");
		break;
	case BILLING_EV_NOTICE_DUE:
		snprintf(buf, len, "reminder: notice deadline in %d day%s",
			 ev->days, ev->days == 1 ? "" : "s");
		break;
	default: snprintf(buf, len, "%s", billing_event_name(ev->kind)); break;
	}
	return buf;
}

/* Events whose amount means something (the others carry 0). */
static bool
ctl_event_has_amount(const struct billing_event *ev)
{
	switch (ev->kind) {
	case BILLING_EV_DUE:
	case BILLING_EV_OVERDUE:
	case BILLING_EV_PAYMENT:
	case BILLING_EV_PAID:
	case BILLING_EV_DUE_SOON:
	case BILLING_EV_SUSPENSION_DUE:
	case BILLING_EV_REMINDER:
	case BILLING_EV_TERMINATION_POSSIBLE: return true;
	case BILLING_EV_SUSPENDED: return ev->reason == REASON_NONPAYMENT;
	default: return false;
	}
}

/* Reminders (the days leaselined sends llPaymentDueSoon and
 * llRenewalNoticeDue) are events of the timeline, not transitions of the
 * contract's state. */
static bool
ctl_event_is_reminder(const struct billing_event *ev)
{
	return ev->kind == BILLING_EV_DUE_SOON ||
	       ev->kind == BILLING_EV_NOTICE_DUE;
}

/* ------------------------------------------------------------ JSON -- */

static void
ctl_json_party(struct ctl_json *j, const char *key, const struct ll_party *p)
{
	ctl_json_object(j, key);
	ctl_json_string(j, "name", p->name);
	ctl_json_string(j, "address", p->address);
	ctl_json_string(j, "representative", p->representative);
	ctl_json_end(j, '}');
}

static void
ctl_json_installment(struct ctl_json *j, const struct billing_installment *in)
{
	ctl_json_object(j, NULL);
	ctl_json_int(j, "index", in->index);
	ctl_json_int(j, "term", in->term);
	ctl_json_day(j, "due", in->due);
	ctl_json_money(j, "amount", in->amount);
	ctl_json_money(j, "paid", in->paid);
	ctl_json_money(j, "outstanding", in->outstanding);
	ctl_json_day(j, "paid_on", in->paid_on);
	ctl_json_int(j, "days_overdue", in->days_overdue);
	ctl_json_money(j, "late_fee", in->late_fee);
	ctl_json_money(j, "late_fee_paid", in->late_fee_paid);
	ctl_json_string(j, "state", billing_installment_state_name(in->state));
	ctl_json_end(j, '}');
}

/* Clauses 6.2, 3.1.11, 6.3 and 3.2.10: what the end of the contract
 * brings (charges.h). */
static void
ctl_json_charges(struct ctl_json *j, const struct charges *ch)
{
	char text[CHARGES_TEXT_MAX];

	ctl_json_object(j, "termination_charges");
	ctl_json_string(j, "kind", ctl_charges_kind(ch));
	ctl_json_day(j, "day", ch->day);
	if (ch->kind == CHARGES_NONE)
		ctl_json_null(j, "reason");
	else
		ctl_json_string(
		    j, "reason",
		    billing_reason_name((enum billing_reason)ch->reason));
	ctl_json_money(j, "total", ch->total);
	ctl_json_bool(j, "saturated", ch->saturated);
	ctl_json_string(j, "basis", charges_text(ch, text, sizeof(text)));
	ctl_json_money(j, "total_contract_amount", ch->total_amount);
	ctl_json_money(j, "unperformed", ch->unperformed);
	ctl_json_int(j, "remaining_days", ch->remaining_days);
	ctl_json_int(j, "term_days", ch->term_days);
	ctl_json_money(j, "fees_used_unpaid", ch->unpaid);
	ctl_json_int(j, "lines", ch->lines);
	ctl_json_array(j, "clauses");
	for (size_t i = 0; i < ch->n_items; i++) {
		const struct charges_item *it = &ch->items[i];

		ctl_json_object(j, NULL);
		ctl_json_string(j, "clause", it->rule->clause);
		ctl_json_money(j, "amount", it->amount);
		ctl_json_money(j, "discounts_repaid", it->discounts);
		ctl_json_money(j, "fixed", it->fixed);
		ctl_json_money(j, "of_total", it->of_total);
		ctl_json_money(j, "of_unperformed", it->of_unperformed);
		ctl_json_money(j, "fees_used_unpaid", it->unpaid);
		ctl_json_end(j, '}');
	}
	ctl_json_end(j, ']');
	ctl_json_end(j, '}');
	ctl_json_day(j, "ended", ch->ended);
	ctl_json_day(j, "reclaim_date", ch->reclaim);
}

/* Everything status knows of one contract. */
static void
ctl_json_contract(struct ctl_json *j, const char *key,
		  const struct ll_contract *c,
		  const struct billing_contract *bc, const struct charges *ch)
{
	char rate[RATE_STRLEN];

	ctl_json_object(j, key);
	ctl_json_string(j, "number", c->number);
	ctl_json_int(j, "index", c->index);
	ctl_json_string(j, "title", c->title);
	ctl_json_party(j, "customer", &c->customer);
	ctl_json_party(j, "provider", &c->provider);
	ctl_json_day(j, "signed", c->signed_on);
	ctl_json_day(j, "date", bc->today);
	ctl_json_object(j, "term");
	ctl_json_int(j, "number", bc->term_number);
	ctl_json_day(j, "start", bc->term_start);
	ctl_json_day(j, "end", bc->term_end);
	ctl_json_bool(j, "auto_renew", c->auto_renew);
	ctl_json_int(j, "renew_months", c->renew_months);
	ctl_json_day(j, "notice_deadline", bc->notice_deadline);
	ctl_json_bool(j, "notice_given", bc->notice_given);
	ctl_json_bool(j, "billed_while_suspended", bc->renewed_while_suspended);
	ctl_json_bool(j, "expired_while_suspended",
		      bc->expired_while_suspended);
	ctl_json_end(j, '}');
	ctl_json_string(j, "service", billing_service_name(bc->service));
	ctl_json_string(j, "reason", billing_reason_name(bc->reason));
	ctl_json_string(j, "billing", billing_state_name(bc->state));
	ctl_json_string(j, "note", bc->note);
	ctl_json_day(j, "suspended_since", bc->suspended_since);
	ctl_json_day(j, "termination_date", bc->termination_date);
	/* issue 13: who suspends for nonpayment, and the reminders to pay
	 * (clauses 2.3.3, 2.3.4, 7.1(4)) */
	ctl_json_string(j, "suspension", ctl_suspension_mode(c->suspension));
	ctl_json_day(j, "suspension_due_since", bc->suspension_due_since);
	ctl_json_object(j, "reminders");
	ctl_json_int(j, "count", bc->reminders);
	ctl_json_day(j, "last", bc->last_reminder);
	ctl_json_bool(j, "unpaid", bc->reminder_unpaid);
	ctl_json_end(j, '}');
	ctl_json_charges(j, ch);
	ctl_json_money(j, "annual_fee", c->annual_fee);
	ctl_json_object(j, "late_fee_rate");
	ctl_json_int(j, "ppm", c->late_fee_ppm);
	ctl_json_string(j, "text", rate_format_late_fee(c->late_fee_ppm, rate));
	ctl_json_end(j, '}');
	ctl_json_money(j, "outstanding", bc->outstanding);
	ctl_json_money(j, "overdue", bc->overdue);
	ctl_json_money(j, "late_fee", bc->late_fee);
	ctl_json_money(j, "arrears", bc->arrears);
	ctl_json_money(j, "paid", bc->paid);
	ctl_json_money(j, "credit", bc->credit);
	/* true: an amount shown as BILLING_FEN_MAX is at least that */
	ctl_json_bool(j, "saturated", bc->saturated);
	ctl_json_int(j, "days_overdue", bc->days_overdue);
	if (bc->next_due == LL_NO_DAY) {
		ctl_json_null(j, "next_due");
	} else {
		ctl_json_object(j, "next_due");
		ctl_json_day(j, "date", bc->next_due);
		ctl_json_money(j, "amount", bc->next_due_amount);
		ctl_json_end(j, '}');
	}
	ctl_json_array(j, "installments");
	for (size_t i = 0; i < bc->n_installments; i++)
		ctl_json_installment(j, &bc->installments[i]);
	ctl_json_end(j, ']');
	/* Clauses published as text, not computed (leaseline.conf(5)). */
	ctl_json_array(j, "notes");
	for (size_t i = 0; i < c->n_notes; i++)
		ctl_json_string(j, NULL, c->notes[i]);
	ctl_json_end(j, ']');
	ctl_json_end(j, '}');
}

static void
ctl_json_event(struct ctl_json *j, const struct billing_event *ev, ll_day today)
{
	char text[128];

	ctl_json_object(j, NULL);
	ctl_json_day(j, "date", ev->day);
	ctl_json_string(j, "when",
			ev->day < today	   ? "past"
			: ev->day == today ? "today"
					   : "coming");
	ctl_json_string(j, "event", billing_event_name(ev->kind));
	ctl_json_string(j, "description",
			ctl_event_text(ev, text, sizeof(text)));
	ctl_json_int(j, "term", ev->term);
	if (ev->installment != 0)
		ctl_json_int(j, "installment", ev->installment);
	else
		ctl_json_null(j, "installment");
	ctl_json_money(j, "amount", ev->amount);
	ctl_json_money(j, "late_fee", ev->late_fee);
	ctl_json_string(j, "reason", billing_reason_name(ev->reason));
	ctl_json_int(j, "days", ev->days);
	ctl_json_day(j, "about", ev->about);
	ctl_json_string(j, "note", ev->note);
	ctl_json_end(j, '}');
}

static void
ctl_json_entry(struct ctl_json *j, const char *key, const struct entry *e,
	       int64_t reversed_by)
{
	char t[CTL_TIMESTRLEN];

	ctl_json_object(j, key);
	ctl_json_int(j, "id", e->id);
	ctl_json_string(j, "kind", ctl_kind_name(e->kind));
	ctl_json_string(j, "contract", e->contract);
	ctl_json_day(j, "day", e->day);
	if (e->kind == ENTRY_PAYMENT)
		ctl_json_money(j, "amount", e->amount);
	else
		ctl_json_null(j, "amount");
	if (e->reverses != 0)
		ctl_json_int(j, "reverses", e->reverses);
	else
		ctl_json_null(j, "reverses");
	if (reversed_by != 0)
		ctl_json_int(j, "reversed_by", reversed_by);
	else
		ctl_json_null(j, "reversed_by");
	if (e->reason != 0)
		ctl_json_string(
		    j, "reason",
		    billing_reason_name((enum billing_reason)e->reason));
	else
		ctl_json_null(j, "reason");
	ctl_json_string(j, "note", e->note);
	ctl_json_string(j, "recorded_at",
			ctl_format_time(e->recorded_at, true, t));
	ctl_json_end(j, '}');
}

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

static int
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

static void ctl_kv(struct ctl_table *t, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

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

#define CTL_MONEYLEN (MONEY_STRLEN + 16)

/* An amount billing computed: BILLING_FEN_MAX stands for that much or
 * more (billing.h), and says so. */
static char *
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

static int
ctl_cmd_status(struct ctl *ctl)
{
	if (ctl->nargs == 0)
		return ctl_status_all(ctl);
	return ctl_status_one(ctl, ctl->args[0]);
}

/* -------------------------------------------------------- timeline -- */

static void
ctl_event_row(struct ctl_table *t, const struct billing_event *ev, ll_day today,
	      bool when)
{
	char m[MONEY_STRLEN], d[DAY_STRLEN], text[128];

	ctl_table_row(t);
	ctl_table_cell(t, "%s", day_format(ev->day, d));
	if (when)
		ctl_table_cell(t, "%s",
			       ev->day < today	  ? "past"
			       : ev->day == today ? "today"
						  : "coming");
	ctl_table_cell(t, "%s", ctl_event_text(ev, text, sizeof(text)));
	ctl_table_cell(t, "%u", ev->term);
	if (ev->installment != 0)
		ctl_table_cell(t, "%u", ev->installment);
	else
		ctl_table_cell(t, "%s", "");
	if (ctl_event_has_amount(ev))
		ctl_table_cell(t, "%s", money_format(ev->amount, m));
	else
		ctl_table_cell(t, "%s", "");
	ctl_table_cell(t, "%s", money_format(ev->late_fee, m));
}

/* Events up to `until`; with `when`, a past/today/coming column (a
 * timeline, reminders included), else the transitions of a history. */
static int
ctl_print_events(const struct billing_contract *bc, ll_day until, bool when,
		 const char *indent)
{
	static const char *const headers[] = {
	    "DATE", "WHEN", "EVENT", "TERM", "INST", "AMOUNT", "LATE FEE"};
	static const enum ctl_align align[] = {CTL_LEFT,  CTL_LEFT,  CTL_LEFT,
					       CTL_RIGHT, CTL_RIGHT, CTL_RIGHT,
					       CTL_RIGHT};
	static const char *const headers_nowhen[] = {
	    "DATE", "EVENT", "TERM", "INST", "AMOUNT", "LATE FEE"};
	static const enum ctl_align align_nowhen[] = {
	    CTL_LEFT, CTL_LEFT, CTL_RIGHT, CTL_RIGHT, CTL_RIGHT, CTL_RIGHT};
	struct ctl_table *t =
	    when ? ctl_table_new(7, headers, align)
		 : ctl_table_new(6, headers_nowhen, align_nowhen);
	int rc;

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < bc->n_events; i++)
		if (bc->events[i].day <= until &&
		    (when || !ctl_event_is_reminder(&bc->events[i])))
			ctl_event_row(t, &bc->events[i], bc->today, when);
	rc = ctl_table_print(t, stdout, indent);
	ctl_table_free(t);
	return rc;
}

/* Default horizon: the end of the term after the current one, as
 * billing renews it (model_term_bounds). */
static ll_day
ctl_default_until(const struct ll_contract *c,
		  const struct billing_contract *bc)
{
	ll_day start, end;

	if (c->renew_months == 0)
		return day_add_months(bc->term_end + 1, 12) - 1;
	model_term_bounds(c, bc->term_number + 1, &start, &end);
	return end;
}

/* After a timeline: what the end of the contract brings (charges.h). */
static void
ctl_print_charges(const struct ll_contract *c, const struct charges *ch)
{
	char a[CTL_MONEYLEN], d[DAY_STRLEN], text[CHARGES_TEXT_MAX];

	if (ch->kind != CHARGES_NONE)
		printf("%s %s: %s (%s: %s)\n", day_format(ch->day, d),
		       ch->kind == CHARGES_RECORDED
			   ? "termination charge"
			   : "charge if terminated today",
		       ctl_money(ch->total, a),
		       billing_reason_name((enum billing_reason)ch->reason),
		       charges_text(ch, text, sizeof(text)));
	if (ch->reclaim != LL_NO_DAY)
		printf("%s numbers and IP addresses go to other customers "
		       "(%u days after the end, clause 3.2.10)\n",
		       day_format(ch->reclaim, d), c->reclaim_after_days);
}

static int
ctl_cmd_timeline(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct billing_contract now, bc;
	struct charges ch;
	struct entry *e;
	char a[DAY_STRLEN], b[DAY_STRLEN];
	struct ctl_json j;
	ll_day until = LL_NO_DAY;
	size_t n;
	int rc = CTL_EXIT_REFUSED;

	if (c == NULL)
		return CTL_EXIT_REFUSED;
	if (ctl->until_arg != NULL &&
	    ctl_parse_day(ctl, "--until", ctl->until_arg, &until) < 0)
		return CTL_EXIT_REFUSED;
	if (ctl_entries(ctl, c->number, &e, &n) < 0)
		return CTL_EXIT_REFUSED;
	if (ctl_evaluate(ctl, c, e, n, ctl->today, LL_NO_DAY, &now) < 0)
		goto free_entries;
	if (ctl->until_arg == NULL)
		until = ctl_default_until(c, &now);
	if (charges_of_contract(c, e, n, &now, &ch) < 0) {
		billing_contract_free(&now);
		ctl_refuse(ctl, "out of memory");
		goto free_entries;
	}
	billing_contract_free(&now);
	/* billing lists events only with a horizon; an --until in the past
	 * still needs the events up to today, filtered below. */
	if (ctl_evaluate(ctl, c, e, n, ctl->today,
			 until > ctl->today ? until : ctl->today, &bc) < 0)
		goto free_entries;
	if (ctl->json) {
		ctl_json_init(&j, stdout);
		ctl_json_object(&j, NULL);
		ctl_json_string(&j, "contract", c->number);
		ctl_json_day(&j, "date", ctl->today);
		ctl_json_day(&j, "until", until);
		ctl_json_array(&j, "events");
		for (size_t i = 0; i < bc.n_events; i++)
			if (bc.events[i].day <= until)
				ctl_json_event(&j, &bc.events[i], ctl->today);
		ctl_json_end(&j, ']');
		ctl_json_charges(&j, &ch);
		ctl_json_end(&j, '}');
		rc = CTL_EXIT_OK;
	} else {
		printf("%s %s\n", c->number, c->title);
		printf("evaluated on %s, events up to %s; coming events assume "
		       "nothing more is paid or decided\n",
		       day_format(ctl->today, a), day_format(until, b));
		if (ctl_print_events(&bc, until, true, "") < 0)
			ctl_refuse(ctl, "out of memory");
		else
			rc = CTL_EXIT_OK;
		ctl_print_charges(c, &ch);
	}
	billing_contract_free(&bc);
free_entries:
	entry_array_free(e, n);
	return rc;
}

/* --------------------------------------------------------- history -- */

/* The id of the reversal of payment `id` in e[0..n), 0 when none. */
static int64_t
ctl_reversed_by(const struct entry *e, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == ENTRY_REVERSAL && e[i].reverses == id)
			return e[i].id;
	return 0;
}

static int
ctl_print_entries(const struct entry *e, size_t n)
{
	static const char *const headers[] = {"ID",
					      "DAY",
					      "KIND",
					      "AMOUNT",
					      "REASON",
					      "CORRECTION",
					      "RECORDED AT (UTC+08:00)",
					      "NOTE"};
	static const enum ctl_align align[] = {CTL_RIGHT, CTL_LEFT, CTL_LEFT,
					       CTL_RIGHT, CTL_LEFT, CTL_LEFT,
					       CTL_LEFT,  CTL_LEFT};
	struct ctl_table *t = ctl_table_new(8, headers, align);
	char m[MONEY_STRLEN], d[DAY_STRLEN], tm[CTL_TIMESTRLEN];
	int rc;

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t by = ctl_reversed_by(e, n, e[i].id);

		ctl_table_row(t);
		ctl_table_cell(t, "%lld", (long long)e[i].id);
		ctl_table_cell(t, "%s", day_format(e[i].day, d));
		ctl_table_cell(t, "%s", ctl_kind_name(e[i].kind));
		ctl_table_cell(t, "%s",
			       e[i].kind == ENTRY_PAYMENT
				   ? money_format(e[i].amount, m)
				   : "");
		ctl_table_cell(
		    t, "%s",
		    e[i].reason
			? billing_reason_name((enum billing_reason)e[i].reason)
			: "");
		if (e[i].kind == ENTRY_REVERSAL)
			ctl_table_cell(t, "reverses %lld",
				       (long long)e[i].reverses);
		else if (by != 0)
			ctl_table_cell(t, "reversed by %lld", (long long)by);
		else
			ctl_table_cell(t, "%s", "");
		ctl_table_cell(t, "%s",
			       ctl_format_time(e[i].recorded_at, false, tm));
		ctl_table_cell(t, "%s", e[i].note);
	}
	rc = ctl_table_print(t, stdout, "  ");
	ctl_table_free(t);
	return rc;
}

/* The name of a recorded transition's state, from what changed. */
static const char *
ctl_transition_state(const char *what, int v)
{
	if (strcmp(what, "service") == 0)
		return billing_service_name((enum billing_service)v);
	if (strcmp(what, "billing") == 0)
		return billing_state_name((enum billing_state)v);
	if (strcmp(what, "reason") == 0)
		return billing_reason_name((enum billing_reason)v);
	if (strncmp(what, "installment", 11) == 0)
		return billing_installment_state_name(
		    (enum billing_installment_state)v);
	return "unknown";
}

static int
ctl_print_transitions(const struct ledger_transition *tr, size_t n)
{
	static const char *const headers[] = {"DAY", "WHAT", "FROM", "TO",
					      "RECORDED AT (UTC+08:00)"};
	struct ctl_table *t = ctl_table_new(5, headers, NULL);
	char d[DAY_STRLEN], tm[CTL_TIMESTRLEN];
	int rc;

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		ctl_table_row(t);
		ctl_table_cell(t, "%s", day_format(tr[i].day, d));
		ctl_table_cell(t, "%s", tr[i].what);
		ctl_table_cell(t, "%s",
			       ctl_transition_state(tr[i].what, tr[i].from));
		ctl_table_cell(t, "%s",
			       ctl_transition_state(tr[i].what, tr[i].to));
		ctl_table_cell(t, "%s",
			       ctl_format_time(tr[i].recorded_at, false, tm));
	}
	rc = ctl_table_print(t, stdout, "  ");
	ctl_table_free(t);
	return rc;
}

static void
ctl_json_history(struct ctl *ctl, const struct ll_contract *c,
		 const struct entry *e, size_t n,
		 const struct billing_contract *bc,
		 const struct ledger_transition *tr, size_t ntr)
{
	char tm[CTL_TIMESTRLEN];
	struct ctl_json j;

	ctl_json_init(&j, stdout);
	ctl_json_object(&j, NULL);
	ctl_json_string(&j, "contract", c->number);
	ctl_json_day(&j, "date", ctl->today);
	ctl_json_array(&j, "entries");
	for (size_t i = 0; i < n; i++)
		ctl_json_entry(&j, NULL, &e[i], ctl_reversed_by(e, n, e[i].id));
	ctl_json_end(&j, ']');
	ctl_json_array(&j, "events");
	for (size_t i = 0; i < bc->n_events; i++)
		if (!ctl_event_is_reminder(&bc->events[i]))
			ctl_json_event(&j, &bc->events[i], ctl->today);
	ctl_json_end(&j, ']');
	ctl_json_array(&j, "recorded_transitions");
	for (size_t i = 0; i < ntr; i++) {
		ctl_json_object(&j, NULL);
		ctl_json_day(&j, "day", tr[i].day);
		ctl_json_string(&j, "what", tr[i].what);
		ctl_json_string(&j, "from",
				ctl_transition_state(tr[i].what, tr[i].from));
		ctl_json_string(&j, "to",
				ctl_transition_state(tr[i].what, tr[i].to));
		ctl_json_string(&j, "recorded_at",
				ctl_format_time(tr[i].recorded_at, true, tm));
		ctl_json_end(&j, '}');
	}
	ctl_json_end(&j, ']');
	ctl_json_end(&j, '}');
}

static int
ctl_cmd_history(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct ledger_transition *tr = NULL;
	struct billing_contract bc;
	struct entry *e;
	char err[LEDGER_ERRLEN], d[DAY_STRLEN];
	size_t n, ntr = 0;
	int rc = CTL_EXIT_REFUSED;

	if (c == NULL)
		return CTL_EXIT_REFUSED;
	if (ctl_entries(ctl, c->number, &e, &n) < 0)
		return CTL_EXIT_REFUSED;
	/* A horizon of today lists the events up to today and projects
	 * nothing. */
	if (ctl_evaluate(ctl, c, e, n, ctl->today, ctl->today, &bc) < 0)
		goto free_entries;
	if (ctl->ledger != NULL &&
	    ledger_transitions(ctl->ledger, c->number, &tr, &ntr, err,
			       sizeof(err)) < 0) {
		ctl_refuse(ctl, "%s", err);
		goto free_eval;
	}
	if (ctl->json) {
		ctl_json_history(ctl, c, e, n, &bc, tr, ntr);
		rc = CTL_EXIT_OK;
		goto free_transitions;
	}
	printf("%s %s\n", c->number, c->title);
	printf("ledger entries (%zu):\n", n);
	if (n > 0 && ctl_print_entries(e, n) < 0)
		goto nomem;
	printf("computed by billing up to %s:\n", day_format(ctl->today, d));
	if (ctl_print_events(&bc, ctl->today, false, "  ") < 0)
		goto nomem;
	if (ntr > 0) {
		printf("transitions recorded by leaselined:\n");
		if (ctl_print_transitions(tr, ntr) < 0)
			goto nomem;
	}
	rc = CTL_EXIT_OK;
	goto free_transitions;
nomem:
	ctl_refuse(ctl, "out of memory");
free_transitions:
	ledger_transitions_free(tr, ntr);
free_eval:
	billing_contract_free(&bc);
free_entries:
	entry_array_free(e, n);
	return rc;
}

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

static int
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

static int
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

static int
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

static int
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

static int
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
static int
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

static int
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

/* ------------------------------------------------- the command line -- */

#define CTL_OPT_DECISION (CTL_OPT_REASON | CTL_OPT_NOTE | CTL_OPT_ON)

static const struct ctl_command ctl_commands[] = {
    {
	.name = "check",
	.run = ctl_cmd_check,
	.args = "",
	.synopsis = "check",
	.help = "Check the configuration (as leaselined -n does) and the\n"
		"ledger: the whole file, as SQLite's integrity check reads\n"
		"it (exit 1 when damaged), then warns about ledger entries\n"
		"naming contracts the configuration does not have.\n",
    },
    {
	.name = "status",
	.run = ctl_cmd_status,
	.max_args = 1,
	.args = "[CONTRACT]",
	.options = CTL_OPT_JSON,
	.synopsis = "status [CONTRACT]",
	.help = "Without CONTRACT: one line per contract (service and\n"
		"billing state, outstanding, overdue, late fee, days\n"
		"overdue, next due).  With CONTRACT: parties, term, notice\n"
		"deadline, suspension, every installment and the notes.\n",
    },
    {
	.name = "timeline",
	.run = ctl_cmd_timeline,
	.min_args = 1,
	.max_args = 1,
	.args = "CONTRACT",
	.options = CTL_OPT_UNTIL | CTL_OPT_JSON,
	.synopsis = "timeline CONTRACT [--until DAY]",
	.help = "Past and coming events (due, first day overdue,\n"
		"suspension, termination possible, notice deadline,\n"
		"renewal) with the late fee accrued at each, up to DAY\n"
		"(default: the end of the term after the current one).\n"
		"Coming events assume nothing more is paid or decided.\n",
    },
    {
	.name = "pay",
	.run = ctl_cmd_pay,
	.min_args = 2,
	.max_args = 2,
	.args = "CONTRACT AMOUNT",
	.options = CTL_OPT_ON | CTL_OPT_NOTE | CTL_OPT_JSON,
	.synopsis = "pay CONTRACT AMOUNT [--on DAY] [--note TEXT]",
	.help = "Record a payment received on DAY (default: the evaluation\n"
		"day; never later, nor after today by the clock).  It goes\n"
		"to overdue principal first, oldest installment first,\n"
		"then to late fees, then to installments not yet due.\n"
		"AMOUNT: 359600, 359,600.00 or \"359600.00 CNY\", no space\n"
		"before or after it.\n",
    },
    {
	.name = "reverse",
	.run = ctl_cmd_reverse,
	.min_args = 1,
	.max_args = 1,
	.args = "ENTRY-ID",
	.options = CTL_OPT_NOTE | CTL_OPT_JSON,
	.synopsis = "reverse ENTRY-ID [--note TEXT]",
	.help = "Cancel payment ENTRY-ID (see 'history') as if it had never\n"
		"been recorded; the payment stays in the ledger, marked\n"
		"reversed.\n",
    },
    {
	.name = "suspend",
	.run = ctl_cmd_suspend,
	.min_args = 1,
	.max_args = 1,
	.args = "CONTRACT",
	.options = CTL_OPT_DECISION | CTL_OPT_JSON,
	.required = CTL_OPT_REASON | CTL_OPT_NOTE,
	.synopsis = "suspend CONTRACT --reason "
		    "violation|administrative|regulatory|transit|misuse|"
		    "nonpayment --note TEXT [--on DAY]",
	.help = "Record a suspension decided by a person (clause 7.1), from\n"
		"DAY (default: the evaluation day).  Only 'resume' lifts\n"
		"it.  For nonpayment only under suspension = \"decided\",\n"
		"once due (clause 2.3.4) or after a reminder left unpaid\n"
		"(clause 7.1(4)); paying the arrears and late fees lifts\n"
		"it, and termination becomes possible 60 days into it.\n",
    },
    {
	.name = "resume",
	.run = ctl_cmd_resume,
	.min_args = 1,
	.max_args = 1,
	.args = "CONTRACT",
	.options = CTL_OPT_NOTE | CTL_OPT_ON | CTL_OPT_JSON,
	.synopsis = "resume CONTRACT [--note TEXT] [--on DAY]",
	.help = "Lift a suspension decided by a person.  A suspension for\n"
		"nonpayment lifts when the arrears and late fees are\n"
		"paid.\n",
    },
    {
	.name = "terminate",
	.run = ctl_cmd_terminate,
	.min_args = 1,
	.max_args = 1,
	.args = "CONTRACT",
	.options = CTL_OPT_DECISION | CTL_OPT_JSON,
	.required = CTL_OPT_REASON | CTL_OPT_NOTE,
	.synopsis = "terminate CONTRACT --reason "
		    "violation|administrative|regulatory|nonpayment --note "
		    "TEXT [--on DAY]",
	.help = "Record a termination decided by a person (clauses 7.2,\n"
		"3.1.11; for nonpayment only once termination is possible,\n"
		"clause 2.3.4).\n",
    },
    {
	.name = "notice",
	.run = ctl_cmd_notice,
	.min_args = 1,
	.max_args = 1,
	.args = "CONTRACT",
	.options = CTL_OPT_ON | CTL_OPT_NOTE | CTL_OPT_JSON,
	.synopsis = "notice CONTRACT [--on DAY] [--note TEXT]",
	.help = "Record a written non-renewal notice given on DAY (default:\n"
		"the evaluation day; never later, nor after today by the\n"
		"clock).  On or before the deadline it ends the current\n"
		"term; after it, the next one (clause 11.1).\n",
    },
    {
	.name = "remind",
	.run = ctl_cmd_remind,
	.min_args = 1,
	.max_args = 1,
	.args = "CONTRACT",
	.options = CTL_OPT_ON | CTL_OPT_NOTE | CTL_OPT_JSON,
	.synopsis = "remind CONTRACT [--on DAY] [--note TEXT]",
	.help = "Record a reminder to pay (催告, clause 7.1(4)) sent to the\n"
		"customer on DAY (default: the evaluation day; never later,\n"
		"nor after today by the clock), while something is\n"
		"overdue.  Under suspension = \"decided\" a person may then\n"
		"suspend for nonpayment from the next day, while what was\n"
		"overdue stays unpaid.\n",
    },
    {
	.name = "history",
	.run = ctl_cmd_history,
	.min_args = 1,
	.max_args = 1,
	.args = "CONTRACT",
	.options = CTL_OPT_JSON,
	.synopsis = "history CONTRACT",
	.help = "The ledger's entries of the contract (id, day, kind,\n"
		"amount, reason, note, when recorded) and the transitions\n"
		"billing computed up to the evaluation day.\n",
    },
};
static const size_t ctl_n_commands =
    sizeof(ctl_commands) / sizeof(ctl_commands[0]);

static void
ctl_usage(FILE *out)
{
	fprintf(out,
		"usage: %s [-c CONFIG] [-l LEDGER] [--date YYYY-MM-DD] "
		"[--json] COMMAND [ARGS]\n"
		"commands:\n",
		CTL_PROG);
	for (size_t i = 0; i < ctl_n_commands; i++)
		fprintf(out, "  %s\n", ctl_commands[i].synopsis);
	fprintf(out,
		"options, before or after the command:\n"
		"  -c CONFIG          configuration (default %s)\n"
		"  -l LEDGER          ledger database (default %s)\n"
		"  --date YYYY-MM-DD  evaluate on that day, not today (also "
		"the\n"
		"                     environment variable %s)\n"
		"  --json             output for scripts (status, timeline, "
		"history\n"
		"                     and the commands that write)\n"
		"  -h, --help         this help; '%s COMMAND --help' for one "
		"command\n"
		"  -V, --version      print the version\n"
		"amounts: 359600, 359,600.00 or \"359600.00 CNY\" (no sign, no "
		"space around,\n"
		"at most two decimals); days: YYYY-MM-DD, China Standard "
		"Time (UTC+08:00).\n"
		"exit status: 0 done (a write: recorded, even when this "
		"report is lost),\n"
		"1 refused or failed, 2 usage error.\n",
		LL_DEFAULT_CONFIG, LL_DEFAULT_LEDGER, LL_DATE_ENV, CTL_PROG);
}

/* Every option; `flag` 0 marks a global one. */
enum ctl_key {
	CTL_KEY_CONFIG,
	CTL_KEY_LEDGER,
	CTL_KEY_DATE,
	CTL_KEY_HELP,
	CTL_KEY_VERSION,
	CTL_KEY_JSON,
	CTL_KEY_ON,
	CTL_KEY_NOTE,
	CTL_KEY_REASON,
	CTL_KEY_UNTIL,
};

struct ctl_option {
	const char *name; /* long name without "--" */
	char short_name;  /* 0 when none */
	bool has_arg;
	unsigned flag;
	enum ctl_key key;
};

static const struct ctl_option ctl_options[] = {
    {"config", 'c', true, 0, CTL_KEY_CONFIG},
    {"ledger", 'l', true, 0, CTL_KEY_LEDGER},
    {"date", 0, true, 0, CTL_KEY_DATE},
    {"help", 'h', false, 0, CTL_KEY_HELP},
    {"version", 'V', false, 0, CTL_KEY_VERSION},
    {"json", 0, false, CTL_OPT_JSON, CTL_KEY_JSON},
    {"on", 0, true, CTL_OPT_ON, CTL_KEY_ON},
    {"note", 0, true, CTL_OPT_NOTE, CTL_KEY_NOTE},
    {"reason", 0, true, CTL_OPT_REASON, CTL_KEY_REASON},
    {"until", 0, true, CTL_OPT_UNTIL, CTL_KEY_UNTIL},
};

static void
ctl_set_option(struct ctl *ctl, const struct ctl_option *o, const char *v)
{
	ctl->given |= o->flag;
	switch (o->key) {
	case CTL_KEY_CONFIG: ctl->config = v; break;
	case CTL_KEY_LEDGER: ctl->ledger_path = v; break;
	case CTL_KEY_DATE: ctl->date_arg = v; break;
	case CTL_KEY_HELP: ctl->help = true; break;
	case CTL_KEY_VERSION: ctl->version = true; break;
	case CTL_KEY_JSON: ctl->json = true; break;
	case CTL_KEY_ON: ctl->on_arg = v; break;
	case CTL_KEY_NOTE: ctl->note = v; break;
	case CTL_KEY_REASON: ctl->reason_arg = v; break;
	case CTL_KEY_UNTIL: ctl->until_arg = v; break;
	}
}

static const struct ctl_option *
ctl_find_option(const char *name, size_t len, char short_name)
{
	for (size_t i = 0; i < sizeof(ctl_options) / sizeof(ctl_options[0]);
	     i++) {
		const struct ctl_option *o = &ctl_options[i];

		if (short_name ? o->short_name == short_name
			       : strlen(o->name) == len &&
				     strncmp(o->name, name, len) == 0)
			return o;
	}
	return NULL;
}

/*
 * Options may come before or after the command and its arguments, as
 * "--on DAY", "--on=DAY", "-c FILE" or "-cFILE".  An argument that starts
 * with '-' and a digit is an argument, so that 'pay C -5' reaches the
 * amount check and is refused with the reason.  "--" ends the options.
 */
static int
ctl_parse_args(struct ctl *ctl, int argc, char **argv)
{
	bool options = true;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *value = NULL, *eq;
		const struct ctl_option *o;

		if (!options || a[0] != '-' || a[1] == '\0' ||
		    (a[1] >= '0' && a[1] <= '9')) {
			ctl->args[ctl->nargs++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options = false;
			continue;
		}
		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			o = ctl_find_option(
			    a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2),
			    0);
			if (o != NULL && eq != NULL)
				value = eq + 1;
			if (o != NULL && eq != NULL && !o->has_arg)
				return ctl_usage_error(
				    ctl, "option --%s takes no value", o->name);
		} else {
			o = ctl_find_option(NULL, 0, a[1]);
			if (o != NULL && a[2] != '\0') {
				if (!o->has_arg)
					return ctl_usage_error(
					    ctl, "unknown option \"%s\"", a);
				value = a + 2;
			}
		}
		if (o == NULL)
			return ctl_usage_error(ctl, "unknown option \"%s\"", a);
		if (o->has_arg && value == NULL) {
			if (i + 1 == argc)
				return ctl_usage_error(
				    ctl, "option %s needs a value", a);
			value = argv[++i];
		}
		ctl_set_option(ctl, o, value);
	}
	return CTL_EXIT_OK;
}

static const char *
ctl_option_name(unsigned flag)
{
	for (size_t i = 0; i < sizeof(ctl_options) / sizeof(ctl_options[0]);
	     i++)
		if (ctl_options[i].flag == flag)
			return ctl_options[i].name;
	return "?";
}

/* Finds the command and checks its arguments and options. */
static int
ctl_pick_command(struct ctl *ctl)
{
	const struct ctl_command *cmd = NULL;
	unsigned extra, missing;

	for (size_t i = 0; i < ctl_n_commands; i++)
		if (strcmp(ctl->args[0], ctl_commands[i].name) == 0)
			cmd = &ctl_commands[i];
	if (cmd == NULL)
		return ctl_usage_error(
		    ctl,
		    "unknown command \"%s\"; expected check, "
		    "status, timeline, pay, reverse, "
		    "suspend, resume, terminate, notice, remind or "
		    "history",
		    ctl->args[0]);
	ctl->cmd = cmd;
	ctl->args++;
	ctl->nargs--;
	if (ctl->help)
		return CTL_EXIT_OK;
	extra = ctl->given & ~cmd->options;
	for (unsigned f = 1; extra != 0; f <<= 1)
		if (extra & f)
			return ctl_usage_error(ctl,
					       "--%s is not an option of %s",
					       ctl_option_name(f), cmd->name);
	missing = cmd->required & ~ctl->given;
	for (unsigned f = 1; missing != 0; f <<= 1)
		if (missing & f)
			return ctl_usage_error(ctl, "--%s is required",
					       ctl_option_name(f));
	if (ctl->nargs < cmd->min_args)
		return ctl_usage_error(ctl, "missing argument: expected %s",
				       cmd->args);
	if (ctl->nargs > cmd->max_args)
		return ctl_usage_error(ctl, "unexpected argument \"%s\"",
				       ctl->args[cmd->max_args]);
	return CTL_EXIT_OK;
}

/* The evaluation day: --date, else LEASELINE_DATE, else today at
 * UTC+08:00. */
static int
ctl_pick_day(struct ctl *ctl)
{
	const char *env = getenv(LL_DATE_ENV);

	if (ctl->date_arg != NULL) {
		ctl->today_from = "--date";
		return ctl_parse_day(ctl, "--date", ctl->date_arg, &ctl->today);
	}
	if (env != NULL && *env != '\0') {
		ctl->today_from = LL_DATE_ENV;
		return ctl_parse_day(ctl, LL_DATE_ENV, env, &ctl->today);
	}
	ctl->today = ctl_clock_day();
	return 0;
}

/*
 * The exit status once stdout is flushed.  Output that could not be
 * written fails a reading command; a write whose entry is recorded still
 * exits 0: the entry is on disk, and a script that retried on failure
 * would record it twice.  Its id goes to stderr instead.
 */
static int
ctl_output_done(struct ctl *ctl, int rc)
{
	int e = 0;

	if (fflush(stdout) != 0)
		e = errno;
	else if (!ferror(stdout))
		return rc;
	if (ctl->recorded != 0) {
		/* ctl->cmd is set: only a command records. */
		fprintf(stderr,
			"%s: %s: entry %lld is recorded, but its report could "
			"not be written (%s): do not record it again; '%s "
			"history %s' lists it\n",
			CTL_PROG, ctl->cmd->name, (long long)ctl->recorded,
			e ? strerror(e) : "an earlier write failed", CTL_PROG,
			ctl->recorded_contract);
		return rc;
	}
	fprintf(stderr, "%s: cannot write the output: %s\n", CTL_PROG,
		e ? strerror(e) : "an earlier write failed");
	return rc == CTL_EXIT_OK ? CTL_EXIT_REFUSED : rc;
}

int
main(int argc, char **argv)
{
	struct ctl ctl = {
	    .config = LL_DEFAULT_CONFIG,
	    .ledger_path = LL_DEFAULT_LEDGER,
	};
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	int rc;

	if (args == NULL) {
		fprintf(stderr, "%s: out of memory\n", CTL_PROG);
		return CTL_EXIT_REFUSED;
	}
	ctl.args = args;
	rc = ctl_parse_args(&ctl, argc, argv);
	if (rc != CTL_EXIT_OK)
		goto out;
	if (ctl.version) {
		printf("%s %s\n", CTL_PROG, LEASELINE_VERSION);
		goto out;
	}
	if (ctl.nargs == 0) {
		if (ctl.help) {
			ctl_usage(stdout);
		} else {
			rc = ctl_usage_error(&ctl, "no command given");
		}
		goto out;
	}
	rc = ctl_pick_command(&ctl);
	if (rc != CTL_EXIT_OK)
		goto out;
	if (ctl.help) {
		ctl_command_usage(stdout, ctl.cmd);
		fputs(ctl.cmd->help, stdout);
		goto out;
	}
	if (ctl_pick_day(&ctl) < 0 || ctl_load_config(&ctl) < 0) {
		rc = CTL_EXIT_REFUSED;
		goto out;
	}
	rc = ctl.cmd->run(&ctl);
out:
	rc = ctl_output_done(&ctl, rc);
	ledger_close(ctl.ledger);
	model_free(ctl.model);
	free(args);
	return rc;
}
