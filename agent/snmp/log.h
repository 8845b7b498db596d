/*
 * log.h: the daemon's log, to stderr in the foreground and to syslog
 * otherwise.  Every call names the subsystem it comes from, so an operator
 * can grep for "mib" or "config" (lldpd does this).  net-snmp's own
 * messages come here too in leaselined (log_route_netsnmp), under the
 * token "snmp", so that one log says everything in one format.
 */
#ifndef LL_LOG_H
#define LL_LOG_H

#include <stdbool.h>

void log_init(const char *ident, bool to_stderr, int debug);
/* Inside another program's process (snmpd, for dlmod): every message goes
 * to fn instead, with its syslog priority. */
typedef void (*log_sink_fn)(int prio, const char *token, const char *msg);
void log_set_sink(log_sink_fn fn);
/*
 * leaselined: net-snmp's own messages (a master it cannot reach, a lost
 * AgentX session, debugging with -d -d) through ours, with their syslog
 * priority (EMERG..ERR: error, WARNING: warning, NOTICE and INFO: info,
 * DEBUG: debug).  Not inside snmpd (dlmod), where snmpd owns the log and
 * ours goes to it (log_set_sink): the two would feed each other.  net-snmp
 * logs from the thread that drives it, leaselined's serving thread;
 * returns 0, or -1 when net-snmp refused the callback.
 */
int log_route_netsnmp(void);

void log_err(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_warn(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_info(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_debug(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
