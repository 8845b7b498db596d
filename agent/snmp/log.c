/*
 * log.c: see log.h.
 */
#include <stdarg.h>
#include <stdio.h>
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
