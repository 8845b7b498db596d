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

#include "agent.h"
#include "config.h"
#include "day.h"
#include "log.h"
#include "mib.h"
#include "snapshot.h"

#define AGENT_NAME "leaselined"

static volatile sig_atomic_t agent_stop;
static volatile sig_atomic_t agent_reload;

static struct snapshot *agent_snap;
static struct mib_status agent_status;

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

/* Copies src into dst, cut if need be on a UTF-8 character boundary: the
 * result is published as an SnmpAdminString. */
static void
agent_copy_utf8(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static ll_day
agent_today(const struct agent_options *opt)
{
	if (opt->fixed_day != LL_NO_DAY)
		return opt->fixed_day;
	return day_of_time(time(NULL));
}

static void
agent_publish(struct snapshot *snap)
{
	struct snapshot *old = agent_snap;

	agent_snap = snap;
	mib_publish(agent_snap, &agent_status);
	if (old != snap)
		snapshot_free(old);
}

/* Loads the configuration into a new snapshot.  On failure the snapshot
 * being served stays, and the reason is published in llConfigLastError. */
static int
agent_load(const struct agent_options *opt)
{
	char err[CONFIG_ERRLEN];
	struct ll_model *model = config_load(opt->config, err, sizeof(err));
	struct snapshot *snap;

	if (model == NULL) {
		agent_status.rejects++;
		agent_copy_utf8(agent_status.last_error,
				sizeof(agent_status.last_error), err);
		log_err("config", "%s", err);
		if (agent_snap != NULL)
			log_warn("config",
				 "configuration refused; still serving "
				 "the one loaded before");
		return -1;
	}
	snap = snapshot_build(model, time(NULL), agent_today(opt));
	if (snap == NULL) {
		log_err("config", "out of memory building the snapshot");
		return -1;
	}
	agent_status.reloads++;
	agent_status.last_error[0] = '\0';
	log_info("config", "%s: %zu contracts, %zu circuits, %zu installments",
		 opt->config, snap->model->n_contracts, snap->n_circuits,
		 snap->n_installments);
	agent_publish(snap);
	return 0;
}

/* At local midnight (UTC+08:00) the same model is evaluated on the new
 * day. */
static void
agent_new_day(const struct agent_options *opt)
{
	ll_day today = agent_today(opt);
	struct snapshot *snap;
	char buf[DAY_STRLEN];

	if (agent_snap == NULL || agent_snap->today == today)
		return;
	snap = snapshot_reevaluate(agent_snap, today);
	if (snap == NULL) {
		log_err("billing", "out of memory evaluating %s",
			day_format(today, buf));
		return;
	}
	agent_snap = NULL; /* freed by snapshot_reevaluate */
	log_info("billing", "evaluating on %s", day_format(today, buf));
	agent_publish(snap);
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
	snmp_disable_log();
	if (opt->foreground)
		snmp_enable_stderrlog();
	else
		snmp_enable_syslog_ident(AGENT_NAME, LOG_DAEMON);
	if (opt->debug > 1)
		snmp_set_do_debugging(1);
}

/* One turn of the loop: wait for AgentX traffic or the next alarm, at
 * most a second so that flags and the day are looked at often. */
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

int
agent_run(const struct agent_options *opt)
{
	int status = 1;

	log_init(AGENT_NAME, opt->foreground, opt->debug);
	agent_status.config_file = opt->config;
	if (agent_load(opt) < 0) {
		fprintf(stderr,
			"%s: not started: fix the configuration "
			"(check it with %s -n -c %s)\n",
			AGENT_NAME, AGENT_NAME, opt->config);
		return 1;
	}
	if (!opt->foreground && daemon(0, 0) < 0) {
		log_err("main", "cannot detach: %s", strerror(errno));
		goto out_snapshot;
	}
	if (agent_signals() < 0 || agent_write_pidfile(opt->pidfile) < 0)
		goto out_snapshot;

	agent_snmp_setup(opt);
	if (init_agent(AGENT_NAME) != 0) {
		log_err("agentx", "cannot initialise the agent library");
		goto out_pidfile;
	}
	if (mib_init() < 0) {
		log_err("mib", "cannot register LEASELINE-MIB");
		goto out_snmp;
	}
	init_snmp(AGENT_NAME);
	log_info("main", "serving LEASELINE-MIB through AgentX at %s",
		 opt->agentx_socket ? opt->agentx_socket
				    : "the default socket");

	while (!agent_stop) {
		if (agent_reload) {
			agent_reload = 0;
			log_info("config", "reloading %s", opt->config);
			agent_load(opt);
		}
		agent_new_day(opt);
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
out_snapshot:
	mib_publish(NULL, NULL);
	snapshot_free(agent_snap);
	agent_snap = NULL;
	return status;
}
