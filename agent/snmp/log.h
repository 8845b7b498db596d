/*
 * log.h: the daemon's log, to stderr in the foreground and to syslog
 * otherwise.  Every call names the subsystem it comes from, so an operator
 * can grep for "mib" or "config" (lldpd does this).
 */
#ifndef LL_LOG_H
#define LL_LOG_H

#include <stdbool.h>

void log_init(const char *ident, bool to_stderr, int debug);
/* Inside another program's process (snmpd, for dlmod): every message goes
 * to fn instead, with its syslog priority. */
typedef void (*log_sink_fn)(int prio, const char *token, const char *msg);
void log_set_sink(log_sink_fn fn);
void log_err(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_warn(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_info(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_debug(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
