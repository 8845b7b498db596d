/*
 * mib.c: the LEASELINE-MIB handler (see mib.h and mibs/LEASELINE-MIB.txt);
 * every number it serves is named in snmp/mibdef.h, and each column is
 * dispatched by that name.
 *
 * The object space under llObjects is, in OID order:
 *   llAgent            .1.N.0              scalars 1..MIB_SCALARS
 *   llContractTable    .2.1.COL.contract
 *   llCircuitTable     .3.1.COL.contract.circuit
 *   llInstallmentTable .4.1.COL.contract.installment
 * A GETNEXT finds the first object past the request in that order: the next
 * row of the same column, else the first row of the next column, else the
 * next table.  The next row is the one after the table's last answer when
 * the request names that answer (a walk), else found by binary search.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <limits.h>
#include <string.h>

#include "core/billing.h"
#include "core/charges.h"
#include "core/day.h"
#include "snmp/mib.h"

const unsigned long mib_leaseline_oid[] = {MIBDEF_ROOT_ARCS};
const size_t mib_leaseline_oid_len = OID_LENGTH(mib_leaseline_oid);

/* llObjects = leaselineMIB.1 */
static const oid mib_objects_oid[] = {MIBDEF_ROOT_ARCS, MIBDEF_OBJECTS_ARC};
#define MIB_PREFIX_LEN OID_LENGTH(mib_objects_oid)
#define MIB_MAX_OID    (MIB_PREFIX_LEN + 6)

#define MIB_AGENT_ARC MIBDEF_AGENT
#define MIB_SCALARS   MIB_LEDGER_LAST_ERROR /* the last llAgent scalar */

static const struct snapshot *mib_snap;
static const struct mib_status *mib_status;

/* A value ready for snmp_set_var_typed_value(). */
struct mib_value {
	u_char type;
	const void *ptr;
	size_t len;
	long integer;
	u_long unsigned32;
	struct counter64 c64;
	u_char date[11];
};

/* Text longer than an SnmpAdminString holds (a ledger written by an
 * older leaselinectl, say) is cut, never sent whole. */
static void
mib_set_string(struct mib_value *v, const char *s)
{
	v->type = ASN_OCTET_STR;
	v->ptr = s != NULL ? s : "";
	v->len = text_admin_len(v->ptr);
}

static void
mib_set_integer(struct mib_value *v, long i)
{
	v->type = ASN_INTEGER;
	v->integer = i;
	v->ptr = &v->integer;
	v->len = sizeof(v->integer);
}

static void
mib_set_unsigned(struct mib_value *v, u_char type, u_long u)
{
	v->type = type;
	v->unsigned32 = u;
	v->ptr = &v->unsigned32;
	v->len = sizeof(v->unsigned32);
}

static void
mib_set_money(struct mib_value *v, ll_fen fen)
{
	uint64_t u = fen > 0 ? (uint64_t)fen : 0;

	v->type = ASN_COUNTER64;
	v->c64.high = (u_long)(u >> 32);
	v->c64.low = (u_long)(u & 0xffffffffu);
	v->ptr = &v->c64;
	v->len = sizeof(v->c64);
}

static void
mib_set_truth(struct mib_value *v, bool b)
{
	mib_set_integer(v, b ? 1 : 2); /* SNMPv2-TC TruthValue */
}

/* DateAndTime, 11-octet form at +08:00; "no date" is eight zero octets. */
static void
mib_datetime_octets(int y, int mo, int d, int h, int mi, int s, u_char *out)
{
	out[0] = (u_char)(y >> 8);
	out[1] = (u_char)(y & 0xff);
	out[2] = (u_char)mo;
	out[3] = (u_char)d;
	out[4] = (u_char)h;
	out[5] = (u_char)mi;
	out[6] = (u_char)s;
	out[7] = 0;
	out[8] = '+';
	out[9] = DAY_TZ_OFFSET_SECONDS / 3600;
	out[10] = 0;
}

size_t
mib_day_octets(ll_day day, unsigned char *out)
{
	int y, m, d;

	if (day == LL_NO_DAY) {
		memset(out, 0, 8);
		return 8;
	}
	day_to_ymd(day, &y, &m, &d);
	mib_datetime_octets(y, m, d, 0, 0, 0, out);
	return MIB_DATE_LEN;
}

static void
mib_set_datetime(struct mib_value *v, int y, int mo, int d, int h, int mi,
		 int s)
{
	mib_datetime_octets(y, mo, d, h, mi, s, v->date);
	v->type = ASN_OCTET_STR;
	v->ptr = v->date;
	v->len = MIB_DATE_LEN;
}

static void
mib_set_day(struct mib_value *v, ll_day day)
{
	v->type = ASN_OCTET_STR;
	v->ptr = v->date;
	v->len = mib_day_octets(day, v->date);
}

static void
mib_set_time(struct mib_value *v, time_t t)
{
	time_t local = t + DAY_TZ_OFFSET_SECONDS;
	struct tm tm;

	gmtime_r(&local, &tm);
	mib_set_datetime(v, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The day count paired with a date: 0 when there is no date. */
static void
mib_set_days(struct mib_value *v, ll_day to, ll_day from)
{
	if (to == LL_NO_DAY || from == LL_NO_DAY)
		mib_set_integer(v, 0);
	else
		mib_set_integer(v, (long)to - (long)from);
}

static int
mib_scalar_value(unsigned long n, struct mib_value *v)
{
	const struct snapshot *s = mib_snap;

	switch (n) {
	case MIB_AGENT_VERSION: mib_set_string(v, LEASELINE_VERSION); break;
	case MIB_CONFIG_FILE: mib_set_string(v, mib_status->config_file); break;
	case MIB_CONFIG_LOADED_AT: mib_set_time(v, s->loaded_at); break;
	case MIB_CONFIG_RELOADS:
		mib_set_unsigned(v, ASN_COUNTER, mib_status->reloads);
		break;
	case MIB_CONFIG_REJECTS:
		mib_set_unsigned(v, ASN_COUNTER, mib_status->rejects);
		break;
	case MIB_CONFIG_LAST_ERROR:
		mib_set_string(v, mib_status->last_error);
		break;
	case MIB_EVALUATION_DATE: mib_set_day(v, s->today); break;
	case MIB_CONTRACT_COUNT:
		mib_set_unsigned(v, ASN_GAUGE, s->model->n_contracts);
		break;
	case MIB_CIRCUIT_COUNT:
		mib_set_unsigned(v, ASN_GAUGE, s->n_circuits);
		break;
	case MIB_INSTALLMENT_COUNT:
		mib_set_unsigned(v, ASN_GAUGE, s->n_installments);
		break;
	case MIB_LEDGER_STATE:
		mib_set_integer(v, mib_status->ledger_unreachable ? 2 : 1);
		break;
	case MIB_LEDGER_LAST_ERROR:
		mib_set_string(v, mib_status->ledger_error);
		break;
	default: return -1;
	}
	return 0;
}

size_t
mib_ports_text(const uint16_t *ports, size_t n, char out[TEXT_ADMIN_MAX + 1])
{
	static const char marker[] = ",...";
	const size_t mlen = sizeof(marker) - 1;
	size_t off = 0, fits = 0, i;

	for (i = 0; i < n; i++) {
		char item[8];
		size_t len = (size_t)snprintf(item, sizeof(item), "%s%u",
					      i ? "," : "", ports[i]);

		if (off + len > TEXT_ADMIN_MAX)
			break;
		memcpy(out + off, item, len);
		off += len;
		if (off + mlen <= TEXT_ADMIN_MAX)
			fits = off; /* the marker could follow this port */
	}
	if (i < n) {
		/* Cut after the last whole port the marker can follow
		 * ("..." alone if none could: a buffer no port fits). */
		const char *m = fits > 0 ? marker : marker + 1;

		off = fits;
		memcpy(out + off, m, strlen(m));
		off += strlen(m);
	}
	out[off] = '\0';
	return off;
}

static int
mib_contract_value(size_t pos, unsigned long col, struct mib_value *v,
		   char *buf, size_t buflen)
{
	const struct ll_contract *c = &mib_snap->model->contracts[pos];
	const struct billing_contract *b = &mib_snap->eval[pos];
	const struct charges *ch = &mib_snap->charges[pos];
	ll_day today = mib_snap->today;

	switch (col) {
	case MIB_CONTRACT_NUMBER: mib_set_string(v, c->number); break;
	case MIB_CONTRACT_TITLE: mib_set_string(v, c->title); break;
	case MIB_CONTRACT_CUSTOMER: mib_set_string(v, c->customer.name); break;
	case MIB_CONTRACT_PROVIDER: mib_set_string(v, c->provider.name); break;
	case MIB_CONTRACT_SERVICE_LOCATION:
		mib_set_string(v, c->service_location);
		break;
	case MIB_CONTRACT_SIGNED_DATE: mib_set_day(v, c->signed_on); break;
	case MIB_CONTRACT_DAYS_SINCE_SIGNED:
		mib_set_days(v, today, c->signed_on);
		break;
	case MIB_CONTRACT_TERM_START: mib_set_day(v, b->term_start); break;
	case MIB_CONTRACT_TERM_END: mib_set_day(v, b->term_end); break;
	case MIB_CONTRACT_DAYS_TO_TERM_END:
		mib_set_days(v, b->term_end, today);
		break;
	case MIB_CONTRACT_TERM_NUMBER:
		mib_set_unsigned(v, ASN_UNSIGNED, b->term_number);
		break;
	case MIB_CONTRACT_AUTO_RENEW: mib_set_truth(v, c->auto_renew); break;
	case MIB_CONTRACT_NOTICE_DAYS:
		mib_set_unsigned(v, ASN_UNSIGNED, c->notice_days);
		break;
	case MIB_CONTRACT_NOTICE_DEADLINE:
		mib_set_day(v, b->notice_deadline);
		break;
	case MIB_CONTRACT_DAYS_TO_NOTICE:
		mib_set_days(v, b->notice_deadline, today);
		break;
	case MIB_CONTRACT_NOTICE_GIVEN:
		mib_set_truth(v, b->notice_given);
		break;
	case MIB_CONTRACT_ANNUAL_FEE: mib_set_money(v, c->annual_fee); break;
	case MIB_CONTRACT_PAYMENT_METHOD:
		mib_set_integer(v, c->payment_method);
		break;
	case MIB_CONTRACT_LATE_FEE_RATE:
		mib_set_unsigned(v, ASN_UNSIGNED, c->late_fee_ppm);
		break;
	case MIB_CONTRACT_SUSPEND_AFTER_DAYS:
		mib_set_unsigned(v, ASN_UNSIGNED, c->suspend_after_days);
		break;
	case MIB_CONTRACT_TERMINATE_AFTER_DAYS:
		mib_set_unsigned(v, ASN_UNSIGNED, c->terminate_after_days);
		break;
	case MIB_CONTRACT_BLOCKED_PORTS:
		if (buflen < TEXT_ADMIN_MAX + 1)
			return -1;
		mib_ports_text(c->blocked_ports, c->n_blocked_ports, buf);
		mib_set_string(v, buf);
		break;
	case MIB_CONTRACT_SUPPORT_CONTACT: mib_set_string(v, c->support); break;
	case MIB_CONTRACT_BILLING_STATE: mib_set_integer(v, b->state); break;
	case MIB_CONTRACT_SERVICE_STATE: mib_set_integer(v, b->service); break;
	case MIB_CONTRACT_SUSPENSION_REASON:
		mib_set_integer(v, b->reason);
		break;
	case MIB_CONTRACT_SUSPENSION_NOTE: mib_set_string(v, b->note); break;
	case MIB_CONTRACT_SUSPENDED_SINCE:
		mib_set_day(v, b->suspended_since);
		break;
	case MIB_CONTRACT_DAYS_SUSPENDED:
		mib_set_days(v, today, b->suspended_since);
		break;
	case MIB_CONTRACT_TERMINATION_DATE:
		mib_set_day(v, b->termination_date);
		break;
	case MIB_CONTRACT_DAYS_TO_TERMINATION:
		mib_set_days(v, b->termination_date, today);
		break;
	case MIB_CONTRACT_OUTSTANDING: mib_set_money(v, b->outstanding); break;
	case MIB_CONTRACT_OVERDUE_AMOUNT: mib_set_money(v, b->overdue); break;
	case MIB_CONTRACT_LATE_FEE: mib_set_money(v, b->late_fee); break;
	case MIB_CONTRACT_DAYS_OVERDUE:
		mib_set_integer(v, b->days_overdue);
		break;
	case MIB_CONTRACT_NEXT_DUE_DATE: mib_set_day(v, b->next_due); break;
	case MIB_CONTRACT_NEXT_DUE_AMOUNT:
		mib_set_money(v, b->next_due_amount);
		break;
	case MIB_CONTRACT_DAYS_TO_NEXT_DUE:
		mib_set_days(v, b->next_due, today);
		break;
	case MIB_CONTRACT_CIRCUIT_COUNT:
		mib_set_unsigned(v, ASN_GAUGE, c->n_circuits);
		break;
	case MIB_CONTRACT_TERMINATION_CHARGE:
		mib_set_money(v, ch->total);
		break;
	case MIB_CONTRACT_TERMINATION_CHARGE_BASIS:
		if (buflen < TEXT_ADMIN_MAX + 1)
			return -1;
		mib_set_string(v, charges_text(ch, buf, TEXT_ADMIN_MAX + 1));
		break;
	case MIB_CONTRACT_RECLAIM_DATE: mib_set_day(v, ch->reclaim); break;
	case MIB_CONTRACT_DAYS_TO_RECLAIM:
		mib_set_days(v, ch->reclaim, today);
		break;
	default: return -1;
	}
	return 0;
}

static int
mib_circuit_value(size_t pos, unsigned long col, struct mib_value *v, char *buf,
		  size_t buflen)
{
	const struct snapshot_row *r = &mib_snap->circuits[pos];
	const struct ll_contract *c = &mib_snap->model->contracts[r->contract];
	const struct ll_circuit *ci = &c->circuits[r->item];

	(void)buf;
	(void)buflen;
	switch (col) {
	case MIB_CIRCUIT_ID: mib_set_string(v, ci->id); break;
	case MIB_CIRCUIT_CONTRACT_NUMBER: mib_set_string(v, c->number); break;
	case MIB_CIRCUIT_GROUP: mib_set_string(v, ci->group); break;
	case MIB_CIRCUIT_CLAUSE: mib_set_string(v, ci->clause); break;
	case MIB_CIRCUIT_SERVICE_TYPE: mib_set_integer(v, ci->service); break;
	case MIB_CIRCUIT_A_END: mib_set_string(v, ci->a_end); break;
	case MIB_CIRCUIT_Z_END: mib_set_string(v, ci->z_end); break;
	case MIB_CIRCUIT_RATE_UP:
		mib_set_unsigned(v, ASN_UNSIGNED, ci->rate_up);
		break;
	case MIB_CIRCUIT_RATE_DOWN:
		mib_set_unsigned(v, ASN_UNSIGNED, ci->rate_down);
		break;
	case MIB_CIRCUIT_STATE:
		mib_set_integer(
		    v, billing_circuit_state(ci, &mib_snap->eval[r->contract]));
		break;
	case MIB_CIRCUIT_IF_INDEX:
		mib_set_integer(v, (long)ci->if_index);
		break;
	default: return -1;
	}
	return 0;
}

static int
mib_installment_value(size_t pos, unsigned long col, struct mib_value *v,
		      char *buf, size_t buflen)
{
	const struct snapshot_row *r = &mib_snap->installments[pos];
	const struct ll_contract *c = &mib_snap->model->contracts[r->contract];
	const struct billing_installment *in =
	    &mib_snap->eval[r->contract].installments[r->item];
	ll_day today = mib_snap->today;

	(void)buf;
	(void)buflen;
	switch (col) {
	case MIB_INSTALLMENT_CONTRACT_NUMBER:
		mib_set_string(v, c->number);
		break;
	case MIB_INSTALLMENT_TERM:
		mib_set_unsigned(v, ASN_UNSIGNED, in->term);
		break;
	case MIB_INSTALLMENT_DUE_DATE: mib_set_day(v, in->due); break;
	case MIB_INSTALLMENT_DAYS_TO_DUE:
		mib_set_days(v, in->due, today);
		break;
	case MIB_INSTALLMENT_AMOUNT: mib_set_money(v, in->amount); break;
	case MIB_INSTALLMENT_PAID: mib_set_money(v, in->paid); break;
	case MIB_INSTALLMENT_OUTSTANDING:
		mib_set_money(v, in->outstanding);
		break;
	case MIB_INSTALLMENT_PAID_DATE: mib_set_day(v, in->paid_on); break;
	case MIB_INSTALLMENT_DAYS_SINCE_PAID:
		mib_set_days(v, today, in->paid_on);
		break;
	case MIB_INSTALLMENT_DAYS_OVERDUE:
		mib_set_integer(v, in->days_overdue);
		break;
	case MIB_INSTALLMENT_LATE_FEE: mib_set_money(v, in->late_fee); break;
	case MIB_INSTALLMENT_STATE: mib_set_integer(v, in->state); break;
	default: return -1;
	}
	return 0;
}

/* A conceptual table of the module: how many rows, where a row index
 * falls, what a row's index is and what its cells hold. */
struct mib_table {
	unsigned long arc;
	unsigned long last_column; /* columns 2..last are readable */
	size_t (*rows)(void);
	size_t (*search)(const unsigned long *idx, size_t len, bool inclusive);
	size_t (*index)(size_t pos, oid *out);
	int (*value)(size_t pos, unsigned long col, struct mib_value *v,
		     char *buf, size_t buflen);
};

static size_t
mib_contract_rows(void)
{
	return mib_snap->model->n_contracts;
}

static size_t
mib_contract_search(const unsigned long *idx, size_t len, bool inclusive)
{
	return snapshot_contract_search(mib_snap, idx, len, inclusive);
}

static size_t
mib_contract_index(size_t pos, oid *out)
{
	out[0] = mib_snap->model->contracts[pos].index;
	return 1;
}

static size_t
mib_circuit_rows(void)
{
	return mib_snap->n_circuits;
}

static size_t
mib_circuit_search(const unsigned long *idx, size_t len, bool inclusive)
{
	return snapshot_row_search(mib_snap->circuits, mib_snap->n_circuits,
				   idx, len, inclusive);
}

static size_t
mib_row_index(const struct snapshot_row *r, oid *out)
{
	out[0] = r->contract_index;
	out[1] = r->item_index;
	return 2;
}

static size_t
mib_circuit_index(size_t pos, oid *out)
{
	return mib_row_index(&mib_snap->circuits[pos], out);
}

static size_t
mib_installment_rows(void)
{
	return mib_snap->n_installments;
}

static size_t
mib_installment_search(const unsigned long *idx, size_t len, bool inclusive)
{
	return snapshot_row_search(mib_snap->installments,
				   mib_snap->n_installments, idx, len,
				   inclusive);
}

static size_t
mib_installment_index(size_t pos, oid *out)
{
	return mib_row_index(&mib_snap->installments[pos], out);
}

static const struct mib_table mib_tables[] = {
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_TO_RECLAIM, mib_contract_rows,
     mib_contract_search, mib_contract_index, mib_contract_value},
    {MIBDEF_CIRCUITS, MIB_CIRCUIT_IF_INDEX, mib_circuit_rows,
     mib_circuit_search, mib_circuit_index, mib_circuit_value},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_STATE, mib_installment_rows,
     mib_installment_search, mib_installment_index, mib_installment_value},
};
#define MIB_NTABLES (sizeof(mib_tables) / sizeof(mib_tables[0]))
/* Column 1 of each table is its index, not-accessible: the readable
 * columns start at the one after it. */
#define MIB_FIRST_COLUMN (MIB_CONTRACT_INDEX + 1)

/*
 * Where each table's last answer was (a position in its rows), so that the
 * request a walk sends next, the successor of the row it was just given,
 * is found without a search: the row at the hint is compared with the
 * request, and only a request naming another row is searched for.  A
 * hint is only ever a guess: a position past the rows of the snapshot
 * served, or holding another index, falls back to the search, so that it
 * need not follow the snapshots (mib_publish resets it all the same).
 */
static size_t mib_hint[MIB_NTABLES] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
static unsigned long mib_hint_hits;

/* The position of the first row past idx[0..len) (at it, when inclusive)
 * in table t, as t->search() finds it; *exact tells whether that row's
 * index is idx itself. */
static size_t
mib_find(const struct mib_table *t, const oid *idx, size_t len, bool inclusive,
	 bool *exact)
{
	size_t i = (size_t)(t - mib_tables), h = mib_hint[i];
	size_t rows = t->rows(), pos;
	oid key[4];

	if (h < rows && t->index(h, key) == len &&
	    memcmp(key, idx, len * sizeof(oid)) == 0) {
		mib_hint_hits++;
		*exact = true;
		return inclusive ? h : h + 1;
	}
	pos = t->search(idx, len, inclusive);
	*exact = false;
	if (inclusive && pos < rows) {
		size_t k = t->index(pos, key);

		*exact = k == len && memcmp(key, idx, len * sizeof(oid)) == 0;
	}
	return pos;
}

/* An object found: its OID suffix under llObjects and its value. */
struct mib_found {
	oid suffix[8];
	size_t len;
	struct mib_value v;
	char buf[TEXT_ADMIN_MAX + 1];
};

static int
mib_cell(const struct mib_table *t, unsigned long col, size_t pos,
	 struct mib_found *f)
{
	f->suffix[0] = t->arc;
	f->suffix[1] = MIBDEF_ENTRY_ARC;
	f->suffix[2] = col;
	f->len = 3 + t->index(pos, &f->suffix[3]);
	mib_hint[t - mib_tables] = pos;
	return t->value(pos, col, &f->v, f->buf, sizeof(f->buf));
}

/* GET: the object named exactly by s[0..len), or an SNMP exception. */
static int
mib_get(const oid *s, size_t len, struct mib_found *f)
{
	if (len >= 1 && s[0] == MIB_AGENT_ARC) {
		if (len < 2 || s[1] < 1 || s[1] > MIB_SCALARS)
			return (int)SNMP_NOSUCHOBJECT;
		if (len != 3 || s[2] != 0)
			return (int)SNMP_NOSUCHINSTANCE;
		mib_scalar_value(s[1], &f->v);
		return 0;
	}
	for (size_t i = 0; i < MIB_NTABLES; i++) {
		const struct mib_table *t = &mib_tables[i];
		size_t pos;
		bool exact;

		if (len < 1 || s[0] != t->arc)
			continue;
		if (len < 3 || s[1] != MIBDEF_ENTRY_ARC ||
		    s[2] < MIB_FIRST_COLUMN || s[2] > t->last_column)
			return (int)SNMP_NOSUCHOBJECT;
		pos = mib_find(t, s + 3, len - 3, true, &exact);
		if (!exact)
			return (int)SNMP_NOSUCHINSTANCE;
		mib_cell(t, s[2], pos, f);
		return 0;
	}
	return (int)SNMP_NOSUCHOBJECT;
}

/* GETNEXT in table t: the first cell past s (s is under t's arc, or before
 * it when len is 0).  Returns 0 when found, -1 when t has nothing past s. */
static int
mib_next_in_table(const struct mib_table *t, const oid *s, size_t len,
		  bool inclusive, struct mib_found *f)
{
	unsigned long col = MIB_FIRST_COLUMN;
	const oid *idx = NULL;
	size_t idxlen = 0;
	size_t rows = t->rows();

	if (len >= 2) {
		if (s[1] > MIBDEF_ENTRY_ARC)
			return -1; /* past the entry */
		if (s[1] == MIBDEF_ENTRY_ARC && len >= 3) {
			if (s[2] >= MIB_FIRST_COLUMN) {
				col = s[2];
				idx = s + 3;
				idxlen = len - 3;
			}
		}
	}
	for (; col <= t->last_column && rows > 0; col++) {
		size_t pos = 0;
		bool exact;

		if (idx != NULL) {
			pos = mib_find(t, idx, idxlen, inclusive, &exact);
			idx = NULL; /* later columns start at their first row */
		}
		if (pos < rows)
			return mib_cell(t, col, pos, f);
	}
	return -1;
}

/* GETNEXT: the first object past s[0..len) (or at it, when inclusive). */
static int
mib_next(const oid *s, size_t len, bool inclusive, struct mib_found *f)
{
	unsigned long arc = len > 0 ? s[0] : 0;

	for (unsigned long n = 1; arc <= MIB_AGENT_ARC && n <= MIB_SCALARS;
	     n++) {
		const oid scalar[] = {MIB_AGENT_ARC, n, 0};
		int c = snmp_oid_compare(scalar, 3, s, len);

		if (c > 0 || (inclusive && c == 0)) {
			memcpy(f->suffix, scalar, sizeof(scalar));
			f->len = 3;
			return mib_scalar_value(n, &f->v);
		}
	}
	for (size_t i = 0; i < MIB_NTABLES; i++) {
		const struct mib_table *t = &mib_tables[i];

		if (arc > t->arc)
			continue;
		if (arc == t->arc) {
			if (mib_next_in_table(t, s, len, inclusive, f) == 0)
				return 0;
		} else if (mib_next_in_table(t, NULL, 0, false, f) == 0) {
			return 0;
		}
	}
	return -1;
}

/*
 * net-snmp 5.9.3's subagent side reads each AgentX sub-identifier into an
 * int before it stores it in a 64-bit oid (agentx_parse_oid), so 2^31 and
 * above arrive sign-extended.  With a 32-bit oid, the test below holds
 * for 2^31 and above, and the mask changes nothing.
 */
unsigned long
mib_subid(unsigned long v)
{
	if ((v >> 31) == (ULONG_MAX >> 31))
		return v & 0xffffffffUL;
	return v;
}

/* The request's name under llObjects, decoded by mib_subid().  A longer
 * name than the buffer holds is cut: past the longest object's six
 * sub-identifiers, the rest cannot change what comes next. */
static size_t
mib_suffix(const netsnmp_variable_list *vb, oid *out, size_t max)
{
	size_t len = vb->name_length - MIB_PREFIX_LEN;

	if (len > max)
		len = max;
	for (size_t i = 0; i < len; i++)
		out[i] = mib_subid(vb->name[MIB_PREFIX_LEN + i]);
	return len;
}

/* Answers a GET with the value found, a GETNEXT also with its name. */
static void
mib_answer(netsnmp_variable_list *vb, const struct mib_found *f, bool rename)
{
	oid name[MIB_MAX_OID];

	if (rename) {
		memcpy(name, mib_objects_oid, sizeof(mib_objects_oid));
		memcpy(name + MIB_PREFIX_LEN, f->suffix, f->len * sizeof(oid));
		snmp_set_var_objid(vb, name, MIB_PREFIX_LEN + f->len);
	}
	snmp_set_var_typed_value(vb, f->v.type, f->v.ptr, f->v.len);
}

static int
mib_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
	    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	(void)handler;
	(void)reg;
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		netsnmp_variable_list *vb = req->requestvb;
		oid s[MAX_OID_LEN];
		size_t len = 0;
		struct mib_found f;
		int cmp;

		if (req->processed || mib_snap == NULL)
			continue;
		memset(&f, 0, sizeof(f));
		cmp = snmp_oidtree_compare(vb->name, vb->name_length,
					   mib_objects_oid, MIB_PREFIX_LEN);
		/* snmp_oidtree_compare() compares the common length only: a
		 * name that is a prefix of llObjects (a walk of leaselineMIB)
		 * comes before it, and has no suffix under it. */
		if (cmp == 0 && vb->name_length < MIB_PREFIX_LEN)
			cmp = -1;
		if (cmp == 0)
			len = mib_suffix(vb, s, MAX_OID_LEN);
		if (reqinfo->mode == MODE_GET) {
			int err = (int)SNMP_NOSUCHOBJECT;

			if (cmp == 0)
				err = mib_get(s, len, &f);
			if (err != 0)
				netsnmp_set_request_error(reqinfo, req, err);
			else
				mib_answer(vb, &f, false);
		} else if (reqinfo->mode == MODE_GETNEXT) {
			/* Before llObjects (cmp < 0): start at its first
			 * object.  Past it: leave the varbind to the agent,
			 * which moves on to the next registration. */
			if (cmp <= 0 &&
			    mib_next(s, len, req->inclusive, &f) == 0)
				mib_answer(vb, &f, true);
		}
	}
	return SNMP_ERR_NOERROR;
}

static netsnmp_handler_registration *mib_registration;

int
mib_init(void)
{
	netsnmp_handler_registration *reg;

	reg = netsnmp_create_handler_registration(
	    "leaselineObjects", mib_handler, mib_objects_oid, MIB_PREFIX_LEN,
	    HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -1;
	if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK)
		return -1; /* net-snmp frees reg on failure */
	mib_registration = reg;
	return 0;
}

void
mib_shutdown(void)
{
	if (mib_registration != NULL)
		netsnmp_unregister_handler(mib_registration);
	mib_registration = NULL;
	mib_publish(NULL, NULL);
}

void
mib_publish(const struct snapshot *snap, const struct mib_status *status)
{
	mib_snap = snap;
	mib_status = status;
	for (size_t i = 0; i < MIB_NTABLES; i++)
		mib_hint[i] = SIZE_MAX; /* none: the next lookup searches */
}

int
mib_next_name(const unsigned long *name, size_t len, bool inclusive,
	      unsigned long *out, size_t *out_len)
{
	struct mib_found f;

	if (mib_snap == NULL || mib_next(name, len, inclusive, &f) != 0)
		return -1;
	memcpy(out, f.suffix, f.len * sizeof(oid));
	*out_len = f.len;
	return 0;
}

int
mib_get_name(const unsigned long *name, size_t len)
{
	struct mib_found f;

	if (mib_snap == NULL)
		return -1;
	return mib_get(name, len, &f) == 0 ? 0 : -1;
}

unsigned long
mib_successor_hits(void)
{
	return mib_hint_hits;
}

const char *
mib_notification_name(unsigned int n)
{
	const struct mibdef_notification *d = mibdef_notification(n);

	return d != NULL ? d->name : NULL;
}

unsigned int
mib_notification_number(const char *name, size_t len)
{
	const struct mibdef_notification *d =
	    mibdef_notification_named(name, len);

	return d != NULL ? (unsigned int)d->number : 0;
}

const char *
mib_leaseline_dotted(void)
{
	return mibdef_root_dotted();
}
