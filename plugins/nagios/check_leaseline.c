/*
 * check_leaseline: a Nagios / Icinga plugin for the leased-line contracts
 * leaselined publishes in LEASELINE-MIB.
 *
 * It follows the Monitoring Plugins development guidelines: one status
 * line "LEASELINE STATE - text|perfdata", exit 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN; thresholds in the standard range syntax;
 * UNKNOWN on bad arguments, an unreachable agent or a timeout.
 *
 * Four checks of one contract, found by its number (llContractNumber):
 *   state   service and billing state, days overdue, amounts;
 *   due     days to the next due date, against -w / -c;
 *   notice  days left to give notice of non-renewal, against -w / -c;
 *   rates   contracted rates of circuits with an ifIndex against the
 *           interface's IF-MIB ifHighSpeed on the same agent.
 *
 * Every OID is numeric: no MIB file is needed.  Money is integer fen
 * throughout; no floating point anywhere.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/billing.h"
#include "core/money.h"
#include "snmp/mibdef.h"

#ifndef LEASELINE_VERSION
#define LEASELINE_VERSION "unknown"
#endif

#define PROGNAME "check_leaseline"

enum status { ST_OK = 0, ST_WARNING = 1, ST_CRITICAL = 2, ST_UNKNOWN = 3 };

static const char *const status_names[] = {"OK", "WARNING", "CRITICAL",
					   "UNKNOWN"};

enum mode { MODE_STATE, MODE_DUE, MODE_NOTICE, MODE_RATES };

/* ---- OIDs (LEASELINE-MIB, numbered by snmp/mibdef, and IF-MIB) ---- */

#define LL_OBJECTS MIBDEF_ROOT_ARCS, MIBDEF_OBJECTS_ARC

static const oid oid_agent_version[] = {LL_OBJECTS, MIBDEF_AGENT,
					MIB_AGENT_VERSION, 0};
static const oid oid_eval_date[] = {LL_OBJECTS, MIBDEF_AGENT,
				    MIB_EVALUATION_DATE, 0};
/* llContractEntry: + column + llContractIndex */
static const oid oid_contract_entry[] = {LL_OBJECTS, MIBDEF_CONTRACTS,
					 MIBDEF_ENTRY_ARC};
/* llCircuitEntry: + column + llContractIndex + llCircuitIndex */
static const oid oid_circuit_entry[] = {LL_OBJECTS, MIBDEF_CIRCUITS,
					MIBDEF_ENTRY_ARC};
/* IF-MIB::ifHighSpeed: + ifIndex */
static const oid oid_if_high_speed[] = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15};

#define OIDLEN(a) (sizeof(a) / sizeof((a)[0]))

/* The label of value v of a column of llContractEntry, or NULL. */
static const char *
contract_label(unsigned int column, long long v)
{
	return mibdef_label(mibdef_object(MIBDEF_CONTRACTS, column), (long)v);
}

enum { TRUTH_TRUE = 1 }; /* SNMPv2-TC TruthValue */

/* ---- options ---- */

/* A Monitoring Plugins range: alert outside [low, high], or inside
 * with '@'.  Days are whole numbers, so bounds are integers. */
struct range {
	const char *text; /* as given, echoed in the perfdata */
	bool inside;
	bool no_low; /* "~": minus infinity */
	bool no_high;
	long long low;
	long long high;
};

struct options {
	const char *host;
	unsigned int port;
	const char *community;
	long version;
	const char *secname;
	const char *authproto;
	const char *authpass;
	const char *privproto;
	const char *privpass;
	int seclevel; /* -1 until -L or inferred */
	unsigned int timeout;
	const char *warn_text;
	const char *crit_text;
	struct range warn;
	struct range crit;
	const char *contract;
	enum mode mode;
	bool rates_critical;
	int verbose;
};

/* ---- output buffers ---- */

/* The status text and the perfdata, built piece by piece and printed
 * once: nothing reaches stdout before the check is decided. */
struct text {
	char buf[4096];
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
text_add(struct text *t, const char *fmt, ...)
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
static void
text_add_safe(struct text *t, const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && t->len < sizeof(t->buf) - 1; i++) {
		unsigned char c = s[i];

		t->buf[t->len++] =
		    (c < 0x20 || c == 0x7f || c == '|') ? '?' : (char)c;
	}
	t->buf[t->len] = '\0';
}

static void
text_add_str(struct text *t, const char *s)
{
	text_add_safe(t, (const unsigned char *)s, strlen(s));
}

static const char *
plural(long long n, const char *one, const char *many)
{
	return (n == 1 || n == -1) ? one : many;
}

/* Fen as a perfdata number of CNY, "1234.56": money_format's text
 * without its grouping commas. */
static char *
format_fen_plain(ll_fen fen, char *buf)
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
format_kbps(char *out, size_t size, uint64_t kbps)
{
	if (kbps % 1000 == 0)
		snprintf(out, size, "%" PRIu64 "M", kbps / 1000);
	else
		snprintf(out, size, "%" PRIu64 "k", kbps);
}

/* ---- ranges ---- */

/* An optionally signed decimal integer filling [s, end). */
static bool
parse_bound(const char *s, const char *end, long long *v)
{
	const char *p = s;
	char buf[32];
	char *stop;

	if (p < end && *p == '-')
		p++;
	if (p == end || (size_t)(end - s) >= sizeof(buf))
		return false;
	for (; p < end; p++)
		if (*p < '0' || *p > '9')
			return false;
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	errno = 0;
	*v = strtoll(buf, &stop, 10);
	return errno == 0 && *stop == '\0';
}

/*
 * "10" (0..10), "10:" (10..inf), "~:10" (-inf..10), "10:20", and any of
 * them after "@" to alert inside instead of outside.
 */
static int
range_parse(const char *text, struct range *r)
{
	const char *s = text, *colon, *end;

	memset(r, 0, sizeof(*r));
	r->text = text;
	if (*s == '@') {
		r->inside = true;
		s++;
	}
	end = s + strlen(s);
	colon = strchr(s, ':');
	if (colon == NULL) {
		r->low = 0;
		if (!parse_bound(s, end, &r->high))
			return -1;
	} else {
		if (colon - s == 1 && *s == '~')
			r->no_low = true;
		else if (!parse_bound(s, colon, &r->low))
			return -1;
		if (colon + 1 == end)
			r->no_high = true;
		else if (!parse_bound(colon + 1, end, &r->high))
			return -1;
	}
	if (!r->no_low && !r->no_high && r->low > r->high)
		return -1;
	return 0;
}

static bool
range_alerts(const struct range *r, long long v)
{
	bool in = (r->no_low || v >= r->low) && (r->no_high || v <= r->high);

	return r->inside ? in : !in;
}

static enum status
range_status(const struct options *o, long long v)
{
	if (range_alerts(&o->crit, v))
		return ST_CRITICAL;
	if (range_alerts(&o->warn, v))
		return ST_WARNING;
	return ST_OK;
}

/* ---- the SNMP agent ---- */

struct agent {
	void *sess;
	char where[300]; /* "HOST:PORT", for messages */
	unsigned int timeout;
	int verbose;
	char err[512]; /* why the last request failed */
};

static void __attribute__((format(printf, 2, 3)))
agent_fail(struct agent *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
}

static void
format_oid(char *out, size_t size, const oid *name, size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < len && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, ".%lu",
				      (unsigned long)name[i]);
}

/* -vv: every variable the agent returned, on stderr. */
static void
trace_response(const struct agent *a, const netsnmp_pdu *resp)
{
	const netsnmp_variable_list *v;
	char name[MAX_OID_LEN * 12], value[512];

	if (a->verbose < 2)
		return;
	for (v = resp->variables; v != NULL; v = v->next_variable) {
		format_oid(name, sizeof(name), v->name, v->name_length);
		if (snprint_value(value, sizeof(value), v->name, v->name_length,
				  v) < 0)
			snprintf(value, sizeof(value), "(type 0x%02x)",
				 v->type);
		fprintf(stderr, "%s: %s = %s\n", PROGNAME, name, value);
	}
}

/* -vv: every OID asked for, on stderr. */
static void
trace_request(const struct agent *a, const netsnmp_pdu *pdu)
{
	const netsnmp_variable_list *v;
	char name[MAX_OID_LEN * 12];

	if (a->verbose < 2)
		return;
	for (v = pdu->variables; v != NULL; v = v->next_variable) {
		format_oid(name, sizeof(name), v->name, v->name_length);
		fprintf(stderr, "%s: %s %s\n", PROGNAME,
			pdu->command == SNMP_MSG_GETBULK ? "GETBULK" : "GET",
			name);
	}
}

/* Sends PDU (always consumed); the response, or NULL with a->err set. */
static netsnmp_pdu *
agent_request(struct agent *a, netsnmp_pdu *pdu)
{
	netsnmp_pdu *resp = NULL;
	int st, sys_errno = 0, snmp_err = 0;
	char *msg = NULL;

	trace_request(a, pdu);
	st = snmp_sess_synch_response(a->sess, pdu, &resp);
	if (st == STAT_TIMEOUT) {
		agent_fail(a, "no SNMP response from %s within %u s", a->where,
			   a->timeout);
		goto fail;
	}
	if (st != STAT_SUCCESS || resp == NULL) {
		snmp_sess_error(a->sess, &sys_errno, &snmp_err, &msg);
		/* SNMPv3 discovers the engine first: its timeout comes here. */
		if (snmp_err == SNMPERR_TIMEOUT)
			agent_fail(a, "no SNMP response from %s within %u s",
				   a->where, a->timeout);
		else
			agent_fail(a, "SNMP request to %s failed: %s", a->where,
				   msg != NULL ? msg : "unknown error");
		free(msg);
		goto fail;
	}
	if (resp->errstat != SNMP_ERR_NOERROR) {
		agent_fail(a, "the agent at %s answered %s (error index %ld)",
			   a->where, snmp_errstring((int)resp->errstat),
			   resp->errindex);
		goto fail;
	}
	trace_response(a, resp);
	return resp;
fail:
	if (resp != NULL)
		snmp_free_pdu(resp);
	return NULL;
}

/*
 * Calls fn for each variable under root, in order, with GETBULK.
 * fn returns 0 to go on, 1 to stop, -1 on error (setting a->err).
 * Returns 0 when the subtree is done (or fn stopped), -1 on error.
 */
typedef int (*walk_fn)(struct agent *a, const netsnmp_variable_list *v,
		       void *ctx);

static int
agent_walk(struct agent *a, const oid *root, size_t rootlen, walk_fn fn,
	   void *ctx)
{
	oid last[MAX_OID_LEN];
	size_t lastlen = rootlen;
	netsnmp_pdu *pdu, *resp;
	const netsnmp_variable_list *v;
	int rc = 0;

	memcpy(last, root, rootlen * sizeof(oid));
	for (;;) {
		pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
		pdu->non_repeaters = 0;
		pdu->max_repetitions = 25;
		snmp_add_null_var(pdu, last, lastlen);
		resp = agent_request(a, pdu);
		if (resp == NULL)
			return -1;
		if (resp->variables == NULL) {
			snmp_free_pdu(resp);
			return 0;
		}
		for (v = resp->variables; v != NULL; v = v->next_variable) {
			if (v->type == SNMP_ENDOFMIBVIEW ||
			    v->name_length <= rootlen ||
			    snmp_oid_compare(v->name, rootlen, root, rootlen) !=
				0) {
				snmp_free_pdu(resp);
				return 0;
			}
			/* An agent that does not move on would loop. */
			if (snmp_oid_compare(v->name, v->name_length, last,
					     lastlen) <= 0) {
				agent_fail(
				    a,
				    "the agent at %s returned OIDs out of order",
				    a->where);
				snmp_free_pdu(resp);
				return -1;
			}
			memcpy(last, v->name, v->name_length * sizeof(oid));
			lastlen = v->name_length;
			rc = fn(a, v, ctx);
			if (rc != 0) {
				snmp_free_pdu(resp);
				return rc < 0 ? -1 : 0;
			}
		}
		snmp_free_pdu(resp);
	}
}

/* What a GET asks for and what came back. */
enum kind { K_INTEGER, K_UNSIGNED, K_MONEY, K_DATE, K_STRING };

struct cell {
	oid name[MAX_OID_LEN];
	size_t len;
	enum kind kind;
	bool absent; /* noSuchObject / noSuchInstance */
	long long num;
	ll_fen fen; /* K_MONEY: LlMoney, a Counter64 of fen */
	unsigned char str[256];
	size_t str_len;
};

static void
cell_set(struct cell *c, const oid *base, size_t baselen, const oid *sub,
	 size_t sublen, enum kind kind)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->name, base, baselen * sizeof(oid));
	if (sublen > 0) /* a scalar has no index: sub may be NULL */
		memcpy(c->name + baselen, sub, sublen * sizeof(oid));
	c->len = baselen + sublen;
	c->kind = kind;
}

static const char *
kind_name(enum kind k)
{
	switch (k) {
	case K_INTEGER: return "INTEGER";
	case K_UNSIGNED: return "Unsigned32/Gauge32";
	case K_MONEY: return "Counter64";
	case K_DATE: return "DateAndTime";
	case K_STRING: return "OCTET STRING";
	}
	return "?";
}

static int
cell_take(struct agent *a, struct cell *c, const netsnmp_variable_list *v)
{
	char name[MAX_OID_LEN * 12];
	uint64_t u64 = 0;
	bool ok = false;

	if (v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE) {
		c->absent = true;
		return 0;
	}
	switch (c->kind) {
	case K_INTEGER:
		ok = v->type == ASN_INTEGER;
		if (ok)
			c->num = *v->val.integer;
		break;
	case K_UNSIGNED:
		ok = v->type == ASN_GAUGE; /* Unsigned32 has the same tag */
		if (ok)
			c->num = (long long)(*v->val.integer & 0xffffffffUL);
		break;
	case K_MONEY:
		ok = v->type == ASN_COUNTER64;
		if (ok)
			u64 = ((uint64_t)(v->val.counter64->high & 0xffffffffUL)
			       << 32) |
			      (v->val.counter64->low & 0xffffffffUL);
		/* leaselined's amounts are int64 fen: a larger one is no
		 * amount of its (and money_format takes an ll_fen). */
		if (ok && u64 > (uint64_t)INT64_MAX) {
			format_oid(name, sizeof(name), c->name, c->len);
			agent_fail(a,
				   "the agent at %s returned %" PRIu64
				   " for %s, more than any amount",
				   a->where, u64, name);
			return -1;
		}
		c->fen = (ll_fen)u64;
		break;
	case K_DATE:
		ok = v->type == ASN_OCTET_STR &&
		     (v->val_len == 8 || v->val_len == 11);
		if (ok)
			memcpy(c->str, v->val.string, v->val_len);
		c->str_len = ok ? v->val_len : 0;
		break;
	case K_STRING:
		ok = v->type == ASN_OCTET_STR;
		if (ok) {
			c->str_len = v->val_len < sizeof(c->str)
					 ? v->val_len
					 : sizeof(c->str);
			memcpy(c->str, v->val.string, c->str_len);
		}
		break;
	}
	if (!ok) {
		format_oid(name, sizeof(name), c->name, c->len);
		agent_fail(
		    a, "the agent at %s returned type 0x%02x for %s, not %s",
		    a->where, v->type, name, kind_name(c->kind));
		return -1;
	}
	return 0;
}

/* One GET of n cells (n small enough for one PDU). */
static int
agent_get(struct agent *a, struct cell *cells, size_t n)
{
	netsnmp_pdu *pdu, *resp;
	const netsnmp_variable_list *v;
	size_t i;
	int rc = 0;

	pdu = snmp_pdu_create(SNMP_MSG_GET);
	for (i = 0; i < n; i++)
		snmp_add_null_var(pdu, cells[i].name, cells[i].len);
	resp = agent_request(a, pdu);
	if (resp == NULL)
		return -1;
	for (i = 0, v = resp->variables; i < n && v != NULL;
	     i++, v = v->next_variable)
		if (cell_take(a, &cells[i], v) < 0) {
			rc = -1;
			break;
		}
	if (rc == 0 && i < n) {
		agent_fail(a, "the agent at %s answered %zu of %zu variables",
			   a->where, i, n);
		rc = -1;
	}
	snmp_free_pdu(resp);
	return rc;
}

/* A DateAndTime as YYYY-MM-DD; false for the "no date" value. */
static bool
format_date(char *out, size_t size, const struct cell *c)
{
	unsigned int year;

	if (c->str_len < 4)
		return false;
	year = ((unsigned int)c->str[0] << 8) | c->str[1];
	if (year == 0 && c->str[2] == 0 && c->str[3] == 0)
		return false;
	snprintf(out, size, "%04u-%02u-%02u", year, c->str[2], c->str[3]);
	return true;
}

/* ---- finding the contract ---- */

#define LIST_AT_MOST 10

struct find {
	const char *number;
	size_t number_len;
	bool found;
	oid index;
	size_t count;
	struct text names; /* the first LIST_AT_MOST numbers */
};

static int
find_one(struct agent *a, const netsnmp_variable_list *v, void *ctx)
{
	struct find *f = ctx;

	(void)a;
	if (v->type != ASN_OCTET_STR ||
	    v->name_length != OIDLEN(oid_contract_entry) + 2)
		return 0;
	if (v->val_len == f->number_len &&
	    memcmp(v->val.string, f->number, f->number_len) == 0) {
		f->found = true;
		f->index = v->name[v->name_length - 1];
		return 1;
	}
	if (f->count < LIST_AT_MOST) {
		if (f->count > 0)
			text_add(&f->names, ", ");
		text_add_safe(&f->names, v->val.string, v->val_len);
	}
	f->count++;
	return 0;
}

/* Whether LEASELINE-MIB is served at all: tells "no contract" from
 * "leaselined is not connected to snmpd". */
static int
mib_served(struct agent *a, bool *served)
{
	struct cell c;

	cell_set(&c, oid_agent_version, OIDLEN(oid_agent_version), NULL, 0,
		 K_STRING);
	if (agent_get(a, &c, 1) < 0)
		return -1;
	*served = !c.absent;
	return 0;
}

/*
 * Finds the contract's llContractIndex by walking llContractNumber.
 * Returns 0 found, 1 not found (message in out), -1 SNMP error.
 */
static int
contract_find(struct agent *a, const char *number, oid *index, struct text *out)
{
	oid root[OIDLEN(oid_contract_entry) + 1];
	struct find f;
	bool served = false;

	memset(&f, 0, sizeof(f));
	f.number = number;
	f.number_len = strlen(number);
	memcpy(root, oid_contract_entry, sizeof(oid_contract_entry));
	root[OIDLEN(oid_contract_entry)] = MIB_CONTRACT_NUMBER;
	if (agent_walk(a, root, OIDLEN(root), find_one, &f) < 0)
		return -1;
	if (f.found) {
		*index = f.index;
		return 0;
	}
	if (f.count == 0) {
		if (mib_served(a, &served) < 0)
			return -1;
		if (served)
			text_add(out, "the agent at %s serves no contract",
				 a->where);
		else
			text_add(
			    out,
			    "LEASELINE-MIB is not served by the agent at %s (leaselined not running or not connected to snmpd?)",
			    a->where);
		return 1;
	}
	text_add(out, "contract ");
	text_add_str(out, number);
	if (f.count <= LIST_AT_MOST)
		text_add(out, " not found; the agent serves %s", f.names.buf);
	else
		text_add(out,
			 " not found among the %zu contracts the agent serves",
			 f.count);
	return 1;
}

/* ---- the checks ---- */

struct result {
	enum status status;
	struct text line;
	struct text perf;
};

/* "contract NUMBER: " opens every status text about a contract. */
static void
line_contract(struct result *r, const struct options *o)
{
	text_add(&r->line, "contract ");
	text_add_str(&r->line, o->contract);
	text_add(&r->line, ": ");
}

/* The contract's columns cols[0..n), for contract index idx. */
static int
get_columns(struct agent *a, oid idx, const int *cols, const enum kind *kinds,
	    struct cell *cells, size_t n)
{
	size_t i;
	char name[MAX_OID_LEN * 12];

	for (i = 0; i < n; i++) {
		oid sub[2] = {(oid)cols[i], idx};

		cell_set(&cells[i], oid_contract_entry,
			 OIDLEN(oid_contract_entry), sub, 2, kinds[i]);
	}
	if (agent_get(a, cells, n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (cells[i].absent) {
			format_oid(name, sizeof(name), cells[i].name,
				   cells[i].len);
			agent_fail(
			    a,
			    "the agent at %s has no %s (contract removed by a reload, or an older leaselined?)",
			    a->where, name);
			return -1;
		}
	return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
check_state(struct agent *a, const struct options *o, oid idx, struct result *r)
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

	if (get_columns(a, idx, cols, kinds, c, NELEM(cols)) < 0)
		return -1;
	service = contract_label(MIB_CONTRACT_SERVICE_STATE, c[0].num);
	reason = contract_label(MIB_CONTRACT_SUSPENSION_REASON, c[1].num);
	billing = contract_label(MIB_CONTRACT_BILLING_STATE, c[2].num);
	if (service == NULL || reason == NULL || billing == NULL) {
		agent_fail(
		    a,
		    "the agent at %s returned an unknown state (service %lld, reason %lld, billing %lld)",
		    a->where, c[0].num, c[1].num, c[2].num);
		return -1;
	}
	days = c[3].num;
	money_format(c[4].fen, overdue);
	money_format(c[5].fen, fee);
	format_fen_plain(c[4].fen, overdue_p);
	format_fen_plain(c[5].fen, fee_p);

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

	line_contract(r, o);
	text_add(&r->line, "service %s", service);
	if (c[1].num != REASON_NONE)
		text_add(&r->line, " (%s)", reason);
	text_add(
	    &r->line,
	    ", billing %s, %lld %s overdue, overdue %s CNY, late fee %s CNY",
	    billing, days, plural(days, "day", "days"), overdue, fee);
	text_add(&r->perf,
		 "'days_overdue'=%lld;;;0 'overdue'=%s;;;0 'late_fee'=%s;;;0",
		 days, overdue_p, fee_p);
	return 0;
}

static int
check_due(struct agent *a, const struct options *o, oid idx, struct result *r)
{
	static const int cols[] = {MIB_CONTRACT_NEXT_DUE_DATE,
				   MIB_CONTRACT_NEXT_DUE_AMOUNT,
				   MIB_CONTRACT_DAYS_TO_NEXT_DUE};
	static const enum kind kinds[] = {K_DATE, K_MONEY, K_INTEGER};
	struct cell c[NELEM(cols)];
	char date[16], amount[MONEY_STRLEN];
	long long days;

	if (get_columns(a, idx, cols, kinds, c, NELEM(cols)) < 0)
		return -1;
	line_contract(r, o);
	if (!format_date(date, sizeof(date), &c[0])) {
		/* No perfdata: 0 days would graph as "due today". */
		r->status = ST_OK;
		text_add(&r->line, "nothing left to pay");
		return 0;
	}
	days = c[2].num;
	money_format(c[1].fen, amount);
	r->status = range_status(o, days);
	if (days > 0)
		text_add(&r->line, "%s CNY due on %s, in %lld %s", amount, date,
			 days, plural(days, "day", "days"));
	else if (days == 0)
		text_add(&r->line, "%s CNY due on %s, today", amount, date);
	else
		text_add(&r->line, "%s CNY was due on %s, %lld %s ago", amount,
			 date, -days, plural(days, "day", "days"));
	text_add(&r->perf, "'days_to_due'=%lld;%s;%s", days, o->warn.text,
		 o->crit.text);
	return 0;
}

static int
check_notice(struct agent *a, const struct options *o, oid idx,
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

	if (get_columns(a, idx, cols, kinds, c, NELEM(cols)) < 0)
		return -1;
	if (!format_date(term_end, sizeof(term_end), &c[4])) {
		agent_fail(a,
			   "the agent at %s gives no term end for the contract",
			   a->where);
		return -1;
	}
	line_contract(r, o);
	days = c[3].num;
	r->status = ST_OK;
	if (c[0].num != TRUTH_TRUE) {
		text_add(&r->line,
			 "does not renew automatically; term ends on %s",
			 term_end);
	} else if (c[1].num == TRUTH_TRUE) {
		text_add(&r->line,
			 "notice of non-renewal given; term ends on %s",
			 term_end);
	} else if (!format_date(deadline, sizeof(deadline), &c[2])) {
		agent_fail(
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
		text_add(
		    &r->line,
		    "notice deadline %s passed %lld %s ago without notice; renews after %s",
		    deadline, -days, plural(days, "day", "days"), term_end);
	} else {
		r->status = range_status(o, days);
		if (days == 0)
			text_add(
			    &r->line,
			    "last day to give notice of non-renewal (deadline %s, term ends on %s)",
			    deadline, term_end);
		else
			text_add(
			    &r->line,
			    "%lld %s left to give notice of non-renewal (deadline %s, term ends on %s)",
			    days, plural(days, "day", "days"), deadline,
			    term_end);
	}
	text_add(&r->perf, "'days_to_notice'=%lld;%s;%s", days, o->warn.text,
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
collect_circuit(struct agent *a, const netsnmp_variable_list *v, void *ctx)
{
	struct circuits *cs = ctx;
	struct circuit *nv;

	/* llCircuitIfIndex.contract.circuit: nothing deeper is a circuit. */
	if (v->name_length != OIDLEN(oid_circuit_entry) + 3)
		return 0;
	if (v->type != ASN_INTEGER) {
		agent_fail(
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
			agent_fail(a, "out of memory");
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
rate_matches(uint64_t kbps, long long mbps)
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
rate_compare(const struct options *o, const struct circuit *ci,
	     const struct cell *c, struct rate_tally *t)
{
	char down[24], up[24], ifs[24];
	bool ok;

	ok = !c[3].absent && (rate_matches((uint64_t)c[1].num, c[3].num) ||
			      rate_matches((uint64_t)c[2].num, c[3].num));
	if (ok)
		return;
	t->mismatched++;
	if (t->mismatched > RATES_LISTED && o->verbose < 1)
		return;
	if (t->mismatched > 1)
		text_add(&t->list, "; ");
	text_add_safe(&t->list, c[0].str, c[0].str_len);
	if (c[3].absent) {
		text_add(&t->list, " (ifIndex %ld): no such interface",
			 ci->if_index);
		return;
	}
	format_kbps(down, sizeof(down), (uint64_t)c[1].num);
	format_kbps(up, sizeof(up), (uint64_t)c[2].num);
	format_kbps(ifs, sizeof(ifs), (uint64_t)c[3].num * 1000);
	text_add(&t->list, " (ifIndex %ld) %s/%s down/up, interface %s",
		 ci->if_index, down, up, ifs);
}

static int
rates_batch(struct agent *a, const struct options *o, oid idx,
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

		cell_set(&c[4 * i], oid_circuit_entry,
			 OIDLEN(oid_circuit_entry), id, 3, K_STRING);
		cell_set(&c[4 * i + 1], oid_circuit_entry,
			 OIDLEN(oid_circuit_entry), down, 3, K_UNSIGNED);
		cell_set(&c[4 * i + 2], oid_circuit_entry,
			 OIDLEN(oid_circuit_entry), up, 3, K_UNSIGNED);
		cell_set(&c[4 * i + 3], oid_if_high_speed,
			 OIDLEN(oid_if_high_speed), ifx, 1, K_UNSIGNED);
	}
	if (agent_get(a, c, 4 * n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < 3; k++)
			if (c[4 * i + k].absent) {
				format_oid(name, sizeof(name),
					   c[4 * i + k].name, c[4 * i + k].len);
				agent_fail(
				    a,
				    "the agent at %s has no %s (circuit removed by a reload?)",
				    a->where, name);
				return -1;
			}
		rate_compare(o, &ci[i], &c[4 * i], t);
	}
	return 0;
}

static int
check_rates(struct agent *a, const struct options *o, oid idx, struct result *r)
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
	if (agent_walk(a, root, OIDLEN(root), collect_circuit, &cs) < 0)
		goto out;
	line_contract(r, o);
	if (cs.n == 0) {
		r->status = ST_UNKNOWN;
		if (cs.total == 0)
			text_add(&r->line, "the contract has no circuit");
		else
			text_add(
			    &r->line,
			    "no circuit has an ifIndex (llCircuitIfIndex is 0 on all %zu)",
			    cs.total);
		rc = 0;
		goto out;
	}
	for (i = 0; i < cs.n; i += n) {
		n = cs.n - i < RATES_PER_PDU ? cs.n - i : RATES_PER_PDU;
		if (rates_batch(a, o, idx, &cs.v[i], n, &t) < 0)
			goto out;
	}
	if (t.mismatched == 0) {
		r->status = ST_OK;
		text_add(&r->line,
			 "rates match ifHighSpeed on %zu %s with an ifIndex",
			 cs.n, plural((long long)cs.n, "circuit", "circuits"));
	} else {
		r->status = o->rates_critical ? ST_CRITICAL : ST_WARNING;
		text_add(
		    &r->line,
		    "rate differs from ifHighSpeed on %zu of %zu %s with an ifIndex: %s",
		    t.mismatched, cs.n,
		    plural((long long)cs.n, "circuit", "circuits"), t.list.buf);
		if (t.mismatched > RATES_LISTED && o->verbose < 1)
			text_add(&r->line, "; and %zu more",
				 t.mismatched - RATES_LISTED);
	}
	/* Alert when more than 0 differ, at the level --rates-critical says. */
	text_add(
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
static void
add_evaluation_date(struct agent *a, struct result *r)
{
	struct cell c;
	char date[16];

	cell_set(&c, oid_eval_date, OIDLEN(oid_eval_date), NULL, 0, K_DATE);
	if (agent_get(a, &c, 1) == 0 && !c.absent &&
	    format_date(date, sizeof(date), &c))
		text_add(&r->line, " (agent's day %s)", date);
}

/* ---- the session ---- */

struct proto {
	const char *name;
	const oid *oid;
	u_int len;
};

static const struct proto auth_protos[] = {
    {"SHA", usmHMACSHA1AuthProtocol, OIDLEN(usmHMACSHA1AuthProtocol)},
    {"SHA-256", usmHMAC192SHA256AuthProtocol,
     OIDLEN(usmHMAC192SHA256AuthProtocol)},
    {"SHA-512", usmHMAC384SHA512AuthProtocol,
     OIDLEN(usmHMAC384SHA512AuthProtocol)},
#ifndef NETSNMP_DISABLE_MD5
    {"MD5", usmHMACMD5AuthProtocol, OIDLEN(usmHMACMD5AuthProtocol)},
#endif
};

static const struct proto priv_protos[] = {
    {"AES", usmAESPrivProtocol, OIDLEN(usmAESPrivProtocol)},
#ifdef NETSNMP_DRAFT_BLUMENTHAL_AES_04
    {"AES-256", usmAES256PrivProtocol, OIDLEN(usmAES256PrivProtocol)},
#endif
#ifndef NETSNMP_DISABLE_DES
    {"DES", usmDESPrivProtocol, OIDLEN(usmDESPrivProtocol)},
#endif
};

static const struct proto *
proto_find(const struct proto *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(p[i].name, name) == 0)
			return &p[i];
	return NULL;
}

/* The USM keys, from the passphrases as snmpcmd does (RFC 3414 A.2). */
static int
session_v3(netsnmp_session *s, const struct options *o, char *err,
	   size_t errlen)
{
	const struct proto *auth, *priv;

	s->securityName = (char *)o->secname;
	s->securityNameLen = strlen(o->secname);
	s->securityLevel = o->seclevel;
	if (o->seclevel == SNMP_SEC_LEVEL_NOAUTH)
		return 0;
	auth = proto_find(auth_protos, NELEM(auth_protos), o->authproto);
	s->securityAuthProto = (oid *)auth->oid;
	s->securityAuthProtoLen = auth->len;
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (generate_Ku(auth->oid, auth->len, (const u_char *)o->authpass,
			strlen(o->authpass), s->securityAuthKey,
			&s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		snprintf(
		    err, errlen,
		    "cannot derive the %s key from the authentication passphrase (at least 8 characters)",
		    auth->name);
		return -1;
	}
	if (o->seclevel != SNMP_SEC_LEVEL_AUTHPRIV)
		return 0;
	priv = proto_find(priv_protos, NELEM(priv_protos), o->privproto);
	s->securityPrivProto = (oid *)priv->oid;
	s->securityPrivProtoLen = priv->len;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (generate_Ku(auth->oid, auth->len, (const u_char *)o->privpass,
			strlen(o->privpass), s->securityPrivKey,
			&s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		snprintf(
		    err, errlen,
		    "cannot derive the %s key from the privacy passphrase (at least 8 characters)",
		    priv->name);
		return -1;
	}
	return 0;
}

static int
agent_open(struct agent *a, const struct options *o)
{
	netsnmp_session s;
	char peer[300];
	int sys_errno = 0, snmp_err = 0;
	char *msg = NULL;

	/* An IPv6 literal needs brackets before the port. */
	if (strchr(o->host, ':') != NULL && o->host[0] != '[')
		snprintf(peer, sizeof(peer), "udp6:[%s]:%u", o->host, o->port);
	else
		snprintf(peer, sizeof(peer), "%s:%u", o->host, o->port);
	snprintf(a->where, sizeof(a->where), "%s:%u", o->host, o->port);
	a->timeout = o->timeout;
	a->verbose = o->verbose;

	snmp_sess_init(&s);
	s.peername = peer;
	s.version = o->version;
	/* Two tries within 90% of -t: the alarm at -t stays a last resort. */
	s.retries = 1;
	s.timeout = (long)o->timeout * 450000L;
	if (o->version == SNMP_VERSION_3) {
		if (session_v3(&s, o, a->err, sizeof(a->err)) < 0)
			return -1;
	} else {
		s.community = (u_char *)o->community;
		s.community_len = strlen(o->community);
	}
	a->sess = snmp_sess_open(&s);
	if (a->sess == NULL) {
		snmp_error(&s, &sys_errno, &snmp_err, &msg);
		if (snmp_err == SNMPERR_TIMEOUT)
			agent_fail(a, "no SNMP response from %s within %u s",
				   a->where, a->timeout);
		else
			agent_fail(a, "cannot open an SNMP session to %s: %s",
				   a->where,
				   msg != NULL ? msg : "unknown error");
		free(msg);
		return -1;
	}
	return 0;
}

/* ---- the timeout ---- */

static char alarm_line[160];
static size_t alarm_len;

/* Only async-signal-safe calls: the line was written beforehand. */
static void
on_alarm(int sig)
{
	ssize_t n;

	(void)sig;
	n = write(STDOUT_FILENO, alarm_line, alarm_len);
	(void)n;
	_exit(ST_UNKNOWN);
}

static void
arm_timeout(const struct options *o)
{
	struct sigaction sa;
	int n;

	n = snprintf(
	    alarm_line, sizeof(alarm_line),
	    "LEASELINE UNKNOWN - no complete answer from %.100s:%u within %u s (timeout)\n",
	    o->host, o->port, o->timeout);
	alarm_len = n > 0 && (size_t)n < sizeof(alarm_line)
			? (size_t)n
			: strlen(alarm_line);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(o->timeout);
}

/* ---- arguments ---- */

#define USAGE                                                                                   \
	"Usage: " PROGNAME                                                                      \
	" -H HOST --contract NUMBER [--mode state|due|notice|rates]\n"                          \
	"       [-p PORT] [-P 2c|3] [-C COMMUNITY] [-U SECNAME [-L LEVEL] [-a PROTO -A PASS]\n" \
	"       [-x PROTO -X PASS]] [-t TIMEOUT] [-w RANGE] [-c RANGE] [--rates-critical] [-v]\n"

static void
print_help(void)
{
	printf("%s %s (leaseline)\n\n", PROGNAME, LEASELINE_VERSION);
	printf(
	    "Checks one leased-line contract published by leaselined in LEASELINE-MIB:\n"
	    "its service and billing state, the days to its next due date or to its\n"
	    "notice deadline, or its circuits' rates against ifHighSpeed.\n\n");
	printf("%s", USAGE);
	printf(
	    "\nOptions:\n"
	    " -h, --help            print this help and exit (status 3)\n"
	    " -V, --version         print the version and exit (status 3)\n"
	    " -v, --verbose         -v: the agent's day, every mismatching circuit;\n"
	    "                       -vv: also every variable received, on stderr\n"
	    " -H, --hostname=HOST   the SNMP agent (snmpd with leaselined)\n"
	    " -p, --port=PORT       UDP port (default 161)\n"
	    " -P, --protocol=2c|3   SNMP version (default 2c)\n"
	    " -C, --community=STR   SNMPv2c community (default public)\n"
	    " -U, --secname=NAME    SNMPv3 user\n"
	    " -L, --seclevel=LEVEL  noAuthNoPriv, authNoPriv or authPriv (default: from\n"
	    "                       the passphrases given)\n"
	    " -a, --authproto=P     SHA (default), SHA-256, SHA-512 or MD5\n"
	    " -A, --authpasswd=PASS SNMPv3 authentication passphrase\n"
	    " -x, --privproto=P     AES (default), AES-256 or DES\n"
	    " -X, --privpasswd=PASS SNMPv3 privacy passphrase\n"
	    " -t, --timeout=SEC     give up after SEC seconds, UNKNOWN (default 10)\n"
	    " -w, --warning=RANGE   due, notice: WARNING outside RANGE (default 30:)\n"
	    " -c, --critical=RANGE  due, notice: CRITICAL outside RANGE (default 7:)\n"
	    "     --contract=NUMBER the contract number (llContractNumber)\n"
	    "     --mode=MODE       state (default), due, notice or rates\n"
	    "     --rates-critical  rates: a mismatch is CRITICAL, not WARNING\n"
	    "\nRANGE is N (0..N), N: (N or more), ~:N (N or less), N:M, or @N:M to alert\n"
	    "inside; bounds are whole days.  30: warns when fewer than 30 days remain.\n"
	    "Money is in CNY: perfdata 'overdue' and 'late_fee' are CNY with two decimals.\n"
	    "See check_leaseline(8).\n");
}

static enum status __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	printf("LEASELINE UNKNOWN - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n%s", USAGE);
	return ST_UNKNOWN;
}

static bool
parse_uint(const char *s, unsigned long min, unsigned long max,
	   unsigned int *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = (unsigned int)v;
	return true;
}

enum { OPT_CONTRACT = 256, OPT_MODE, OPT_RATES_CRITICAL };

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"verbose", no_argument, NULL, 'v'},
    {"hostname", required_argument, NULL, 'H'},
    {"port", required_argument, NULL, 'p'},
    {"protocol", required_argument, NULL, 'P'},
    {"community", required_argument, NULL, 'C'},
    {"secname", required_argument, NULL, 'U'},
    {"seclevel", required_argument, NULL, 'L'},
    {"authproto", required_argument, NULL, 'a'},
    {"authpasswd", required_argument, NULL, 'A'},
    {"privproto", required_argument, NULL, 'x'},
    {"privpasswd", required_argument, NULL, 'X'},
    {"timeout", required_argument, NULL, 't'},
    {"warning", required_argument, NULL, 'w'},
    {"critical", required_argument, NULL, 'c'},
    {"contract", required_argument, NULL, OPT_CONTRACT},
    {"mode", required_argument, NULL, OPT_MODE},
    {"rates-critical", no_argument, NULL, OPT_RATES_CRITICAL},
    {NULL, 0, NULL, 0},
};

static int
parse_seclevel(const char *s)
{
	if (strcmp(s, "noAuthNoPriv") == 0)
		return SNMP_SEC_LEVEL_NOAUTH;
	if (strcmp(s, "authNoPriv") == 0)
		return SNMP_SEC_LEVEL_AUTHNOPRIV;
	if (strcmp(s, "authPriv") == 0)
		return SNMP_SEC_LEVEL_AUTHPRIV;
	return -1;
}

static int
parse_mode(const char *s, enum mode *m)
{
	static const char *const names[] = {"state", "due", "notice", "rates"};
	size_t i;

	for (i = 0; i < NELEM(names); i++)
		if (strcmp(s, names[i]) == 0) {
			*m = (enum mode)i;
			return 0;
		}
	return -1;
}

/* Consistency of the SNMPv3 options, once all are read. */
static enum status
check_v3(struct options *o)
{
	bool any = o->secname || o->authpass || o->privpass || o->authproto ||
		   o->privproto || o->seclevel >= 0;

	if (o->version != SNMP_VERSION_3)
		return any ? usage_error("-U, -L, -a, -A, -x and -X need -P 3")
			   : ST_OK;
	if (o->secname == NULL)
		return usage_error("-P 3 needs a user name (-U)");
	if (o->seclevel < 0)
		o->seclevel = o->privpass   ? SNMP_SEC_LEVEL_AUTHPRIV
			      : o->authpass ? SNMP_SEC_LEVEL_AUTHNOPRIV
					    : SNMP_SEC_LEVEL_NOAUTH;
	if (o->seclevel != SNMP_SEC_LEVEL_NOAUTH && o->authpass == NULL)
		return usage_error(
		    "-L authNoPriv and authPriv need an authentication passphrase (-A)");
	if (o->seclevel == SNMP_SEC_LEVEL_AUTHPRIV && o->privpass == NULL)
		return usage_error(
		    "-L authPriv needs a privacy passphrase (-X)");
	if (o->seclevel == SNMP_SEC_LEVEL_AUTHPRIV && o->authpass == NULL)
		return usage_error(
		    "-X needs -A too (no privacy without authentication)");
	if (o->authproto == NULL)
		o->authproto = "SHA";
	if (o->privproto == NULL)
		o->privproto = "AES";
	if (proto_find(auth_protos, NELEM(auth_protos), o->authproto) == NULL)
		return usage_error(
		    "unknown authentication protocol '%s' (SHA, SHA-256, SHA-512, MD5)",
		    o->authproto);
	if (proto_find(priv_protos, NELEM(priv_protos), o->privproto) == NULL)
		return usage_error(
		    "unknown privacy protocol '%s' (AES, AES-256, DES)",
		    o->privproto);
	return ST_OK;
}

/* Thresholds: defaults and where they apply. */
static enum status
check_ranges(struct options *o)
{
	bool thresholds = o->mode == MODE_DUE || o->mode == MODE_NOTICE;

	if (!thresholds && (o->warn_text || o->crit_text))
		return usage_error(
		    "-w and -c apply to --mode due and notice only");
	if (o->rates_critical && o->mode != MODE_RATES)
		return usage_error(
		    "--rates-critical applies to --mode rates only");
	if (!thresholds)
		return ST_OK;
	if (o->warn_text == NULL)
		o->warn_text = "30:";
	if (o->crit_text == NULL)
		o->crit_text = "7:";
	if (range_parse(o->warn_text, &o->warn) < 0)
		return usage_error("invalid warning range '%s'", o->warn_text);
	if (range_parse(o->crit_text, &o->crit) < 0)
		return usage_error("invalid critical range '%s'", o->crit_text);
	return ST_OK;
}

/*
 * ST_OK when the check should run; otherwise the exit status, after
 * the help, the version or a usage error has been printed.
 */
static enum status
parse_args(int argc, char **argv, struct options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->port = 161;
	o->community = "public";
	o->version = SNMP_VERSION_2c;
	o->seclevel = -1;
	o->timeout = 10;
	o->mode = MODE_STATE;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "hVvH:p:P:C:U:L:a:A:x:X:t:w:c:",
				long_options, NULL)) != -1) {
		switch (c) {
		case 'h': print_help(); return ST_UNKNOWN;
		case 'V':
			printf("%s %s (leaseline)\n", PROGNAME,
			       LEASELINE_VERSION);
			return ST_UNKNOWN;
		case 'v': o->verbose++; break;
		case 'H': o->host = optarg; break;
		case 'p':
			if (!parse_uint(optarg, 1, 65535, &o->port))
				return usage_error("invalid port '%s'", optarg);
			break;
		case 'P':
			if (strcmp(optarg, "2c") == 0)
				o->version = SNMP_VERSION_2c;
			else if (strcmp(optarg, "3") == 0)
				o->version = SNMP_VERSION_3;
			else
				return usage_error(
				    "invalid protocol '%s': 2c or 3 (LEASELINE-MIB's Counter64 needs SNMPv2c or later)",
				    optarg);
			break;
		case 'C': o->community = optarg; break;
		case 'U': o->secname = optarg; break;
		case 'L':
			o->seclevel = parse_seclevel(optarg);
			if (o->seclevel < 0)
				return usage_error(
				    "invalid security level '%s' (noAuthNoPriv, authNoPriv, authPriv)",
				    optarg);
			break;
		case 'a': o->authproto = optarg; break;
		case 'A': o->authpass = optarg; break;
		case 'x': o->privproto = optarg; break;
		case 'X': o->privpass = optarg; break;
		case 't':
			if (!parse_uint(optarg, 1, 3600, &o->timeout))
				return usage_error(
				    "invalid timeout '%s' (1 to 3600 seconds)",
				    optarg);
			break;
		case 'w': o->warn_text = optarg; break;
		case 'c': o->crit_text = optarg; break;
		case OPT_CONTRACT: o->contract = optarg; break;
		case OPT_MODE:
			if (parse_mode(optarg, &o->mode) < 0)
				return usage_error(
				    "invalid mode '%s' (state, due, notice, rates)",
				    optarg);
			break;
		case OPT_RATES_CRITICAL: o->rates_critical = true; break;
		default:
			return usage_error("invalid option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (o->host == NULL || *o->host == '\0')
		return usage_error("no host (-H)");
	if (o->contract == NULL || *o->contract == '\0')
		return usage_error("no contract (--contract)");
	if (check_v3(o) != ST_OK)
		return ST_UNKNOWN;
	return check_ranges(o);
}

/* ---- main ---- */

/*
 * net-snmp as a plain client: no snmp.conf, no persistent state to
 * read or write (a plugin runs as the monitoring user, often without a
 * home), no MIB files (every OID here is numeric).
 *
 * Its log goes nowhere unless -vv: without a handler it writes to
 * stderr ("Created directory: .../cert_indexes" at init, even with
 * persistence off), which Icinga 2 would append to the plugin output.
 */
static void
library_init(int verbose)
{
	if (verbose >= 2)
		snmp_enable_stderrlog();
	else
		netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS,
			   0);
	setenv("MIBS", "", 1);
	setenv("MIBDIRS", "", 1);
	init_snmp(PROGNAME);
}

static int
run_check(struct agent *a, const struct options *o, struct result *r)
{
	oid idx = 0;
	int rc;

	rc = contract_find(a, o->contract, &idx, &r->line);
	if (rc != 0) {
		r->status = ST_UNKNOWN;
		return rc < 0 ? -1 : 0;
	}
	switch (o->mode) {
	case MODE_STATE: rc = check_state(a, o, idx, r); break;
	case MODE_DUE: rc = check_due(a, o, idx, r); break;
	case MODE_NOTICE: rc = check_notice(a, o, idx, r); break;
	case MODE_RATES: rc = check_rates(a, o, idx, r); break;
	}
	if (rc == 0 && o->verbose >= 1)
		add_evaluation_date(a, r);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct agent a;
	struct result r;
	enum status st;

	st = parse_args(argc, argv, &o);
	if (st != ST_OK)
		return (int)st;
	arm_timeout(&o);
	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	library_init(o.verbose);
	if (agent_open(&a, &o) < 0 || run_check(&a, &o, &r) < 0) {
		r.status = ST_UNKNOWN;
		r.line.len = 0;
		r.perf.len = 0;
		text_add(&r.line, "%s", a.err);
	}
	printf("LEASELINE %s - %s%s%s\n", status_names[r.status], r.line.buf,
	       r.perf.len ? "|" : "", r.perf.buf);
	fflush(stdout);
	alarm(0);
	if (a.sess != NULL)
		snmp_sess_close(a.sess);
	snmp_shutdown(PROGNAME);
	return (int)r.status;
}
