/*
 * dlmod.c: LEASELINE-MIB inside snmpd, the fast path of issue 6.
 *
 * Through AgentX every varbind of a walk is a round trip between snmpd and
 * leaselined; loaded into snmpd as a dlmod module, the same service
 * answers from snmpd's own process, with its SNMPv3 users, VACM views and
 * port.  In snmpd.conf, the directives after the dlmod line:
 *
 *   dlmod leaseline /usr/lib/x86_64-linux-gnu/snmp/dlmod/leaseline.so
 *   leaselineConfig /etc/leaseline/leaseline.conf
 *   leaselineLedger /var/lib/leaseline/ledger.db
 *   leaselineDate 2023-01-31         # optional: a fixed day, for demos
 *   leaselineDateFile /run/day       # optional: a day read when it changes
 *
 * (or LEASELINE_DATE in snmpd's environment, as for leaselined).
 *
 * The service starts once snmpd has read its configuration; snmpd's own
 * reload (SIGHUP) reloads it, and an alarm does every second what
 * leaselined's loop does: the day, the ledger, the notifications, which go
 * to snmpd's own sinks.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "day.h"
#include "log.h"
#include "mib.h"
#include "notify.h"
#include "service.h"

#define DLMOD_EXPORT __attribute__((visibility("default")))

void init_leaseline(void) DLMOD_EXPORT;
void deinit_leaseline(void) DLMOD_EXPORT;

static struct service_options dlmod_opt = {
    .config = NULL,
    .ledger = NULL,
    .fixed_day = LL_NO_DAY,
    .date_file = NULL,
};
static char *dlmod_config, *dlmod_ledger, *dlmod_date_file;
static unsigned int dlmod_alarm;
static bool dlmod_started;

/* Our log, through snmpd's: one place for an operator to look. */
static void
dlmod_log(int prio, const char *token, const char *msg)
{
	snmp_log(prio, "leaseline: [%s] %s\n", token, msg);
}

static void
dlmod_set(char **field, const char *token, const char *value)
{
	char *copy = strdup(value);

	if (copy == NULL) {
		config_perror("out of memory");
		return;
	}
	if (*copy == '\0') {
		config_perror("expected a file name");
		free(copy);
		return;
	}
	free(*field);
	*field = copy;
	(void)token;
}

static void
dlmod_parse(const char *token, char *line)
{
	ll_day day;

	if (strcmp(token, "leaselineConfig") == 0)
		dlmod_set(&dlmod_config, token, line);
	else if (strcmp(token, "leaselineLedger") == 0)
		dlmod_set(&dlmod_ledger, token, line);
	else if (strcmp(token, "leaselineDateFile") == 0)
		dlmod_set(&dlmod_date_file, token, line);
	else if (strcmp(token, "leaselineDate") == 0) {
		if (!day_parse(line, &day))
			config_perror("expected a calendar date, YYYY-MM-DD");
		else
			dlmod_opt.fixed_day = day;
	}
}

static void
dlmod_tick(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	service_tick();
	notify_send(service_ledger(), NOTIFY_VIA_SNMPD);
}

/* After snmpd has read its configuration: start, or reload. */
static int
dlmod_configured(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	if (dlmod_started) {
		service_reload();
		return 0;
	}
	/* As for leaselined, the environment may fix the day (demos, tests,
	 * scripts/bench); leaselineDate in snmpd.conf takes precedence. */
	if (dlmod_opt.fixed_day == LL_NO_DAY &&
	    getenv(AGENT_DATE_ENV) != NULL &&
	    !day_parse(getenv(AGENT_DATE_ENV), &dlmod_opt.fixed_day)) {
		snmp_log(LOG_WARNING,
			 "leaseline: %s: not a date; following "
			 "the clock\n",
			 AGENT_DATE_ENV);
		dlmod_opt.fixed_day = LL_NO_DAY;
	}
	dlmod_opt.config = dlmod_config ? dlmod_config : AGENT_DEFAULT_CONFIG;
	dlmod_opt.ledger = dlmod_ledger ? dlmod_ledger : AGENT_DEFAULT_LEDGER;
	dlmod_opt.date_file = dlmod_date_file;
	if (service_open(&dlmod_opt) < 0) {
		snmp_log(LOG_ERR,
			 "leaseline: not started: fix %s (check it "
			 "with leaselined -n -c %s) or the ledger %s\n",
			 dlmod_opt.config, dlmod_opt.config, dlmod_opt.ledger);
		return 0;
	}
	if (mib_init() < 0) {
		snmp_log(LOG_ERR, "leaseline: cannot register LEASELINE-MIB\n");
		service_close();
		return 0;
	}
	dlmod_alarm = snmp_alarm_register(1, SA_REPEAT, dlmod_tick, NULL);
	dlmod_started = true;
	snmp_log(LOG_INFO, "leaseline: serving LEASELINE-MIB from %s\n",
		 dlmod_opt.config);
	return 0;
}

void
init_leaseline(void)
{
	log_set_sink(dlmod_log);
	register_app_config_handler("leaselineConfig", dlmod_parse, NULL,
				    "FILE: the contracts (leaseline.conf)");
	register_app_config_handler("leaselineLedger", dlmod_parse, NULL,
				    "FILE: the ledger of payments");
	register_app_config_handler("leaselineDate", dlmod_parse, NULL,
				    "YYYY-MM-DD: evaluate on this day");
	register_app_config_handler("leaselineDateFile", dlmod_parse, NULL,
				    "FILE: evaluate on the day it holds");
	snmp_register_callback(SNMP_CALLBACK_LIBRARY,
			       SNMP_CALLBACK_POST_READ_CONFIG, dlmod_configured,
			       NULL);
}

void
deinit_leaseline(void)
{
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY,
				 SNMP_CALLBACK_POST_READ_CONFIG,
				 dlmod_configured, NULL, 1);
	if (dlmod_alarm != 0)
		snmp_alarm_unregister(dlmod_alarm);
	unregister_app_config_handler("leaselineConfig");
	unregister_app_config_handler("leaselineLedger");
	unregister_app_config_handler("leaselineDate");
	unregister_app_config_handler("leaselineDateFile");
	mib_shutdown();
	if (dlmod_started)
		service_close();
	dlmod_started = false;
	free(dlmod_config);
	free(dlmod_ledger);
	free(dlmod_date_file);
	dlmod_config = dlmod_ledger = dlmod_date_file = NULL;
}
