/*
 * notify_relay.c: the module's notifications (notify.h), sent once,
 * without snmpd ever waiting for the ledger.
 *
 * Inside snmpd every MIB waits while snmpd's thread does.  A PostgreSQL
 * server that keeps the connection but does not answer (frozen, or behind
 * a network that drops packets until tcp_user_timeout) would hold all of
 * snmpd on a claim or a mark, and a reconnection waits up to its
 * connect_timeout (issue 17).  So the outbox's database work runs in a
 * thread of the relay's own: it claims a batch (notify_pending), hands it
 * to snmpd's thread through relay_out and a byte on the relay's pipe, and
 * marks sent the ids snmpd's thread hands back in relay_done.  snmpd's
 * thread (notify_relay(), when the pipe is readable or at the module's
 * alarm) only turns rows into varbinds and calls send_v2trap: net-snmp is
 * called from snmpd's thread alone, the ledger from the relay's alone.
 *
 * One batch is out at a time, from its claim to its mark: the ledger
 * gives an agent's own claims back to it, and the next batch is claimed
 * only once the last is marked, so nothing is sent twice in the ordinary
 * course.  A mark that fails is tried again before anything more is
 * claimed.  A module stopped or a snmpd killed between send_v2trap and
 * the mark sends that batch again at its next start (at most a batch
 * doubled, as notify_send.c's window through AgentX).
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/day.h"
#include "snmp/log.h"
#include "snmp/notify.h"
#include "snmp/notify_int.h"
#include "snmp/selfpipe.h"

/* Notifications a batch: snmpd's thread sends a batch a turn, ~0.25 ms
 * of send_v2trap each, few enough that no answer of snmpd waits long
 * behind them. */
#define RELAY_BATCH 20
/* How often the relay looks at the outbox when nothing woke it, and
 * waits after the ledger failed or was not there. */
#define RELAY_LOOK_MS  50
#define RELAY_RETRY_MS 1000

static struct ledger *(*relay_ledger)(void);
static pthread_t relay_thread;
static bool relay_running;

/* ---- the hand-over: everything here under relay_lock ---- */
static pthread_mutex_t relay_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t relay_cond = PTHREAD_COND_INITIALIZER;
/* Claimed, for snmpd's thread to send (NULL when none). */
static struct ledger_notification *relay_out;
static size_t relay_nout;
/* Sent by snmpd's thread (or unreadable), for the relay to mark. */
static int64_t relay_done[RELAY_BATCH];
static size_t relay_ndone;
static bool relay_done_new; /* handed back, not yet looked at */
static bool relay_stop;
/* Written (a byte, non-blocking) by the relay with each batch, read by
 * snmpd's thread; opened before the thread starts, closed after. */
static int relay_pipe[2] = {-1, -1};

/* Waits on relay_cond (relay_lock held) up to ms, or until woken. */
static void
relay_wait(long ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (ms % 1000) * 1000000L;
	until.tv_sec += ms / 1000 + until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_cond_timedwait(&relay_cond, &relay_lock, &until);
}

/* The relay's thread: marks what was sent; true when done (the batch
 * is over), false when the ledger could not (tried again later). */
static bool
relay_mark(struct ledger *l, const int64_t *ids, size_t n)
{
	char err[LEDGER_ERRLEN];

	if (n == 0)
		return true;
	if (l == NULL ||
	    ledger_outbox_sent_many(l, ids, n, true, err, sizeof(err)) != 0) {
		if (l != NULL)
			log_err("notify", "%s", err);
		return false;
	}
	return true;
}

/* The relay's thread: a batch claimed is handed to snmpd's thread. */
static void
relay_hand_over(struct ledger_notification *q, size_t n)
{
	pthread_mutex_lock(&relay_lock);
	relay_out = q;
	relay_nout = n;
	pthread_mutex_unlock(&relay_lock);
	if (selfpipe_poke(relay_pipe[1]) < 0)
		log_warn("notify", "cannot wake snmpd's thread: %s",
			 strerror(errno));
}

static void *
relay_main(void *arg)
{
	int64_t ids[RELAY_BATCH];
	struct ledger_notification *q;
	struct ledger *l;
	size_t n = 0;
	bool out = false; /* a batch is out: claimed, not yet marked */
	bool stop;
	long idle = 0; /* ms to wait unless woken */

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&relay_lock);
		if (!relay_stop && !relay_done_new && idle > 0)
			relay_wait(idle);
		stop = relay_stop;
		if (relay_done_new) {
			memcpy(ids, relay_done, relay_ndone * sizeof(ids[0]));
			n = relay_ndone;
			relay_done_new = false;
		}
		pthread_mutex_unlock(&relay_lock);
		l = relay_ledger();
		/* snmpd sent the batch: mark it, here, whatever the
		 * ledger's wait; a failed mark is tried again later. */
		if (out && n > 0 && relay_mark(l, ids, n)) {
			out = false;
			n = 0;
		}
		if (stop)
			return NULL;
		idle = RELAY_RETRY_MS;
		if (out || l == NULL)
			continue; /* woken when snmpd hands the batch back */
		if (notify_pending(l, RELAY_BATCH, &q, &n) < 0)
			continue;
		if (n == 0) {
			ledger_notifications_free(q, 0);
			idle = RELAY_LOOK_MS;
			continue;
		}
		out = true;
		relay_hand_over(q, n);
		n = 0;
	}
}

void
notify_relay(void)
{
	struct ledger_notification *q;
	netsnmp_variable_list *vars;
	char day[DAY_STRLEN];
	size_t n;

	if (!relay_running)
		return;
	selfpipe_drain(relay_pipe[0]);
	pthread_mutex_lock(&relay_lock);
	q = relay_out;
	n = relay_nout;
	relay_out = NULL;
	relay_nout = 0;
	pthread_mutex_unlock(&relay_lock);
	if (q == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		vars = notify_vars(&q[i]);
		if (vars == NULL) /* marked too: it blocks no other */
			continue;
		/* To snmpd's trap2sink, informsink and trapsess targets,
		 * which retry informs themselves. */
		send_v2trap(vars);
		snmp_free_varbind(vars);
		log_info("notify", "sent %s for %s of %s", q[i].name,
			 q[i].contract, day_format(q[i].day, day));
	}
	pthread_mutex_lock(&relay_lock);
	for (size_t i = 0; i < n; i++)
		relay_done[i] = q[i].id;
	relay_ndone = n;
	relay_done_new = true;
	pthread_cond_signal(&relay_cond);
	pthread_mutex_unlock(&relay_lock);
	ledger_notifications_free(q, n);
}

int
notify_relay_start(struct ledger *(*ledger)(void))
{
	int rc;

	if (relay_running)
		return 0;
	if (selfpipe_open(relay_pipe) < 0) {
		log_err("notify", "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	relay_ledger = ledger;
	relay_stop = false;
	rc = pthread_create(&relay_thread, NULL, relay_main, NULL);
	if (rc != 0) {
		log_err("notify", "cannot start the notification thread: %s",
			strerror(rc));
		selfpipe_close(relay_pipe);
		return -1;
	}
	relay_running = true;
	return 0;
}

void
notify_relay_stop(void)
{
	if (!relay_running)
		return;
	pthread_mutex_lock(&relay_lock);
	relay_stop = true;
	pthread_cond_signal(&relay_cond);
	pthread_mutex_unlock(&relay_lock);
	pthread_join(relay_thread, NULL);
	relay_running = false;
	/* Claimed and not sent: unmarked, so sent at the next start. */
	ledger_notifications_free(relay_out, relay_nout);
	relay_out = NULL;
	relay_nout = relay_ndone = 0;
	relay_done_new = false;
	selfpipe_close(relay_pipe);
}

int
notify_relay_fd(void)
{
	return relay_pipe[0];
}
