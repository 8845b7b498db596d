/*
 * reach.h: whether the service can read its ledger, and when it tries
 * again (issue 17: the database going away).
 *
 * A read of the ledger that fails (the PostgreSQL server stopped or out
 * of reach, the connection broken, the SQLite file unreadable) makes the
 * ledger unreachable: llLedgerState unreachable(2), llLedgerLastError
 * the reason, in the status the service publishes.  The service keeps
 * serving its last snapshot and leaves the ledger alone until the next
 * try: 1 s after the failure, then twice the previous wait, up to 30 s.
 * The first read that succeeds makes it ok(1) again and clears the
 * reason (the log keeps it); the service then reads every entry again,
 * to serve and tell what was recorded meanwhile.  A write that fails
 * (a full disk) is not a read: it changes nothing here.
 *
 * The building side's (service.c): one thread, no lock.
 */
#ifndef LL_REACH_H
#define LL_REACH_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "snmp/mib.h"
#include "store/ledger.h"

#define REACH_FIRST_WAIT 1 /* seconds */
#define REACH_MAX_WAIT	 30

struct reach {
	int wait;		  /* seconds; 0 while reachable */
	struct timespec retry_at; /* CLOCK_MONOTONIC */
};

/*
 * The id of l's newest entry in *last, 0; or -1 with why in err.
 * ledger_last_entry_id does not say why it failed: a meta value read
 * then tells, and makes a broken connection again if it can (a server
 * restarted), in which case the id is read once more.
 */
int reach_last_entry(struct ledger *l, const char *name, int64_t *last,
		     char *err, size_t errlen);
/* A read failed for the reason err (which names the ledger): st made
 * unreachable, the next try set.  True when st changed (to publish);
 * the change is logged. */
bool reach_failed(struct reach *r, struct mib_status *st, const char *err);
/* A read succeeded: true when the ledger was unreachable (st is ok
 * again, to publish; logged with name). */
bool reach_ok(struct reach *r, struct mib_status *st, const char *name);
/* Whether the ledger may be read now: reachable, or its try due. */
bool reach_due(const struct reach *r, const struct mib_status *st);

#endif
