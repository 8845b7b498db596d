/*
 * getloop: GET latency as an agent sees it, for scripts/bench.
 *
 * Sends COUNT SNMPv2c GET requests for one OID, one after the other over
 * a single session (snmp_synch_response), and prints how long each took
 * in microseconds, one per line; or with -s one line of figures:
 *
 *   count N min US median US p99 US max US
 *
 * (percentiles by nearest rank).  One process and one socket for all the
 * requests, so that what is timed is the agent, not the start of a
 * process.  A few requests first are not counted (-w).  Exits 1 as soon
 * as a request fails, times out or answers with an exception, saying
 * which.
 *
 * With -l (live), for tests that watch an agent while something happens
 * to it: one line a request as soon as it is answered,
 *
 *   TIME LATENCY VALUE     (TIME: epoch seconds.microseconds when sent)
 *   TIME timeout           (no answer within -t: counted, not fatal)
 *
 * VALUE the integer of OID2, asked in the same GET ("-" without OID2);
 * it goes on through timeouts, until COUNT requests or a SIGTERM.
 *
 * With -b VARBINDS (a walk, or a slice of one), it walks instead as
 * snmpbulkwalk does (GETBULK, -r max-repetitions, from OID, within its
 * subtree, one retry) but prints nothing of what it walks, and stops
 * after VARBINDS varbinds or at the end of the subtree or of the MIB
 * view, whichever comes first.  Given several OIDs, it walks their
 * subtrees in turns, -i VARBINDS of one, then of the next: agents walked
 * side by side that way see the same moments of a busy machine, down to
 * a few milliseconds.  It prints, an OID a line,
 *
 *   varbinds N usec U      (U: the time its requests took)
 *
 * so that scripts/bench can walk the first VARBINDS of a table of a
 * million rows, and the floor beside leaselined.  Asking a multiple of
 * -r gets exactly VARBINDS.
 *
 * Usage: getloop [-n COUNT] [-w WARMUP] [-c COMMUNITY] [-t SECONDS] [-s]
 *                [-l] AGENT OID [OID2]
 *        getloop -b VARBINDS [-i VARBINDS] [-r REPETITIONS] [-c COMMUNITY]
 *                [-t SECONDS] AGENT OID [OID...]
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GETLOOP_NAME "getloop"

static void
usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: getloop [-n COUNT] [-w WARMUP] [-c COMMUNITY] [-t SECONDS]\n"
	    "               [-s] [-l] AGENT OID [OID2]\n"
	    "       getloop -b VARBINDS [-i VARBINDS] [-r REPETITIONS]\n"
	    "               [-c COMMUNITY] [-t SECONDS] AGENT OID [OID...]\n"
	    "  -n COUNT      requests timed (default 1000)\n"
	    "  -w WARMUP     requests sent first, not timed (default 10)\n"
	    "  -c COMMUNITY  SNMPv2c community (default public)\n"
	    "  -t SECONDS    timeout of one request (default 5)\n"
	    "  -s            print min, median, p99 and max, not each\n"
	    "  -l            live: a line a request (time sent, latency or\n"
	    "                \"timeout\", OID2's integer); timeouts go on\n"
	    "  AGENT         as for snmpget, e.g. udp:127.0.0.1:1161\n"
	    "  OID           numeric, e.g. .1.3.6.1.2.1.1.3.0\n"
	    "  OID2          numeric, an integer asked with OID (-l)\n"
	    "  -b VARBINDS   walk (GETBULK) from OID within its subtree, at\n"
	    "                most VARBINDS varbinds; print how many, and how\n"
	    "                long it took; several OIDs are walked in turns\n"
	    "  -i VARBINDS   varbinds of one OID's walk before the next's turn\n"
	    "                (default: all of them)\n"
	    "  -r REPS       max-repetitions of each GETBULK (default 50)\n");
}

static int
getloop_number(const char *s, const char *what, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr,
			"%s: %s \"%s\": expected an integer from %ld to %ld\n",
			GETLOOP_NAME, what, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static long
getloop_usec(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000L +
	       (b->tv_nsec - a->tv_nsec) / 1000L;
}

/* One GET of name (and name2 when len2 > 0, its integer in *value); 0
 * when the agent answered with a value, 1 on a timeout, else -1. */
static int
getloop_get(netsnmp_session *ss, const oid *name, size_t len, const oid *name2,
	    size_t len2, long *value)
{
	netsnmp_pdu *pdu, *resp = NULL;
	netsnmp_variable_list *v2;
	int st, rc = -1;

	pdu = snmp_pdu_create(SNMP_MSG_GET);
	if (pdu == NULL) {
		fprintf(stderr, "%s: out of memory\n", GETLOOP_NAME);
		return -1;
	}
	snmp_add_null_var(pdu, name, len);
	if (len2 > 0)
		snmp_add_null_var(pdu, name2, len2);
	st = snmp_synch_response(ss, pdu, &resp);
	if (st == STAT_TIMEOUT) {
		fprintf(stderr, "%s: timeout from %s\n", GETLOOP_NAME,
			ss->peername);
		rc = 1;
	} else if (st != STAT_SUCCESS || resp == NULL) {
		snmp_sess_perror(GETLOOP_NAME, ss);
	} else if (resp->errstat != SNMP_ERR_NOERROR) {
		fprintf(stderr, "%s: error in response: %s\n", GETLOOP_NAME,
			snmp_errstring((int)resp->errstat));
	} else if (resp->variables == NULL ||
		   resp->variables->type == SNMP_NOSUCHOBJECT ||
		   resp->variables->type == SNMP_NOSUCHINSTANCE ||
		   resp->variables->type == SNMP_ENDOFMIBVIEW) {
		fprintf(stderr, "%s: no value for the OID asked for\n",
			GETLOOP_NAME);
	} else if (len2 > 0 &&
		   ((v2 = resp->variables->next_variable) == NULL ||
		    v2->val.integer == NULL ||
		    (v2->type != ASN_INTEGER && v2->type != ASN_COUNTER &&
		     v2->type != ASN_GAUGE && v2->type != ASN_UNSIGNED))) {
		fprintf(stderr, "%s: no integer for the second OID\n",
			GETLOOP_NAME);
	} else {
		if (len2 > 0)
			*value = *resp->variables->next_variable->val.integer;
		rc = 0;
	}
	if (resp != NULL)
		snmp_free_pdu(resp);
	return rc;
}

/* One subtree walked with -b: where its walk is, and what it took. */
struct getloop_walk {
	oid root[MAX_OID_LEN];
	size_t root_len;
	oid name[MAX_OID_LEN]; /* the last name walked; root at first */
	size_t len;
	long n;	   /* varbinds walked */
	long usec; /* the time its requests took */
	bool done; /* past its subtree, or its MIB view */
};

/* Up to max more varbinds of w's walk (GETBULK of reps repetitions, one
 * request after the other).  0 when walked, -1 on a failure (said on
 * stderr). */
static int
getloop_walk(netsnmp_session *ss, struct getloop_walk *w, long reps, long max)
{
	long end = w->n + max;
	struct timespec t0, t1;

	while (!w->done && w->n < end) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK),
			    *resp = NULL;
		int st;

		if (pdu == NULL) {
			fprintf(stderr, "%s: out of memory\n", GETLOOP_NAME);
			return -1;
		}
		pdu->non_repeaters = 0;
		pdu->max_repetitions = reps < end - w->n ? reps : end - w->n;
		snmp_add_null_var(pdu, w->name, w->len);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		st = snmp_synch_response(ss, pdu, &resp);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		w->usec += getloop_usec(&t0, &t1);
		if (st != STAT_SUCCESS || resp == NULL ||
		    resp->errstat != SNMP_ERR_NOERROR) {
			if (st == STAT_SUCCESS && resp != NULL)
				fprintf(stderr, "%s: error in response: %s\n",
					GETLOOP_NAME,
					snmp_errstring((int)resp->errstat));
			else
				snmp_sess_perror(GETLOOP_NAME, ss);
			if (resp != NULL)
				snmp_free_pdu(resp);
			return -1;
		}
		w->done = resp->variables == NULL;
		for (netsnmp_variable_list *v = resp->variables; v && !w->done;
		     v = v->next_variable) {
			if (v->type == SNMP_ENDOFMIBVIEW ||
			    v->type == SNMP_NOSUCHOBJECT ||
			    v->type == SNMP_NOSUCHINSTANCE ||
			    snmp_oidtree_compare(w->root, w->root_len, v->name,
						 v->name_length) != 0) {
				w->done = true;
			} else if (w->n == end) {
				break;
			} else if (snmp_oid_compare(v->name, v->name_length,
						    w->name, w->len) <= 0 ||
				   v->name_length > MAX_OID_LEN) {
				fprintf(stderr, "%s: OID not increasing\n",
					GETLOOP_NAME);
				snmp_free_pdu(resp);
				return -1;
			} else {
				w->len = v->name_length;
				memcpy(w->name, v->name, w->len * sizeof(oid));
				w->n++;
			}
		}
		snmp_free_pdu(resp);
	}
	return 0;
}

/* The walks of -b, in turns of turn varbinds, until each has walked max
 * or its subtree; a line each.  0, or -1 on a failure. */
static int
getloop_walks(netsnmp_session *ss, struct getloop_walk *w, size_t nw, long reps,
	      long max, long turn)
{
	bool more = true;

	while (more) {
		more = false;
		for (size_t i = 0; i < nw; i++) {
			long left = max - w[i].n;

			if (w[i].done || left <= 0)
				continue;
			if (getloop_walk(ss, &w[i], reps,
					 turn < left ? turn : left) < 0)
				return -1;
			more = more || (!w[i].done && w[i].n < max);
		}
	}
	for (size_t i = 0; i < nw; i++)
		printf("varbinds %ld usec %ld\n", w[i].n, w[i].usec);
	return 0;
}

static int
getloop_compare(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile p (0 < p <= 100) of sorted v[0..n). */
static long
getloop_rank(const long *v, long n, long p)
{
	long k = (p * n + 99) / 100;

	return v[k > 0 ? k - 1 : 0];
}

int
main(int argc, char **argv)
{
	const char *community = "public";
	long count = 1000, warmup = 10, timeout = 5, *lat = NULL;
	long slice = 0, reps = 50, turn = 0;
	struct getloop_walk *walks = NULL;
	size_t nwalks = 0;
	oid name[MAX_OID_LEN], name2[MAX_OID_LEN];
	size_t name_len = MAX_OID_LEN, name2_len = 0;
	netsnmp_session init, *ss;
	bool summary = false, live = false;
	int ch, status = 1;
	long value = 0;

	while ((ch = getopt(argc, argv, "n:w:c:t:slb:i:r:h")) != -1) {
		switch (ch) {
		case 'n':
			if (getloop_number(optarg, "-n", 1, 10000000, &count))
				return 2;
			break;
		case 'w':
			if (getloop_number(optarg, "-w", 0, 1000000, &warmup))
				return 2;
			break;
		case 't':
			if (getloop_number(optarg, "-t", 1, 3600, &timeout))
				return 2;
			break;
		case 'b':
			if (getloop_number(optarg, "-b", 1, 1000000000, &slice))
				return 2;
			break;
		case 'i':
			if (getloop_number(optarg, "-i", 1, 1000000000, &turn))
				return 2;
			break;
		case 'r':
			if (getloop_number(optarg, "-r", 1, 1000, &reps))
				return 2;
			break;
		case 'c': community = optarg; break;
		case 's': summary = true; break;
		case 'l': live = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind < 2 || (argc - optind > 2 && slice == 0 &&
				  !(live && argc - optind == 3))) {
		usage(stderr);
		return 2;
	}

	/* Numeric OIDs only: no MIB to load, nothing to read at start. */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_snmp(GETLOOP_NAME);
	if (slice > 0) {
		nwalks = (size_t)(argc - optind - 1);
		walks = calloc(nwalks, sizeof(*walks));
		if (walks == NULL) {
			fprintf(stderr, "%s: out of memory\n", GETLOOP_NAME);
			goto out_snmp;
		}
		for (size_t i = 0; i < nwalks; i++) {
			const char *arg = argv[optind + 1 + (int)i];

			walks[i].root_len = MAX_OID_LEN;
			if (read_objid(arg, walks[i].root,
				       &walks[i].root_len) == 0) {
				fprintf(stderr,
					"%s: %s: expected a numeric OID\n",
					GETLOOP_NAME, arg);
				goto out_snmp;
			}
			walks[i].len = walks[i].root_len;
			memcpy(walks[i].name, walks[i].root,
			       walks[i].len * sizeof(oid));
		}
	} else {
		/* GETs: the OID, the second one, their latencies. */
		if (read_objid(argv[optind + 1], name, &name_len) == 0) {
			fprintf(stderr, "%s: %s: expected a numeric OID\n",
				GETLOOP_NAME, argv[optind + 1]);
			goto out_snmp;
		}
		if (argc - optind == 3) {
			name2_len = MAX_OID_LEN;
			if (read_objid(argv[optind + 2], name2, &name2_len) ==
			    0) {
				fprintf(stderr,
					"%s: %s: expected a numeric OID\n",
					GETLOOP_NAME, argv[optind + 2]);
				goto out_snmp;
			}
		}
		lat = calloc((size_t)count, sizeof(*lat));
		if (lat == NULL) {
			fprintf(stderr, "%s: out of memory\n", GETLOOP_NAME);
			goto out_snmp;
		}
	}

	snmp_sess_init(&init);
	init.version = SNMP_VERSION_2c;
	init.peername = argv[optind];
	init.community = (u_char *)community;
	init.community_len = strlen(community);
	init.timeout = timeout * 1000000L;
	/* A walk goes on after a lost datagram, as snmpbulkwalk -r 1 does;
	 * a GET's latency is one try. */
	init.retries = slice > 0 ? 1 : 0;
	ss = snmp_open(&init);
	if (ss == NULL) {
		snmp_sess_perror(GETLOOP_NAME, &init);
		goto out_lat;
	}

	if (slice > 0) {
		if (getloop_walks(ss, walks, nwalks, reps, slice,
				  turn > 0 ? turn : slice) < 0)
			goto out_session;
		status = fflush(stdout) == 0 ? 0 : 1;
		goto out_session;
	}
	for (long i = 0; i < warmup; i++)
		if (getloop_get(ss, name, name_len, name2, name2_len, &value) !=
		    0)
			goto out_session;
	for (long i = 0; live && i < count; i++) {
		struct timespec t0, t1, sent;
		int rc;

		clock_gettime(CLOCK_REALTIME, &sent);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = getloop_get(ss, name, name_len, name2, name2_len, &value);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("%lld.%06ld ", (long long)sent.tv_sec,
		       sent.tv_nsec / 1000L);
		if (rc == 1)
			printf("timeout\n");
		else if (rc < 0)
			printf("error\n");
		else if (name2_len > 0)
			printf("%ld %ld\n", getloop_usec(&t0, &t1), value);
		else
			printf("%ld -\n", getloop_usec(&t0, &t1));
		if (fflush(stdout) != 0)
			goto out_session;
	}
	if (live) {
		status = 0;
		goto out_session;
	}
	for (long i = 0; i < count; i++) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (getloop_get(ss, name, name_len, NULL, 0, &value) != 0)
			goto out_session;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		lat[i] = getloop_usec(&t0, &t1);
	}

	if (summary) {
		qsort(lat, (size_t)count, sizeof(*lat), getloop_compare);
		printf("count %ld min %ld median %ld p99 %ld max %ld\n", count,
		       lat[0], getloop_rank(lat, count, 50),
		       getloop_rank(lat, count, 99), lat[count - 1]);
	} else {
		for (long i = 0; i < count; i++)
			printf("%ld\n", lat[i]);
	}
	status = fflush(stdout) == 0 ? 0 : 1;
out_session:
	snmp_close(ss);
out_lat:
	free(lat);
out_snmp:
	free(walks);
	snmp_shutdown(GETLOOP_NAME);
	return status;
}
