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
 * The service starts once snmpd has read its configuration.  Loading,
 * evaluating after a ledger change and the daily evaluation run in a
 * thread of the service's (service.c), as in leaselined, so that snmpd
 * answers every other MIB meanwhile (issue 16: a reload of 100,000
 * circuits held snmpd for 810 ms).  The notifications are claimed from
 * the ledger and marked sent in a thread of their own too (notify_relay.c,
 * issue 17: a PostgreSQL server that stops answering must not hold
 * snmpd).  snmpd's thread only takes what was built and sends the batch
 * of notifications claimed, to snmpd's own sinks, when a pipe of either
 * (register_readfd) says so or at the latest in an alarm (DLMOD_TICK_MS):
 * a turn stays short, and snmpd's thread never waits for the ledger.
 * Neither thread calls anything of net-snmp: what they log is queued here
 * and written into snmpd's log by snmpd's thread.
 *
 * snmpd's SIGHUP (update_config() in net-snmp 5.9.3) unloads every dlmod
 * module (deinit_, then dlclose) and loads them again as it reads
 * snmpd.conf (dlopen, then init_).  A module starting from nothing there
 * would serve nothing at all when the configuration it reads then is
 * refused, and its counters would restart.  So the module is linked
 * -z nodelete (Makefile.am): dlclose leaves it in place, with its state.
 * snmpd announces the reload (SNMPD_CALLBACK_PRE_UPDATE_CONFIG) before
 * it unloads anything; deinit_ then keeps the service, its MIB
 * registration and its alarm, and once snmpd.conf is read the service
 * reloads in place, exactly as leaselined does on SIGHUP: a refused
 * configuration leaves the old one serving, counted in llConfigRejects
 * and told in llConfigLastError.  A module that snmpd.conf no longer
 * loads, or that is unloaded outside a reload, stops for good.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/agent.h"
#include "core/day.h"
#include "snmp/log.h"
#include "store/ledger.h"
#include "snmp/mib.h"
#include "snmp/notify.h"
#include "daemon/service.h"

#define DLMOD_EXPORT __attribute__((visibility("default")))

void init_leaseline(void) DLMOD_EXPORT;
void deinit_leaseline(void) DLMOD_EXPORT;

/* The settings of snmpd.conf, as read since init_leaseline(). */
static char *dlmod_config, *dlmod_ledger, *dlmod_date_file;
static ll_day dlmod_fixed_day = LL_NO_DAY;

static bool dlmod_loaded;    /* between init_ and deinit_leaseline() */
static bool dlmod_reloading; /* snmpd is reading snmpd.conf again */
static bool dlmod_hooked;    /* our snmpd callbacks are registered */
static bool dlmod_started;   /* the service runs */
static unsigned int dlmod_alarm;
/* snmpd's turns for us, at the latest (the pipes wake it sooner). */
#define DLMOD_TICK_MS 50
static int dlmod_readfd = -1;  /* the service's pipe, registered */
static int dlmod_relayfd = -1; /* the notification relay's, registered */
/* The ledger could not be opened when snmpd started the module (a
 * PostgreSQL server not up yet at boot, a file system not yet mounted):
 * tried again each DLMOD_RETRY_S seconds, as leaselined is by systemd,
 * until it opens or snmpd.conf changes, not left until someone sends
 * snmpd a SIGHUP. */
#define DLMOD_RETRY_S 10
static unsigned int dlmod_retry_alarm;
/* snmpd running as root and told to become another user (-u, agentuser)
 * has not yet dropped root: it does once its configuration is read, and
 * the package's contracts and ledger are readable by root only.  Its
 * thread then waits for the first load (at most this long) instead of
 * racing it; snmpd answers nothing yet, so the wait holds no answer.
 * Once dropped, no start or reload waits. */
#define DLMOD_FIRST_WAIT_S 60

/* ---- the log ----
 * Our log, through snmpd's: one place for an operator to look.  snmp_log
 * is net-snmp's and not thread-safe: messages of the evaluation thread
 * wait in a queue (under dlmod_log_lock) that snmpd's thread writes out
 * at the next hand-over or alarm.  dlmod_thread is snmpd's thread, set in
 * init_leaseline() (which snmpd calls from it). */
#define DLMOD_LOG_MAX 1000 /* queued at most; more are counted, dropped */

struct dlmod_msg {
	struct dlmod_msg *next;
	int prio;
	char text[]; /* "leaseline: [token] message\n" */
};

static pthread_t dlmod_thread;
static pthread_mutex_t dlmod_log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dlmod_msg *dlmod_log_head, **dlmod_log_tail = &dlmod_log_head;
static size_t dlmod_log_queued, dlmod_log_dropped;

/* snmpd's thread: the queue into snmpd's log, oldest first. */
static void
dlmod_log_flush(void)
{
	struct dlmod_msg *m, *next;
	size_t dropped;

	pthread_mutex_lock(&dlmod_log_lock);
	m = dlmod_log_head;
	dropped = dlmod_log_dropped;
	dlmod_log_head = NULL;
	dlmod_log_tail = &dlmod_log_head;
	dlmod_log_queued = dlmod_log_dropped = 0;
	pthread_mutex_unlock(&dlmod_log_lock);
	for (; m != NULL; m = next) {
		next = m->next;
		snmp_log(m->prio, "%s", m->text);
		free(m);
	}
	if (dropped > 0)
		snmp_log(LOG_WARNING,
			 "leaseline: [main] %zu messages of the evaluation "
			 "thread dropped\n",
			 dropped);
}

static void
dlmod_log(int prio, const char *token, const char *msg)
{
	struct dlmod_msg *m;
	int len;

	if (pthread_equal(pthread_self(), dlmod_thread)) {
		dlmod_log_flush(); /* in order */
		snmp_log(prio, "leaseline: [%s] %s\n", token, msg);
		return;
	}
	len = snprintf(NULL, 0, "leaseline: [%s] %s\n", token, msg);
	m = len < 0 ? NULL : malloc(sizeof(*m) + (size_t)len + 1);
	pthread_mutex_lock(&dlmod_log_lock);
	if (m == NULL || dlmod_log_queued >= DLMOD_LOG_MAX) {
		dlmod_log_dropped++;
		pthread_mutex_unlock(&dlmod_log_lock);
		free(m);
		return;
	}
	m->next = NULL;
	m->prio = prio;
	snprintf(m->text, (size_t)len + 1, "leaseline: [%s] %s\n", token, msg);
	*dlmod_log_tail = m;
	dlmod_log_tail = &m->next;
	dlmod_log_queued++;
	pthread_mutex_unlock(&dlmod_log_lock);
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
			dlmod_fixed_day = day;
	}
}

/* Forgets the settings read, before snmpd.conf is read (again). */
static void
dlmod_forget_settings(void)
{
	free(dlmod_config);
	free(dlmod_ledger);
	free(dlmod_date_file);
	dlmod_config = dlmod_ledger = dlmod_date_file = NULL;
	dlmod_fixed_day = LL_NO_DAY;
}

/* The service's options from the settings read (copied by the service). */
static void
dlmod_options(struct service_options *opt)
{
	opt->config = dlmod_config ? dlmod_config : AGENT_DEFAULT_CONFIG;
	opt->ledger = dlmod_ledger ? dlmod_ledger : AGENT_DEFAULT_LEDGER;
	opt->date_file = dlmod_date_file;
	opt->fixed_day = dlmod_fixed_day;
	/* As for leaselined, the environment may fix the day (demos, tests,
	 * scripts/bench); leaselineDate in snmpd.conf takes precedence. */
	if (opt->fixed_day == LL_NO_DAY && getenv(AGENT_DATE_ENV) != NULL &&
	    !day_parse(getenv(AGENT_DATE_ENV), &opt->fixed_day)) {
		snmp_log(LOG_WARNING,
			 "leaseline: %s: not a date; following "
			 "the clock\n",
			 AGENT_DATE_ENV);
		opt->fixed_day = LL_NO_DAY;
	}
}

static int dlmod_configured(int major, int minor, void *server, void *client);
enum { DLMOD_START_OK, DLMOD_START_LEDGER, DLMOD_START_FAILED };
static int dlmod_start(const struct service_options *opt);
static void dlmod_retry(unsigned int reg, void *arg);
static int dlmod_pre_update(int major, int minor, void *server, void *client);

static bool
dlmod_root_to_drop(void)
{
	return geteuid() == 0 &&
	       netsnmp_ds_get_int(NETSNMP_DS_APPLICATION_ID,
				  NETSNMP_DS_AGENT_USERID) > 0;
}

static void
dlmod_retry_stop(void)
{
	if (dlmod_retry_alarm != 0)
		snmp_alarm_unregister(dlmod_retry_alarm);
	dlmod_retry_alarm = 0;
}

/* Stops for good: the service, the MIB, the alarm, and with `unhook` the
 * callbacks.  net-snmp cannot unregister a callback from inside one of
 * its kind (its lock spins, then asserts): dlmod_configured() leaves them,
 * and they do nothing until the module is loaded again. */
static void
dlmod_stop(bool unhook)
{
	if (unhook && dlmod_hooked) {
		snmp_unregister_callback(SNMP_CALLBACK_LIBRARY,
					 SNMP_CALLBACK_POST_READ_CONFIG,
					 dlmod_configured, NULL, 1);
		snmp_unregister_callback(SNMP_CALLBACK_APPLICATION,
					 SNMPD_CALLBACK_PRE_UPDATE_CONFIG,
					 dlmod_pre_update, NULL, 1);
		dlmod_hooked = false;
		dlmod_reloading = false;
	}
	if (dlmod_alarm != 0)
		snmp_alarm_unregister(dlmod_alarm);
	dlmod_alarm = 0;
	dlmod_retry_stop();
	if (dlmod_readfd >= 0)
		unregister_readfd(dlmod_readfd);
	dlmod_readfd = -1;
	if (dlmod_relayfd >= 0)
		unregister_readfd(dlmod_relayfd);
	dlmod_relayfd = -1;
	/* Before the service: the relay uses its ledger. */
	notify_relay_stop();
	mib_shutdown();
	/* Joins the evaluation thread: none is left running in a module
	 * that may be unloaded. */
	if (dlmod_started)
		service_close();
	dlmod_started = false;
	dlmod_log_flush();
	dlmod_forget_settings();
}

/* snmpd's thread: take what was built, send what the relay claimed. */
static void
dlmod_serve(void)
{
	dlmod_log_flush();
	service_tick();
	notify_relay();
	dlmod_log_flush();
}

static void
dlmod_tick(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	dlmod_serve();
}

/* A pipe of the service or the relay: something was handed over. */
static void
dlmod_wake(int fd, void *arg)
{
	(void)fd;
	(void)arg;
	dlmod_serve();
}

/* snmpd is about to unload its modules and read snmpd.conf again. */
static int
dlmod_pre_update(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	dlmod_reloading = true;
	return 0;
}

/* After snmpd has read its configuration: start, or reload in place. */
static int
dlmod_configured(int major, int minor, void *server, void *client)
{
	struct service_options opt;
	int rc;

	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	dlmod_reloading = false;
	if (!dlmod_loaded) {
		/* A reload of an snmpd.conf without our dlmod line. */
		if (!dlmod_started)
			return 0;
		snmp_log(LOG_INFO, "leaseline: no longer loaded by snmpd's "
				   "configuration: stopped\n");
		dlmod_stop(false);
		return 0;
	}
	dlmod_options(&opt);
	if (dlmod_started) {
		/* In the thread: the old snapshot serves until it is done. */
		snmp_log(LOG_INFO, "leaseline: reloading %s\n", opt.config);
		service_reconfigure(&opt);
		return 0;
	}
	/* A reload while the ledger is tried again: with the new lines. */
	dlmod_retry_stop();
	rc = dlmod_start(&opt);
	if (rc == DLMOD_START_OK && dlmod_root_to_drop()) {
		if (!service_wait_first(DLMOD_FIRST_WAIT_S))
			snmp_log(LOG_WARNING,
				 "leaseline: the first load takes over %d s; "
				 "snmpd goes on starting (as another user, "
				 "it may not read the files)\n",
				 DLMOD_FIRST_WAIT_S);
		dlmod_serve();
	}
	if (rc == DLMOD_START_LEDGER) {
		char shown[LEDGER_ERRLEN];

		snmp_log(LOG_ERR,
			 "leaseline: not started: cannot open the ledger %s; "
			 "trying again every %d s\n",
			 ledger_display(opt.ledger, shown, sizeof(shown)),
			 DLMOD_RETRY_S);
		dlmod_retry_alarm = snmp_alarm_register(
		    DLMOD_RETRY_S, SA_REPEAT, dlmod_retry, NULL);
	}
	return 0;
}

/* The ledger again, each DLMOD_RETRY_S s until the service starts (the
 * service logs each failure, through dlmod_log). */
static void
dlmod_retry(unsigned int reg, void *arg)
{
	struct service_options opt;

	(void)reg;
	(void)arg;
	dlmod_options(&opt);
	if (dlmod_start(&opt) != DLMOD_START_LEDGER)
		dlmod_retry_stop();
}

/* Starts the service, its MIB, its relay, its alarm and its pipes:
 * DLMOD_START_OK, DLMOD_START_LEDGER when the ledger cannot be opened
 * (worth trying again), DLMOD_START_FAILED otherwise (logged). */
static int
dlmod_start(const struct service_options *opt)
{
	if (service_open_threaded(opt) < 0) {
		dlmod_log_flush();
		return DLMOD_START_LEDGER;
	}
	if (mib_init() < 0) {
		snmp_log(LOG_ERR, "leaseline: cannot register LEASELINE-MIB\n");
		service_close();
		return DLMOD_START_FAILED;
	}
	if (notify_relay_start(service_ledger) < 0) {
		dlmod_log_flush();
		snmp_log(LOG_ERR, "leaseline: not started: no thread to send "
				  "notifications with\n");
		mib_shutdown();
		service_close();
		return DLMOD_START_FAILED;
	}
	dlmod_alarm = snmp_alarm_register_hr(
	    (struct timeval){.tv_sec = 0, .tv_usec = DLMOD_TICK_MS * 1000},
	    SA_REPEAT, dlmod_tick, NULL);
	dlmod_readfd = service_wake_fd();
	if (dlmod_readfd >= 0 &&
	    register_readfd(dlmod_readfd, dlmod_wake, NULL) < 0) {
		snmp_log(LOG_WARNING, "leaseline: cannot watch the evaluation "
				      "thread's pipe; taking its work every "
				      "second\n");
		dlmod_readfd = -1;
	}
	dlmod_relayfd = notify_relay_fd();
	if (register_readfd(dlmod_relayfd, dlmod_wake, NULL) < 0) {
		snmp_log(LOG_WARNING,
			 "leaseline: cannot watch the notification "
			 "thread's pipe; sending at each alarm\n");
		dlmod_relayfd = -1;
	}
	dlmod_started = true;
	snmp_log(LOG_INFO, "leaseline: serving LEASELINE-MIB from %s\n",
		 opt->config);
	return DLMOD_START_OK;
}

void
init_leaseline(void)
{
	/* snmpd's thread; set while no evaluation thread reads it (not
	 * across one of snmpd's reloads, where it is the same). */
	if (!dlmod_started)
		dlmod_thread = pthread_self();
	log_set_sink(dlmod_log);
	dlmod_forget_settings();
	register_app_config_handler("leaselineConfig", dlmod_parse, NULL,
				    "FILE: the contracts (leaseline.conf)");
	register_app_config_handler("leaselineLedger", dlmod_parse, NULL,
				    "FILE: the ledger of payments");
	register_app_config_handler("leaselineDate", dlmod_parse, NULL,
				    "YYYY-MM-DD: evaluate on this day");
	register_app_config_handler("leaselineDateFile", dlmod_parse, NULL,
				    "FILE: evaluate on the day it holds");
	dlmod_loaded = true;
	if (!dlmod_hooked) {
		snmp_register_callback(SNMP_CALLBACK_LIBRARY,
				       SNMP_CALLBACK_POST_READ_CONFIG,
				       dlmod_configured, NULL);
		snmp_register_callback(SNMP_CALLBACK_APPLICATION,
				       SNMPD_CALLBACK_PRE_UPDATE_CONFIG,
				       dlmod_pre_update, NULL);
		dlmod_hooked = true;
	}
}

void
deinit_leaseline(void)
{
	unregister_app_config_handler("leaselineConfig");
	unregister_app_config_handler("leaselineLedger");
	unregister_app_config_handler("leaselineDate");
	unregister_app_config_handler("leaselineDateFile");
	dlmod_loaded = false;
	/* Across snmpd's reload: keep serving (see the top of this file). */
	if (dlmod_reloading && dlmod_started)
		return;
	dlmod_stop(true);
}
