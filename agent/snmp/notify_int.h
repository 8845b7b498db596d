/*
 * notify_int.h: what the three rooms of notify.h share, and nothing else
 * includes (snmp/ only; tests too, to reach the rules and the codec).
 *
 * notify_rules.c  which events of a snapshot become which notifications,
 *                 their keys, each queued at most once (evaluation thread)
 * notify_codec.c  the payload text an outbox row keeps <-> varbinds
 *                 (any thread: it owns nothing but what it returns)
 * notify_send.c   the outbox through the AgentX master, and the
 *                 acknowledgements (serving thread)
 * notify_relay.c  the outbox inside snmpd: claimed and marked in a thread
 *                 of its own, sent by snmpd's thread
 */
#ifndef LL_NOTIFY_INT_H
#define LL_NOTIFY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/types.h"

/*
 * The payload of an outbox row: its notification's varbinds as text, one
 * per line,
 *     OID TYPE VALUE
 * OID numeric and dotted; TYPE s (octets, VALUE in hex), i (INTEGER),
 * u (Unsigned32/Gauge32), C (Counter32), c (Counter64); so that what is
 * sent after a restart is what was computed when the event happened.  The
 * writer owns text (notify_payload_free); once `failed` (out of memory, a
 * value that cannot be written) every further call does nothing.
 */
struct notify_payload {
	char *text;
	size_t len, cap;
	bool failed;
};

#define NOTIFY_OID_LEN 128 /* a dotted OID of LEASELINE-MIB, with a row */

void notify_payload_octets(struct notify_payload *p, const char *oid,
			   const void *data, size_t len);
/* type: one of "iuCc"; anything else fails the payload. */
void notify_payload_number(struct notify_payload *p, const char *oid, char type,
			   int64_t v);
void notify_payload_free(struct notify_payload *p);

/* The varbinds of notification `name` from its payload: sysUpTime.0 =
 * uptime, snmpTrapOID.0, then one a line.  NULL for an unknown name or a
 * malformed payload (a line without OID, TYPE and VALUE, an unknown
 * TYPE, odd or non-hex octets, a number that is not one).  The caller
 * frees the list (snmp_free_varbind). */
struct variable_list;
struct variable_list *notify_payload_decode(const char *name,
					    const char *payload,
					    unsigned long uptime);

/* Tells the sender that the outbox may hold something new (any thread). */
void notify_wake(void);

/* The sender's look at the outbox (the one thread that sends): at most
 * max rows waiting, oldest first, unless nothing can be new since the
 * last look (notify_wake(), or a recheck every few seconds for rows other
 * processes left).  0 with *q of *n rows (maybe none: the caller frees
 * them, ledger_notifications_free), or -1 (logged). */
struct ledger;
struct ledger_notification;
int notify_pending(struct ledger *l, size_t max, struct ledger_notification **q,
		   size_t *n);
/* Row q's varbinds to send, its sysUpTime.0 snmpd's now; NULL (logged)
 * when q cannot be decoded, which the sender marks sent all the same, so
 * that it blocks no other.  snmpd's thread, or leaselined's. */
struct variable_list *notify_vars(const struct ledger_notification *q);

#endif
