/*
 * service.h: what leaselined serves, kept current.
 *
 * The configuration, the ledger and the day come together here into the
 * snapshot the MIB handler answers from; a reload, a new day or a ledger
 * change builds a new one and swaps it in, and queues the notifications of
 * its events.  The same service runs in leaselined (agent.c, through
 * AgentX) and inside snmpd as a dlmod module (dlmod.c).
 */
#ifndef LL_SERVICE_H
#define LL_SERVICE_H

#include "ledger.h"
#include "model.h"

struct service_options {
	const char *config;
	const char *ledger;
	ll_day fixed_day;      /* LL_NO_DAY: follow the clock */
	const char *date_file; /* the day in a file, read when it changes */
};

/* Opens the ledger (creating it) and loads the configuration; 0, or -1
 * with the reason logged.  opt must outlive the service. */
int service_open(const struct service_options *opt);
void service_close(void);

/* An SQLite connection must not cross a fork: the daemon closes the
 * ledger before it detaches and opens it again after. */
void service_suspend_ledger(void);
int service_resume_ledger(void);

/* SIGHUP: the configuration again; a refused one keeps the old serving. */
int service_reload(void);
/* Once a second: the day (clock or --date-file) and the ledger. */
void service_tick(void);

struct ledger *service_ledger(void);

#endif
