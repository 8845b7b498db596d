/*
 * entry.h: what people record about a contract, as billing reads it.
 *
 * Payments, their reversals, suspensions, resumptions, terminations,
 * non-renewal notices and reminders to pay: the facts billing evaluates a
 * contract from.  They are a core type, not the ledger's: the store keeps
 * them (store/ledger.h), billing reads them, and neither knows the other.
 */
#ifndef LL_ENTRY_H
#define LL_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/types.h"

/* Stored as these numbers: never renumber. */
enum entry_kind {
	ENTRY_PAYMENT = 1,   /* money received on `day` */
	ENTRY_REVERSAL = 2,  /* cancels entry `reverses` (a payment) */
	ENTRY_SUSPEND = 3,   /* a person suspends service from `day` */
	ENTRY_RESUME = 4,    /* a person lifts their suspension */
	ENTRY_TERMINATE = 5, /* a person terminates service from `day` */
	ENTRY_NOTICE = 6,    /* non-renewal notice given on `day` */
	ENTRY_REMINDER = 7,  /* issue 13: the provider reminded the customer
			      * to pay (催告, clause 7.1(4)) on `day` */
};

struct entry {
	int64_t id;
	enum entry_kind kind;
	char *contract;	  /* the contract number */
	ll_day day;	  /* the day it takes effect */
	ll_fen amount;	  /* payments: > 0; 0 otherwise */
	int64_t reverses; /* reversals: the id of the payment; 0 otherwise */
	int reason; /* suspend/terminate: enum billing_reason; 0 otherwise */
	char *note; /* free text, "" when none */
	int64_t recorded_at; /* Unix time of the append */
};

/* Frees what e holds (its contract and note) and zeroes it. */
void entry_clear(struct entry *e);
/* Frees e[0..n) and the array. */
void entry_array_free(struct entry *e, size_t n);

#endif
