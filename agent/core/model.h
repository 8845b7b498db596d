/*
 * model.h: leased-line contracts as configured.
 *
 * The model is what the configuration says and nothing else: no payments,
 * no clock.  config_load() builds it, billing evaluates it, the snapshot
 * publishes it.  One struct ll_model owns every string and array below;
 * model_free() releases all of it.
 */
#ifndef LL_MODEL_H
#define LL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/types.h"

#define LL_MAX_REMINDERS 8
#define LL_MAX_CHARGES	 8 /* termination_charges of one contract */

/* A termination charge that applies whatever the reason recorded. */
#define LL_CHARGE_ANY UINT32_MAX

/* Values are the LEASELINE-MIB enumerations: keep them in step. */
enum ll_payment_method {
	LL_PAY_CASH = 1,
	LL_PAY_TRANSFER = 2,
	LL_PAY_DEBIT = 3,
	LL_PAY_OTHER = 4,
};

enum ll_service_type {
	LL_SVC_DEDICATED = 1, /* dedicated line, fibre */
	LL_SVC_INTERNET = 2,
	LL_SVC_VPN = 3,
	LL_SVC_EGOV = 4, /* e-government network */
	LL_SVC_OTHER = 5,
};

/* How a contract bills (DIGEST.md "Money"). */
enum ll_billing_mode {
	/* The contract's own schedule (this contract's special agreement,
	 * clause 2.2), repeated in every renewed term. */
	LL_BILLING_INSTALLMENTS = 0,
	/* The general terms (2.3.1, 2.3.2): each calendar month's fee, one
	 * twelfth of the annual fee, due by the 5th of the next month. */
	LL_BILLING_MONTHLY = 1,
};

/* Issue 13: what a recorded termination does to the installments of
 * the term it interrupts (leaseline.conf(5) on_termination). */
enum ll_on_termination {
	LL_TERMINATION_CANCEL = 0,  /* those due after the termination go */
	LL_TERMINATION_PRORATE = 1, /* the term is worth its days served */
};

/* Issue 13: who suspends for nonpayment (leaseline.conf(5) suspension).
 * Clause 2.3.4 says service "will be suspended" (将暂停) after 30 days;
 * 2.3.3 gives the provider the right (有权) and 7.1(4) lets it suspend
 * (可以暂停) after a reminder (催告). */
enum ll_suspension {
	LL_SUSPENSION_AUTOMATIC = 0, /* on the 31st day overdue, computed */
	LL_SUSPENSION_DECIDED = 1,   /* due then; suspended when recorded */
};

/* Issue 13, Civil Code art. 585: a cap on the late fee accrued by one
 * installment (leaseline.conf(5) late_fee_cap). */
enum ll_fee_cap {
	LL_FEE_CAP_NONE = 0,	/* the text's terms: no cap */
	LL_FEE_CAP_PERCENT = 1, /* late_fee_cap_ppm of the principal */
	LL_FEE_CAP_AMOUNT = 2,	/* late_fee_cap fen */
};

/* What the configuration says of a circuit; billing may override it
 * (a suspended contract suspends every in-service circuit). */
enum ll_circuit_admin {
	LL_CIRCUIT_IN_SERVICE = 1,
	LL_CIRCUIT_PLANNED = 2,
	LL_CIRCUIT_CEASED = 3,
};

struct ll_party {
	char *name;
	char *address;	      /* NULL if not configured */
	char *representative; /* NULL if not configured */
};

/* Clause 2.2: one payment of the contract's schedule. */
struct ll_installment {
	uint32_t index; /* 1-based position in the schedule */
	ll_day due;	/* last day on which payment is on time */
	ll_fen amount;
};

/* Clause 11.1: a renewed term billed by its own schedule instead of the
 * configured one repeated (see billing.c). */
struct ll_term_schedule {
	uint32_t term;			     /* 2 = the first renewal */
	struct ll_installment *installments; /* by due date */
	size_t n_installments;
};

/* Clause 1.3: one line.  Groups written with a count are expanded. */
struct ll_circuit {
	uint32_t index; /* stable, unique within the contract, >= 1 */
	const char *id; /* unique within the contract (see ids_pooled) */
	/* The strings below are the same for many circuits: the contract's
	 * pool owns one copy of each (100,000 circuits, 25 MB less). */
	const char *group;  /* the group's name, as written (may be Chinese) */
	const char *clause; /* the clause the group comes from, e.g. "1.3.2" */
	enum ll_service_type service;
	const char *a_end;
	const char *z_end;  /* "" when the contract names none */
	uint32_t rate_up;   /* kbit/s, > 0 */
	uint32_t rate_down; /* kbit/s, > 0 */
	uint32_t if_index;  /* local ifIndex to compare with, 0 = none */
	enum ll_circuit_admin admin;
};

/*
 * What a termination costs the customer under one clause (6.2, 3.1.11,
 * 6.3 of the modelled contract), as data: the sum of the parts given,
 * computed by charges.c on the day of the termination.
 */
struct ll_termination_charge {
	char *clause;		     /* "6.2", as written, for people */
	uint32_t applies;	     /* bit r: the termination reason r (the
				      * llContractSuspensionReason value, billing.h);
				      * LL_CHARGE_ANY: any reason */
	ll_fen fixed;		     /* a fixed amount */
	ll_fen per_line_discount;    /* discount repaid per line */
	uint32_t of_total_ppm;	     /* of the total contract amount */
	uint32_t of_unperformed_ppm; /* of the unperformed part */
	bool plus_unpaid;	     /* and the fees used and unpaid */
};

struct ll_contract {
	uint32_t index; /* stable SNMP index, unique in the model, >= 1 */
	char *number;	/* the contract number, unique in the model */
	char *title;
	struct ll_party customer; /* 甲方 */
	struct ll_party provider; /* 乙方 */
	char *service_location;	  /* clause 1.4: A end of every line */
	ll_day signed_on;	  /* LL_NO_DAY when not given */

	/* Clause 11.1: term and renewal. */
	ll_day term_start;
	ll_day term_end;
	bool auto_renew;
	uint32_t renew_months; /* length of each renewal term */
	uint32_t notice_days;  /* non-renewal notice before term end */

	/* Clauses 1.3, 2.1 to 2.3: money. */
	ll_fen annual_fee;
	enum ll_billing_mode billing_mode;
	enum ll_payment_method payment_method;
	uint32_t late_fee_ppm;	       /* per day, parts per million */
	uint32_t suspend_after_days;   /* 2.3.4: suspended when more overdue */
	uint32_t terminate_after_days; /* 2.3.4: after the suspension date */
	enum ll_on_termination on_termination;
	enum ll_fee_cap late_fee_cap_kind;
	uint32_t late_fee_cap_ppm; /* LL_FEE_CAP_PERCENT, of the principal */
	ll_fen late_fee_cap;	   /* LL_FEE_CAP_AMOUNT */
	/* renew_while_suspended = false: a contract suspended on the day its
	 * term would renew expires instead (11.1 read with 2.3.4). */
	bool suspension_stops_renewal;
	enum ll_suspension suspension;

	/* When to remind: days before a due date (llPaymentDueSoon) and
	 * before the notice deadline (llRenewalNoticeDue), decreasing. */
	uint32_t due_soon_days[LL_MAX_REMINDERS];
	size_t n_due_soon_days;
	uint32_t notice_reminder_days[LL_MAX_REMINDERS];
	size_t n_notice_reminder_days;
	struct ll_installment *installments; /* sorted by due date */
	size_t n_installments;
	struct ll_term_schedule *term_schedules; /* sorted by term */
	size_t n_term_schedules;

	/* Clause 1.5: ports closed unless opened on request. */
	uint16_t *blocked_ports;
	size_t n_blocked_ports;
	char *support; /* clause 3.2.6: who to call */

	struct ll_circuit *circuits; /* sorted by index */
	size_t n_circuits;
	char **strings; /* the pool of the circuits' shared strings, owned */
	size_t n_strings;
	/* The circuits' ids are in strings too (config_load: a group's
	 * default ids in one block, not a million small copies); else each
	 * circuit owns its id (a model built by hand, as tests do). */
	bool ids_pooled;

	/* Clauses published as text, not computed (one-time fees, penalties
	 * 3.1.11, 6.2, 6.3, 3.2.10, grounds 7.1, 7.2): in configured order. */
	char **notes;
	size_t n_notes;

	/* Clauses 6.2, 3.1.11, 6.3: charges of a termination, in configured
	 * order; clause 3.2.10: numbers and IP addresses go to other
	 * customers this many days after the contract ends (0: not said). */
	struct ll_termination_charge *charges;
	size_t n_charges;
	uint32_t reclaim_after_days;

	char *file; /* where it was configured, for messages */
	int line;
};

struct ll_model {
	struct ll_contract *contracts; /* sorted by index */
	size_t n_contracts;
	size_t n_circuits;     /* over all contracts */
	size_t n_installments; /* over all contracts */
};

void model_free(struct ll_model *model);

/* The first and last day of term k (1 = the configured term) when every
 * term before it renewed: renewal k starts (k - 2) * renew_months after
 * the day following the configured term, clamped to the last day of a
 * shorter month, and ends the day before renewal k + 1 starts. */
void model_term_bounds(const struct ll_contract *c, uint32_t k, ll_day *start,
		       ll_day *end);
/* Term k's own schedule, or NULL when it repeats the configured one. */
const struct ll_term_schedule *model_term_schedule(const struct ll_contract *c,
						   uint32_t k);

/* Lookups; NULL when absent.  By index: binary search.  By number: a scan,
 * for the command line, never for the SNMP request path. */
const struct ll_contract *model_contract_by_index(const struct ll_model *model,
						  uint32_t index);
const struct ll_contract *model_contract_by_number(const struct ll_model *model,
						   const char *number);

#endif
