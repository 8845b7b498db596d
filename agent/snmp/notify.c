/*
 * notify.c: see notify.h.
 *
 * An outbox row holds its notification's varbinds as text, one per line:
 *     OID TYPE VALUE
 * OID numeric and dotted; TYPE s (octets, VALUE in hex), i (INTEGER),
 * u (Unsigned32/Gauge32), C (Counter32), c (Counter64); so what is sent
 * after a restart is what was computed when the event happened.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <inttypes.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/billing.h"
#include "core/charges.h"
#include "core/day.h"
#include "snmp/log.h"
#include "snmp/mib.h"
#include "snmp/notify.h"

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
 * NOTIFY_RECHECK_SECONDS, for rows another process may have left. */
static atomic_bool notify_maybe_pending = true;
static time_t notify_checked;
#define NOTIFY_RECHECK_SECONDS 10
/* Notifications a turn inside snmpd (dlmod.c: a turn every 50 ms, so 400
 * a second): a turn of send_v2trap costs snmpd's thread ~0.25 ms each,
 * few enough that no answer of snmpd waits long behind them. */
#define NOTIFY_SNMPD_BATCH 20

/*
 * An event's key: its contract's number, then what names the event in
 * the contract (its kind, and its installment, day, term, reason, days or
 * the notification it corrects), "/"-separated.  Whole for every number
 * the configuration accepts (an SnmpAdminString, TEXT_ADMIN_MAX octets),
 * so that two events never share a key: cut to 159 octets, as they were
 * before issue 12, every event of a contract numbered with 160 octets or
 * more had one key, and contracts sharing their first 159 octets shared
 * keys, and only the first event of each key was ever told.  The longest
 * tail is "/terminationPossible/YYYY-MM-DD/4294967295/administrative",
 * 57 octets.
 */
#define NOTIFY_KEY_TAIL 64
#define NOTIFY_KEY_LEN	(TEXT_ADMIN_MAX + NOTIFY_KEY_TAIL + 1)

/* One event's share of the ledger: a transition, maybe a notification. */
struct notify_item {
	ll_day day;
	char what[32];
	int from, to;
	char tkey[NOTIFY_KEY_LEN];
	enum mib_notification notification; /* 0: none */
	char *payload;
	size_t len, cap;
	bool failed;
};

static void __attribute__((format(printf, 2, 3)))
notify_append(struct notify_item *it, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (it->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(it->payload ? it->payload + it->len : NULL,
			      it->payload ? it->cap - it->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			it->failed = true;
			return;
		}
		if (it->payload && it->len + (size_t)n < it->cap) {
			it->len += (size_t)n;
			return;
		}
		size_t cap = (it->cap ? 2 * it->cap : 512) + (size_t)n;
		char *p = realloc(it->payload, cap);

		if (p == NULL) {
			it->failed = true;
			return;
		}
		it->payload = p;
		it->cap = cap;
	}
}

/* Names the event; a key that would not fit (a number longer than the
 * configuration allows) fails the item rather than share a cut key. */
static void __attribute__((format(printf, 2, 3)))
notify_key(struct notify_item *it, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(it->tkey, sizeof(it->tkey), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(it->tkey)) {
		log_err("notify", "event key longer than %zu octets: %.64s...",
			sizeof(it->tkey) - 1, it->tkey);
		it->failed = true;
	}
}

static void
notify_octets(struct notify_item *it, const char *oid, const void *data,
	      size_t len)
{
	const unsigned char *p = data;

	notify_append(it, "%s s ", oid);
	for (size_t i = 0; i < len; i++)
		notify_append(it, "%02x", p[i]);
	notify_append(it, "\n");
}

/* The OID of a contract column (row = contract) or an installment
 * column (row = contract.installment). */
static const char *
notify_oid(char *buf, size_t len, int table, int col, uint32_t contract,
	   uint32_t installment)
{
	if (installment)
		snprintf(buf, len, "%s.1.%d.1.%d.%" PRIu32 ".%" PRIu32,
			 mib_leaseline_dotted(), table, col, contract,
			 installment);
	else
		snprintf(buf, len, "%s.1.%d.1.%d.%" PRIu32,
			 mib_leaseline_dotted(), table, col, contract);
	return buf;
}

#define NOTIFY_CONTRACT	   2
#define NOTIFY_INSTALLMENT 4

static void
notify_text(struct notify_item *it, int table, int col,
	    const struct ll_contract *c, uint32_t inst, const char *s)
{
	char oid[128];

	notify_octets(it,
		      notify_oid(oid, sizeof(oid), table, col, c->index, inst),
		      s ? s : "", s ? text_admin_len(s) : 0);
}

static void
notify_int(struct notify_item *it, int table, int col,
	   const struct ll_contract *c, uint32_t inst, char type, int64_t v)
{
	char oid[128];

	notify_append(it, "%s %c %" PRId64 "\n",
		      notify_oid(oid, sizeof(oid), table, col, c->index, inst),
		      type, v);
}

static void
notify_date(struct notify_item *it, int table, int col,
	    const struct ll_contract *c, uint32_t inst, ll_day day)
{
	unsigned char octets[MIB_DATE_LEN];
	char oid[128];

	notify_octets(it,
		      notify_oid(oid, sizeof(oid), table, col, c->index, inst),
		      octets, mib_day_octets(day, octets));
}

static void
notify_head(struct notify_item *it, enum mib_notification n,
	    const struct ll_contract *c)
{
	it->notification = n;
	notify_text(it, NOTIFY_CONTRACT, MIB_CONTRACT_NUMBER, c, 0, c->number);
	notify_text(it, NOTIFY_CONTRACT, MIB_CONTRACT_CUSTOMER, c, 0,
		    c->customer.name);
}

static void
notify_transition(struct notify_item *it, const char *what, int from, int to)
{
	snprintf(it->what, sizeof(it->what), "%s", what);
	it->from = from;
	it->to = to;
}

/* An installment's event: a reminder, the first day overdue, paid. */
static void
notify_installment_event(const struct ll_contract *c,
			 const struct billing_event *ev, struct notify_item *it)
{
	const char *name = billing_event_name(ev->kind);
	uint32_t i = ev->installment;
	char what[32];

	snprintf(what, sizeof(what), "installment %" PRIu32, i);
	notify_key(it, "%s/%s/%" PRIu32 "/%" PRId32, c->number, name, i,
		   ev->days);
	switch (ev->kind) {
	case BILLING_EV_DUE_SOON:
		notify_transition(it, what, INSTALLMENT_PENDING,
				  INSTALLMENT_DUE_SOON);
		notify_head(it, MIB_PAYMENT_DUE_SOON, c);
		notify_date(it, NOTIFY_INSTALLMENT, MIB_INSTALLMENT_DUE_DATE, c,
			    i, ev->about);
		notify_int(it, NOTIFY_INSTALLMENT, MIB_INSTALLMENT_DAYS_TO_DUE,
			   c, i, 'i', ev->days);
		notify_int(it, NOTIFY_INSTALLMENT, MIB_INSTALLMENT_OUTSTANDING,
			   c, i, 'c', ev->amount);
		break;
	case BILLING_EV_OVERDUE:
		notify_transition(it, what, INSTALLMENT_DUE_SOON,
				  INSTALLMENT_OVERDUE);
		notify_head(it, MIB_PAYMENT_OVERDUE, c);
		notify_date(it, NOTIFY_INSTALLMENT, MIB_INSTALLMENT_DUE_DATE, c,
			    i, ev->about);
		notify_int(it, NOTIFY_INSTALLMENT, MIB_INSTALLMENT_DAYS_OVERDUE,
			   c, i, 'i', ev->day - ev->about);
		notify_int(it, NOTIFY_INSTALLMENT, MIB_INSTALLMENT_OUTSTANDING,
			   c, i, 'c', ev->amount);
		/* what billing accrued on it through its first day overdue
		 * (a day's fee, or less under a late_fee_cap) */
		notify_int(it, NOTIFY_INSTALLMENT, MIB_INSTALLMENT_LATE_FEE, c,
			   i, 'c', ev->installment_late_fee);
		break;
	case BILLING_EV_PAID:
		notify_transition(it, what, INSTALLMENT_OVERDUE,
				  INSTALLMENT_PAID);
		break;
	default: break;
	}
}

/* A change of service (suspended, restored, termination possible): its
 * transition, and the varbinds of its notification, from ev's values.
 * notify_reconcile() tells the current state through here too, with an
 * event made of the contract's current values. */
static void
notify_service_event(const struct ll_contract *c,
		     const struct billing_contract *bc,
		     const struct billing_event *ev, struct notify_item *it)
{
	struct billing_contract at;
	struct charges ch;
	char text[CHARGES_TEXT_MAX];

	switch (ev->kind) {
	case BILLING_EV_SUSPENDED:
		notify_transition(it, "service", SERVICE_ACTIVE,
				  SERVICE_SUSPENDED);
		notify_head(it, MIB_CONTRACT_SUSPENDED, c);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SERVICE_STATE, c,
			   0, 'i', SERVICE_SUSPENDED);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SUSPENSION_REASON,
			   c, 0, 'i', ev->reason);
		notify_text(it, NOTIFY_CONTRACT, MIB_CONTRACT_SUSPENSION_NOTE,
			    c, 0, ev->note);
		notify_date(it, NOTIFY_CONTRACT, MIB_CONTRACT_SUSPENDED_SINCE,
			    c, 0, ev->day);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_DAYS_OVERDUE, c, 0,
			   'i', ev->days);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_OVERDUE_AMOUNT, c,
			   0, 'c', ev->amount);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_LATE_FEE, c, 0,
			   'c', ev->late_fee);
		notify_date(it, NOTIFY_CONTRACT, MIB_CONTRACT_TERMINATION_DATE,
			    c, 0, ev->about);
		break;
	case BILLING_EV_SUSPENSION_DUE:
		/* Issue 13, suspension "decided": service goes on; a person
		 * is to decide.  llContractSuspended's objects but those of
		 * a suspension in force (its day, note, termination date). */
		notify_transition(it, "service", SERVICE_ACTIVE,
				  SERVICE_SUSPENSION_DUE);
		notify_head(it, MIB_CONTRACT_SUSPENSION_DUE, c);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SERVICE_STATE, c,
			   0, 'i', SERVICE_SUSPENSION_DUE);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SUSPENSION_REASON,
			   c, 0, 'i', ev->reason);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_DAYS_OVERDUE, c, 0,
			   'i', ev->days);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_OVERDUE_AMOUNT, c,
			   0, 'c', ev->amount);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_LATE_FEE, c, 0,
			   'c', ev->late_fee);
		break;
	case BILLING_EV_RESTORED:
		/* the end of a suspension, or of one due (issue 13) */
		notify_transition(it, "service",
				  ev->from == SERVICE_SUSPENSION_DUE
				      ? SERVICE_SUSPENSION_DUE
				      : SERVICE_SUSPENDED,
				  SERVICE_ACTIVE);
		notify_head(it, MIB_CONTRACT_RESTORED, c);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SERVICE_STATE, c,
			   0, 'i', SERVICE_ACTIVE);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_OUTSTANDING, c, 0,
			   'c', ev->amount);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_LATE_FEE, c, 0,
			   'c', ev->late_fee);
		break;
	case BILLING_EV_TERMINATION_POSSIBLE:
		notify_transition(it, "service", SERVICE_SUSPENDED,
				  SERVICE_TERMINATION_POSSIBLE);
		notify_head(it, MIB_CONTRACT_TERMINATION_POSSIBLE, c);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SERVICE_STATE, c,
			   0, 'i', SERVICE_TERMINATION_POSSIBLE);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SUSPENSION_REASON,
			   c, 0, 'i', ev->reason);
		notify_date(it, NOTIFY_CONTRACT, MIB_CONTRACT_SUSPENDED_SINCE,
			    c, 0, ev->about);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_DAYS_SUSPENDED, c,
			   0, 'i', ev->day - ev->about);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_OVERDUE_AMOUNT, c,
			   0, 'c', ev->amount);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_LATE_FEE, c, 0,
			   'c', ev->late_fee);
		/* Clause 6.2 and the like: what a termination for nonpayment
		 * on that day would bring, in the term of that day (a
		 * shallow copy: nothing of it is freed). */
		at = *bc;
		at.term_number = ev->term;
		model_term_bounds(c, ev->term, &at.term_start, &at.term_end);
		charges_compute(c, REASON_NONPAYMENT, ev->day, &at, &ch);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_TERMINATION_CHARGE,
			   c, 0, 'c', ch.total);
		notify_text(it, NOTIFY_CONTRACT,
			    MIB_CONTRACT_TERMINATION_CHARGE_BASIS, c, 0,
			    charges_text(&ch, text, sizeof(text)));
		break;
	default: break;
	}
}

/* A contract's event.  The key names the event by its day: the same
 * suspension computed again is the same notification. */
static void
notify_contract_event(const struct ll_contract *c,
		      const struct billing_contract *bc,
		      const struct charges *ch, const struct billing_event *ev,
		      struct notify_item *it)
{
	char text[CHARGES_TEXT_MAX], day[DAY_STRLEN];

	notify_key(it, "%s/%s/%s/%" PRIu32 "/%s", c->number,
		   billing_event_name(ev->kind), day_format(ev->day, day),
		   ev->term, billing_reason_name(ev->reason));
	switch (ev->kind) {
	case BILLING_EV_SUSPENDED:
	case BILLING_EV_SUSPENSION_DUE:
	case BILLING_EV_RESTORED:
	case BILLING_EV_TERMINATION_POSSIBLE:
		notify_service_event(c, bc, ev, it);
		break;
	case BILLING_EV_NOTICE_DUE:
		notify_key(it, "%s/noticeDue/%" PRIu32 "/%" PRId32, c->number,
			   ev->term, ev->days);
		notify_head(it, MIB_RENEWAL_NOTICE_DUE, c);
		notify_date(it, NOTIFY_CONTRACT, MIB_CONTRACT_TERM_END, c, 0,
			    ev->about + (ll_day)c->notice_days);
		notify_date(it, NOTIFY_CONTRACT, MIB_CONTRACT_NOTICE_DEADLINE,
			    c, 0, ev->about);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_DAYS_TO_NOTICE, c,
			   0, 'i', ev->days);
		break;
	case BILLING_EV_TERMINATED:
		notify_transition(it, "service", SERVICE_ACTIVE,
				  SERVICE_TERMINATED);
		/* The charges of the termination in force: billing honours
		 * the first one recorded, which this event is. */
		notify_head(it, MIB_CONTRACT_TERMINATED, c);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SERVICE_STATE, c,
			   0, 'i', SERVICE_TERMINATED);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_SUSPENSION_REASON,
			   c, 0, 'i', ev->reason);
		notify_text(it, NOTIFY_CONTRACT, MIB_CONTRACT_SUSPENSION_NOTE,
			    c, 0, ev->note);
		notify_int(it, NOTIFY_CONTRACT, MIB_CONTRACT_TERMINATION_CHARGE,
			   c, 0, 'c', ch->total);
		notify_text(it, NOTIFY_CONTRACT,
			    MIB_CONTRACT_TERMINATION_CHARGE_BASIS, c, 0,
			    charges_text(ch, text, sizeof(text)));
		notify_date(it, NOTIFY_CONTRACT, MIB_CONTRACT_RECLAIM_DATE, c,
			    0, ch->reclaim);
		break;
	case BILLING_EV_EXPIRED:
		notify_transition(it, "service", SERVICE_ACTIVE,
				  SERVICE_TERMINATED);
		break;
	default: break;
	}
}

static void
notify_item_free(struct notify_item *it)
{
	free(it->payload);
	it->payload = NULL;
}

/* The ledger rows of one item; false when it has none. */
static bool
notify_rows(struct notify_item *it, const char *number,
	    struct ledger_transition *t, size_t *nt,
	    struct ledger_notification *q, size_t *nq)
{
	bool any = false;

	if (it->what[0] != '\0') {
		t[*nt] = (struct ledger_transition){
		    .contract = (char *)number,
		    .day = it->day,
		    .what = it->what,
		    .from = it->from,
		    .to = it->to,
		    .key = it->tkey,
		};
		(*nt)++;
		any = true;
	}
	if (it->notification != 0) {
		q[*nq] = (struct ledger_notification){
		    .contract = (char *)number,
		    .name = (char *)mib_notification_name(it->notification),
		    .day = it->day,
		    .key = it->tkey,
		    .payload = it->payload,
		};
		(*nq)++;
		any = true;
	}
	return any;
}

/* The notifications that tell a contract's service. */
static const char *const notify_service_names[] = {
    "llContractSuspended", "llContractRestored",
    "llContractTerminationPossible", "llContractSuspensionDue"};
#define NOTIFY_N_SERVICE_NAMES                                                 \
	(sizeof(notify_service_names) / sizeof(notify_service_names[0]))

/* The service a notification of notify_service_names[] told; 0 for any
 * other name. */
static enum billing_service
notify_told_service(const char *name)
{
	switch (mib_notification_number(name, strlen(name))) {
	case MIB_CONTRACT_SUSPENDED: return SERVICE_SUSPENDED;
	case MIB_CONTRACT_RESTORED: return SERVICE_ACTIVE;
	case MIB_CONTRACT_TERMINATION_POSSIBLE:
		return SERVICE_TERMINATION_POSSIBLE;
	case MIB_CONTRACT_SUSPENSION_DUE: return SERVICE_SUSPENSION_DUE;
	default: return 0;
	}
}

/*
 * History can change behind what was told.  A payment recorded late, and
 * dated before a suspension that was notified, takes the suspension out of
 * the replay, and with it the restoration that would have followed.  A
 * reversed payment (a bounced transfer) puts back a suspension whose
 * notification, and the restoration after it, were already sent: the
 * suspension's key is the one told, so it is not told again.  So when the
 * last word sent about a contract's service is not its service now, tell
 * the service now, once, with the contract's current values, keyed by the
 * notification it corrects.  Termination possible is told here only after
 * a restoration: after a suspension, its own event tells it.
 */
static int
notify_reconcile(struct ledger *l, const struct ll_contract *c,
		 const struct billing_contract *bc, size_t n_entries,
		 ll_day today, size_t *queued)
{
	struct billing_event ev = {
	    .day = today,
	    .term = bc->term_number,
	    .amount = bc->overdue,
	    .late_fee = bc->late_fee,
	    .days = bc->days_overdue,
	    .about = LL_NO_DAY,
	    .note = bc->note,
	    .reason = bc->reason,
	};
	struct notify_item it;
	struct ledger_transition t;
	struct ledger_notification q;
	char err[LEDGER_ERRLEN], *last = NULL;
	size_t added = 0, nt = 0, nq = 0;
	enum billing_service told = 0;
	int64_t id;
	int rc = 0;

	/* Only the ledger rewrites history (a payment dated back, a
	 * reversal, a decision): a contract without a single entry has told
	 * what its replay says, and needs no look at what was told, one
	 * query saved per such contract.  Not paid == 0: a payment fully
	 * reversed leaves nothing paid, and that is the case to tell. */
	if (n_entries == 0 || bc->service == SERVICE_TERMINATED)
		return 0;
	if (ledger_outbox_last(l, c->number, notify_service_names,
			       NOTIFY_N_SERVICE_NAMES, &id, &last, err,
			       sizeof(err)) < 0) {
		log_err("notify", "%s", err);
		return -1;
	}
	if (id != 0)
		told = notify_told_service(last);
	free(last);
	if (told == 0 || told == bc->service)
		return 0;
	switch (bc->service) {
	case SERVICE_ACTIVE:
		ev.kind = BILLING_EV_RESTORED;
		ev.amount = bc->outstanding;
		break;
	case SERVICE_SUSPENDED:
		ev.kind = BILLING_EV_SUSPENDED;
		ev.day = bc->suspended_since;
		ev.about = bc->termination_date;
		break;
	case SERVICE_SUSPENSION_DUE:
		ev.kind = BILLING_EV_SUSPENSION_DUE;
		ev.day = bc->suspension_due_since;
		break;
	case SERVICE_TERMINATION_POSSIBLE:
		if (told != SERVICE_ACTIVE)
			return 0;
		ev.kind = BILLING_EV_TERMINATION_POSSIBLE;
		ev.about = bc->suspended_since;
		break;
	default: return 0;
	}
	memset(&it, 0, sizeof(it));
	it.day = today;
	notify_service_event(c, bc, &ev, &it);
	notify_key(&it, "%s/%s/after/%" PRId64, c->number,
		   billing_event_name(ev.kind), id);
	it.from = (int)told; /* the history goes on from what was told */
	notify_rows(&it, c->number, &t, &nt, &q, &nq);
	if (it.failed ||
	    ledger_queue(l, &t, nt, &q, nq, &added, err, sizeof(err)) < 0) {
		log_err("notify", "%s", it.failed ? "out of memory" : err);
		rc = -1;
	}
	*queued += added;
	notify_item_free(&it);
	return rc;
}

/*
 * Issue 12: when the agent's day jumps (leaselined was down, or --date
 * moved), several events of one thing come due at once.  A reminder is
 * worth sending only while its news is the newest about its thing: the
 * notification of event i is overtaken, and not sent, when by `today` a
 * later event of the same thing has come (README, "Notifications"):
 * - llPaymentDueSoon: a nearer reminder of its installment, its first
 *   day overdue, or its payment in full;
 * - llPaymentOverdue: its installment paid in full;
 * - llRenewalNoticeDue: a nearer reminder of its term, a notice for that
 *   term, a termination, or the notice deadline gone by.
 * Changes of service and refused reloads are each sent.  Only the
 * notification is left out: the transition is history, and is recorded.
 */
static bool
notify_overtaken(const struct billing_contract *bc, size_t i, ll_day today)
{
	const struct billing_event *ev = &bc->events[i];

	if (ev->kind == BILLING_EV_NOTICE_DUE && today > ev->about)
		return true;
	/* Events are in the order they happened. */
	for (size_t j = i + 1; j < bc->n_events; j++) {
		const struct billing_event *later = &bc->events[j];

		if (later->day > today)
			break;
		switch (ev->kind) {
		case BILLING_EV_DUE_SOON:
		case BILLING_EV_OVERDUE:
			if (later->installment != ev->installment)
				break;
			if (later->kind == BILLING_EV_PAID ||
			    (ev->kind == BILLING_EV_DUE_SOON &&
			     (later->kind == BILLING_EV_DUE_SOON ||
			      later->kind == BILLING_EV_OVERDUE)))
				return true;
			break;
		case BILLING_EV_NOTICE_DUE:
			if (later->kind == BILLING_EV_TERMINATED ||
			    ((later->kind == BILLING_EV_NOTICE_DUE ||
			      later->kind == BILLING_EV_NOTICE_GIVEN) &&
			     later->term == ev->term))
				return true;
			break;
		default: return false;
		}
	}
	return false;
}

/* One contract's events in [since, today]: one transaction, so that a
 * transition and its notification are recorded together or not at all. */
static int
notify_contract(struct ledger *l, const struct ll_contract *c,
		const struct billing_contract *bc, const struct charges *ch,
		size_t n_entries, ll_day since, ll_day today, size_t *queued)
{
	size_t n = bc->n_events, nt = 0, nq = 0, added = 0;
	struct notify_item *items = calloc(n ? n : 1, sizeof(*items));
	struct ledger_transition *t = calloc(n ? n : 1, sizeof(*t));
	struct ledger_notification *q = calloc(n ? n : 1, sizeof(*q));
	char err[LEDGER_ERRLEN];
	int rc = -1;

	if (items == NULL || t == NULL || q == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct billing_event *ev = &bc->events[i];
		struct notify_item *it = &items[i];

		if (ev->day < since || ev->day > today)
			continue;
		it->day = ev->day;
		if (ev->installment != 0)
			notify_installment_event(c, ev, it);
		else
			notify_contract_event(c, bc, ch, ev, it);
		if (it->failed)
			goto out;
		if (it->notification != 0 && notify_overtaken(bc, i, today))
			it->notification = 0;
		notify_rows(it, c->number, t, &nt, q, &nq);
	}
	if (ledger_queue(l, t, nt, q, nq, &added, err, sizeof(err)) < 0) {
		log_err("notify", "%s", err);
		goto out;
	}
	*queued += added;
	rc = notify_reconcile(l, c, bc, n_entries, today, queued);
out:
	for (size_t i = 0; items != NULL && i < n; i++)
		notify_item_free(&items[i]);
	free(items);
	free(t);
	free(q);
	return rc;
}

int
notify_collect(struct ledger *l, const struct snapshot *snap, ll_day since)
{
	const struct ll_model *m = snap->model;
	char err[LEDGER_ERRLEN];
	size_t queued = 0;

	if (since < snap->today - NOTIFY_LOOKBACK_DAYS)
		since = snap->today - NOTIFY_LOOKBACK_DAYS;
	/* One transaction, one sync of the WAL, for every contract. */
	if (ledger_batch_begin(l, err, sizeof(err)) < 0) {
		log_err("notify", "%s", err);
		return -1;
	}
	for (size_t i = 0; i < m->n_contracts; i++) {
		size_t n_entries;

		snapshot_entries_of(snap, m->contracts[i].number, &n_entries);
		if (notify_contract(l, &m->contracts[i], &snap->eval[i],
				    &snap->charges[i], n_entries, since,
				    snap->today, &queued) < 0) {
			ledger_batch_abort(l);
			return -1;
		}
	}
	if (ledger_batch_commit(l, err, sizeof(err)) < 0) {
		log_err("notify", "%s", err);
		return -1;
	}
	if (queued > 0) {
		atomic_store(&notify_maybe_pending, true);
		log_info("notify", "%zu notifications queued", queued);
	}
	return (int)queued;
}

int
notify_prune(struct ledger *l, ll_day today)
{
	char err[LEDGER_ERRLEN], buf[DAY_STRLEN];
	ll_day before = today - NOTIFY_KEEP_DAYS;
	size_t deleted;

	if (ledger_outbox_prune(l, before, notify_service_names,
				NOTIFY_N_SERVICE_NAMES, &deleted, err,
				sizeof(err)) < 0) {
		log_err("notify", "%s", err);
		return -1;
	}
	if (deleted > 0)
		log_info("notify",
			 "%zu notifications sent before %s pruned from the "
			 "outbox",
			 deleted, day_format(before, buf));
	return (int)deleted;
}

int
notify_config_rejected(struct ledger *l, const char *file, const char *error,
		       uint32_t rejects, ll_day day)
{
	struct notify_item it;
	struct ledger_notification q;
	char oid[128], err[LEDGER_ERRLEN];
	int rc;

	memset(&it, 0, sizeof(it));
	/* Each refusal is an event of its own: its count names it. */
	notify_key(&it, "config/rejected/%ld/%" PRIu32, (long)time(NULL),
		   rejects);
	snprintf(oid, sizeof(oid), "%s.1.1.%d.0", mib_leaseline_dotted(),
		 MIB_CONFIG_FILE);
	notify_octets(&it, oid, file, text_admin_len(file));
	snprintf(oid, sizeof(oid), "%s.1.1.%d.0", mib_leaseline_dotted(),
		 MIB_CONFIG_LAST_ERROR);
	notify_octets(&it, oid, error, text_admin_len(error));
	snprintf(oid, sizeof(oid), "%s.1.1.%d.0", mib_leaseline_dotted(),
		 MIB_CONFIG_REJECTS);
	notify_append(&it, "%s C %" PRIu32 "\n", oid, rejects);
	if (it.failed) {
		notify_item_free(&it);
		return -1;
	}
	q = (struct ledger_notification){
	    .contract = "-",
	    .name = (char *)mib_notification_name(MIB_CONFIG_REJECTED),
	    .day = day,
	    .key = it.tkey,
	    .payload = it.payload,
	};
	rc = ledger_queue(l, NULL, 0, &q, 1, NULL, err, sizeof(err));
	if (rc < 0)
		log_err("notify", "%s", err);
	else
		atomic_store(&notify_maybe_pending, true);
	notify_item_free(&it);
	return rc;
}

/* ---- sending ---- */

/*
 * Acknowledgements are committed in batches (issue 16): one transaction,
 * one sync of the WAL, for what a turn of the loop acknowledged, not one
 * each.  Through AgentX up to NOTIFY_AGENTX_WINDOW notifications wait for
 * the master's answer at once; the answers (notify_answer, called by
 * net-snmp in the serving thread) are kept in notify_acked and committed
 * at the next notify_send(), before anything else is sent.  Inside snmpd
 * a batch handed to send_v2trap is marked sent in one transaction.  The
 * serving thread never waits for the ledger: while the evaluation thread
 * writes (notify_collect's transaction, long at 100,000 circuits), what
 * is to be marked stays in notify_acked, nothing more is sent, and the
 * commit is tried again at the next turn, which leaselined's loop makes
 * come within 10 ms while acknowledgements wait (notify_acks_waiting), not
 * after its usual second: that wait is the window in which a crash sends
 * them again.  Everything here belongs to the serving thread.
 *
 * Nothing lost: a row is marked only once acknowledged (or handed to
 * snmpd), and one whose mark fails is sent again.  Nothing doubled in
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
/* Acknowledged (AgentX) or handed to snmpd, not yet marked sent. */
static int64_t notify_acked[NOTIFY_SNMPD_BATCH];
static size_t notify_nacked;
_Static_assert(NOTIFY_SNMPD_BATCH >= NOTIFY_AGENTX_WINDOW,
	       "room for every answer of a window");

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
notify_parse_oid(const char *s, oid *out, size_t *len)
{
	char *end;
	size_t n = 0;

	while (*s != '\0' && n < MAX_OID_LEN) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s)
			return -1;
		out[n++] = v;
		s = end;
		if (*s == '.')
			s++;
	}
	*len = n;
	return n > 0 ? 0 : -1;
}

static int
notify_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One payload line into a varbind. */
static int
notify_varbind(netsnmp_variable_list **vars, char *line)
{
	char *type = strchr(line, ' '), *value;
	oid name[MAX_OID_LEN];
	size_t len;

	if (type == NULL || type[1] == '\0' || type[2] != ' ')
		return -1;
	*type++ = '\0';
	value = type + 2;
	if (notify_parse_oid(line, name, &len) < 0)
		return -1;
	switch (*type) {
	case 's': {
		size_t n = strlen(value) / 2;
		u_char *buf = malloc(n ? n : 1);

		if (buf == NULL)
			return -1;
		for (size_t i = 0; i < n; i++) {
			int hi = notify_hexval(value[2 * i]);
			int lo = notify_hexval(value[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				free(buf);
				return -1;
			}
			buf[i] = (u_char)(hi << 4 | lo);
		}
		snmp_varlist_add_variable(vars, name, len, ASN_OCTET_STR, buf,
					  n);
		free(buf);
		return 0;
	}
	case 'i': {
		long v = strtol(value, NULL, 10);

		snmp_varlist_add_variable(vars, name, len, ASN_INTEGER, &v,
					  sizeof(v));
		return 0;
	}
	case 'u':
	case 'C': {
		u_long v = strtoul(value, NULL, 10);

		snmp_varlist_add_variable(
		    vars, name, len, *type == 'u' ? ASN_GAUGE : ASN_COUNTER, &v,
		    sizeof(v));
		return 0;
	}
	case 'c': {
		uint64_t u = strtoull(value, NULL, 10);
		struct counter64 c64 = {(u_long)(u >> 32),
					(u_long)(u & 0xffffffffu)};

		snmp_varlist_add_variable(vars, name, len, ASN_COUNTER64, &c64,
					  sizeof(c64));
		return 0;
	}
	}
	return -1;
}

/* sysUpTime.0, snmpTrapOID.0, then the payload's varbinds. */
static netsnmp_variable_list *
notify_varbinds(const struct ledger_notification *q)
{
	static const oid uptime_oid[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
	static const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
	netsnmp_variable_list *vars = NULL;
	oid name[MAX_OID_LEN];
	size_t len = 0;
	u_long uptime = netsnmp_get_agent_uptime();
	char *copy, *line, *save = NULL;
	int n;

	n = (int)mib_notification_number(q->name, strlen(q->name));
	if (n == 0)
		return NULL;
	notify_parse_oid(mib_leaseline_dotted(), name, &len);
	name[len++] = 0;
	name[len++] = (oid)n;
	snmp_varlist_add_variable(&vars, uptime_oid, OID_LENGTH(uptime_oid),
				  ASN_TIMETICKS, &uptime, sizeof(uptime));
	snmp_varlist_add_variable(&vars, trap_oid, OID_LENGTH(trap_oid),
				  ASN_OBJECT_ID, name, len * sizeof(oid));
	copy = strdup(q->payload);
	if (copy == NULL) {
		snmp_free_varbind(vars);
		return NULL;
	}
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (notify_varbind(&vars, line) < 0) {
			snmp_free_varbind(vars);
			vars = NULL;
			break;
		}
	free(copy);
	return vars;
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
	if (notify_nacked < NOTIFY_SNMPD_BATCH &&
	    !notify_in(notify_acked, notify_nacked, id))
		notify_acked[notify_nacked++] = id;
	atomic_store(&notify_maybe_pending, true); /* room for more */
	return 1;
}

/* leaselined: an AgentX Notify to the master; 0 when it is on its way. */
static int
notify_send_agentx(struct ledger *l, const struct ledger_notification *q,
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
	(void)l;
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

/* Inside snmpd: to its own trap2sink, informsink and trapsess targets,
 * which retry informs themselves; marked sent with its batch. */
static int
notify_send_snmpd(const struct ledger_notification *q,
		  netsnmp_variable_list *vars)
{
	send_v2trap(vars);
	snmp_free_varbind(vars);
	notify_acked[notify_nacked++] = q->id;
	return 0;
}

/* Hands one notification to its way out; 0 when on its way.  Inside
 * snmpd its id goes to notify_acked (for the batch's commit); so does
 * the id of an unreadable one, marked so that it blocks no other. */
static int
notify_send_one(struct ledger *l, const struct ledger_notification *q,
		enum notify_via via)
{
	netsnmp_variable_list *vars = notify_varbinds(q);
	char err[LEDGER_ERRLEN], day[DAY_STRLEN];
	int rc;

	if (vars == NULL) {
		/* Nothing can send it: mark it so it blocks no other. */
		log_err("notify",
			"notification %" PRId64 " (%s) is unreadable; "
			"skipped",
			q->id, q->name);
		if (notify_nacked < NOTIFY_SNMPD_BATCH)
			notify_acked[notify_nacked++] = q->id;
		else
			ledger_outbox_sent(l, q->id, err, sizeof(err));
		return -1;
	}
	rc = via == NOTIFY_VIA_AGENTX ? notify_send_agentx(l, q, vars)
				      : notify_send_snmpd(q, vars);
	if (rc == 0)
		log_info("notify", "sent %s for %s of %s", q->name, q->contract,
			 day_format(q->day, day));
	return rc;
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
notify_send(struct ledger *l, enum notify_via via)
{
	/* Through AgentX a window waiting for the master's answers; inside
	 * snmpd, which answers nothing, a batch a call. */
	bool agentx = via == NOTIFY_VIA_AGENTX;
	struct ledger_notification *q = NULL;
	char err[LEDGER_ERRLEN];
	size_t n = 0, batch;
	time_t now = time(NULL);

	if (l == NULL || !notify_commit_acks(l))
		return;
	if (agentx) {
		/* Overdue answers: lost with a master that went away. */
		for (size_t i = 0; i < notify_nflights;)
			if (main_session == NULL ||
			    now - notify_flights[i].since >=
				NOTIFY_ANSWER_SECONDS)
				notify_land(i);
			else
				i++;
		if (main_session == NULL ||
		    notify_nflights == NOTIFY_AGENTX_WINDOW)
			return;
		/* Those in flight come first in the outbox: skipped. */
		batch = NOTIFY_AGENTX_WINDOW;
	} else {
		batch = NOTIFY_SNMPD_BATCH;
	}
	if (!atomic_load(&notify_maybe_pending) &&
	    now - notify_checked < NOTIFY_RECHECK_SECONDS)
		return;
	/* Cleared before the look, so that a notification queued meanwhile
	 * sets it again and is not missed. */
	atomic_store(&notify_maybe_pending, false);
	notify_checked = now;
	if (ledger_outbox_pending(l, batch, &q, &n, err, sizeof(err)) < 0) {
		log_err("notify", "%s", err);
		atomic_store(&notify_maybe_pending, true);
		return;
	}
	if (n > 0)
		atomic_store(&notify_maybe_pending, true); /* maybe more */
	for (size_t i = 0; i < n; i++) {
		if (agentx && notify_flight_of(q[i].id) >= 0)
			continue;
		if (agentx && notify_nflights == NOTIFY_AGENTX_WINDOW)
			break;
		notify_send_one(l, &q[i], via);
	}
	ledger_notifications_free(q, n);
	if (!agentx)
		notify_commit_acks(l); /* or at the next turn */
}
