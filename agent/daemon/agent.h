/*
 * agent.h: the leaselined daemon: configuration, snapshot, AgentX session
 * and the event loop that ties them together.
 */
#ifndef LL_AGENT_H
#define LL_AGENT_H

#include <stdbool.h>

#include "config/config.h"
#include "core/model.h"

/* The defaults leaselinectl shares live in config.h. */
#define AGENT_DEFAULT_CONFIG  LL_DEFAULT_CONFIG
#define AGENT_DEFAULT_LEDGER  LL_DEFAULT_LEDGER
#define AGENT_DEFAULT_PIDFILE RUNSTATEDIR "/leaselined.pid"
#define AGENT_DATE_ENV	      LL_DATE_ENV
#define AGENT_PING_INTERVAL   5 /* seconds between AgentX pings */

struct agent_options {
	const char *config;
	const char *agentx_socket; /* NULL: net-snmp's default */
	const char *ledger;
	const char *pidfile; /* NULL: none */
	bool foreground;
	int debug;
	ll_day fixed_day;      /* LL_NO_DAY: follow the clock */
	const char *date_file; /* the day in a file, read when it changes */
};

/* Runs until SIGTERM or SIGINT; returns the process exit status. */
int agent_run(const struct agent_options *opt);

#endif
