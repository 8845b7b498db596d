/*
 * log.c: the daemon's log, and net-snmp's routed into it (see log.h).
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "snmp/log.h"

static bool log_stderr = true;
static int log_debug_level;
static log_sink_fn log_sink;

void
log_set_sink(log_sink_fn fn)
{
	log_sink = fn;
}

static void
log_vwrite(int prio, const char *token, const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_sink != NULL) {
		log_sink(prio, token, msg);
		return;
	}
	if (!log_stderr) {
		syslog(prio, "[%s] %s", token, msg);
		return;
	}
	static const char *const names[] = {
	    [LOG_ERR] = "error",
	    [LOG_WARNING] = "warning",
	    [LOG_INFO] = "info",
	    [LOG_DEBUG] = "debug",
	};
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s %s [%s] %s\n", stamp, names[prio], token, msg);
	fflush(stderr);
}

void
log_init(const char *ident, bool to_stderr, int debug)
{
	log_stderr = to_stderr;
	log_debug_level = debug;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

#define LOG_DEFINE(name, prio)                                                 \
	void name(const char *token, const char *fmt, ...)                     \
	{                                                                      \
		va_list ap;                                                    \
		va_start(ap, fmt);                                             \
		log_vwrite(prio, token, fmt, ap);                              \
		va_end(ap);                                                    \
	}

LOG_DEFINE(log_err, LOG_ERR)
LOG_DEFINE(log_warn, LOG_WARNING)
LOG_DEFINE(log_info, LOG_INFO)

void
log_debug(const char *token, const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_level)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, token, fmt, ap);
	va_end(ap);
}

/*
 * net-snmp hands its messages over in pieces: "Warning: ..." and its "\n"
 * may be two calls.  A line is kept until its newline so that it is one
 * line of ours; a piece that would overflow the line is written as it is.
 * Only the thread driving net-snmp logs through here.
 */
static char log_netsnmp_line[1024];
static size_t log_netsnmp_len;
static int log_netsnmp_prio = LOG_DEBUG;

static void
log_netsnmp_flush(void)
{
	int prio = log_netsnmp_prio;

	log_netsnmp_line[log_netsnmp_len] = '\0';
	log_netsnmp_len = 0;
	log_netsnmp_prio = LOG_DEBUG;
	/* net-snmp's EMERG, ALERT, CRIT are errors here; NOTICE is info */
	if (prio <= LOG_ERR)
		log_err("snmp", "%s", log_netsnmp_line);
	else if (prio == LOG_WARNING)
		log_warn("snmp", "%s", log_netsnmp_line);
	else if (prio <= LOG_INFO)
		log_info("snmp", "%s", log_netsnmp_line);
	else
		log_debug("snmp", "%s", log_netsnmp_line);
}

static int
log_netsnmp_callback(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	const char *s;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (m == NULL || m->msg == NULL)
		return 0;
	for (s = m->msg; *s != '\0'; s++) {
		/* the most urgent priority of a line's pieces is the line's */
		if (m->priority < log_netsnmp_prio)
			log_netsnmp_prio = m->priority;
		if (*s == '\n') {
			log_netsnmp_flush();
			continue;
		}
		log_netsnmp_line[log_netsnmp_len++] = *s;
		if (log_netsnmp_len == sizeof(log_netsnmp_line) - 1)
			log_netsnmp_flush();
	}
	return 0;
}

int
log_route_netsnmp(void)
{
	snmp_disable_log();
	if (snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
				   log_netsnmp_callback,
				   NULL) != SNMPERR_SUCCESS)
		return -1;
	snmp_enable_calllog();
	return 0;
}
