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
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "config.h"
#include "day.h"
#include "ledger.h"
#include "log.h"
#include "mib.h"
#include "notify.h"
#include "snapshot.h"

#define AGENT_NAME "leaselined"

static volatile sig_atomic_t agent_stop;
static volatile sig_atomic_t agent_reload;

static struct snapshot *agent_snap;
static struct mib_status agent_status;
static struct ledger *agent_ledger;
static int64_t agent_ledger_version = -1; /* -1: read the entries again */
static ll_day agent_file_day = LL_NO_DAY; /* from --date-file */
static struct stat agent_file_stat;
static ll_day agent_notify_since; /* events before it are not told */

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

/* Serves snap from now on, and queues the notifications of its events. */
static void
agent_publish(struct snapshot *snap)
{
	struct snapshot *old = agent_snap;

	agent_snap = snap;
	mib_publish(agent_snap, &agent_status);
	if (old != snap)
		snapshot_free(old);
	if (agent_ledger != NULL && agent_snap != NULL)
		notify_collect(agent_ledger, agent_snap, agent_notify_since);
}

static ll_day
agent_today(const struct agent_options *opt)
{
	if (agent_file_day != LL_NO_DAY)
		return agent_file_day;
	if (opt->fixed_day != LL_NO_DAY)
		return opt->fixed_day;
	return day_of_time(time(NULL));
}

/* --date-file: the day to evaluate on, read again whenever the file
 * changes, so that a demo or a test can move the agent's day while it
 * runs.  A file that does not hold a date is reported and ignored. */
static void
agent_poll_date_file(const struct agent_options *opt)
{
	struct stat st;
	char buf[32] = "";
	FILE *f;
	ll_day day;

	if (opt->date_file == NULL || stat(opt->date_file, &st) < 0)
		return;
	if (st.st_mtim.tv_sec == agent_file_stat.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == agent_file_stat.st_mtim.tv_nsec &&
	    st.st_size == agent_file_stat.st_size &&
	    st.st_ino == agent_file_stat.st_ino)
		return;
	agent_file_stat = st;
	f = fopen(opt->date_file, "r");
	if (f == NULL)
		return;
	if (fgets(buf, sizeof(buf), f) != NULL)
		buf[strcspn(buf, "\r\n")] = '\0';
	fclose(f);
	if (!day_parse(buf, &day)) {
		log_warn("main",
			 "%s: \"%s\" is not a calendar date; expected "
			 "YYYY-MM-DD; the day stays as it was",
			 opt->date_file, buf);
		return;
	}
	agent_file_day = day;
}

/* The first day leaselined evaluated on with this ledger: notifications
 * tell what happened from a little before it, not the years before. */
static int
agent_first_day(const struct agent_options *opt)
{
	char err[LEDGER_ERRLEN];
	int64_t first = agent_today(opt);
	bool found;

	if (ledger_meta_get(agent_ledger, "first_day", &first, &found, err,
			    sizeof(err)) < 0 ||
	    (!found && ledger_meta_set(agent_ledger, "first_day", first, err,
				       sizeof(err)) < 0)) {
		log_err("ledger", "%s", err);
		return -1;
	}
	agent_notify_since = (ll_day)first - NOTIFY_BACKLOG_DAYS;
	return 0;
}

/* The daemon opens the ledger read-write: it creates it on first start,
 * and records transitions and notifications in it. */
static int
agent_open_ledger(const struct agent_options *opt)
{
	char err[LEDGER_ERRLEN];

	agent_ledger =
	    ledger_open(opt->ledger, LEDGER_READ_WRITE, err, sizeof(err));
	if (agent_ledger == NULL) {
		log_err("ledger", "%s", err);
		fprintf(stderr,
			"%s: not started: the ledger cannot be used "
			"(choose it with -l LEDGER)\n",
			AGENT_NAME);
		return -1;
	}
	agent_ledger_version = -1;
	if (agent_first_day(opt) < 0) {
		ledger_close(agent_ledger);
		agent_ledger = NULL;
		return -1;
	}
	return 0;
}

/* Every ledger entry, for a new snapshot; 0 or -1 (logged). */
static int
agent_read_entries(struct ledger *l, struct ledger_entry **e, size_t *n)
{
	char err[LEDGER_ERRLEN];

	if (ledger_entries(l, NULL, e, n, err, sizeof(err)) < 0) {
		log_err("ledger", "%s", err);
		return -1;
	}
	return 0;
}

/* Within a second of a `leaselinectl pay`: the ledger changed, evaluate
 * the contracts again with its entries. */
static void
agent_poll_ledger(void)
{
	struct ledger_entry *e;
	struct snapshot *snap;
	int64_t version;
	size_t n;

	if (agent_ledger == NULL || agent_snap == NULL ||
	    ledger_data_version(agent_ledger, &version) < 0 ||
	    version == agent_ledger_version)
		return;
	if (agent_read_entries(agent_ledger, &e, &n) < 0)
		return; /* keep serving what was evaluated before */
	snap = snapshot_with_entries(agent_snap, e, n);
	if (snap == NULL) {
		log_err("ledger", "out of memory evaluating the ledger");
		return;
	}
	agent_snap = NULL; /* freed by snapshot_with_entries */
	agent_ledger_version = version;
	log_info("ledger", "%zu entries: contracts evaluated again", n);
	agent_publish(snap);
}

/* Loads the configuration into a new snapshot.  On failure the snapshot
 * being served stays, and the reason is published in llConfigLastError. */
static int
agent_load(const struct agent_options *opt, struct ledger *l)
{
	char err[CONFIG_ERRLEN];
	struct ll_model *model = config_load(opt->config, err, sizeof(err));
	struct ledger_entry *e = NULL;
	struct snapshot *snap;
	size_t n = 0;

	if (model == NULL) {
		agent_status.rejects++;
		agent_copy_utf8(agent_status.last_error,
				sizeof(agent_status.last_error), err);
		log_err("config", "%s", err);
		if (agent_snap != NULL) {
			log_warn("config",
				 "configuration refused; still serving "
				 "the one loaded before");
			notify_config_rejected(l, opt->config, err,
					       agent_status.rejects,
					       agent_today(opt));
		}
		return -1;
	}
	if (agent_read_entries(l, &e, &n) < 0) {
		model_free(model);
		return -1;
	}
	snap = snapshot_build(model, e, n, time(NULL), agent_today(opt));
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

	/* stderr until detached, so that a refusal to start is seen */
	log_init(AGENT_NAME, true, opt->debug);
	agent_status.config_file = opt->config;
	agent_poll_date_file(opt);
	/* Everything that can be wrong with the files is said before the
	 * daemon detaches, on the terminal of whoever started it. */
	if (agent_open_ledger(opt) < 0)
		return 1;
	if (agent_load(opt, agent_ledger) < 0) {
		fprintf(stderr,
			"%s: not started: fix the configuration "
			"(check it with %s -n -c %s)\n",
			AGENT_NAME, AGENT_NAME, opt->config);
		goto out_ledger;
	}
	if (!opt->foreground) {
		/* An SQLite connection must not cross a fork: close it and
		 * open it again in the daemon, which then reads the entries
		 * again (agent_ledger_version is -1). */
		ledger_close(agent_ledger);
		agent_ledger = NULL;
		if (daemon(0, 0) < 0) {
			log_err("main", "cannot detach: %s", strerror(errno));
			goto out_snapshot;
		}
		log_init(AGENT_NAME, false, opt->debug);
		if (agent_open_ledger(opt) < 0)
			goto out_snapshot;
	}
	if (agent_signals() < 0 || agent_write_pidfile(opt->pidfile) < 0)
		goto out_snapshot;

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
	log_info("main", "serving LEASELINE-MIB through AgentX at %s",
		 opt->agentx_socket ? opt->agentx_socket
				    : "the default socket");

	while (!agent_stop) {
		if (agent_reload) {
			agent_reload = 0;
			log_info("config", "reloading %s", opt->config);
			agent_load(opt, agent_ledger);
		}
		agent_poll_date_file(opt);
		agent_new_day(opt);
		agent_poll_ledger();
		notify_send(agent_ledger);
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
out_ledger:
	ledger_close(agent_ledger);
	agent_ledger = NULL;
	return status;
}
