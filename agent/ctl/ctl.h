/*
 * ctl.h: what the files of leaselinectl share: the run's context (struct
 * ctl), the command table's entry, the effects a write reports, and the
 * functions one file defines for the others.
 *
 * leaselinectl is one thread and one command a run.  main() owns struct
 * ctl: the model (model_free) and the ledger (ledger_close) it opens are
 * freed there once the command returned; commands borrow them.
 */
#ifndef LL_CTL_H
#define LL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/billing.h"
#include "core/charges.h"
#include "core/entry.h"
#include "core/model.h"
#include "core/money.h"
#include "ctl/json.h"

#define CTL_PROG	  "leaselinectl"
#define CTL_EXIT_OK	  0
#define CTL_EXIT_REFUSED  1
#define CTL_EXIT_USAGE	  2
#define CTL_FEW_CONTRACTS 10 /* list the known numbers up to this many */
#define CTL_MAX_EFFECTS	  32
#define CTL_EFFECTLEN	  256
#define CTL_MONEYLEN	  (MONEY_STRLEN + 16) /* an amount with " CNY" */
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

/* main.c: messages (every refusal and warning goes through them) */
int ctl_refuse(const struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ctl_warn(const struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ctl_effect(struct ctl_effects *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* context.c: values from the command line, the configuration and the ledger */
int ctl_parse_day(const struct ctl *ctl, const char *what, const char *s,
		  ll_day *out);
int ctl_parse_amount(const struct ctl *ctl, const char *s, ll_fen *out);
int ctl_parse_reason(const struct ctl *ctl, bool nonpayment, int *out);
int ctl_check_note(const struct ctl *ctl, bool required);
ll_day ctl_clock_day(void);
int ctl_refuse_evaluation_ahead(const struct ctl *ctl, const char *why);
int ctl_on_day(const struct ctl *ctl, bool not_after_today, const char *what,
	       ll_day *out);
const struct ll_contract *ctl_contract(const struct ctl *ctl,
				       const char *number);
int ctl_load_config(struct ctl *ctl);
int ctl_open_read(struct ctl *ctl);
int ctl_open_write(struct ctl *ctl);
int ctl_entries(struct ctl *ctl, const char *number, struct entry **e,
		size_t *n);
int ctl_evaluate(const struct ctl *ctl, const struct ll_contract *c,
		 const struct entry *e, size_t n, ll_day day, ll_day horizon,
		 struct billing_contract *bc);
int ctl_load_and_evaluate(struct ctl *ctl, const struct ll_contract *c,
			  ll_day day, struct billing_contract *bc);
int ctl_charges(struct ctl *ctl, const struct ll_contract *c,
		const struct billing_contract *bc, struct charges *ch);
const char *ctl_charges_kind(const struct charges *ch);

/* format.c: words for states and events (entry kinds: decide_kind_name) */
const char *ctl_suspension_mode(enum ll_suspension m);
const char *ctl_service_text(const struct billing_contract *bc, char *buf,
			     size_t len);
const char *ctl_event_text(const struct billing_event *ev, char *buf,
			   size_t len);
bool ctl_event_has_amount(const struct billing_event *ev);
bool ctl_event_is_reminder(const struct billing_event *ev);

/* json.c: contracts, events and entries as JSON */
void ctl_json_charges(struct ctl_json *j, const struct charges *ch);
void ctl_json_contract(struct ctl_json *j, const char *key,
		       const struct ll_contract *c,
		       const struct billing_contract *bc,
		       const struct charges *ch);
void ctl_json_event(struct ctl_json *j, const struct billing_event *ev,
		    ll_day today);
void ctl_json_entry(struct ctl_json *j, const char *key, const struct entry *e,
		    int64_t reversed_by);

/* status.c: the check and status commands */
int ctl_cmd_check(struct ctl *ctl);
char *ctl_money(ll_fen fen, char *buf);
int ctl_cmd_status(struct ctl *ctl);

/* timeline.c: the timeline and history commands */
int ctl_cmd_timeline(struct ctl *ctl);
int ctl_cmd_history(struct ctl *ctl);

/* write.c: the commands that append to the ledger */
int ctl_cmd_pay(struct ctl *ctl);
int ctl_cmd_reverse(struct ctl *ctl);
int ctl_cmd_suspend(struct ctl *ctl);
int ctl_cmd_resume(struct ctl *ctl);
int ctl_cmd_terminate(struct ctl *ctl);
int ctl_cmd_remind(struct ctl *ctl);
int ctl_cmd_notice(struct ctl *ctl);

/* ledger_cmd.c: ledger init|upgrade (the schema, for either engine) */
int ctl_cmd_ledger(struct ctl *ctl);

#endif
