/*
 * billing.h: where a contract stands on a given day.
 *
 * Pure: no I/O, no clock, no globals.  Given a contract, the ledger entries
 * people recorded for it and a day, billing_evaluate() replays the contract
 * from its first day and says what is owed, how late, what late fee has
 * accrued, whether service is suspended and why, and what happened when.
 * Every rule of the contract that software computes lives in billing.c
 * under the name of its clause, and is unit-tested by date
 * (tests/unit/test_billing.c).
 */
#ifndef LL_BILLING_H
#define LL_BILLING_H

#include "core/entry.h"
#include "core/model.h"

/* A payment falling due within this many days makes it "due soon". */
#define BILLING_DUE_SOON_DAYS 30
/* Installment indexes: term k's i-th installment is (k - 1) * this + i, so
 * the configured term keeps 1, 2, ... and indexes never move. */
#define BILLING_TERM_STRIDE 100

/*
 * The largest amount billing publishes, 2^63 - 1 fen (92,233,720,368,547,
 * 758.07 CNY).  Figures are exact below it; a figure that would exceed
 * it (a late fee at 100% a day on a trillion CNY for decades) is
 * published as this value, which then means "at least this much", and
 * billing_contract.saturated says so.  Nothing ever wraps.
 */
#define BILLING_FEN_MAX INT64_MAX

/* a + b, both >= 0, capped at BILLING_FEN_MAX; *saturated is set when it
 * was. */
ll_fen billing_cap_sum(ll_fen a, ll_fen b, bool *saturated);

/* Values are the LEASELINE-MIB enumerations. */
enum billing_state {
	BILLING_UP_TO_DATE = 1,
	BILLING_DUE_SOON = 2,
	BILLING_OVERDUE = 3,
	BILLING_SUSPENDED = 4,
	BILLING_TERMINATION_POSSIBLE = 5,
	BILLING_TERMINATED = 6,
};

enum billing_service {
	SERVICE_ACTIVE = 1,
	SERVICE_SUSPENDED = 2,
	SERVICE_TERMINATION_POSSIBLE = 3,
	SERVICE_TERMINATED = 4,
	/* Issue 13, suspension "decided": more than suspend_after_days
	 * overdue, service still provided until a person records the
	 * suspension (clauses 2.3.3, 2.3.4, 7.1(4)). */
	SERVICE_SUSPENSION_DUE = 5,
};

enum billing_reason {
	REASON_NONE = 1,
	REASON_NONPAYMENT = 2,
	REASON_VIOLATION = 3,
	REASON_ADMINISTRATIVE = 4,
	REASON_REGULATORY = 5,
	/* Violations a termination charge tells apart (charges.h): */
	REASON_TRANSIT = 6, /* clause 3.1.11: transit traffic */
	REASON_MISUSE = 7,  /* clause 6.3: use against the contract */
};

enum billing_installment_state {
	INSTALLMENT_PENDING = 1,
	INSTALLMENT_DUE_SOON = 2,
	INSTALLMENT_OVERDUE = 3,
	INSTALLMENT_PAID = 4,
};

enum billing_circuit_state {
	CIRCUIT_ACTIVE = 1,
	CIRCUIT_SUSPENDED = 2,
	CIRCUIT_TERMINATED = 3,
	CIRCUIT_PLANNED = 4,
	CIRCUIT_CEASED = 5,
};

/* What happens when, for timelines, history and notifications. */
enum billing_event_kind {
	BILLING_EV_DUE = 1,   /* an installment falls due: amount */
	BILLING_EV_OVERDUE,   /* its first day overdue: amount unpaid */
	BILLING_EV_PAYMENT,   /* money received: amount */
	BILLING_EV_PAID,      /* an installment paid in full */
	BILLING_EV_SUSPENDED, /* service suspended: reason */
	BILLING_EV_RESTORED,  /* service restored */
	BILLING_EV_TERMINATION_POSSIBLE, /* the provider may terminate */
	BILLING_EV_TERMINATED,	    /* a person terminated service: reason */
	BILLING_EV_NOTICE_GIVEN,    /* non-renewal notice for `term` */
	BILLING_EV_NOTICE_DEADLINE, /* last day to give notice for `term` */
	BILLING_EV_RENEWED,	    /* term `term` starts; reason: the
				     * suspension in force, REASON_NONE */
	BILLING_EV_EXPIRED,	    /* the contract ended without renewal;
				     * reason: the suspension that stopped
				     * the renewal, REASON_NONE */
	BILLING_EV_DUE_SOON,	    /* `days` before an unpaid installment's due
				     * date (the contract's due_soon_days) */
	BILLING_EV_NOTICE_DUE,	    /* `days` before the notice deadline of a
				     * term that will renew (notice_reminder_days) */
	BILLING_EV_SUSPENSION_DUE,  /* issue 13, suspension "decided": the day
				     * automatic would suspend: amount overdue,
				     * `days` overdue */
	BILLING_EV_REMINDER,	    /* a person reminded the customer to pay
				     * (催告, clause 7.1(4)): amount overdue */
};

struct billing_event {
	ll_day day;
	enum billing_event_kind kind;
	uint32_t term;
	uint32_t installment; /* its index, 0 when the event has none */
	ll_fen amount;
	ll_fen late_fee; /* late fee accrued and unpaid at the end of day */
	ll_fen installment_late_fee; /* first day overdue: the installment's
				      * own late fee at the end of day */
	int32_t days;		     /* reminders: days before; suspension and
				      * termination possible: days overdue */
	ll_day about;	  /* the date the event is about: an installment's
			   * due date, the notice deadline, the day
			   * termination becomes possible (a suspension for
			   * nonpayment) or the suspension date (termination
			   * possible); LL_NO_DAY when none */
	const char *note; /* a person's note, borrowed from the entry */
	enum billing_reason reason;
	/* restored: the service it ends, SERVICE_SUSPENDED or
	 * SERVICE_SUSPENSION_DUE */
	enum billing_service from;
};

struct billing_installment {
	uint32_t index; /* see BILLING_TERM_STRIDE */
	uint32_t term;	/* 1 = the configured term */
	ll_day due;
	ll_fen amount;
	ll_fen paid;
	ll_fen outstanding;
	ll_day paid_on;	      /* LL_NO_DAY until paid in full */
	int32_t days_overdue; /* 0 when not overdue */
	ll_fen late_fee;      /* accrued and unpaid */
	ll_fen late_fee_paid;
	enum billing_installment_state state;
	/* The replay's progress through its events (billing.c): the nearest
	 * reminder logged, in days before the due date (0: none), and
	 * whether its due date and its first day overdue were logged. */
	uint32_t reminded;
	bool fell_due;
	bool went_overdue;
};

struct billing_contract {
	ll_day today;
	uint32_t term_number;
	ll_day term_start;
	ll_day term_end;
	ll_day notice_deadline;
	bool notice_given; /* for the current term: it will not renew */
	/* The current term started while service was suspended (it was
	 * billed all the same: renew_while_suspended), or the contract
	 * expired because it was suspended on the day it would renew. */
	bool renewed_while_suspended;
	bool expired_while_suspended;

	enum billing_state state;
	enum billing_service service;
	enum billing_reason reason;
	char *note;		 /* a person's note on the suspension, owned */
	ll_day suspended_since;	 /* LL_NO_DAY when not suspended */
	ll_day termination_date; /* LL_NO_DAY unless suspended for nonpayment */
	/* Issue 13, suspension "decided": since when a suspension for
	 * nonpayment is due (service SERVICE_SUSPENSION_DUE, or suspended
	 * otherwise meanwhile); LL_NO_DAY when none is. */
	ll_day suspension_due_since;
	/* Clause 7.1(4): reminders to pay (催告) recorded up to today, the
	 * last one's day (LL_NO_DAY when none), and whether one recorded
	 * before today was about an installment then overdue whose
	 * principal is still unpaid: a ground to suspend. */
	uint32_t reminders;
	ll_day last_reminder;
	bool reminder_unpaid;

	ll_fen outstanding; /* unpaid principal of every installment so far */
	ll_fen overdue;	    /* unpaid principal past its due date */
	ll_fen late_fee;    /* accrued and unpaid */
	ll_fen arrears;	    /* to pay now: overdue + late_fee */
	ll_fen paid;	    /* every payment applied, principal and fees */
	ll_fen credit;	    /* paid beyond everything billed so far */
	int32_t days_overdue;
	ll_day next_due; /* LL_NO_DAY when nothing is left to pay */
	ll_fen next_due_amount;
	/* A figure above (an amount of the contract or of an installment)
	 * is more than BILLING_FEN_MAX and shows BILLING_FEN_MAX. */
	bool saturated;

	struct billing_installment *installments; /* owned, by due date */
	size_t n_installments;
	struct billing_event *events; /* owned, by day, when asked for */
	size_t n_events;
	/* Installments the evaluation visited: its cost, linear in the
	 * installments, for tests (issue 12); no meaning to anyone else. */
	size_t work;
};

/*
 * Evaluates contract c on day `today` from its ledger entries e[0..n)
 * (this contract's only, sorted by day then id; entries dated after today
 * are not yet in force).  With horizon > today, events are also projected
 * up to horizon as if nothing more were paid or decided, and every event
 * is listed in out->events; with horizon == LL_NO_DAY no event is kept.
 * Fills *out, which the caller releases with billing_contract_free().
 * Returns 0, or -1 when out of memory.
 */
int billing_evaluate(const struct ll_contract *c, const struct entry *e,
		     size_t n, ll_day today, ll_day horizon,
		     struct billing_contract *out);
void billing_contract_free(struct billing_contract *bc);

/* Clause 2.3.3: the late fee of one day on `owed`, rounded half up to the
 * fen. */
ll_fen billing_daily_late_fee(ll_fen owed, uint32_t ppm);

/*
 * Issue 13, suspension "decided": whether a person may record a
 * suspension for nonpayment of contract c on bc->today (bc evaluated on
 * that day, the entries recorded so far): when it is suspensionDue
 * (clause 2.3.4), or when a reminder recorded before that day about an
 * installment then overdue is still unpaid (clause 7.1(4)).  Otherwise
 * false, with why not in *why (a sentence for people, static).  The
 * replay applies the same rule to a suspension recorded: one whose
 * grounds a payment dated before it took away has no effect.
 */
bool billing_may_suspend(const struct ll_contract *c,
			 const struct billing_contract *bc, const char **why);

/* The state a circuit is in, given its contract's evaluation. */
enum billing_circuit_state
billing_circuit_state(const struct ll_circuit *ci,
		      const struct billing_contract *bc);

/* Names for people and scripts: "suspended", "nonpayment", ... */
const char *billing_state_name(enum billing_state s);
const char *billing_service_name(enum billing_service s);
const char *billing_reason_name(enum billing_reason r);
const char *billing_installment_state_name(enum billing_installment_state s);
const char *billing_event_name(enum billing_event_kind k);

#endif
