/*
 * service.h: what leaselined serves, kept current.
 *
 * The configuration, the ledger and the day come together here into the
 * snapshot the MIB handler answers from.  A reload, a new day or a new
 * ledger entry builds a new snapshot, queues the notifications of its
 * events, and hands it to the thread that serves SNMP, which swaps it in.
 *
 * In leaselined the building runs in a thread of its own, so that loading
 * 100,000 circuits never holds up an AgentX answer (the master gives up on
 * a subagent after a second).  Inside snmpd (dlmod) there is one thread:
 * net-snmp is not thread-safe and snmpd's log is not ours to share, so the
 * building runs in snmpd's alarm, between requests.
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

/* Opens the ledger (creating it) and loads the configuration, in this
 * thread; 0, or -1 with the reason logged.  opt is copied. */
int service_open(const struct service_options *opt);
/* From now on, build in a thread of its own (leaselined, after it has
 * detached: threads do not cross a fork). */
int service_start_thread(void);
void service_close(void);

/* An SQLite connection must not cross a fork either: the daemon closes
 * the ledger before it detaches and opens it again after. */
void service_suspend_ledger(void);
int service_resume_ledger(void);

/* SIGHUP: the configuration again; a refused one keeps the old serving. */
void service_reload(void);
/* snmpd's SIGHUP, in the module (no thread): the configuration again,
 * with options that may have changed with snmpd.conf (opt is copied).  A
 * ledger that changed is opened anew; one that cannot be opened refuses
 * the reload like a broken configuration, and the old ledger and
 * configuration go on serving.  0, or -1 when refused. */
int service_reconfigure(const struct service_options *opt);
/* Every turn of the serving loop (at least once a second): swaps in what
 * was built; without the thread, builds first what the day, the date file
 * and the ledger call for. */
void service_tick(void);

/* The connection the serving thread sends notifications with. */
struct ledger *service_ledger(void);

#endif
