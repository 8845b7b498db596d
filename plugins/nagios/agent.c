/*
 * agent.c: check_leaseline's requests to the agent (see check_leaseline.h):
 * GET of typed cells, walks with GETBULK, the contract found by its
 * number.  Each failure is said once, in struct agent's err, for the
 * UNKNOWN line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_leaseline.h"

/* ---- LEASELINE-MIB ---- */

/* The label of value v of a column of llContractEntry, or NULL. */
const char *
cl_contract_label(unsigned int column, long long v)
{
	return mibdef_label(mibdef_object(MIBDEF_CONTRACTS, column), (long)v);
}

/* ---- the SNMP agent ---- */

void __attribute__((format(printf, 2, 3)))
cl_agent_fail(struct agent *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
}

void
cl_format_oid(char *out, size_t size, const oid *name, size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < len && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, ".%lu",
				      (unsigned long)name[i]);
}

/* -vv: every variable the agent returned, on stderr. */
static void
cl_trace_response(const struct agent *a, const netsnmp_pdu *resp)
{
	const netsnmp_variable_list *v;
	char name[MAX_OID_LEN * 12], value[512];

	if (a->verbose < 2)
		return;
	for (v = resp->variables; v != NULL; v = v->next_variable) {
		cl_format_oid(name, sizeof(name), v->name, v->name_length);
		if (snprint_value(value, sizeof(value), v->name, v->name_length,
				  v) < 0)
			snprintf(value, sizeof(value), "(type 0x%02x)",
				 v->type);
		fprintf(stderr, "%s: %s = %s\n", PROGNAME, name, value);
	}
}

/* -vv: every OID asked for, on stderr. */
static void
cl_trace_request(const struct agent *a, const netsnmp_pdu *pdu)
{
	const netsnmp_variable_list *v;
	char name[MAX_OID_LEN * 12];

	if (a->verbose < 2)
		return;
	for (v = pdu->variables; v != NULL; v = v->next_variable) {
		cl_format_oid(name, sizeof(name), v->name, v->name_length);
		fprintf(stderr, "%s: %s %s\n", PROGNAME,
			pdu->command == SNMP_MSG_GETBULK ? "GETBULK" : "GET",
			name);
	}
}

/* Sends PDU (always consumed); the response, or NULL with a->err set. */
static netsnmp_pdu *
cl_agent_request(struct agent *a, netsnmp_pdu *pdu)
{
	netsnmp_pdu *resp = NULL;
	int st, sys_errno = 0, snmp_err = 0;
	char *msg = NULL;

	cl_trace_request(a, pdu);
	st = snmp_sess_synch_response(a->sess, pdu, &resp);
	if (st == STAT_TIMEOUT) {
		cl_agent_fail(a, "no SNMP response from %s within %u s",
			      a->where, a->timeout);
		goto fail;
	}
	if (st != STAT_SUCCESS || resp == NULL) {
		snmp_sess_error(a->sess, &sys_errno, &snmp_err, &msg);
		/* SNMPv3 discovers the engine first: its timeout comes here. */
		if (snmp_err == SNMPERR_TIMEOUT)
			cl_agent_fail(a, "no SNMP response from %s within %u s",
				      a->where, a->timeout);
		else
			cl_agent_fail(a, "SNMP request to %s failed: %s",
				      a->where,
				      msg != NULL ? msg : "unknown error");
		free(msg);
		goto fail;
	}
	if (resp->errstat != SNMP_ERR_NOERROR) {
		cl_agent_fail(a,
			      "the agent at %s answered %s (error index %ld)",
			      a->where, snmp_errstring((int)resp->errstat),
			      resp->errindex);
		goto fail;
	}
	cl_trace_response(a, resp);
	return resp;
fail:
	if (resp != NULL)
		snmp_free_pdu(resp);
	return NULL;
}

int
cl_agent_walk(struct agent *a, const oid *root, size_t rootlen, walk_fn fn,
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
		resp = cl_agent_request(a, pdu);
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
				cl_agent_fail(
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

void
cl_cell_set(struct cell *c, const oid *base, size_t baselen, const oid *sub,
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
cl_kind_name(enum kind k)
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
cl_cell_take(struct agent *a, struct cell *c, const netsnmp_variable_list *v)
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
			cl_format_oid(name, sizeof(name), c->name, c->len);
			cl_agent_fail(a,
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
		cl_format_oid(name, sizeof(name), c->name, c->len);
		cl_agent_fail(
		    a, "the agent at %s returned type 0x%02x for %s, not %s",
		    a->where, v->type, name, cl_kind_name(c->kind));
		return -1;
	}
	return 0;
}

/* One GET of n cells (n small enough for one PDU). */
int
cl_agent_get(struct agent *a, struct cell *cells, size_t n)
{
	netsnmp_pdu *pdu, *resp;
	const netsnmp_variable_list *v;
	size_t i;
	int rc = 0;

	pdu = snmp_pdu_create(SNMP_MSG_GET);
	for (i = 0; i < n; i++)
		snmp_add_null_var(pdu, cells[i].name, cells[i].len);
	resp = cl_agent_request(a, pdu);
	if (resp == NULL)
		return -1;
	for (i = 0, v = resp->variables; i < n && v != NULL;
	     i++, v = v->next_variable)
		if (cl_cell_take(a, &cells[i], v) < 0) {
			rc = -1;
			break;
		}
	if (rc == 0 && i < n) {
		cl_agent_fail(a,
			      "the agent at %s answered %zu of %zu variables",
			      a->where, i, n);
		rc = -1;
	}
	snmp_free_pdu(resp);
	return rc;
}

/* A DateAndTime as YYYY-MM-DD; false for the "no date" value. */
bool
cl_format_date(char *out, size_t size, const struct cell *c)
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
cl_find_one(struct agent *a, const netsnmp_variable_list *v, void *ctx)
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
			cl_text_add(&f->names, ", ");
		cl_text_add_safe(&f->names, v->val.string, v->val_len);
	}
	f->count++;
	return 0;
}

/* Whether LEASELINE-MIB is served at all: tells "no contract" from
 * "leaselined is not connected to snmpd". */
static int
cl_mib_served(struct agent *a, bool *served)
{
	struct cell c;

	cl_cell_set(&c, oid_agent_version, OIDLEN(oid_agent_version), NULL, 0,
		    K_STRING);
	if (cl_agent_get(a, &c, 1) < 0)
		return -1;
	*served = !c.absent;
	return 0;
}

/*
 * Finds the contract's llContractIndex by walking llContractNumber.
 * Returns 0 found, 1 not found (message in out), -1 SNMP error.
 */
int
cl_contract_find(struct agent *a, const char *number, oid *index,
		 struct text *out)
{
	oid root[OIDLEN(oid_contract_entry) + 1];
	struct find f;
	bool served = false;

	memset(&f, 0, sizeof(f));
	f.number = number;
	f.number_len = strlen(number);
	memcpy(root, oid_contract_entry, sizeof(oid_contract_entry));
	root[OIDLEN(oid_contract_entry)] = MIB_CONTRACT_NUMBER;
	if (cl_agent_walk(a, root, OIDLEN(root), cl_find_one, &f) < 0)
		return -1;
	if (f.found) {
		*index = f.index;
		return 0;
	}
	if (f.count == 0) {
		if (cl_mib_served(a, &served) < 0)
			return -1;
		if (served)
			cl_text_add(out, "the agent at %s serves no contract",
				    a->where);
		else
			cl_text_add(
			    out,
			    "LEASELINE-MIB is not served by the agent at %s (leaselined not running or not connected to snmpd?)",
			    a->where);
		return 1;
	}
	cl_text_add(out, "contract ");
	cl_text_add_str(out, number);
	if (f.count <= LIST_AT_MOST)
		cl_text_add(out, " not found; the agent serves %s",
			    f.names.buf);
	else
		cl_text_add(
		    out, " not found among the %zu contracts the agent serves",
		    f.count);
	return 1;
}
