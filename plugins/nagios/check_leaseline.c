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
 *
 * This file: arguments, the session, the timeout and main; the parts
 * are listed in check_leaseline.h.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_leaseline.h"

static const char *const status_names[] = {"OK", "WARNING", "CRITICAL",
					   "UNKNOWN"};

/* ---- ranges ---- */

/* An optionally signed decimal integer filling [s, end). */
static bool
cl_parse_bound(const char *s, const char *end, long long *v)
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
cl_range_parse(const char *text, struct range *r)
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
		if (!cl_parse_bound(s, end, &r->high))
			return -1;
	} else {
		if (colon - s == 1 && *s == '~')
			r->no_low = true;
		else if (!cl_parse_bound(s, colon, &r->low))
			return -1;
		if (colon + 1 == end)
			r->no_high = true;
		else if (!cl_parse_bound(colon + 1, end, &r->high))
			return -1;
	}
	if (!r->no_low && !r->no_high && r->low > r->high)
		return -1;
	return 0;
}

static bool
cl_range_alerts(const struct range *r, long long v)
{
	bool in = (r->no_low || v >= r->low) && (r->no_high || v <= r->high);

	return r->inside ? in : !in;
}

enum status
cl_range_status(const struct options *o, long long v)
{
	if (cl_range_alerts(&o->crit, v))
		return ST_CRITICAL;
	if (cl_range_alerts(&o->warn, v))
		return ST_WARNING;
	return ST_OK;
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
cl_proto_find(const struct proto *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(p[i].name, name) == 0)
			return &p[i];
	return NULL;
}

/* The USM keys, from the passphrases as snmpcmd does (RFC 3414 A.2). */
static int
cl_session_v3(netsnmp_session *s, const struct options *o, char *err,
	      size_t errlen)
{
	const struct proto *auth, *priv;

	s->securityName = (char *)o->secname;
	s->securityNameLen = strlen(o->secname);
	s->securityLevel = o->seclevel;
	if (o->seclevel == SNMP_SEC_LEVEL_NOAUTH)
		return 0;
	auth = cl_proto_find(auth_protos, NELEM(auth_protos), o->authproto);
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
	priv = cl_proto_find(priv_protos, NELEM(priv_protos), o->privproto);
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
cl_agent_open(struct agent *a, const struct options *o)
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
		if (cl_session_v3(&s, o, a->err, sizeof(a->err)) < 0)
			return -1;
	} else {
		s.community = (u_char *)o->community;
		s.community_len = strlen(o->community);
	}
	a->sess = snmp_sess_open(&s);
	if (a->sess == NULL) {
		snmp_error(&s, &sys_errno, &snmp_err, &msg);
		if (snmp_err == SNMPERR_TIMEOUT)
			cl_agent_fail(a, "no SNMP response from %s within %u s",
				      a->where, a->timeout);
		else
			cl_agent_fail(
			    a, "cannot open an SNMP session to %s: %s",
			    a->where, msg != NULL ? msg : "unknown error");
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
cl_on_alarm(int sig)
{
	ssize_t n;

	(void)sig;
	n = write(STDOUT_FILENO, alarm_line, alarm_len);
	(void)n;
	_exit(ST_UNKNOWN);
}

static void
cl_arm_timeout(const struct options *o)
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
	sa.sa_handler = cl_on_alarm;
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
cl_print_help(void)
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
cl_usage_error(const char *fmt, ...)
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
cl_parse_uint(const char *s, unsigned long min, unsigned long max,
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
cl_parse_seclevel(const char *s)
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
cl_parse_mode(const char *s, enum mode *m)
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
cl_check_v3(struct options *o)
{
	bool any = o->secname || o->authpass || o->privpass || o->authproto ||
		   o->privproto || o->seclevel >= 0;

	if (o->version != SNMP_VERSION_3)
		return any ? cl_usage_error(
				 "-U, -L, -a, -A, -x and -X need -P 3")
			   : ST_OK;
	if (o->secname == NULL)
		return cl_usage_error("-P 3 needs a user name (-U)");
	if (o->seclevel < 0)
		o->seclevel = o->privpass   ? SNMP_SEC_LEVEL_AUTHPRIV
			      : o->authpass ? SNMP_SEC_LEVEL_AUTHNOPRIV
					    : SNMP_SEC_LEVEL_NOAUTH;
	if (o->seclevel != SNMP_SEC_LEVEL_NOAUTH && o->authpass == NULL)
		return cl_usage_error(
		    "-L authNoPriv and authPriv need an authentication passphrase (-A)");
	if (o->seclevel == SNMP_SEC_LEVEL_AUTHPRIV && o->privpass == NULL)
		return cl_usage_error(
		    "-L authPriv needs a privacy passphrase (-X)");
	if (o->seclevel == SNMP_SEC_LEVEL_AUTHPRIV && o->authpass == NULL)
		return cl_usage_error(
		    "-X needs -A too (no privacy without authentication)");
	if (o->authproto == NULL)
		o->authproto = "SHA";
	if (o->privproto == NULL)
		o->privproto = "AES";
	if (cl_proto_find(auth_protos, NELEM(auth_protos), o->authproto) ==
	    NULL)
		return cl_usage_error(
		    "unknown authentication protocol '%s' (SHA, SHA-256, SHA-512, MD5)",
		    o->authproto);
	if (cl_proto_find(priv_protos, NELEM(priv_protos), o->privproto) ==
	    NULL)
		return cl_usage_error(
		    "unknown privacy protocol '%s' (AES, AES-256, DES)",
		    o->privproto);
	return ST_OK;
}

/* Thresholds: defaults and where they apply. */
static enum status
cl_check_ranges(struct options *o)
{
	bool thresholds = o->mode == MODE_DUE || o->mode == MODE_NOTICE;

	if (!thresholds && (o->warn_text || o->crit_text))
		return cl_usage_error(
		    "-w and -c apply to --mode due and notice only");
	if (o->rates_critical && o->mode != MODE_RATES)
		return cl_usage_error(
		    "--rates-critical applies to --mode rates only");
	if (!thresholds)
		return ST_OK;
	if (o->warn_text == NULL)
		o->warn_text = "30:";
	if (o->crit_text == NULL)
		o->crit_text = "7:";
	if (cl_range_parse(o->warn_text, &o->warn) < 0)
		return cl_usage_error("invalid warning range '%s'",
				      o->warn_text);
	if (cl_range_parse(o->crit_text, &o->crit) < 0)
		return cl_usage_error("invalid critical range '%s'",
				      o->crit_text);
	return ST_OK;
}

/*
 * ST_OK when the check should run; otherwise the exit status, after
 * the help, the version or a usage error has been printed.
 */
static enum status
cl_parse_args(int argc, char **argv, struct options *o)
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
		case 'h': cl_print_help(); return ST_UNKNOWN;
		case 'V':
			printf("%s %s (leaseline)\n", PROGNAME,
			       LEASELINE_VERSION);
			return ST_UNKNOWN;
		case 'v': o->verbose++; break;
		case 'H': o->host = optarg; break;
		case 'p':
			if (!cl_parse_uint(optarg, 1, 65535, &o->port))
				return cl_usage_error("invalid port '%s'",
						      optarg);
			break;
		case 'P':
			if (strcmp(optarg, "2c") == 0)
				o->version = SNMP_VERSION_2c;
			else if (strcmp(optarg, "3") == 0)
				o->version = SNMP_VERSION_3;
			else
				return cl_usage_error(
				    "invalid protocol '%s': 2c or 3 (LEASELINE-MIB's Counter64 needs SNMPv2c or later)",
				    optarg);
			break;
		case 'C': o->community = optarg; break;
		case 'U': o->secname = optarg; break;
		case 'L':
			o->seclevel = cl_parse_seclevel(optarg);
			if (o->seclevel < 0)
				return cl_usage_error(
				    "invalid security level '%s' (noAuthNoPriv, authNoPriv, authPriv)",
				    optarg);
			break;
		case 'a': o->authproto = optarg; break;
		case 'A': o->authpass = optarg; break;
		case 'x': o->privproto = optarg; break;
		case 'X': o->privpass = optarg; break;
		case 't':
			if (!cl_parse_uint(optarg, 1, 3600, &o->timeout))
				return cl_usage_error(
				    "invalid timeout '%s' (1 to 3600 seconds)",
				    optarg);
			break;
		case 'w': o->warn_text = optarg; break;
		case 'c': o->crit_text = optarg; break;
		case OPT_CONTRACT: o->contract = optarg; break;
		case OPT_MODE:
			if (cl_parse_mode(optarg, &o->mode) < 0)
				return cl_usage_error(
				    "invalid mode '%s' (state, due, notice, rates)",
				    optarg);
			break;
		case OPT_RATES_CRITICAL: o->rates_critical = true; break;
		default:
			return cl_usage_error("invalid option '%s'",
					      argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cl_usage_error("unexpected argument '%s'", argv[optind]);
	if (o->host == NULL || *o->host == '\0')
		return cl_usage_error("no host (-H)");
	if (o->contract == NULL || *o->contract == '\0')
		return cl_usage_error("no contract (--contract)");
	if (cl_check_v3(o) != ST_OK)
		return ST_UNKNOWN;
	return cl_check_ranges(o);
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
cl_library_init(int verbose)
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
cl_run_check(struct agent *a, const struct options *o, struct result *r)
{
	oid idx = 0;
	int rc;

	rc = cl_contract_find(a, o->contract, &idx, &r->line);
	if (rc != 0) {
		r->status = ST_UNKNOWN;
		return rc < 0 ? -1 : 0;
	}
	switch (o->mode) {
	case MODE_STATE: rc = cl_check_state(a, o, idx, r); break;
	case MODE_DUE: rc = cl_check_due(a, o, idx, r); break;
	case MODE_NOTICE: rc = cl_check_notice(a, o, idx, r); break;
	case MODE_RATES: rc = cl_check_rates(a, o, idx, r); break;
	}
	if (rc == 0 && o->verbose >= 1)
		cl_add_evaluation_date(a, r);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct agent a;
	struct result r;
	enum status st;

	st = cl_parse_args(argc, argv, &o);
	if (st != ST_OK)
		return (int)st;
	cl_arm_timeout(&o);
	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	cl_library_init(o.verbose);
	if (cl_agent_open(&a, &o) < 0 || cl_run_check(&a, &o, &r) < 0) {
		r.status = ST_UNKNOWN;
		r.line.len = 0;
		r.perf.len = 0;
		cl_text_add(&r.line, "%s", a.err);
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
