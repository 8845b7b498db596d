/*
 * service.h: what leaselined serves, kept current.
 *
 * The configuration, the ledger and the day come together here into the
 * snapshot the MIB handler answers from.  A reload, a new day or a new
 * ledger entry builds a new snapshot, queues the notifications of its
 * events, and hands it to the thread that serves SNMP, which swaps it in.
 *
 * The building runs in a thread of its own, so that loading 100,000
 * circuits never holds up an answer: in leaselined an AgentX answer (the
 * master gives up on a subagent after a second), inside snmpd (dlmod)
 * every MIB snmpd serves.  That thread calls nothing of net-snmp (which is
 * not thread-safe): it reads the configuration, the date file and the
 * ledger, evaluates, queues notifications in the outbox and logs through
 * log.c (whose sink, in the module, queues for snmpd's thread).  The
 * serving thread (leaselined's loop, snmpd's) swaps in what was built and
 * sends the notifications.
 */
#ifndef LL_SERVICE_H
#define LL_SERVICE_H

#include "store/ledger.h"
#include "core/model.h"

struct service_options {
	const char *config;
	const char *ledger;
	ll_day fixed_day;      /* LL_NO_DAY: follow the clock */
	const char *date_file; /* the day in a file, read when it changes */
};

/* Opens the ledger (creating it) and loads the configuration, in this
 * thread; 0, or -1 with the reason logged.  opt is copied.  What is
 * loaded is served at once; its notifications are queued after, by the
 * thread of service_start_thread() as it starts (or before the next
 * build, or at service_close()). */
int service_open(const struct service_options *opt);
/* From now on, build in a thread of its own (leaselined, after it has
 * detached: threads do not cross a fork). */
int service_start_thread(void);
/* The module: service_open() whose first load, like every later one, runs
 * in the thread started here (the MIB serves nothing until it is taken).
 * 0, or -1 with the reason logged (the ledger, the thread). */
int service_open_threaded(const struct service_options *opt);
/* The module at snmpd's start: waits up to `seconds` for the thread's
 * first build to be handed over (service_tick() then takes it).  snmpd
 * drops root once its configuration is read, and the contracts and the
 * ledger may be readable by root only (the package's /etc/leaseline is
 * root:leaseline 0750): read now, or never.  True once handed over. */
bool service_wait_first(int seconds);
/* Readable when something was handed over for service_tick() to take
 * (serving thread; -1 without the thread). */
int service_wake_fd(void);
void service_close(void);

/* An SQLite connection must not cross a fork either: the daemon closes
 * the ledger before it detaches and opens it again after. */
void service_suspend_ledger(void);
int service_resume_ledger(void);

/* SIGHUP: the configuration again; a refused one keeps the old serving. */
void service_reload(void);
/* snmpd's SIGHUP, in the module: the configuration again, with options
 * that may have changed with snmpd.conf (opt is copied).  A ledger that
 * changed is opened anew; one that cannot be opened refuses the reload
 * like a broken configuration, and the old ledger and configuration go on
 * serving.  Without the thread, done when it returns: 0, or -1 when
 * refused.  With it, asked of the thread (0), the old snapshot serving
 * until the new one is taken; -1 only when out of memory. */
int service_reconfigure(const struct service_options *opt);
/* Every turn of the serving loop (at least once a second): swaps in what
 * was built; without the thread, builds first what the day, the date file
 * and the ledger call for. */
void service_tick(void);

/* False while the notifications of service_open()'s first build are
 * not yet queued: the serving side sends once they are. */
bool service_may_send(void);

/* The connection notifications are sent with (NULL while the ledger is
 * unreachable), for one thread only: leaselined's serving thread, or the
 * module's relay thread (notify_relay.c).  A ledger changed by a reload is
 * swapped in here, by that thread. */
struct ledger *service_ledger(void);

#endif
