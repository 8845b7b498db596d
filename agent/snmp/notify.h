/*
 * notify.h: LEASELINE-MIB notifications, each sent once.
 *
 * The events billing computes (a suspension for nonpayment, a payment
 * overdue, ...) become notifications in the ledger's outbox, in the same
 * transaction as their transition, keyed by the event so that computing it
 * again queues nothing.  What waits in the outbox is sent through the
 * AgentX master (which passes it to its trap2sink, informsink and trapsess
 * targets) while the master is connected, and marked sent once the master
 * has acknowledged it: a notification survives a master restart or a
 * leaselined restart, and a day the agent missed still produces its
 * notifications, dated as they happened.
 */
#ifndef LL_NOTIFY_H
#define LL_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/ledger.h"
#include "core/snapshot.h"

/* How far back, before the day leaselined first ran on a ledger, events are
 * still told: enough for the month before it was installed, not years of
 * history. */
#define NOTIFY_BACKLOG_DAYS 31
/* Events older than this before the evaluation day are not looked at
 * again (a payment recorded later than that may change history without a
 * notification). */
#define NOTIFY_LOOKBACK_DAYS 62
/* Notifications sent are kept this long in the outbox: a year of what was
 * told, for an audit, and far past the lookback, so that no event is told
 * twice.  The last service notification of each contract stays always:
 * the reconcile compares it with the service now. */
#define NOTIFY_KEEP_DAYS 400
_Static_assert(NOTIFY_KEEP_DAYS > NOTIFY_LOOKBACK_DAYS + NOTIFY_BACKLOG_DAYS,
	       "a pruned notification is never computed again");

/* Queues the notifications of every event of snap from `since` to its day.
 * Returns the number newly queued, or -1 (logged). */
int notify_collect(struct ledger *l, const struct snapshot *snap, ll_day since);

/* Deletes the notifications sent before today - NOTIFY_KEEP_DAYS.
 * Returns how many, or -1 (logged). */
int notify_prune(struct ledger *l, ll_day today);

/* Queues llConfigRejected for a refused reload. */
int notify_config_rejected(struct ledger *l, const char *file,
			   const char *error, uint32_t rejects, ll_day day);

/* True while leaselined's AgentX session with the master is open (main
 * thread only). */
bool notify_master_connected(void);

/* True while acknowledged notifications wait for their mark in the ledger
 * (it was busy): until it is committed, a crash sends them again, so the
 * daemon's loop comes back at once rather than after its second (serving
 * thread only). */
bool notify_acks_waiting(void);

/* leaselined: sends the oldest waiting notifications through the AgentX
 * master when it is connected, a window of them waiting for its answers,
 * and marks sent those it acknowledged.  Called every turn of the
 * daemon's loop. */
void notify_send(struct ledger *l);

/*
 * Inside snmpd (dlmod): the outbox's database work, claiming and marking
 * sent, runs in a thread of the relay's own (notify_relay.c), on the
 * connection `ledger` returns (NULL: none now), taken afresh each turn;
 * snmpd's thread only sends what was claimed, to snmpd's own sinks, so
 * that a ledger server that stops answering never holds snmpd.
 */
/* Starts the relay thread: 0, or -1 (logged). */
int notify_relay_start(struct ledger *(*ledger)(void));
/* Stops it (waiting for its turn with the ledger to end); what it
 * claimed and snmpd did not send stays in the outbox, sent later. */
void notify_relay_stop(void);
/* Readable when a batch waits for notify_relay() (-1 when stopped). */
int notify_relay_fd(void);
/* snmpd's thread: sends the batch handed over, if any, to snmpd's
 * sinks, and hands its ids back to be marked sent. */
void notify_relay(void);

#endif
