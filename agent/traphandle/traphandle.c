/*
 * leaseline-traphandle: snmptrapd's traphandle for LEASELINE-MIB.
 *
 * snmptrapd runs it once per notification, with on stdin the sender's host
 * name, its transport address ("UDP: [127.0.0.1]:4711->[127.0.0.1]:162"),
 * then one varbind per line, "OID VALUE".  It writes one readable line per
 * LEASELINE-MIB notification, appended to the file named on the command
 * line (or to stdout):
 *
 *   2023-01-31T00:00:02+08:00 llContractSuspended JSCZE2208138CGN00
 *   常州市城市管理局 state=suspended reason=nonpayment since=2023-01-31 ...
 *   from=127.0.0.1                                      (one line)
 *
 * What snmptrapd prints depends on whether it has LEASELINE-MIB loaded:
 *   LEASELINE-MIB::llContractCustomer.1 常州市城市管理局
 *   LEASELINE-MIB::llContractServiceState.1 suspended
 *   LEASELINE-MIB::llContractSuspendedSince.1 2023-1-31,0:0:0.0,+8:0
 * or, without it,
 *   iso.3.6.1.4.1.8072.9999.9999.42.1.2.1.4.1 "E5 B8 B8 E5 B7 9E ... "
 *   iso.3.6.1.4.1.8072.9999.9999.42.1.2.1.26.1 2
 * (hex wrapped over several lines every 16 octets).  Both are read here
 * by resolving each OID to numbers against the few names this module and
 * the SNMP framework use, and by decoding each value by the type of the
 * object it belongs to, so that both give the same line.
 *
 * Robustness rules: any input is survived, nothing but a LEASELINE-MIB
 * notification writes anything, no floating point, and the line goes out
 * in one write(2) to a file opened O_APPEND, so that the lines of
 * handlers running at the same time never interleave.
 *
 * snmptrapd runs its traphandles as root on most systems, in a log
 * directory that may be writable by others: the log is opened with
 * O_NOFOLLOW and O_NONBLOCK and must be a regular file with one name, so
 * that no symbolic link, FIFO, device or hard link in its place leads the
 * line (or a created file) anywhere else, nor makes the handler wait.
 * The exit status is 0, or 1 when a notification's line could not be
 * written (said on stderr and to syslog, since snmptrapd shows neither
 * and does nothing with the status: it is for a person running the
 * handler by hand).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "core/billing.h"
#include "core/day.h"
#include "snmp/mib.h"
#include "core/money.h"
#include "core/text.h"

#ifndef LEASELINE_VERSION
#define LEASELINE_VERSION "unknown"
#endif

#define TRAPHANDLE_PROG	     "leaseline-traphandle"
#define TRAPHANDLE_MAX_INPUT (1024 * 1024) /* a PDU is at most 64 KiB */
#define TRAPHANDLE_MAX_ARCS  128	   /* MAX_OID_LEN of net-snmp */

/* The tables of LEASELINE-MIB, under llObjects. */
#define TRAPHANDLE_AGENT       1
#define TRAPHANDLE_CONTRACT    2
#define TRAPHANDLE_INSTALLMENT 4

static const char traphandle_trap_oid[] = "1.3.6.1.6.3.1.1.4.1.0";

/* How a value is shown. */
enum traphandle_kind {
	TRAPHANDLE_TEXT,    /* SnmpAdminString, UTF-8 */
	TRAPHANDLE_DATE,    /* DateAndTime: YYYY-MM-DD */
	TRAPHANDLE_NUMBER,  /* Integer32, Counter32: decimal */
	TRAPHANDLE_MONEY,   /* LlMoney in fen: 359,600.00 */
	TRAPHANDLE_SERVICE, /* llContractServiceState: its label */
	TRAPHANDLE_REASON,  /* llContractSuspensionReason: its label */
};

/* The objects the notifications carry (mibs/LEASELINE-MIB.txt).  The
 * key is what the line calls them; the contract number and the customer
 * have none, being the line's first two fields. */
struct traphandle_object {
	const char *name;
	int table;
	int column;
	const char *key;
	enum traphandle_kind kind;
};

static const struct traphandle_object traphandle_objects[] = {
    {"llConfigFile", TRAPHANDLE_AGENT, MIB_CONFIG_FILE, "file",
     TRAPHANDLE_TEXT},
    {"llConfigRejects", TRAPHANDLE_AGENT, MIB_CONFIG_REJECTS, "rejects",
     TRAPHANDLE_NUMBER},
    {"llConfigLastError", TRAPHANDLE_AGENT, MIB_CONFIG_LAST_ERROR, "lastError",
     TRAPHANDLE_TEXT},
    {"llContractNumber", TRAPHANDLE_CONTRACT, MIB_CONTRACT_NUMBER, NULL,
     TRAPHANDLE_TEXT},
    {"llContractCustomer", TRAPHANDLE_CONTRACT, MIB_CONTRACT_CUSTOMER, NULL,
     TRAPHANDLE_TEXT},
    {"llContractTermEnd", TRAPHANDLE_CONTRACT, MIB_CONTRACT_TERM_END, "termEnd",
     TRAPHANDLE_DATE},
    {"llContractNoticeDeadline", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_NOTICE_DEADLINE, "noticeDeadline", TRAPHANDLE_DATE},
    {"llContractDaysToNotice", TRAPHANDLE_CONTRACT, MIB_CONTRACT_DAYS_TO_NOTICE,
     "daysToNotice", TRAPHANDLE_NUMBER},
    {"llContractServiceState", TRAPHANDLE_CONTRACT, MIB_CONTRACT_SERVICE_STATE,
     "state", TRAPHANDLE_SERVICE},
    {"llContractSuspensionReason", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_SUSPENSION_REASON, "reason", TRAPHANDLE_REASON},
    {"llContractSuspensionNote", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_SUSPENSION_NOTE, "note", TRAPHANDLE_TEXT},
    {"llContractSuspendedSince", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_SUSPENDED_SINCE, "since", TRAPHANDLE_DATE},
    {"llContractDaysSuspended", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_DAYS_SUSPENDED, "daysSuspended", TRAPHANDLE_NUMBER},
    {"llContractTerminationDate", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_TERMINATION_DATE, "terminationDate", TRAPHANDLE_DATE},
    {"llContractOutstanding", TRAPHANDLE_CONTRACT, MIB_CONTRACT_OUTSTANDING,
     "outstanding", TRAPHANDLE_MONEY},
    {"llContractOverdueAmount", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_OVERDUE_AMOUNT, "overdue", TRAPHANDLE_MONEY},
    {"llContractLateFee", TRAPHANDLE_CONTRACT, MIB_CONTRACT_LATE_FEE, "lateFee",
     TRAPHANDLE_MONEY},
    {"llContractDaysOverdue", TRAPHANDLE_CONTRACT, MIB_CONTRACT_DAYS_OVERDUE,
     "daysOverdue", TRAPHANDLE_NUMBER},
    {"llContractTerminationCharge", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_TERMINATION_CHARGE, "terminationCharge", TRAPHANDLE_MONEY},
    {"llContractTerminationChargeBasis", TRAPHANDLE_CONTRACT,
     MIB_CONTRACT_TERMINATION_CHARGE_BASIS, "chargeBasis", TRAPHANDLE_TEXT},
    {"llContractReclaimDate", TRAPHANDLE_CONTRACT, MIB_CONTRACT_RECLAIM_DATE,
     "reclaimDate", TRAPHANDLE_DATE},
    {"llInstallmentDueDate", TRAPHANDLE_INSTALLMENT, MIB_INSTALLMENT_DUE_DATE,
     "dueDate", TRAPHANDLE_DATE},
    {"llInstallmentDaysToDue", TRAPHANDLE_INSTALLMENT,
     MIB_INSTALLMENT_DAYS_TO_DUE, "daysToDue", TRAPHANDLE_NUMBER},
    {"llInstallmentOutstanding", TRAPHANDLE_INSTALLMENT,
     MIB_INSTALLMENT_OUTSTANDING, "outstanding", TRAPHANDLE_MONEY},
    {"llInstallmentDaysOverdue", TRAPHANDLE_INSTALLMENT,
     MIB_INSTALLMENT_DAYS_OVERDUE, "daysOverdue", TRAPHANDLE_NUMBER},
    {"llInstallmentLateFee", TRAPHANDLE_INSTALLMENT, MIB_INSTALLMENT_LATE_FEE,
     "lateFee", TRAPHANDLE_MONEY},
};

#define TRAPHANDLE_N_OBJECTS                                                   \
	(sizeof(traphandle_objects) / sizeof(traphandle_objects[0]))

/*
 * Names snmptrapd may print for the OIDs this program looks at, with the
 * MIBs it happens to have: the full path of -Of, the SNMPv2-SMI names
 * when SNMPv2-MIB is missing, NET-SNMP-MIB's when only LEASELINE-MIB is.
 */
static const struct {
	const char *name;
	const char *oid;
} traphandle_symbols[] = {
    {"iso", "1"},
    {"org", "1.3"},
    {"dod", "1.3.6"},
    {"internet", "1.3.6.1"},
    {"private", "1.3.6.1.4"},
    {"enterprises", "1.3.6.1.4.1"},
    {"snmpV2", "1.3.6.1.6"},
    {"snmpModules", "1.3.6.1.6.3"},
    {"snmpMIB", "1.3.6.1.6.3.1"},
    {"snmpMIBObjects", "1.3.6.1.6.3.1.1"},
    {"snmpTrap", "1.3.6.1.6.3.1.1.4"},
    {"snmpTrapOID", "1.3.6.1.6.3.1.1.4.1"},
    {"netSnmp", "1.3.6.1.4.1.8072"},
    {"netSnmpExperimental", "1.3.6.1.4.1.8072.9999"},
    {"netSnmpPlaypen", "1.3.6.1.4.1.8072.9999.9999"},
    {"leaselineMIB", "1.3.6.1.4.1.8072.9999.9999.42"},
    {"llNotifications", "1.3.6.1.4.1.8072.9999.9999.42.0"},
    {"llObjects", "1.3.6.1.4.1.8072.9999.9999.42.1"},
    {"llAgent", "1.3.6.1.4.1.8072.9999.9999.42.1.1"},
    {"llContractTable", "1.3.6.1.4.1.8072.9999.9999.42.1.2"},
    {"llContractEntry", "1.3.6.1.4.1.8072.9999.9999.42.1.2.1"},
    {"llInstallmentTable", "1.3.6.1.4.1.8072.9999.9999.42.1.4"},
    {"llInstallmentEntry", "1.3.6.1.4.1.8072.9999.9999.42.1.4.1"},
};

struct traphandle_oid {
	uint32_t arc[TRAPHANDLE_MAX_ARCS];
	size_t len;
};

/* A growing string; once an allocation failed, it stays failed. */
struct traphandle_buf {
	char *p;
	size_t len, cap;
	bool failed;
};

/* One varbind, both halves pointing into the input. */
struct traphandle_varbind {
	char *name;
	char *value;
	bool hinted; /* named by our MIB: printed by its DISPLAY-HINT */
};

/* ---- output buffer ---- */

static void
traphandle_put(struct traphandle_buf *b, const void *data, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
traphandle_puts(struct traphandle_buf *b, const char *s)
{
	traphandle_put(b, s, strlen(s));
}

static void
traphandle_putc(struct traphandle_buf *b, char c)
{
	traphandle_put(b, &c, 1);
}

/* ---- OIDs ---- */

/* Appends the dotted decimal arcs of s; false on anything else. */
static bool
traphandle_numeric(const char *s, size_t n, struct traphandle_oid *o)
{
	size_t i = 0;

	while (i < n) {
		uint64_t v = 0;
		size_t start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (uint64_t)(s[i] - '0');
			if (v > UINT32_MAX)
				return false;
			i++;
		}
		if (i == start || o->len == TRAPHANDLE_MAX_ARCS)
			return false;
		o->arc[o->len++] = (uint32_t)v;
		if (i < n && s[i++] != '.')
			return false;
	}
	return n == 0 || s[n - 1] != '.';
}

/* The OID a symbol of our tables names, replacing *o; false if unknown. */
static bool
traphandle_symbol(const char *s, size_t n, struct traphandle_oid *o)
{
	unsigned int notification;
	char col[64];

	o->len = 0;
	for (size_t i = 0;
	     i < sizeof(traphandle_symbols) / sizeof(traphandle_symbols[0]);
	     i++) {
		const char *name = traphandle_symbols[i].name;

		if (strlen(name) == n && memcmp(name, s, n) == 0)
			return traphandle_numeric(
			    traphandle_symbols[i].oid,
			    strlen(traphandle_symbols[i].oid), o);
	}
	for (size_t i = 0; i < TRAPHANDLE_N_OBJECTS; i++) {
		const struct traphandle_object *ob = &traphandle_objects[i];

		if (strlen(ob->name) != n || memcmp(ob->name, s, n) != 0)
			continue;
		if (ob->table == TRAPHANDLE_AGENT)
			snprintf(col, sizeof(col), "%s.1.1.%d",
				 mib_leaseline_dotted(), ob->column);
		else
			snprintf(col, sizeof(col), "%s.1.%d.1.%d",
				 mib_leaseline_dotted(), ob->table, ob->column);
		return traphandle_numeric(col, strlen(col), o);
	}
	notification = mib_notification_number(s, n);
	if (notification != 0) {
		snprintf(col, sizeof(col), "%s.0.%u", mib_leaseline_dotted(),
			 notification);
		return traphandle_numeric(col, strlen(col), o);
	}
	return false;
}

/*
 * An OID as snmptrapd prints it: "LEASELINE-MIB::llContractNumber.1",
 * "iso.3.6.1.4.1.8072...", ".1.3.6.1...", or the -Of path
 * ".iso.org.dod...".  Each known name restarts the OID at the place it
 * names; an unknown one is forgiven if a known one follows.
 */
static bool
traphandle_resolve(const char *text, struct traphandle_oid *o)
{
	const char *s = text, *colons;
	bool known = true;

	while ((colons = strstr(s, "::")) != NULL)
		s = colons + 2;
	if (*s == '.')
		s++;
	o->len = 0;
	while (*s != '\0') {
		size_t n = strcspn(s, ".");

		if (n == 0)
			return false;
		if (s[0] >= '0' && s[0] <= '9') {
			if (!known || !traphandle_numeric(s, n, o))
				return false;
		} else {
			known = traphandle_symbol(s, n, o);
		}
		s += n;
		if (*s == '.')
			s++;
	}
	return known && o->len > 0;
}

/* Whether o starts with the dotted prefix p; *rest is what follows. */
static bool
traphandle_under(const struct traphandle_oid *o, const char *p, size_t *rest)
{
	struct traphandle_oid pre = {.len = 0};

	if (!traphandle_numeric(p, strlen(p), &pre) || pre.len > o->len)
		return false;
	for (size_t i = 0; i < pre.len; i++)
		if (o->arc[i] != pre.arc[i])
			return false;
	*rest = pre.len;
	return true;
}

/* The notification an snmpTrapOID value names: its number under
 * llNotifications, or 0 when it is not one of LEASELINE-MIB. */
static unsigned
traphandle_notification(const char *value)
{
	struct traphandle_oid o;
	size_t r;

	if (!traphandle_resolve(value, &o) ||
	    !traphandle_under(&o, mib_leaseline_dotted(), &r) ||
	    o.len != r + 2 || o.arc[r] != 0 || o.arc[r + 1] == 0)
		return 0;
	return o.arc[r + 1];
}

/* The object of ours a varbind's name is an instance of, or NULL. */
static const struct traphandle_object *
traphandle_object(const char *name)
{
	struct traphandle_oid o;
	size_t r;
	uint32_t table, column;

	if (!traphandle_resolve(name, &o) ||
	    !traphandle_under(&o, mib_leaseline_dotted(), &r) ||
	    o.len < r + 4 || o.arc[r] != 1)
		return NULL;
	table = o.arc[r + 1];
	if (table == TRAPHANDLE_AGENT) {
		column = o.arc[r + 2];
	} else {
		if (o.arc[r + 2] != 1 || o.len < r + 5)
			return NULL;
		column = o.arc[r + 3];
	}
	for (size_t i = 0; i < TRAPHANDLE_N_OBJECTS; i++)
		if ((uint32_t)traphandle_objects[i].table == table &&
		    (uint32_t)traphandle_objects[i].column == column)
			return &traphandle_objects[i];
	return NULL;
}

static bool
traphandle_is_trap_oid(const char *name)
{
	struct traphandle_oid o;
	size_t r;

	return traphandle_resolve(name, &o) &&
	       traphandle_under(&o, traphandle_trap_oid, &r) && r == o.len;
}

/*
 * Whether a varbind's name ends in the name of one of our objects
 * ("LEASELINE-MIB::llContractCustomer.1"): snmptrapd then has the MIB and
 * prints strings by their DISPLAY-HINT, as they are, without quotes or
 * escapes, so that a note starting with '"' is no quoted string.
 */
static bool
traphandle_hinted(const char *name)
{
	const char *s = name, *colons, *label = NULL;
	size_t n = 0;

	while ((colons = strstr(s, "::")) != NULL)
		s = colons + 2;
	while (*s != '\0') {
		size_t k = strcspn(s, ".");

		if (k > 0 && !(s[0] >= '0' && s[0] <= '9')) {
			label = s;
			n = k;
		}
		s += k;
		if (*s == '.')
			s++;
	}
	for (size_t i = 0; label != NULL && i < TRAPHANDLE_N_OBJECTS; i++)
		if (strlen(traphandle_objects[i].name) == n &&
		    memcmp(traphandle_objects[i].name, label, n) == 0)
			return true;
	return false;
}

/* ---- reading the input ---- */

/* Whether a line starts a varbind rather than continuing the last value:
 * its first word must look like an OID. */
static bool
traphandle_starts_varbind(const char *line, size_t n)
{
	size_t w = 0;
	bool module = false;

	while (w < n && line[w] != ' ')
		w++;
	if (w == 0 || w == n)
		return false;
	for (size_t i = 0; i < w; i++) {
		char c = line[i];

		if (c == ':' && i + 1 < w && line[i + 1] == ':')
			module = true;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == ':' ||
		      c == '-' || c == '_'))
			return false;
	}
	return module || line[0] == '.' || (line[0] >= '0' && line[0] <= '9') ||
	       (w > 4 && memcmp(line, "iso.", 4) == 0);
}

/* Whether a value so far is a quoted string that is not yet closed:
 * net-snmp breaks hex dumps, and strings holding a newline, over lines. */
static bool
traphandle_open_quote(const char *v, size_t n)
{
	size_t bs = 0;

	if (n == 0 || v[0] != '"')
		return false;
	if (n == 1)
		return true;
	if (v[n - 1] != '"')
		return true;
	for (size_t i = n - 1; i > 1 && v[i - 1] == '\\'; i--)
		bs++;
	return bs % 2 == 1; /* the last quote is escaped */
}

/*
 * Cuts the input, in place, into the host line, the address line and the
 * varbinds.  Returns the number of varbinds, or -1 when the input is not
 * snmptrapd's.
 */
static long
traphandle_split(char *in, size_t len, char **host, char **addr,
		 struct traphandle_varbind **out)
{
	struct traphandle_varbind *vb;
	size_t n_lines = 1, n = 0;
	char *p = in, *end = in + len;

	for (size_t i = 0; i < len; i++)
		if (in[i] == '\n')
			n_lines++;
	vb = calloc(n_lines, sizeof(*vb));
	if (vb == NULL)
		return -1;
	for (int k = 0; k < 2; k++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL) {
			free(vb);
			return -1;
		}
		*nl = '\0';
		*(k == 0 ? host : addr) = p;
		p = nl + 1;
	}
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		char *sp;

		if (eol == NULL)
			eol = end;
		if (!traphandle_starts_varbind(p, (size_t)(eol - p))) {
			p = eol + (eol < end); /* noise: skip the line */
			continue;
		}
		sp = memchr(p, ' ', (size_t)(eol - p));
		*sp = '\0';
		vb[n].name = p;
		vb[n].value = sp + 1;
		vb[n].hinted = traphandle_hinted(p);
		/* Take in the lines that continue this value. */
		while (eol + 1 < end) {
			char *next = eol + 1;
			char *e2 = memchr(next, '\n', (size_t)(end - next));

			if (e2 == NULL)
				e2 = end;
			if ((vb[n].hinted ||
			     !traphandle_open_quote(
				 vb[n].value, (size_t)(eol - vb[n].value))) &&
			    traphandle_starts_varbind(next,
						      (size_t)(e2 - next)))
				break;
			eol = e2;
		}
		if (eol < end)
			*eol = '\0';
		n++;
		p = eol + (eol < end);
	}
	*out = vb;
	return (long)n;
}

/* ---- values ---- */

static int
traphandle_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * net-snmp's hex dump of octets it cannot print as text: each octet as
 * two digits and a space, a line break after every 16 ("E5 B8 B8 ").
 * The form is kept to the letter, the last space included, so that a
 * text such as "AB 12" is not taken for one.  Decodes into out (at least
 * n / 3 + 1 bytes); returns the count, or -1 if s is no such dump.
 */
static long
traphandle_unhex(const char *s, size_t n, unsigned char *out)
{
	size_t i = 0, k = 0;

	if (n == 0)
		return -1;
	while (i < n) {
		int hi, lo;

		if (i + 2 >= n || s[i + 2] != ' ')
			return -1;
		hi = traphandle_hexdigit(s[i]);
		lo = traphandle_hexdigit(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[k++] = (unsigned char)(hi << 4 | lo);
		i += 3;
		if (i < n && s[i] == '\n')
			i++;
	}
	return (long)k;
}

/*
 * The octets of a string value: "text" is unquoted (net-snmp escapes
 * '"' and '\'), a hex dump decoded (*dump then says so), a hinted value
 * or anything else taken as it is.  out holds at least strlen(v) + 1
 * bytes.
 */
static size_t
traphandle_octets(const char *v, bool hinted, unsigned char *out, bool *dump)
{
	size_t n = strlen(v), k = 0;
	long h;

	*dump = false;
	if (hinted || n < 2 || v[0] != '"' || traphandle_open_quote(v, n)) {
		memcpy(out, v, n);
		return n;
	}
	v++;
	n -= 2;
	h = traphandle_unhex(v, n, out);
	if (h >= 0) {
		bool text = true;

		/* net-snmp dumps in hex only what it cannot print: octets
		 * that are all printable were a string that merely looks
		 * like a dump. */
		for (long i = 0; i < h; i++)
			if (out[i] < 0x20 || out[i] > 0x7e)
				text = false;
		if (!text) {
			*dump = true;
			return (size_t)h;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n &&
		    (v[i + 1] == '"' || v[i + 1] == '\\'))
			i++;
		out[k++] = (unsigned char)v[i];
	}
	return k;
}

/*
 * Appends octets as one field of the line: control characters become
 * spaces (the line stays one line), octets that are not UTF-8 become
 * \xNN, and the field is quoted when it holds a space, a quote, a
 * backslash or nothing, so that a reader can split the line on spaces.
 */
static void
traphandle_field(struct traphandle_buf *b, const unsigned char *s, size_t n)
{
	struct traphandle_buf f = {0};
	bool quote = n == 0;

	for (size_t i = 0; i < n;) {
		size_t u = text_utf8_char(s + i, n - i, NULL);
		char hex[5];

		if (u == 0) {
			snprintf(hex, sizeof(hex), "\\x%02X", s[i]);
			traphandle_puts(&f, hex);
			quote = true;
			i++;
			continue;
		}
		if (u == 1) {
			char c = (char)s[i];

			if (s[i] < 0x20 || s[i] == 0x7f)
				c = ' ';
			if (c == ' ')
				quote = true;
			if (c == '"' || c == '\\') {
				traphandle_putc(&f, '\\');
				quote = true;
			}
			traphandle_putc(&f, c);
		} else {
			traphandle_put(&f, s + i, u);
		}
		i += u;
	}
	if (f.failed) {
		b->failed = true;
	} else {
		if (quote)
			traphandle_putc(b, '"');
		traphandle_put(b, f.p ? f.p : "", f.len);
		if (quote)
			traphandle_putc(b, '"');
	}
	free(f.p);
}

/* A decimal integer at the start of s (after blanks), as net-snmp prints
 * INTEGER, Integer32, Counter32 and Counter64. */
static bool
traphandle_integer(const char *s, bool *negative, uint64_t *magnitude)
{
	uint64_t v = 0;
	size_t digits = 0;

	while (*s == ' ')
		s++;
	*negative = *s == '-';
	if (*negative)
		s++;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*magnitude = v;
	return digits > 0 && (*s == '\0' || *s == ' ' || *s == '(' ||
			      *s == ')' || *s == '\n');
}

/*
 * A date as net-snmp prints a DateAndTime, "2023-1-31,0:0:0.0,+8:0" with
 * the MIB or its octets without it: the day it names, or LL_NO_DAY for
 * the 8-octet "no date"; false when it is neither.
 */
static bool
traphandle_date(const char *v, bool hinted, ll_day *out)
{
	unsigned char oct[64];
	int y, m, d, used = 0;
	bool dump = false;
	size_t n = 0;

	if (strlen(v) < sizeof(oct))
		n = traphandle_octets(v, hinted, oct, &dump);
	if (dump) {
		if (n != 8 && n != 11)
			return false;
		y = oct[0] << 8 | oct[1];
		m = oct[2];
		d = oct[3];
	} else if (sscanf(v, "%d-%d-%d%n", &y, &m, &d, &used) != 3 ||
		   (v[used] != ',' && v[used] != '\0')) {
		return false;
	}
	if (y == 0 && m == 0 && d == 0) {
		*out = LL_NO_DAY;
		return true;
	}
	if (!day_valid(y, m, d))
		return false;
	*out = day_from_ymd(y, m, d);
	return true;
}

/* An enumeration: from its number ("2", "suspended(2)"), or from its
 * label as the MIB prints it, checked against the agent's names. */
static const char *
traphandle_label(const char *v, enum traphandle_kind kind, char *buf,
		 size_t len)
{
	const char *paren = strchr(v, '(');
	bool neg;
	uint64_t n;

	if (traphandle_integer(paren ? paren + 1 : v, &neg, &n) && !neg &&
	    n < 100) {
		const char *name =
		    kind == TRAPHANDLE_SERVICE
			? billing_service_name((enum billing_service)n)
			: billing_reason_name((enum billing_reason)n);

		if (strcmp(name, "unknown") != 0)
			return name;
		snprintf(buf, len, "%" PRIu64, n);
		return buf;
	}
	return v; /* a label this build does not know: as printed */
}

/* Appends " key=value" for one varbind; nothing for an empty string or
 * "no date", which say only that there is nothing to say. */
static void
traphandle_value(struct traphandle_buf *b, const struct traphandle_object *obj,
		 const struct traphandle_varbind *vb)
{
	enum traphandle_kind kind = obj->kind;
	const char *v = vb->value;
	size_t vlen = strlen(v);
	unsigned char *oct = malloc(vlen + 1);
	char text[MONEY_STRLEN + DAY_STRLEN + 32];
	const char *shown = NULL;
	const unsigned char *field = oct;
	size_t n;
	bool neg, dump;
	uint64_t mag;
	ll_day day;

	if (oct == NULL) {
		b->failed = true;
		return;
	}
	switch (kind) {
	case TRAPHANDLE_DATE:
		if (traphandle_date(v, vb->hinted, &day)) {
			if (day == LL_NO_DAY)
				goto out;
			shown = day_format(day, text);
		}
		break;
	case TRAPHANDLE_MONEY:
		if (traphandle_integer(v, &neg, &mag) && !neg &&
		    mag <= (uint64_t)INT64_MAX)
			shown = money_format((ll_fen)mag, text);
		break;
	case TRAPHANDLE_NUMBER:
		if (traphandle_integer(v, &neg, &mag)) {
			snprintf(text, sizeof(text), "%s%" PRIu64,
				 neg ? "-" : "", mag);
			shown = text;
		}
		break;
	case TRAPHANDLE_SERVICE:
	case TRAPHANDLE_REASON:
		shown = traphandle_label(v, kind, text, sizeof(text));
		break;
	case TRAPHANDLE_TEXT: break;
	}
	if (shown != NULL) {
		n = strlen(shown);
		field = (const unsigned char *)shown;
	} else {
		/* Text, or a value not of the expected form: its octets,
		 * or for a number or a date, its dump as it came. */
		n = traphandle_octets(v, vb->hinted, oct, &dump);
		if (dump && kind != TRAPHANDLE_TEXT) {
			for (n = vlen - 2; n > 0 && v[n] == ' '; n--)
				;
			memcpy(oct, v + 1, n);
		}
		if (n == 0)
			goto out;
	}
	traphandle_putc(b, ' ');
	traphandle_puts(b, obj->key);
	traphandle_putc(b, '=');
	traphandle_field(b, field, n);
out:
	free(oct);
}

/* A text varbind as one of the line's leading fields. */
static void
traphandle_leading(struct traphandle_buf *b,
		   const struct traphandle_varbind *vb)
{
	unsigned char *oct = malloc(strlen(vb->value) + 1);
	bool dump;

	if (oct == NULL) {
		b->failed = true;
		return;
	}
	traphandle_putc(b, ' ');
	traphandle_field(b, oct,
			 traphandle_octets(vb->value, vb->hinted, oct, &dump));
	free(oct);
}

/* The sender: the address in "UDP: [127.0.0.1]:4711->[...]:162", else
 * the host name snmptrapd gave. */
static void
traphandle_from(struct traphandle_buf *b, const char *host, const char *addr)
{
	const char *open = strchr(addr, '['), *close;
	const char *s = host;
	size_t n = strlen(host);

	if (open != NULL && (close = strchr(open, ']')) != NULL &&
	    close > open + 1) {
		s = open + 1;
		n = (size_t)(close - s);
	}
	if (n == 0)
		return;
	traphandle_puts(b, " from=");
	traphandle_field(b, (const unsigned char *)s, n);
}

/* "2026-11-28T19:24:25+08:00": now, in the contracts' time zone. */
static void
traphandle_now(struct traphandle_buf *b)
{
	time_t t = time(NULL) + DAY_TZ_OFFSET_SECONDS;
	struct tm tm;
	char s[40];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S+08:00", &tm) == 0)
		snprintf(s, sizeof(s), "-");
	traphandle_puts(b, s);
}

/*
 * The line for the notification in vb[0..n), or false when it is not one
 * of LEASELINE-MIB's.  The contract number and the customer come first,
 * then every other object of ours in the order sent.
 */
static bool
traphandle_format(struct traphandle_buf *b, const char *host, const char *addr,
		  const struct traphandle_varbind *vb, size_t n)
{
	static const int leading[] = {MIB_CONTRACT_NUMBER,
				      MIB_CONTRACT_CUSTOMER};
	const struct traphandle_object *obj;
	unsigned notification = 0;
	char name[32];

	for (size_t i = 0; i < n && notification == 0; i++)
		if (traphandle_is_trap_oid(vb[i].name))
			notification = traphandle_notification(vb[i].value);
	if (notification == 0)
		return false;
	traphandle_now(b);
	traphandle_putc(b, ' ');
	if (mib_notification_name(notification) != NULL) {
		traphandle_puts(b, mib_notification_name(notification));
	} else {
		/* From a newer agent than this handler: still told. */
		snprintf(name, sizeof(name), "llNotifications.%u",
			 notification);
		traphandle_puts(b, name);
	}
	for (size_t k = 0; k < sizeof(leading) / sizeof(leading[0]); k++)
		for (size_t i = 0; i < n; i++) {
			obj = traphandle_object(vb[i].name);
			if (obj != NULL && obj->table == TRAPHANDLE_CONTRACT &&
			    obj->column == leading[k]) {
				traphandle_leading(b, &vb[i]);
				break;
			}
		}
	for (size_t i = 0; i < n; i++) {
		obj = traphandle_object(vb[i].name);
		if (obj != NULL && obj->key != NULL)
			traphandle_value(b, obj, &vb[i]);
	}
	traphandle_from(b, host, addr);
	traphandle_putc(b, '\n');
	return !b->failed;
}

/* ---- input and output ---- */

/* All of stdin, up to TRAPHANDLE_MAX_INPUT bytes (the rest is read and
 * dropped so that the writer never blocks), NUL-terminated, NULs inside
 * turned into spaces. */
static char *
traphandle_read(int fd, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *in = malloc(cap + 1), sink[4096];

	if (in == NULL)
		return NULL;
	for (;;) {
		ssize_t r;

		if (n == cap && cap < TRAPHANDLE_MAX_INPUT) {
			char *p = realloc(in, cap * 2 + 1);

			if (p == NULL)
				break;
			in = p;
			cap *= 2;
		}
		if (n < cap)
			r = read(fd, in + n, cap - n);
		else
			r = read(fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n < cap)
			n += (size_t)r;
	}
	for (size_t i = 0; i < n; i++)
		if (in[i] == '\0')
			in[i] = ' ';
	in[n] = '\0';
	*len = n;
	return in;
}

static void traphandle_fail(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Why a line is lost, on stderr and to syslog (snmptrapd shows its
 * handlers' stderr only when run in the foreground). */
static void
traphandle_fail(const char *file, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s: %s; this notification's line is not written\n",
		TRAPHANDLE_PROG, file, why);
	openlog(TRAPHANDLE_PROG, LOG_PID, LOG_DAEMON);
	syslog(LOG_ERR, "%s: %s; this notification's line is not written", file,
	       why);
	closelog();
}

/* "a FIFO", for "LOG: a FIFO, not a regular file". */
static const char *
traphandle_kind(mode_t mode)
{
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a file";
}

static void
traphandle_refuse_kind(const char *file, mode_t mode)
{
	if (S_ISLNK(mode))
		traphandle_fail(file,
				"a symbolic link, not a regular file: refused "
				"(snmptrapd may run as root: name the file "
				"itself)");
	else
		traphandle_fail(file, "%s, not a regular file: refused",
				traphandle_kind(mode));
}

/*
 * Opens the log for appending, creating it 0640: never through a symbolic
 * link (O_NOFOLLOW), never waiting on a FIFO without a reader
 * (O_NONBLOCK), and only a regular file with one name.  -1 when refused,
 * said by traphandle_fail.
 */
static int
traphandle_open(const char *file)
{
	struct stat sb;
	int fd, e;

	fd = open(file,
		  O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
		      O_CLOEXEC,
		  0640);
	if (fd < 0) {
		e = errno;
		/* ELOOP (a link), EISDIR, ENXIO (a FIFO without a reader):
		 * name what is there rather than the errno. */
		if (lstat(file, &sb) == 0 && !S_ISREG(sb.st_mode))
			traphandle_refuse_kind(file, sb.st_mode);
		else
			traphandle_fail(file, "%s", strerror(e));
		return -1;
	}
	if (fstat(fd, &sb) < 0) {
		traphandle_fail(file, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		traphandle_refuse_kind(file, sb.st_mode);
		close(fd);
		return -1;
	}
	/* A second name of a file an attacker could not write otherwise
	 * (where fs.protected_hardlinks is off). */
	if (sb.st_nlink != 1) {
		traphandle_fail(file,
				"a file with %ju hard links: refused (another "
				"name of it may be any file)",
				(uintmax_t)sb.st_nlink);
		close(fd);
		return -1;
	}
	return fd;
}

/* One write(2) of the whole line: with O_APPEND the kernel puts it at
 * the end in one piece, whoever else is appending.  0 when written. */
static int
traphandle_write(const char *file, const char *line, size_t len)
{
	int fd = STDOUT_FILENO;
	ssize_t w;

	if (file != NULL && (fd = traphandle_open(file)) < 0)
		return -1;
	do
		w = write(fd, line, len);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len)
		traphandle_fail(file ? file : "stdout", "%s",
				w < 0 ? strerror(errno) : "short write");
	if (file != NULL)
		close(fd);
	return w >= 0 && (size_t)w == len ? 0 : -1;
}

static void
traphandle_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [LOGFILE]\n"
		"snmptrapd's traphandle for LEASELINE-MIB: reads one "
		"notification on stdin\nand appends one line about it to "
		"LOGFILE (or writes it to stdout).\nIn snmptrapd.conf:\n"
		"  traphandle default /usr/local/sbin/%s "
		"/var/log/leaseline/notifications.log\n"
		"LOGFILE must be a regular file with one name, or not exist "
		"yet (it is then\ncreated, mode 0640).  Exit status 0, or 1 "
		"when the line could not be written.\n",
		TRAPHANDLE_PROG, TRAPHANDLE_PROG);
}

int
main(int argc, char **argv)
{
	struct traphandle_buf line = {0};
	struct traphandle_varbind *vb = NULL;
	const char *file = NULL;
	char *in, *host, *addr;
	size_t len = 0;
	int rc = 0;
	long n;

	if (argc > 1 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		traphandle_usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", TRAPHANDLE_PROG, LEASELINE_VERSION);
		return 0;
	}
	if (argc > 2) {
		/* Still exit 0: snmptrapd cannot fix its own configuration,
		 * and a line written to the first file loses nothing. */
		fprintf(stderr, "%s: extra arguments ignored\n",
			TRAPHANDLE_PROG);
	}
	if (argc > 1 && argv[1][0] != '\0')
		file = argv[1];
	in = traphandle_read(STDIN_FILENO, &len);
	if (in == NULL)
		return 0;
	n = traphandle_split(in, len, &host, &addr, &vb);
	if (n >= 0 && traphandle_format(&line, host, addr, vb, (size_t)n) &&
	    traphandle_write(file, line.p, line.len) < 0)
		rc = 1;
	free(line.p);
	free(vb);
	free(in);
	return rc;
}
