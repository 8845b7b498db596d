/*
 * notify_rules.c: which events of a snapshot become which transitions and
 * notifications, keyed so that each is queued at most once (notify.h).
 * Runs in the evaluation thread (notify_collect, notify_prune,
 * notify_config_rejected); what it queues, notify_send.c sends.
 *
 * Each notification's varbinds are its OBJECTS in LEASELINE-MIB, in their
 * order, as snmp/mibdef.c lists them (data, checked against the MIB
 * text), and one loop, notify_build(), writes each with its value from
 * the event.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/billing.h"
#include "core/charges.h"
#include "core/day.h"
#include "snmp/log.h"
#include "snmp/mib.h"
#include "snmp/mibdef.h"
#include "snmp/notify.h"
#include "snmp/notify_int.h"

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
	struct notify_payload payload;
	bool failed;
};

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

/* What a notification's objects are told from. */
struct notify_facts {
	const struct ll_contract *c;
	const struct billing_event *ev;
	enum billing_service state; /* llContractServiceState told */
	const struct charges *ch;   /* the termination's charges, or NULL */
	/* llConfigRejected */
	const char *file, *error;
	uint32_t rejects;
};

static void
notify_put_text(struct notify_payload *p, const char *oid, const char *s)
{
	notify_payload_octets(p, oid, s ? s : "", s ? text_admin_len(s) : 0);
}

static void
notify_put_date(struct notify_payload *p, const char *oid, ll_day day)
{
	unsigned char octets[MIB_DATE_LEN];

	notify_payload_octets(p, oid, octets, mib_day_octets(day, octets));
}

/* One object of a contract: its value from the event, with the type the
 * MIB gives it ('i' Integer32 and enumerations, 'c' money as
 * CounterBasedGauge64). */
static int
notify_contract_object(struct notify_payload *p, const char *oid,
		       const struct notify_facts *f, int column)
{
	const struct billing_event *ev = f->ev;
	char text[CHARGES_TEXT_MAX];

	switch (column) {
	case MIB_CONTRACT_NUMBER: notify_put_text(p, oid, f->c->number); break;
	case MIB_CONTRACT_CUSTOMER:
		notify_put_text(p, oid, f->c->customer.name);
		break;
	case MIB_CONTRACT_SERVICE_STATE:
		notify_payload_number(p, oid, 'i', f->state);
		break;
	case MIB_CONTRACT_SUSPENSION_REASON:
		notify_payload_number(p, oid, 'i', ev->reason);
		break;
	case MIB_CONTRACT_SUSPENSION_NOTE:
		notify_put_text(p, oid, ev->note);
		break;
	case MIB_CONTRACT_SUSPENDED_SINCE:
		/* a suspension's own day; termination possible's `about` */
		notify_put_date(p, oid,
				ev->kind == BILLING_EV_TERMINATION_POSSIBLE
				    ? ev->about
				    : ev->day);
		break;
	case MIB_CONTRACT_DAYS_SUSPENDED:
		notify_payload_number(p, oid, 'i', ev->day - ev->about);
		break;
	case MIB_CONTRACT_DAYS_OVERDUE:
		notify_payload_number(p, oid, 'i', ev->days);
		break;
	case MIB_CONTRACT_OVERDUE_AMOUNT:
	case MIB_CONTRACT_OUTSTANDING:
		notify_payload_number(p, oid, 'c', ev->amount);
		break;
	case MIB_CONTRACT_LATE_FEE:
		notify_payload_number(p, oid, 'c', ev->late_fee);
		break;
	case MIB_CONTRACT_TERMINATION_DATE:
		notify_put_date(p, oid, ev->about);
		break;
	case MIB_CONTRACT_TERMINATION_CHARGE:
		if (f->ch == NULL)
			return -1;
		notify_payload_number(p, oid, 'c', f->ch->total);
		break;
	case MIB_CONTRACT_TERMINATION_CHARGE_BASIS:
		if (f->ch == NULL)
			return -1;
		notify_put_text(p, oid,
				charges_text(f->ch, text, sizeof(text)));
		break;
	case MIB_CONTRACT_RECLAIM_DATE:
		if (f->ch == NULL)
			return -1;
		notify_put_date(p, oid, f->ch->reclaim);
		break;
	case MIB_CONTRACT_TERM_END:
		/* the notice deadline is notice_days before the term's end */
		notify_put_date(p, oid, ev->about + (ll_day)f->c->notice_days);
		break;
	case MIB_CONTRACT_NOTICE_DEADLINE:
		notify_put_date(p, oid, ev->about);
		break;
	case MIB_CONTRACT_DAYS_TO_NOTICE:
		notify_payload_number(p, oid, 'i', ev->days);
		break;
	default: return -1;
	}
	return 0;
}

/* One object of an installment (ev->installment). */
static int
notify_installment_object(struct notify_payload *p, const char *oid,
			  const struct notify_facts *f, int column)
{
	const struct billing_event *ev = f->ev;

	switch (column) {
	case MIB_INSTALLMENT_DUE_DATE:
		notify_put_date(p, oid, ev->about);
		break;
	case MIB_INSTALLMENT_DAYS_TO_DUE:
		notify_payload_number(p, oid, 'i', ev->days);
		break;
	case MIB_INSTALLMENT_DAYS_OVERDUE:
		notify_payload_number(p, oid, 'i', ev->day - ev->about);
		break;
	case MIB_INSTALLMENT_OUTSTANDING:
		notify_payload_number(p, oid, 'c', ev->amount);
		break;
	case MIB_INSTALLMENT_LATE_FEE:
		/* billing's figure: what accrued on it through its first
		 * day overdue (a day's fee, or less under a late_fee_cap) */
		notify_payload_number(p, oid, 'c', ev->installment_late_fee);
		break;
	default: return -1;
	}
	return 0;
}

/* One agent-wide scalar (llConfigRejected's). */
static int
notify_agent_object(struct notify_payload *p, const char *oid,
		    const struct notify_facts *f, int column)
{
	switch (column) {
	case MIB_CONFIG_FILE: notify_put_text(p, oid, f->file); break;
	case MIB_CONFIG_LAST_ERROR: notify_put_text(p, oid, f->error); break;
	case MIB_CONFIG_REJECTS:
		notify_payload_number(p, oid, 'C', f->rejects);
		break;
	default: return -1;
	}
	return 0;
}

/* Notification n with its objects' values from f: the one loop. */
static void
notify_build(struct notify_item *it, enum mib_notification n,
	     const struct notify_facts *f)
{
	const struct mibdef_notification *def;
	const char *root = mib_leaseline_dotted();
	char oid[NOTIFY_OID_LEN];
	int rc = -1;

	it->notification = n;
	def = mibdef_notification(n);
	for (size_t i = 0; def != NULL && i < def->n_objects; i++) {
		const struct mibdef_ref *o = &def->objects[i];
		int column = (int)o->number;

		switch (o->group) {
		case MIBDEF_AGENT:
			snprintf(oid, sizeof(oid), "%s.%d.%d.%d.0", root,
				 MIBDEF_OBJECTS_ARC, o->group, column);
			rc = notify_agent_object(&it->payload, oid, f, column);
			break;
		case MIBDEF_CONTRACTS:
			snprintf(oid, sizeof(oid), "%s.%d.%d.%d.%d.%" PRIu32,
				 root, MIBDEF_OBJECTS_ARC, o->group,
				 MIBDEF_ENTRY_ARC, column, f->c->index);
			rc = notify_contract_object(&it->payload, oid, f,
						    column);
			break;
		case MIBDEF_INSTALLMENTS:
			snprintf(oid, sizeof(oid),
				 "%s.%d.%d.%d.%d.%" PRIu32 ".%" PRIu32, root,
				 MIBDEF_OBJECTS_ARC, o->group, MIBDEF_ENTRY_ARC,
				 column, f->c->index, f->ev->installment);
			rc = notify_installment_object(&it->payload, oid, f,
						       column);
			break;
		default: rc = -1; break;
		}
		if (rc < 0) {
			/* an object of the MIB's OBJECTS with no value here */
			log_err("notify", "no value for object %d of group %d",
				column, (int)o->group);
			it->failed = true;
			return;
		}
	}
	if (def == NULL) {
		log_err("notify", "notification %d is not in LEASELINE-MIB",
			(int)n);
		it->failed = true;
		return;
	}
	if (it->payload.failed)
		it->failed = true;
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
	const struct notify_facts f = {.c = c, .ev = ev};
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
		notify_build(it, MIB_PAYMENT_DUE_SOON, &f);
		break;
	case BILLING_EV_OVERDUE:
		notify_transition(it, what, INSTALLMENT_DUE_SOON,
				  INSTALLMENT_OVERDUE);
		notify_build(it, MIB_PAYMENT_OVERDUE, &f);
		break;
	case BILLING_EV_PAID:
		notify_transition(it, what, INSTALLMENT_OVERDUE,
				  INSTALLMENT_PAID);
		break;
	default: break;
	}
}

/* A change of service (suspended, restored, termination possible): its
 * transition, and its notification, from ev's values.  notify_reconcile()
 * tells the current state through here too, with an event made of the
 * contract's current values. */
static void
notify_service_event(const struct ll_contract *c,
		     const struct billing_contract *bc,
		     const struct billing_event *ev, struct notify_item *it)
{
	struct notify_facts f = {.c = c, .ev = ev};
	struct billing_contract at;
	struct charges ch;

	switch (ev->kind) {
	case BILLING_EV_SUSPENDED:
		notify_transition(it, "service", SERVICE_ACTIVE,
				  SERVICE_SUSPENDED);
		f.state = SERVICE_SUSPENDED;
		notify_build(it, MIB_CONTRACT_SUSPENDED, &f);
		break;
	case BILLING_EV_SUSPENSION_DUE:
		/* Issue 13, suspension "decided": service goes on; a person
		 * is to decide.  llContractSuspended's objects but those of
		 * a suspension in force (its day, note, termination date). */
		notify_transition(it, "service", SERVICE_ACTIVE,
				  SERVICE_SUSPENSION_DUE);
		f.state = SERVICE_SUSPENSION_DUE;
		notify_build(it, MIB_CONTRACT_SUSPENSION_DUE, &f);
		break;
	case BILLING_EV_RESTORED:
		/* the end of a suspension, or of one due (issue 13) */
		notify_transition(it, "service",
				  ev->from == SERVICE_SUSPENSION_DUE
				      ? SERVICE_SUSPENSION_DUE
				      : SERVICE_SUSPENDED,
				  SERVICE_ACTIVE);
		f.state = SERVICE_ACTIVE;
		notify_build(it, MIB_CONTRACT_RESTORED, &f);
		break;
	case BILLING_EV_TERMINATION_POSSIBLE:
		notify_transition(it, "service", SERVICE_SUSPENDED,
				  SERVICE_TERMINATION_POSSIBLE);
		/* Clause 6.2 and the like: what a termination for nonpayment
		 * on that day would bring, in the term of that day (a
		 * shallow copy: nothing of it is freed). */
		at = *bc;
		at.term_number = ev->term;
		model_term_bounds(c, ev->term, &at.term_start, &at.term_end);
		charges_compute(c, REASON_NONPAYMENT, ev->day, &at, &ch);
		f.state = SERVICE_TERMINATION_POSSIBLE;
		f.ch = &ch;
		notify_build(it, MIB_CONTRACT_TERMINATION_POSSIBLE, &f);
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
	struct notify_facts f = {.c = c, .ev = ev};
	char day[DAY_STRLEN];

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
		notify_build(it, MIB_RENEWAL_NOTICE_DUE, &f);
		break;
	case BILLING_EV_TERMINATED:
		notify_transition(it, "service", SERVICE_ACTIVE,
				  SERVICE_TERMINATED);
		/* The charges of the termination in force: billing honours
		 * the first one recorded, which this event is. */
		f.state = SERVICE_TERMINATED;
		f.ch = ch;
		notify_build(it, MIB_CONTRACT_TERMINATED, &f);
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
	notify_payload_free(&it->payload);
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
		    .payload = it->payload.text,
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
		notify_wake();
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
	const struct notify_facts f = {
	    .file = file, .error = error, .rejects = rejects};
	struct notify_item it;
	struct ledger_notification q;
	char err[LEDGER_ERRLEN];
	const char *agent;
	int rc;

	memset(&it, 0, sizeof(it));
	/* Each refusal is an event of its own: its count names it.  It is
	 * this agent's own (ledger.h's ledger_set_agent): its identity
	 * first, so that two agents refusing in the same second queue two,
	 * and each is sent by its agent only; without one (a single agent),
	 * the older form, anyone's. */
	agent = ledger_agent(l);
	notify_key(&it, "%sconfig/rejected/%ld/%" PRIu32, agent ? agent : "",
		   (long)time(NULL), rejects);
	notify_build(&it, MIB_CONFIG_REJECTED, &f);
	if (it.failed) {
		notify_item_free(&it);
		return -1;
	}
	q = (struct ledger_notification){
	    .contract = LEDGER_AGENT_CONTRACT,
	    .name = (char *)mib_notification_name(MIB_CONFIG_REJECTED),
	    .day = day,
	    .key = it.tkey,
	    .payload = it.payload.text,
	};
	rc = ledger_queue(l, NULL, 0, &q, 1, NULL, err, sizeof(err));
	if (rc < 0)
		log_err("notify", "%s", err);
	else
		notify_wake();
	notify_item_free(&it);
	return rc;
}
