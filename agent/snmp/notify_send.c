/*
 * notify_send.c: leaselined's outbox on its way out (notify.h,
 * notify_send()): through the AgentX master, and the acknowledgements
 * that mark rows sent.  Everything here belongs to the serving thread but
 * notify_maybe_pending, which the evaluation thread sets through
 * notify_wake().  Inside snmpd the module sends through notify_relay.c,
 * which shares the look at the outbox (notify_pending).
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/day.h"
#include "snmp/log.h"
#include "snmp/notify.h"
#include "snmp/notify_int.h"

/* net-snmp's AgentX subagent session (agentx/subagent.c); NULL while the
 * master is not connected.  Its header is not installed. */
extern netsnmp_session *main_session;
#define NOTIFY_AGENTX_MSG_NOTIFY 12	   /* RFC 2741 */
#define NOTIFY_AGENTX_VERSION_1	 (192 | 1) /* net-snmp's tag for AgentX 1 */
#define NOTIFY_ANSWER_SECONDS	 10 /* then the notification is sent again */

/* Whether the outbox may hold something to send: set when notifications
 * are queued (by the evaluation thread), cleared when the outbox is found
 * empty; so that an idle agent does not query SQLite at every turn of its
 * loop, which is at every AgentX request.  Looked at anyway every
 * NOTIFY_RECHECK_SECONDS, for rows another process may have left.
 * notify_checked belongs to the one thread that calls notify_pending():
 * leaselined's serving thread, or the module's relay thread. */
static atomic_bool notify_maybe_pending = true;
static time_t notify_checked;
#define NOTIFY_RECHECK_SECONDS 10

void
notify_wake(void)
{
	atomic_store(&notify_maybe_pending, true);
}

/*
 * Acknowledgements are committed in batches (issue 16): one transaction,
 * one sync of the WAL, for what a turn of the loop acknowledged, not one
 * each.  Through AgentX up to NOTIFY_AGENTX_WINDOW notifications wait for
 * the master's answer at once; the answers (notify_answer, called by
 * net-snmp in the serving thread) are kept in notify_acked and committed
 * at the next notify_send(), before anything else is sent.  The
 * serving thread never waits for the ledger: while the evaluation thread
 * writes (notify_collect's transaction, long at 100,000 circuits), what
 * is to be marked stays in notify_acked, nothing more is sent, and the
 * commit is tried again at the next turn, which leaselined's loop makes
 * come within 10 ms while acknowledgements wait (notify_acks_waiting), not
 * after its usual second: that wait is the window in which a crash sends
 * them again.  Everything here belongs to the serving thread.
 *
 * Nothing lost: a row is marked only once acknowledged, and one whose
 * mark fails is sent again.  Nothing doubled in
 * the ordinary course: a row in flight or acknowledged is not sent again
 * until its answer is overdue (NOTIFY_ANSWER_SECONDS) or its mark is
 * committed.  A crash between an acknowledgement and its commit (one turn
 * of the loop), or a master gone between receiving and answering, sends
 * again what was not marked, as one at a time did for the one in flight.
 */
#define NOTIFY_AGENTX_WINDOW 8

struct notify_flight {
	int64_t id;
	time_t since;
};

static struct notify_flight notify_flights[NOTIFY_AGENTX_WINDOW];
static size_t notify_nflights;
/* Acknowledged by the master (or unreadable), not yet marked sent: at
 * most a window's answers and the unreadable rows of one look. */
static int64_t notify_acked[2 * NOTIFY_AGENTX_WINDOW];
static size_t notify_nacked;

static bool
notify_in(const int64_t *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

/* The index of id among the notifications in flight, or -1. */
static int
notify_flight_of(int64_t id)
{
	for (size_t i = 0; i < notify_nflights; i++)
		if (notify_flights[i].id == id)
			return (int)i;
	return -1;
}

static void
notify_land(size_t i)
{
	notify_flights[i] = notify_flights[--notify_nflights];
}

/* Commits the acknowledgements kept, without waiting for the ledger;
 * kept for the next turn if it is busy or fails (they are not sent again
 * meanwhile).  True when none is left. */
static bool
notify_commit_acks(struct ledger *l)
{
	char err[LEDGER_ERRLEN];
	int rc;

	if (notify_nacked == 0)
		return true;
	rc = ledger_outbox_sent_many(l, notify_acked, notify_nacked, false, err,
				     sizeof(err));
	if (rc < 0)
		log_err("notify", "%s", err);
	if (rc != 0)
		return false;
	notify_nacked = 0;
	return true;
}

static int
notify_answer(int op, netsnmp_session *session, int reqid, netsnmp_pdu *pdu,
	      void *magic)
{
	int64_t id = (int64_t)(intptr_t)magic;
	int i = notify_flight_of(id);

	(void)session;
	(void)reqid;
	if (i < 0)
		return 1; /* overdue: sent again, or to be */
	notify_land((size_t)i);
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == NULL) {
		log_warn("notify",
			 "no answer from the master to notification "
			 "%" PRId64 "; it will be sent again",
			 id);
		return 1;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		log_warn("notify",
			 "the master refused notification %" PRId64
			 " (error %ld); it will be sent again",
			 id, pdu->errstat);
		return 1;
	}
	if (notify_nacked < sizeof(notify_acked) / sizeof(notify_acked[0]) &&
	    !notify_in(notify_acked, notify_nacked, id))
		notify_acked[notify_nacked++] = id;
	atomic_store(&notify_maybe_pending, true); /* room for more */
	return 1;
}

/* An AgentX Notify to the master; 0 when it is on its way. */
static int
notify_send_agentx(const struct ledger_notification *q,
		   netsnmp_variable_list *vars)
{
	netsnmp_pdu *pdu = snmp_pdu_create(NOTIFY_AGENTX_MSG_NOTIFY);

	if (pdu == NULL) {
		snmp_free_varbind(vars);
		return -1;
	}
	pdu->variables = vars;
	pdu->version = NOTIFY_AGENTX_VERSION_1;
	pdu->sessid = main_session->sessid;
	pdu->reqid = snmp_get_next_reqid();
	pdu->msgid = snmp_get_next_msgid();
	if (snmp_async_send(main_session, pdu, notify_answer,
			    (void *)(intptr_t)q->id) == 0) {
		log_warn("notify", "cannot send notification %" PRId64, q->id);
		snmp_free_pdu(pdu);
		return -1;
	}
	notify_flights[notify_nflights].id = q->id;
	notify_flights[notify_nflights].since = time(NULL);
	notify_nflights++;
	return 0;
}

/* Hands one notification to the master; 0 when on its way.  The id of
 * an unreadable one goes to notify_acked: marked, so that it blocks no
 * other. */
static int
notify_send_one(struct ledger *l, const struct ledger_notification *q)
{
	netsnmp_variable_list *vars = notify_vars(q);
	char err[LEDGER_ERRLEN], day[DAY_STRLEN];
	int rc;

	if (vars == NULL) {
		if (notify_nacked <
		    sizeof(notify_acked) / sizeof(notify_acked[0]))
			notify_acked[notify_nacked++] = q->id;
		else
			ledger_outbox_sent(l, q->id, err, sizeof(err));
		return -1;
	}
	rc = notify_send_agentx(q, vars);
	if (rc == 0)
		log_info("notify", "sent %s for %s of %s", q->name, q->contract,
			 day_format(q->day, day));
	return rc;
}

netsnmp_variable_list *
notify_vars(const struct ledger_notification *q)
{
	netsnmp_variable_list *vars = notify_payload_decode(
	    q->name, q->payload, netsnmp_get_agent_uptime());

	if (vars == NULL)
		log_err("notify",
			"notification %" PRId64 " (%s) is unreadable; "
			"skipped",
			q->id, q->name);
	return vars;
}

int
notify_pending(struct ledger *l, size_t max, struct ledger_notification **q,
	       size_t *n)
{
	char err[LEDGER_ERRLEN];
	time_t now = time(NULL);

	*q = NULL;
	*n = 0;
	if (!atomic_load(&notify_maybe_pending) &&
	    now - notify_checked < NOTIFY_RECHECK_SECONDS)
		return 0;
	/* Cleared before the look, so that a notification queued meanwhile
	 * sets it again and is not missed. */
	atomic_store(&notify_maybe_pending, false);
	notify_checked = now;
	if (ledger_outbox_pending(l, max, q, n, err, sizeof(err)) < 0) {
		log_err("notify", "%s", err);
		atomic_store(&notify_maybe_pending, true);
		return -1;
	}
	if (*n > 0)
		atomic_store(&notify_maybe_pending, true); /* maybe more */
	return 0;
}

bool
notify_master_connected(void)
{
	return main_session != NULL;
}

bool
notify_acks_waiting(void)
{
	return notify_nacked > 0;
}

void
notify_send(struct ledger *l)
{
	struct ledger_notification *q;
	size_t n;
	time_t now = time(NULL);

	if (l == NULL || !notify_commit_acks(l))
		return;
	/* Overdue answers: lost with a master that went away. */
	for (size_t i = 0; i < notify_nflights;)
		if (main_session == NULL ||
		    now - notify_flights[i].since >= NOTIFY_ANSWER_SECONDS)
			notify_land(i);
		else
			i++;
	if (main_session == NULL || notify_nflights == NOTIFY_AGENTX_WINDOW)
		return;
	/* Those in flight come first in the outbox: skipped. */
	if (notify_pending(l, NOTIFY_AGENTX_WINDOW, &q, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (notify_flight_of(q[i].id) >= 0)
			continue;
		if (notify_nflights == NOTIFY_AGENTX_WINDOW)
			break;
		notify_send_one(l, &q[i]);
	}
	ledger_notifications_free(q, n);
}
