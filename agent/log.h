/*
 * log.h: the daemon's log, to stderr in the foreground and to syslog
 * otherwise.  Every call names the subsystem it comes from, so an operator
 * can grep for "mib" or "config" (lldpd does this).
 */
#ifndef LL_LOG_H
#define LL_LOG_H

#include <stdbool.h>

void log_init(const char *ident, bool to_stderr, int debug);
void log_err(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_warn(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_info(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_debug(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
