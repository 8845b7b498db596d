/*
 * leaselinectl: the finance clerk's and the operator's command line.
 *
 * It reads the same configuration and ledger as leaselined, evaluates a
 * contract with the same billing engine on any day, and appends payments,
 * reversals and decisions to the ledger, which the daemon picks up within
 * seconds.  One function per command (ctl_cmd_*); the table of commands
 * in main.c says which options each one takes.
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
 *
 * main.c: main, the command line (options, the table of commands, usage)
 * and the messages every file prints its refusals with.  Each command is
 * one ctl_cmd_* in status.c, timeline.c or write.c.
 */
#include <stdio.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "ctl/ctl.h"
#include "store/ledger.h"

static int ctl_usage_error(const struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------ messages -- */

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
int
ctl_refuse(const struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vmessage(ctl, fmt, ap);
	va_end(ap);
	return CTL_EXIT_REFUSED;
}

void
ctl_warn(const struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vmessage(ctl, fmt, ap);
	va_end(ap);
}

void
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
    {
	.name = "ledger",
	.run = ctl_cmd_ledger,
	.min_args = 1,
	.max_args = 3,
	.args = "init|upgrade|copy FROM TO",
	.synopsis = "ledger init|upgrade|copy FROM TO",
	.help = "init: create the ledger (-l): an SQLite file, or the\n"
		"schema in the PostgreSQL database a postgresql:// URI\n"
		"names, as its owner (refused when there is one already).\n"
		"upgrade: migrate the ledger's schema to this version's.\n"
		"copy FROM TO: copy the whole ledger FROM into TO, a new\n"
		"SQLite file or an empty PostgreSQL ledger (after init),\n"
		"ids and the outbox's sent marks kept; prints the counts\n"
		"and checksums of both (exit 1 when they differ).\n"
		"The configuration is not read.\n",
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
		"  -l LEDGER          ledger: an SQLite file (default %s)\n"
		"                     or a postgresql:// URI (password in "
		"PGPASSFILE)\n"
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

/*
 * A password in a -l URI is in argv, which ps shows to every user, and
 * would be in every message naming the ledger: refused, nothing opened
 * (issue 17: passwords never in argv).  The passfile or the service file
 * keeps it instead.
 */
static int
ctl_check_ledger_uri(const struct ctl *ctl)
{
	char shown[LEDGER_ERRLEN];

	if (!ledger_holds_password(ctl->ledger_path))
		return 0;
	return ctl_refuse(
	    ctl,
	    "-l %s: the URI holds a password, which ps shows "
	    "to every user: leave it out, and put it in the "
	    "passfile (~/.pgpass, or the file PGPASSFILE names) "
	    "or a service file (PGSERVICEFILE)",
	    ledger_display(ctl->ledger_path, shown, sizeof(shown)));
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
	/* `ledger` works on the ledger alone: no configuration needed. */
	if (ctl_check_ledger_uri(&ctl) != CTL_EXIT_OK ||
	    ctl_pick_day(&ctl) < 0 ||
	    (ctl.cmd->run != ctl_cmd_ledger && ctl_load_config(&ctl) < 0)) {
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
