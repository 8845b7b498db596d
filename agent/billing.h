/*
 * billing.h: where a contract stands on a given day.
 *
 * Pure: no I/O, no clock, no globals.  Every rule of the contract that
 * software computes lives in billing.c, under the name of its clause, and
 * is unit-tested by date (tests/unit/test_billing.c).
 */
#ifndef LL_BILLING_H
#define LL_BILLING_H

#include "model.h"

/* A payment falling due within this many days makes it "due soon". */
#define BILLING_DUE_SOON_DAYS 30

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
};

enum billing_reason {
	REASON_NONE = 1,
	REASON_NONPAYMENT = 2,
	REASON_VIOLATION = 3,
	REASON_ADMINISTRATIVE = 4,
	REASON_REGULATORY = 5,
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

struct billing_installment {
	uint32_t index; /* as in the model */
	uint32_t term;	/* 1 = the configured term */
	ll_day due;
	ll_fen amount;
	ll_fen paid;
	ll_fen outstanding;
	ll_day paid_on;	      /* LL_NO_DAY until paid in full */
	int32_t days_overdue; /* 0 when not overdue */
	ll_fen late_fee;      /* accrued and unpaid */
	enum billing_installment_state state;
};

struct billing_contract {
	uint32_t term_number;
	ll_day term_start;
	ll_day term_end;
	ll_day notice_deadline;
	bool notice_given;

	enum billing_state state;
	enum billing_service service;
	enum billing_reason reason;
	ll_day suspended_since;	 /* LL_NO_DAY when not suspended */
	ll_day termination_date; /* LL_NO_DAY when not suspended */

	ll_fen outstanding;
	ll_fen overdue;
	ll_fen late_fee;
	int32_t days_overdue;
	ll_day next_due; /* LL_NO_DAY when nothing is left to pay */
	ll_fen next_due_amount;

	struct billing_installment *installments; /* owned */
	size_t n_installments;
};

/*
 * Evaluates contract c on day `today`.  Fills *out, which the caller
 * releases with billing_contract_free().  Returns 0, or -1 when out of
 * memory.
 */
int billing_evaluate(const struct ll_contract *c, ll_day today,
		     struct billing_contract *out);
void billing_contract_free(struct billing_contract *bc);

/* Clause 2.3.3: the late fee of one day on `owed`, rounded half up to the
 * fen. */
ll_fen billing_daily_late_fee(ll_fen owed, uint32_t ppm);

/* The state a circuit is in, given its contract's evaluation. */
enum billing_circuit_state
billing_circuit_state(const struct ll_circuit *ci,
		      const struct billing_contract *bc);

#endif
