/*
 * agent.c: the daemon's event loop.
 *
 * net-snmp's library is driven from our own select() loop, with alarms
 * that do not use signals (NETSNMP_DS_LIB_ALARM_DONT_USE_SIG): that is what
 * lets the AgentX ping notice a master that went away and reconnect to it
 * when it comes back.  Signals only set flags; the loop acts on them.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "daemon/agent.h"
#include "snmp/log.h"
#include "snmp/mib.h"
#include "snmp/notify.h"
#include "daemon/service.h"

#define AGENT_NAME "leaselined"

static volatile sig_atomic_t agent_stop;
static volatile sig_atomic_t agent_reload;

static void
agent_signal(int sig)
{
	if (sig == SIGHUP)
		agent_reload = 1;
	else
		agent_stop = 1;
}

static int
agent_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = agent_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must wake select() at once. */
	if (sigaction(SIGHUP, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGINT, &sa, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int
agent_write_pidfile(const char *path)
{
	FILE *f;

	if (path == NULL)
		return 0;
	f = fopen(path, "w");
	if (f == NULL) {
		log_err("main", "cannot write pidfile %s: %s", path,
			strerror(errno));
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0) {
		log_err("main", "cannot write pidfile %s: %s", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

static void
agent_snmp_setup(const struct agent_options *opt)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE,
			       1);
	if (opt->agentx_socket != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
				      NETSNMP_DS_AGENT_X_SOCKET,
				      opt->agentx_socket);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   AGENT_PING_INTERVAL);
	/* leaselined has its own configuration: read no snmp .conf files,
	 * and keep nothing in net-snmp's persistent directory. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	/* The subagent never translates names: load no MIB modules, which
	 * also keeps net-snmp's complaints about missing ones out of the
	 * log. */
	setenv("MIBS", "", 1);
	/* net-snmp's own messages in our log, in our format (log.h) */
	if (log_route_netsnmp() < 0) {
		snmp_disable_log();
		if (opt->foreground)
			snmp_enable_stderrlog();
		else
			snmp_enable_syslog_ident(AGENT_NAME, LOG_DAEMON);
	}
	if (opt->debug > 1)
		snmp_set_do_debugging(1);
}

/* One turn of the loop: wait for AgentX traffic or the next alarm, at
 * most a second so that flags and the day are looked at often; at most
 * AGENT_ACK_RETRY_USEC while acknowledged notifications wait for their
 * mark, since a crash before it sends them again. */
#define AGENT_ACK_RETRY_USEC 10000
static void
agent_turn(void)
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
	if (notify_acks_waiting() &&
	    (tv.tv_sec > 0 || tv.tv_usec > AGENT_ACK_RETRY_USEC)) {
		tv.tv_sec = 0;
		tv.tv_usec = AGENT_ACK_RETRY_USEC;
	}
	n = netsnmp_large_fd_set_select(maxfd, &fds, NULL, NULL, &tv);
	if (n > 0)
		snmp_read2(&fds);
	else if (n == 0)
		snmp_timeout();
	else if (errno != EINTR)
		log_warn("agentx", "select: %s", strerror(errno));
	netsnmp_large_fd_set_cleanup(&fds);
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
}

/* Says when the master is reached, lost or not there yet: LEASELINE-MIB
 * is served only while it is connected, and nothing else may claim so. */
static void
agent_say_connection(const struct agent_options *opt)
{
	static int said = -1; /* -1: nothing said yet; else the state said */
	const char *where =
	    opt->agentx_socket ? opt->agentx_socket : "the default socket";
	int now = notify_master_connected();

	if (now == said)
		return;
	if (now)
		log_info("agentx",
			 "connected to the master agent at %s: serving "
			 "LEASELINE-MIB",
			 where);
	else if (said == 1)
		log_warn("agentx",
			 "lost the master agent at %s: waiting for it to "
			 "come back",
			 where);
	else
		log_warn("agentx",
			 "waiting for the master agent at %s (is snmpd an "
			 "AgentX master, and may this user reach its socket?)",
			 where);
	said = now;
}

int
agent_run(const struct agent_options *opt)
{
	struct service_options so = {
	    .config = opt->config,
	    .ledger = opt->ledger,
	    .fixed_day = opt->fixed_day,
	    .date_file = opt->date_file,
	};
	int status = 1;

	/* stderr until detached, so that a refusal to start is seen: all
	 * that can be wrong with the files is said on the terminal of
	 * whoever started the daemon. */
	log_init(AGENT_NAME, true, opt->debug);
	if (service_open(&so) < 0) {
		fprintf(stderr,
			"%s: not started: fix the configuration (check it "
			"with %s -n -c %s) or the ledger (-l LEDGER)\n",
			AGENT_NAME, AGENT_NAME, opt->config);
		return 1;
	}
	if (!opt->foreground) {
		service_suspend_ledger();
		if (daemon(0, 0) < 0) {
			log_err("main", "cannot detach: %s", strerror(errno));
			goto out_service;
		}
		log_init(AGENT_NAME, false, opt->debug);
		if (service_resume_ledger() < 0)
			goto out_service;
	}
	if (agent_signals() < 0 || agent_write_pidfile(opt->pidfile) < 0 ||
	    service_start_thread() < 0)
		goto out_service;

	agent_snmp_setup(opt);
	if (init_agent(AGENT_NAME) != 0) {
		log_err("agentx", "cannot initialise the agent library");
		goto out_pidfile;
	}
	/* init_agent() sets net-snmp's defaults again: the ping interval,
	 * which decides how soon a restarted master is noticed, once more. */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   AGENT_PING_INTERVAL);
	if (mib_init() < 0) {
		log_err("mib", "cannot register LEASELINE-MIB");
		goto out_snmp;
	}
	init_snmp(AGENT_NAME);

	while (!agent_stop) {
		agent_say_connection(opt);
		if (agent_reload) {
			agent_reload = 0;
			log_info("config", "reloading %s", opt->config);
			service_reload();
		}
		service_tick();
		if (service_may_send())
			notify_send(service_ledger());
		agent_turn();
	}
	log_info("main", "stopping");
	status = 0;
out_snmp:
	snmp_shutdown(AGENT_NAME);
	shutdown_agent();
out_pidfile:
	if (opt->pidfile != NULL)
		unlink(opt->pidfile);
out_service:
	service_close();
	return status;
}
