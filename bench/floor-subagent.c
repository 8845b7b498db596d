/*
 * floor-subagent: the AgentX floor of scripts/bench.
 *
 * A minimal net-snmp AgentX subagent that serves one table of ROWS rows
 * and COLS columns under a playpen OID (default
 * NET-SNMP-MIB::netSnmpPlaypen.43, beside LEASELINE-MIB's .42):
 *
 *   BASE.1.1.COL.ROW    COL 1..COLS, ROW 1..ROWS
 *
 * Every value is computed from its row and column (odd columns a short
 * string, even columns a Gauge32), so a GET or a GETNEXT costs O(1) and
 * no memory: what a walk through it costs is the AgentX hop between
 * snmpd and a subagent, and nothing else.  The loop is the one leaselined
 * uses (its own select, no SIGALRM), so the two differ only in what
 * their handlers do.
 *
 * With -T it starts one more thread, which does nothing: a subagent that
 * evaluates or reads a database in a thread of its own (leaselined) pays
 * glibc and the kernel for being multi-threaded on every request (locked
 * malloc, cancellable system calls, shared file table), and -T measures
 * that share of the difference to the floor.
 *
 * Usage: floor-subagent [-n ROWS] [-c COLS] [-x SOCKET] [-o OID] [-p FILE]
 *                       [-T]
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLOOR_NAME	  "floor-subagent"
#define FLOOR_MAX_OID	  64
#define FLOOR_PING	  5 /* seconds between AgentX pings */
#define FLOOR_DEFAULT_OID ".1.3.6.1.4.1.8072.9999.9999.43"

static oid floor_base[FLOOR_MAX_OID]; /* BASE, then 1.1: the entry */
static size_t floor_base_len;
static unsigned long floor_rows = 1000;
static unsigned long floor_cols = 8;
static volatile sig_atomic_t floor_stop;

static void
floor_on_signal(int sig)
{
	(void)sig;
	floor_stop = 1;
}

static void
usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: floor-subagent [-n ROWS] [-c COLS] [-x SOCKET] [-o OID] [-p FILE]\n"
	    "                      [-T]\n"
	    "  -n ROWS    rows of the table (default 1000)\n"
	    "  -c COLS    columns of the table (default 8)\n"
	    "  -x SOCKET  master agent's AgentX socket, as in snmpd\n"
	    "  -o OID     numeric root of the table (default %s)\n"
	    "  -p FILE    write the process id there\n"
	    "  -T         start one idle thread (a multi-threaded floor)\n",
	    FLOOR_DEFAULT_OID);
}

/* The idle thread of -T: blocked for good, never scheduled. */
static void *
floor_idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A cell's value: the same bytes every time it is asked for. */
static void
floor_value(netsnmp_variable_list *vb, unsigned long col, unsigned long row)
{
	char text[64];
	u_long gauge;
	int len;

	if (col % 2 == 1) {
		len = snprintf(text, sizeof(text), "row %lu column %lu", row,
			       col);
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, text, (size_t)len);
	} else {
		gauge = (row * col) & 0xffffffffUL;
		snmp_set_var_typed_value(vb, ASN_GAUGE, &gauge, sizeof(gauge));
	}
}

/*
 * GETNEXT: the first cell after the name (at it, when inclusive) in
 * column-major order.  s is the name relative to BASE.1.1, or NULL when
 * the name comes before BASE.1.1.  Returns false past the last cell.
 */
static bool
floor_next(const oid *s, size_t len, bool inclusive, unsigned long *col,
	   unsigned long *row)
{
	unsigned long c = 1, r = 1;

	if (s != NULL && len >= 1 && s[0] >= 1) {
		c = s[0];
		if (len >= 2) {
			r = s[1];
			/* Past COL.ROW unless it is the very name asked
			 * for inclusively; row 0 is before row 1. */
			if (r == 0)
				r = 1;
			else if (!(inclusive && len == 2))
				r++;
		}
		if (r > floor_rows) {
			c++;
			r = 1;
		}
	}
	if (floor_rows == 0 || c > floor_cols)
		return false;
	*col = c;
	*row = r;
	return true;
}

static int
floor_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
	      netsnmp_agent_request_info *reqinfo,
	      netsnmp_request_info *requests)
{
	size_t entry_len = floor_base_len + 2;

	(void)handler;
	(void)reg;
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		netsnmp_variable_list *vb = req->requestvb;
		const oid *s = NULL;
		size_t len = 0;
		unsigned long col, row;
		int cmp;

		if (req->processed)
			continue;
		cmp = snmp_oidtree_compare(vb->name, vb->name_length,
					   floor_base, entry_len);
		if (cmp == 0) {
			s = vb->name + entry_len;
			len = vb->name_length - entry_len;
		}
		if (reqinfo->mode == MODE_GET) {
			if (cmp == 0 && len == 2 && s[0] >= 1 &&
			    s[0] <= floor_cols && s[1] >= 1 &&
			    s[1] <= floor_rows) {
				floor_value(vb, s[0], s[1]);
			} else {
				netsnmp_set_request_error(
				    reqinfo, req,
				    cmp == 0 && len >= 1 && s[0] >= 1 &&
					    s[0] <= floor_cols
					? SNMP_NOSUCHINSTANCE
					: SNMP_NOSUCHOBJECT);
			}
		} else if (reqinfo->mode == MODE_GETNEXT) {
			oid name[FLOOR_MAX_OID + 4];

			/* Past the table: the agent moves on to the next
			 * registration. */
			if (cmp > 0 ||
			    !floor_next(s, len, req->inclusive, &col, &row))
				continue;
			memcpy(name, floor_base, entry_len * sizeof(oid));
			name[entry_len] = col;
			name[entry_len + 1] = row;
			snmp_set_var_objid(vb, name, entry_len + 2);
			floor_value(vb, col, row);
		}
	}
	return SNMP_ERR_NOERROR;
}

static int
floor_register(void)
{
	netsnmp_handler_registration *reg;

	reg = netsnmp_create_handler_registration(FLOOR_NAME, floor_handler,
						  floor_base, floor_base_len,
						  HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -1;
	return netsnmp_register_handler(reg) == MIB_REGISTERED_OK ? 0 : -1;
}

/* One turn of the loop: AgentX traffic, or the next alarm (the ping). */
static void
floor_turn(void)
{
	int maxfd = 0, block = 0, n;
	netsnmp_large_fd_set fds;
	struct timeval tv = {1, 0};

	netsnmp_large_fd_set_init(&fds, FD_SETSIZE);
	NETSNMP_LARGE_FD_ZERO(&fds);
	snmp_select_info2(&maxfd, &fds, &tv, &block);
	if (block || tv.tv_sec >= 1) {
		tv.tv_sec = 1;
		tv.tv_usec = 0;
	}
	n = netsnmp_large_fd_set_select(maxfd, &fds, NULL, NULL, &tv);
	if (n > 0)
		snmp_read2(&fds);
	else if (n == 0)
		snmp_timeout();
	else if (errno != EINTR)
		fprintf(stderr, "%s: select: %s\n", FLOOR_NAME,
			strerror(errno));
	netsnmp_large_fd_set_cleanup(&fds);
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
}

static int
floor_number(const char *s, const char *what, unsigned long max,
	     unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || v > max) {
		fprintf(stderr,
			"%s: %s \"%s\": expected an integer from 0 to %lu\n",
			FLOOR_NAME, what, s, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* A numeric OID such as ".1.3.6.1" (read_objid needs the MIB loaded). */
static int
floor_parse_oid(const char *s, oid *out, size_t max, size_t *len)
{
	char *end;

	*len = 0;
	if (*s == '.')
		s++;
	while (*s != '\0') {
		if (*s < '0' || *s > '9' || *len == max)
			return -1;
		errno = 0;
		out[(*len)++] = strtoul(s, &end, 10);
		if (errno != 0 || (*end != '.' && *end != '\0'))
			return -1;
		s = *end == '.' ? end + 1 : end;
	}
	return *len >= 2 ? 0 : -1;
}

static int
floor_write_pid(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 ||
	    fclose(f) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", FLOOR_NAME, path,
			strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *agentx = NULL, *root = FLOOR_DEFAULT_OID, *pidfile = NULL;
	struct sigaction sa;
	int ch, status = 1;
	bool threaded = false;
	pthread_t idle;

	while ((ch = getopt(argc, argv, "n:c:x:o:p:Th")) != -1) {
		switch (ch) {
		case 'n':
			if (floor_number(optarg, "-n", 0xffffffffUL,
					 &floor_rows) < 0)
				return 2;
			break;
		case 'c':
			if (floor_number(optarg, "-c", 1000, &floor_cols) < 0)
				return 2;
			break;
		case 'x': agentx = optarg; break;
		case 'o': root = optarg; break;
		case 'p': pidfile = optarg; break;
		case 'T': threaded = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (floor_parse_oid(root, floor_base, FLOOR_MAX_OID - 4,
			    &floor_base_len) < 0) {
		fprintf(stderr, "%s: -o %s: expected a numeric OID\n",
			FLOOR_NAME, root);
		return 2;
	}
	/* The cells are under BASE.1.1 (table.entry), as mib2c would put them.
	 */
	floor_base[floor_base_len] = 1;
	floor_base[floor_base_len + 1] = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = floor_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (pidfile != NULL && floor_write_pid(pidfile) < 0)
		return 1;
	if (threaded && pthread_create(&idle, NULL, floor_idle, NULL) != 0) {
		fprintf(stderr, "%s: cannot start the idle thread\n",
			FLOOR_NAME);
		goto out_pidfile;
	}

	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE,
			       1);
	if (agentx != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
				      NETSNMP_DS_AGENT_X_SOCKET, agentx);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	setenv("MIBS", "", 1);
	snmp_disable_log();
	snmp_enable_stderrlog();

	if (init_agent(FLOOR_NAME) != 0) {
		fprintf(stderr, "%s: cannot initialise the agent library\n",
			FLOOR_NAME);
		goto out_pidfile;
	}
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, FLOOR_PING);
	if (floor_register() < 0) {
		fprintf(stderr, "%s: cannot register %s\n", FLOOR_NAME, root);
		goto out_agent;
	}
	init_snmp(FLOOR_NAME);
	while (!floor_stop)
		floor_turn();
	status = 0;
out_agent:
	snmp_shutdown(FLOOR_NAME);
	shutdown_agent();
out_pidfile:
	if (pidfile != NULL)
		unlink(pidfile);
	return status;
}
