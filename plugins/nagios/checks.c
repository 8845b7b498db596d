/*
 * checks.c: check_leaseline's four checks of one contract (see
 * check_leaseline.h), each a status, a line and perfdata.  Amounts are
 * integer fen, written by core/money's money_format; no floating point.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/billing.h"
#include "core/money.h"
#include "check_leaseline.h"

/* ---- output buffers ---- */

void __attribute__((format(printf, 2, 3)))
cl_text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= sizeof(t->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->len += (size_t)n;
	if (t->len >= sizeof(t->buf))
		t->len = sizeof(t->buf) - 1;
}

/*
 * Text from the agent or the command line, made safe for the one status
 * line: control characters would break it and '|' would start the
 * perfdata, so both become '?'.  UTF-8 (Chinese names) passes unchanged.
 */
void
cl_text_add_safe(struct text *t, const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && t->len < sizeof(t->buf) - 1; i++) {
		unsigned char c = s[i];

		t->buf[t->len++] =
		    (c < 0x20 || c == 0x7f || c == '|') ? '?' : (char)c;
	}
	t->buf[t->len] = '\0';
}

void
cl_text_add_str(struct text *t, const char *s)
{
	cl_text_add_safe(t, (const unsigned char *)s, strlen(s));
}

static const char *
cl_plural(long long n, const char *one, const char *many)
{
	return (n == 1 || n == -1) ? one : many;
}

/* Fen as a perfdata number of CNY, "1234.56": money_format's text
 * without its grouping commas. */
static char *
cl_format_fen_plain(ll_fen fen, char *buf)
{
	char grouped[MONEY_STRLEN];
	size_t n = 0;

	money_format(fen, grouped);
	for (const char *p = grouped; *p != '\0'; p++)
		if (*p != ',')
			buf[n++] = *p;
	buf[n] = '\0';
	return buf;
}

/* A rate in kbit/s the way contracts write it: "10M" or "512k". */
static void
cl_format_kbps(char *out, size_t size, uint64_t kbps)
{
	if (kbps % 1000 == 0)
		snprintf(out, size, "%" PRIu64 "M", kbps / 1000);
	else
		snprintf(out, size, "%" PRIu64 "k", kbps);
}

/* ---- the checks ---- */

/* "contract NUMBER: " opens every status text about a contract. */
static void
cl_line_contract(struct result *r, const struct options *o)
{
	cl_text_add(&r->line, "contract ");
	cl_text_add_str(&r->line, o->contract);
	cl_text_add(&r->line, ": ");
}

/* The contract's columns cols[0..n), for contract index idx. */
static int
cl_get_columns(struct agent *a, oid idx, const int *cols,
	       const enum kind *kinds, struct cell *cells, size_t n)
{
	size_t i;
	char name[MAX_OID_LEN * 12];

	for (i = 0; i < n; i++) {
		oid sub[2] = {(oid)cols[i], idx};

		cl_cell_set(&cells[i], oid_contract_entry,
			    OIDLEN(oid_contract_entry), sub, 2, kinds[i]);
	}
	if (cl_agent_get(a, cells, n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (cells[i].absent) {
			cl_format_oid(name, sizeof(name), cells[i].name,
				      cells[i].len);
			cl_agent_fail(
			    a,
			    "the agent at %s has no %s (contract removed by a reload, or an older leaselined?)",
			    a->where, name);
			return -1;
		}
	return 0;
}

int
cl_check_state(struct agent *a, const struct options *o, oid idx,
	       struct result *r)
{
	static const int cols[] = {
	    MIB_CONTRACT_SERVICE_STATE,	 MIB_CONTRACT_SUSPENSION_REASON,
	    MIB_CONTRACT_BILLING_STATE,	 MIB_CONTRACT_DAYS_OVERDUE,
	    MIB_CONTRACT_OVERDUE_AMOUNT, MIB_CONTRACT_LATE_FEE};
	static const enum kind kinds[] = {K_INTEGER, K_INTEGER, K_INTEGER,
					  K_INTEGER, K_MONEY,	K_MONEY};
	struct cell c[NELEM(cols)];
	const char *service, *reason, *billing;
	char overdue[MONEY_STRLEN], fee[MONEY_STRLEN], overdue_p[MONEY_STRLEN],
	    fee_p[MONEY_STRLEN];
	long long days;

	if (cl_get_columns(a, idx, cols, kinds, c, NELEM(cols)) < 0)
		return -1;
	service = cl_contract_label(MIB_CONTRACT_SERVICE_STATE, c[0].num);
	reason = cl_contract_label(MIB_CONTRACT_SUSPENSION_REASON, c[1].num);
	billing = cl_contract_label(MIB_CONTRACT_BILLING_STATE, c[2].num);
	if (service == NULL || reason == NULL || billing == NULL) {
		cl_agent_fail(
		    a,
		    "the agent at %s returned an unknown state (service %lld, reason %lld, billing %lld)",
		    a->where, c[0].num, c[1].num, c[2].num);
		return -1;
	}
	days = c[3].num;
	money_format(c[4].fen, overdue);
	money_format(c[5].fen, fee);
	cl_format_fen_plain(c[4].fen, overdue_p);
	cl_format_fen_plain(c[5].fen, fee_p);

	/* Anything but active service, or a billing state past overdue,
	 * means lines are (or may be) cut: CRITICAL.  suspensionDue (issue
	 * 13, suspension "decided") is overdue with the lines still
	 * served until a person records the suspension: WARNING, as
	 * overdue is; the recorded suspension is CRITICAL. */
	if ((c[0].num != SERVICE_ACTIVE &&
	     c[0].num != SERVICE_SUSPENSION_DUE) ||
	    c[2].num > BILLING_OVERDUE)
		r->status = ST_CRITICAL;
	else if (c[2].num == BILLING_OVERDUE ||
		 c[0].num == SERVICE_SUSPENSION_DUE)
		r->status = ST_WARNING;
	else
		r->status = ST_OK;

	cl_line_contract(r, o);
	cl_text_add(&r->line, "service %s", service);
	if (c[1].num != REASON_NONE)
		cl_text_add(&r->line, " (%s)", reason);
	cl_text_add(
	    &r->line,
	    ", billing %s, %lld %s overdue, overdue %s CNY, late fee %s CNY",
	    billing, days, cl_plural(days, "day", "days"), overdue, fee);
	cl_text_add(
	    &r->perf,
	    "'days_overdue'=%lld;;;0 'overdue'=%s;;;0 'late_fee'=%s;;;0", days,
	    overdue_p, fee_p);
	return 0;
}

int
cl_check_due(struct agent *a, const struct options *o, oid idx,
	     struct result *r)
{
	static const int cols[] = {MIB_CONTRACT_NEXT_DUE_DATE,
				   MIB_CONTRACT_NEXT_DUE_AMOUNT,
				   MIB_CONTRACT_DAYS_TO_NEXT_DUE};
	static const enum kind kinds[] = {K_DATE, K_MONEY, K_INTEGER};
	struct cell c[NELEM(cols)];
	char date[16], amount[MONEY_STRLEN];
	long long days;

	if (cl_get_columns(a, idx, cols, kinds, c, NELEM(cols)) < 0)
		return -1;
	cl_line_contract(r, o);
	if (!cl_format_date(date, sizeof(date), &c[0])) {
		/* No perfdata: 0 days would graph as "due today". */
		r->status = ST_OK;
		cl_text_add(&r->line, "nothing left to pay");
		return 0;
	}
	days = c[2].num;
	money_format(c[1].fen, amount);
	r->status = cl_range_status(o, days);
	if (days > 0)
		cl_text_add(&r->line, "%s CNY due on %s, in %lld %s", amount,
			    date, days, cl_plural(days, "day", "days"));
	else if (days == 0)
		cl_text_add(&r->line, "%s CNY due on %s, today", amount, date);
	else
		cl_text_add(&r->line, "%s CNY was due on %s, %lld %s ago",
			    amount, date, -days,
			    cl_plural(days, "day", "days"));
	cl_text_add(&r->perf, "'days_to_due'=%lld;%s;%s", days, o->warn.text,
		    o->crit.text);
	return 0;
}

int
cl_check_notice(struct agent *a, const struct options *o, oid idx,
		struct result *r)
{
	static const int cols[] = {
	    MIB_CONTRACT_AUTO_RENEW, MIB_CONTRACT_NOTICE_GIVEN,
	    MIB_CONTRACT_NOTICE_DEADLINE, MIB_CONTRACT_DAYS_TO_NOTICE,
	    MIB_CONTRACT_TERM_END};
	static const enum kind kinds[] = {K_INTEGER, K_INTEGER, K_DATE,
					  K_INTEGER, K_DATE};
	struct cell c[NELEM(cols)];
	char deadline[16], term_end[16];
	long long days;

	if (cl_get_columns(a, idx, cols, kinds, c, NELEM(cols)) < 0)
		return -1;
	if (!cl_format_date(term_end, sizeof(term_end), &c[4])) {
		cl_agent_fail(
		    a, "the agent at %s gives no term end for the contract",
		    a->where);
		return -1;
	}
	cl_line_contract(r, o);
	days = c[3].num;
	r->status = ST_OK;
	if (c[0].num != TRUTH_TRUE) {
		cl_text_add(&r->line,
			    "does not renew automatically; term ends on %s",
			    term_end);
	} else if (c[1].num == TRUTH_TRUE) {
		cl_text_add(&r->line,
			    "notice of non-renewal given; term ends on %s",
			    term_end);
	} else if (!cl_format_date(deadline, sizeof(deadline), &c[2])) {
		cl_agent_fail(
		    a,
		    "the agent at %s gives no notice deadline for the contract",
		    a->where);
		return -1;
	} else if (days < 0) {
		/*
		 * Past the deadline nothing can be done until the next term
		 * has its own deadline: an alert now could only be
		 * acknowledged, for up to a whole notice period.
		 */
		cl_text_add(
		    &r->line,
		    "notice deadline %s passed %lld %s ago without notice; renews after %s",
		    deadline, -days, cl_plural(days, "day", "days"), term_end);
	} else {
		r->status = cl_range_status(o, days);
		if (days == 0)
			cl_text_add(
			    &r->line,
			    "last day to give notice of non-renewal (deadline %s, term ends on %s)",
			    deadline, term_end);
		else
			cl_text_add(
			    &r->line,
			    "%lld %s left to give notice of non-renewal (deadline %s, term ends on %s)",
			    days, cl_plural(days, "day", "days"), deadline,
			    term_end);
	}
	cl_text_add(&r->perf, "'days_to_notice'=%lld;%s;%s", days, o->warn.text,
		    o->crit.text);
	return 0;
}

/* ---- rates ---- */

struct circuit {
	oid index;
	long if_index;
};

struct circuits {
	struct circuit *v;
	size_t n, cap;
	size_t total; /* circuits of the contract, with an ifIndex or not */
	bool nomem;
};

static int
cl_collect_circuit(struct agent *a, const netsnmp_variable_list *v, void *ctx)
{
	struct circuits *cs = ctx;
	struct circuit *nv;

	/* llCircuitIfIndex.contract.circuit: nothing deeper is a circuit. */
	if (v->name_length != OIDLEN(oid_circuit_entry) + 3)
		return 0;
	if (v->type != ASN_INTEGER) {
		cl_agent_fail(
		    a,
		    "the agent at %s returned type 0x%02x for llCircuitIfIndex, not INTEGER",
		    a->where, v->type);
		return -1;
	}
	cs->total++;
	if (*v->val.integer == 0)
		return 0;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 16;

		nv = realloc(cs->v, cap * sizeof(*nv));
		if (nv == NULL) {
			cl_agent_fail(a, "out of memory");
			return -1;
		}
		cs->v = nv;
		cs->cap = cap;
	}
	cs->v[cs->n].index = v->name[v->name_length - 1];
	cs->v[cs->n].if_index = *v->val.integer;
	cs->n++;
	return 0;
}

/*
 * ifHighSpeed is whole Mbit/s, rounded: n stands for n - 0.5 to
 * n + 0.5 Mbit/s (RFC 2863).  A rate matches when it rounds to it.
 */
static bool
cl_rate_matches(uint64_t kbps, long long mbps)
{
	return mbps >= 0 && (kbps + 500) / 1000 == (uint64_t)mbps;
}

#define RATES_PER_PDU 10 /* circuits per GET: 4 variables each */
#define RATES_LISTED  5	 /* mismatches named in the line, without -v */

struct rate_tally {
	size_t mismatched;
	struct text list;
};

static void
cl_rate_compare(const struct options *o, const struct circuit *ci,
		const struct cell *c, struct rate_tally *t)
{
	char down[24], up[24], ifs[24];
	bool ok;

	ok = !c[3].absent && (cl_rate_matches((uint64_t)c[1].num, c[3].num) ||
			      cl_rate_matches((uint64_t)c[2].num, c[3].num));
	if (ok)
		return;
	t->mismatched++;
	if (t->mismatched > RATES_LISTED && o->verbose < 1)
		return;
	if (t->mismatched > 1)
		cl_text_add(&t->list, "; ");
	cl_text_add_safe(&t->list, c[0].str, c[0].str_len);
	if (c[3].absent) {
		cl_text_add(&t->list, " (ifIndex %ld): no such interface",
			    ci->if_index);
		return;
	}
	cl_format_kbps(down, sizeof(down), (uint64_t)c[1].num);
	cl_format_kbps(up, sizeof(up), (uint64_t)c[2].num);
	cl_format_kbps(ifs, sizeof(ifs), (uint64_t)c[3].num * 1000);
	cl_text_add(&t->list, " (ifIndex %ld) %s/%s down/up, interface %s",
		    ci->if_index, down, up, ifs);
}

static int
cl_rates_batch(struct agent *a, const struct options *o, oid idx,
	       const struct circuit *ci, size_t n, struct rate_tally *t)
{
	struct cell c[RATES_PER_PDU * 4];
	size_t i;
	char name[MAX_OID_LEN * 12];

	for (i = 0; i < n; i++) {
		oid id[3] = {MIB_CIRCUIT_ID, idx, ci[i].index};
		oid down[3] = {MIB_CIRCUIT_RATE_DOWN, idx, ci[i].index};
		oid up[3] = {MIB_CIRCUIT_RATE_UP, idx, ci[i].index};
		oid ifx[1] = {(oid)ci[i].if_index};

		cl_cell_set(&c[4 * i], oid_circuit_entry,
			    OIDLEN(oid_circuit_entry), id, 3, K_STRING);
		cl_cell_set(&c[4 * i + 1], oid_circuit_entry,
			    OIDLEN(oid_circuit_entry), down, 3, K_UNSIGNED);
		cl_cell_set(&c[4 * i + 2], oid_circuit_entry,
			    OIDLEN(oid_circuit_entry), up, 3, K_UNSIGNED);
		cl_cell_set(&c[4 * i + 3], oid_if_high_speed,
			    OIDLEN(oid_if_high_speed), ifx, 1, K_UNSIGNED);
	}
	if (cl_agent_get(a, c, 4 * n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < 3; k++)
			if (c[4 * i + k].absent) {
				cl_format_oid(name, sizeof(name),
					      c[4 * i + k].name,
					      c[4 * i + k].len);
				cl_agent_fail(
				    a,
				    "the agent at %s has no %s (circuit removed by a reload?)",
				    a->where, name);
				return -1;
			}
		cl_rate_compare(o, &ci[i], &c[4 * i], t);
	}
	return 0;
}

int
cl_check_rates(struct agent *a, const struct options *o, oid idx,
	       struct result *r)
{
	oid root[OIDLEN(oid_circuit_entry) + 2];
	struct circuits cs;
	struct rate_tally t;
	size_t i, n;
	int rc = -1;

	memset(&cs, 0, sizeof(cs));
	memset(&t, 0, sizeof(t));
	memcpy(root, oid_circuit_entry, sizeof(oid_circuit_entry));
	root[OIDLEN(oid_circuit_entry)] = MIB_CIRCUIT_IF_INDEX;
	root[OIDLEN(oid_circuit_entry) + 1] = idx;
	if (cl_agent_walk(a, root, OIDLEN(root), cl_collect_circuit, &cs) < 0)
		goto out;
	cl_line_contract(r, o);
	if (cs.n == 0) {
		r->status = ST_UNKNOWN;
		if (cs.total == 0)
			cl_text_add(&r->line, "the contract has no circuit");
		else
			cl_text_add(
			    &r->line,
			    "no circuit has an ifIndex (llCircuitIfIndex is 0 on all %zu)",
			    cs.total);
		rc = 0;
		goto out;
	}
	for (i = 0; i < cs.n; i += n) {
		n = cs.n - i < RATES_PER_PDU ? cs.n - i : RATES_PER_PDU;
		if (cl_rates_batch(a, o, idx, &cs.v[i], n, &t) < 0)
			goto out;
	}
	if (t.mismatched == 0) {
		r->status = ST_OK;
		cl_text_add(&r->line,
			    "rates match ifHighSpeed on %zu %s with an ifIndex",
			    cs.n,
			    cl_plural((long long)cs.n, "circuit", "circuits"));
	} else {
		r->status = o->rates_critical ? ST_CRITICAL : ST_WARNING;
		cl_text_add(
		    &r->line,
		    "rate differs from ifHighSpeed on %zu of %zu %s with an ifIndex: %s",
		    t.mismatched, cs.n,
		    cl_plural((long long)cs.n, "circuit", "circuits"),
		    t.list.buf);
		if (t.mismatched > RATES_LISTED && o->verbose < 1)
			cl_text_add(&r->line, "; and %zu more",
				    t.mismatched - RATES_LISTED);
	}
	/* Alert when more than 0 differ, at the level --rates-critical says. */
	cl_text_add(
	    &r->perf,
	    "'circuits_checked'=%zu;;;0 'circuits_mismatched'=%zu;%s;%s;0;%zu",
	    cs.n, t.mismatched, o->rates_critical ? "" : "0",
	    o->rates_critical ? "0" : "", cs.n);
	rc = 0;
out:
	free(cs.v);
	return rc;
}

/* -v: the day the agent evaluates contracts on, after the status text. */
void
cl_add_evaluation_date(struct agent *a, struct result *r)
{
	struct cell c;
	char date[16];

	cl_cell_set(&c, oid_eval_date, OIDLEN(oid_eval_date), NULL, 0, K_DATE);
	if (cl_agent_get(a, &c, 1) == 0 && !c.absent &&
	    cl_format_date(date, sizeof(date), &c))
		cl_text_add(&r->line, " (agent's day %s)", date);
}
