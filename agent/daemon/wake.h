/*
 * wake.h: when the building thread wakes for the ledger (issue 17 item
 * 3): at once when the engine tells of an entry of a contract this agent
 * serves (PostgreSQL's NOTIFY), never for the others' entries, and each
 * second as before when the engine tells nothing (SQLite) or cannot now
 * (a connection lost: the poll reads the ledger, which reconnects and
 * listens again).
 *
 * The building side's (service.c): one thread, no lock, but for
 * wake_signal, which any thread calls after signalling the condition.
 */
#ifndef LL_WAKE_H
#define LL_WAKE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"
#include "store/ledger.h"

/* While listening, the ledger is still compared each WAKE_FALLBACK s
 * (a notification lost); else each second. */
#define WAKE_FALLBACK 30

struct wake {
	bool due;	/* an entry of a served contract was told */
	bool missed;	/* entries may have gone untold: read the ledger */
	size_t ignored; /* entries of the others' contracts told */
	long polled;	/* CLOCK_MONOTONIC second of the last comparison */
};

/* The pipe wake_signal writes to; 0 or -1. */
int wake_open(void);
void wake_close(void);
/* The thread's condition was signalled: also ends a wake_wait. */
void wake_signal(void);

/* Reads what l was told into w, against the contracts of model (NULL:
 * every entry is due). */
void wake_collect(struct wake *w, struct ledger *l,
		  const struct ll_model *model);
/* Whether the ledger is to be compared now (a change of its newest
 * entry then evaluated again, or ignored: wake_ignore). */
bool wake_check(struct wake *w, struct ledger *l);
/* Whether the change seen is the others' entries only; logs it. */
bool wake_ignore(struct wake *w);
/* The comparison was made: what was told is consumed. */
void wake_done(struct wake *w);
/* Waits up to a second, or until l tells of an entry or wake_signal;
 * false when l tells nothing (the caller waits its own way). */
bool wake_wait(struct wake *w, struct ledger *l, const struct ll_model *model);

#endif
