/*
 * service.c: see service.h.
 *
 * Two sides.  The building side (the evaluation thread, or the serving
 * thread itself when there is none) owns the options, the date file
 * (datefile.h), its ledger connection and `base`, the last snapshot it
 * built, from which the next is derived.  The serving side (leaselined's
 * loop, or snmpd's thread in the module) owns the snapshot served and the
 * status published with it; the connection notifications are sent with
 * is the sender's (service_ledger(): leaselined's loop, or the module's
 * relay thread).  They meet only in the hand-over below, under
 * service_lock: a built snapshot (a counted reference), the status to
 * publish, a new sending connection when the ledger changed, the options
 * retired since (the status served may still name their file), and, the
 * other way, the options of snmpd's reload.  Each hand-over writes a byte
 * to a pipe the serving side may watch (snmpd: register_readfd), so that
 * it is taken at once.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "core/day.h"
#include "snmp/log.h"
#include "snmp/mib.h"
#include "snmp/notify.h"
#include "snmp/selfpipe.h"
#include "daemon/datefile.h"
#include "daemon/reach.h"
#include "daemon/service.h"
#include "daemon/wake.h"
#include "core/snapshot.h"

/* The options, copied: the module's change with each of snmpd's reloads
 * (service_reconfigure). */
static struct service_options service_optv;
static const struct service_options *const service_opt = &service_optv;

/* Options no longer used, freed by the serving side once the status it
 * serves names the file of newer ones. */
struct service_retired {
	struct service_options opt;
	struct service_retired *next;
};

/* ---- the hand-over: everything here under service_lock ---- */
static pthread_mutex_t service_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t service_wake = PTHREAD_COND_INITIALIZER;
static struct snapshot *handover; /* built, not yet served */
static struct mib_status handover_status;
static bool handover_status_new;
static struct ledger *handover_ledger;	      /* to serve with, the new one */
static struct service_retired *handover_gone; /* to free once served */
static struct service_options *pending_opt;   /* snmpd's reload, to apply */
/* Snapshots no longer served, for the building thread to free: freeing
 * 100,000 circuits is not the serving thread's work either.  Full, the
 * serving thread frees them itself. */
#define SERVICE_HANDBACK 4
static struct snapshot *handback[SERVICE_HANDBACK];
static bool reload_asked, stop_asked;
/* Set (under service_lock) with anything handed over: the serving side
 * looks at it before it takes the lock, so that an AgentX or SNMP request
 * served between two hand-overs costs neither a lock nor a system call. */
static atomic_bool handover_pending;
/* Set once a byte is written to wake_pipe, after the write: a set flag
 * makes the serving side empty the pipe, and a byte found unset is
 * followed by the flag, so no byte is left to wake select() forever. */
static atomic_bool pipe_written;
/* Written (a byte, non-blocking) by the building side at each hand-over,
 * read by the serving side; both ends opened before the thread starts and
 * closed after it is joined. */
static int wake_pipe[2] = {-1, -1};

/* ---- the building side ---- */
static struct ledger *build_ledger;
static struct snapshot *base;
static int64_t base_entry_id = -1; /* -1: read the entries again */
static struct mib_status build_status;
static struct wake wake; /* what the ledger told (wake.h) */
static struct datefile datefile = {.day = LL_NO_DAY};
static ll_day notify_since;		/* events before it are not told */
static struct service_retired *retired; /* not yet handed over */
static pthread_t build_thread;
static bool threaded; /* serving side: set before the thread starts */

/* Whether the ledger can be read, and when to try again (reach.h). */
static struct reach reach;
/* Set with build_status.ledger_unreachable: the serving side sends
 * nothing meanwhile, each try would hold SNMP requests (service_ledger). */
static atomic_bool ledger_down;

/* ---- the serving side ---- */
static struct snapshot *served;
static struct mib_status served_status;
/* The connection notifications are sent with (build_ledger when not
 * threaded).  It belongs to the thread that calls service_ledger():
 * leaselined's serving thread, or the module's relay thread
 * (notify_relay.c), which keeps snmpd's thread off the ledger.  A new
 * ledger taken with a reload waits in serve_next (under service_lock)
 * until that thread swaps it in, so none is closed under its user. */
static struct ledger *serve_ledger;
static struct ledger *serve_next;
static atomic_bool serve_next_pending;

/* Copies src into dst (MIB_ERRLEN octets), cut as an SnmpAdminString. */
static void
service_copy_text(char *dst, const char *src)
{
	size_t n = text_admin_len(src);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static ll_day
service_today(void)
{
	if (datefile.day != LL_NO_DAY)
		return datefile.day;
	if (service_opt->fixed_day != LL_NO_DAY)
		return service_opt->fixed_day;
	return day_of_time(time(NULL));
}

static void
service_poll_date_file(void)
{
	datefile_poll(&datefile, service_opt->date_file);
}

/* The first day evaluated with this ledger: notifications tell what
 * happened from a little before it, not the years before. */
static int
service_first_day(void)
{
	char err[LEDGER_ERRLEN];
	int64_t first = service_today();
	bool found;

	if (ledger_meta_get(build_ledger, "first_day", &first, &found, err,
			    sizeof(err)) < 0 ||
	    (!found && ledger_meta_set(build_ledger, "first_day", first, err,
				       sizeof(err)) < 0)) {
		log_err("ledger", "%s", err);
		return -1;
	}
	notify_since = (ll_day)first - NOTIFY_BACKLOG_DAYS;
	return 0;
}

/* Every connection the service queues or sends with is named for this
 * agent (ledger.h's ledger_set_agent), so that its own notifications
 * (llConfigRejected) go out through its snmpd only. */
static struct ledger *
service_ledger_open(const char *path, const char *config, char *err,
		    size_t errlen)
{
	struct ledger *l = ledger_open(path, LEDGER_READ_WRITE, err, errlen);

	if (l != NULL && ledger_set_agent(l, config, err, errlen) < 0) {
		ledger_close(l);
		l = NULL;
	}
	return l;
}

static struct ledger *
service_open_ledger(void)
{
	char err[LEDGER_ERRLEN];
	struct ledger *l = service_ledger_open(
	    service_opt->ledger, service_opt->config, err, sizeof(err));

	if (l == NULL)
		log_err("ledger", "%s", err);
	return l;
}

/* Read-write: the service creates the ledger on first start, and records
 * transitions and notifications in it. */
int
service_resume_ledger(void)
{
	build_ledger = service_open_ledger();
	if (build_ledger == NULL)
		return -1;
	serve_ledger = build_ledger;
	base_entry_id = -1;
	if (service_first_day() < 0) {
		service_suspend_ledger();
		return -1;
	}
	return 0;
}

void
service_suspend_ledger(void)
{
	if (serve_ledger != build_ledger)
		ledger_close(serve_ledger);
	ledger_close(build_ledger);
	serve_ledger = build_ledger = NULL;
}

static void service_hand_over(struct snapshot *snap);

/* A read of the ledger failed (reach.h): published when that changed;
 * the serving side leaves the ledger alone meanwhile. */
static void
service_unreachable(const char *err)
{
	atomic_store(&ledger_down, true);
	if (reach_failed(&reach, &build_status, err))
		service_hand_over(NULL);
}

/* The newest entry's id; ok again, and everything read again (to catch
 * up), if the ledger was unreachable.  0, or -1 (published). */
static int
service_last_entry(int64_t *last)
{
	char err[LEDGER_ERRLEN];

	if (reach_last_entry(build_ledger, service_opt->ledger, last, err,
			     sizeof(err)) < 0) {
		service_unreachable(err);
		return -1;
	}
	if (reach_ok(&reach, &build_status, service_opt->ledger)) {
		base_entry_id = -1;
		atomic_store(&ledger_down, false);
		service_hand_over(NULL);
	}
	return 0;
}

/* Every ledger entry, for a new snapshot; 0 or -1 (published). */
static int
service_read_entries(struct entry **e, size_t *n, int64_t *last)
{
	char err[LEDGER_ERRLEN];

	if (service_last_entry(last) < 0)
		return -1;
	if (ledger_entries(build_ledger, NULL, e, n, err, sizeof(err)) < 0) {
		service_unreachable(err);
		return -1;
	}
	return 0;
}

/* Hands a built snapshot, and the status, to the serving side. */
static void
service_hand_over(struct snapshot *snap)
{
	struct snapshot *dropped = NULL;
	struct service_retired **end;

	pthread_mutex_lock(&service_lock);
	if (snap != NULL) {
		dropped = handover; /* never served: a newer one is here */
		handover = snapshot_ref(snap);
	}
	handover_status = build_status;
	handover_status_new = true;
	for (end = &handover_gone; *end != NULL; end = &(*end)->next)
		;
	*end = retired;
	retired = NULL;
	atomic_store(&handover_pending, true);
	pthread_mutex_unlock(&service_lock);
	snapshot_free(dropped);
	if (wake_pipe[1] >= 0) {
		(void)selfpipe_poke(wake_pipe[1]);
		atomic_store(&pipe_written, true);
	}
}

/* base's notifications, not yet queued: service_open's first build,
 * served before they are (building side). */
static bool collect_pending;
/* The same, for the serving side: it sends nothing before they are
 * queued, so that sending starts, as it did before, once the start's
 * queue is written: an acknowledgement then never waits for the
 * thread's transaction, and a crash meanwhile sends nothing twice. */
static atomic_bool start_unqueued;

/* What follows the hand-over of a built snapshot: its notifications
 * queued, its events freed, the outbox pruned once a day. */
static void
service_collect(struct snapshot *snap)
{
	static ll_day pruned_on = LL_NO_DAY;

	collect_pending = false;
	notify_collect(build_ledger, snap, notify_since);
	/* The events were for notify_collect only: what they held, and what
	 * the compaction freed, goes back to the system, not just to malloc. */
	snapshot_drop_events(snap);
	malloc_trim(0);
	/* Once a day, and once at the start; a failure (logged) is not
	 * tried again before the next day. */
	if (snap->today != pruned_on) {
		notify_prune(build_ledger, snap->today);
		pruned_on = snap->today;
	}
	atomic_store(&start_unqueued, false);
}

/* The notifications of the first build, queued if they are not yet:
 * before the next snapshot is derived from it (its events are what
 * base's transitions were, told once), and by the thread as it starts. */
static void
service_collect_pending(void)
{
	if (collect_pending && base != NULL && build_ledger != NULL)
		service_collect(base);
}

/* A new snapshot to build from: keep it as the base of the next, hand it
 * over, queue its notifications (later, with defer: see service_open). */
static void
service_built(struct snapshot *snap, bool defer)
{
	/* Served at once: the notifications are queued after, so that a
	 * million circuits answer without waiting for tens of thousands of
	 * rows written to the outbox.  The installments are compacted first,
	 * while no other thread reads them (a failure leaves them where they
	 * were, served all the same). */
	snapshot_compact(snap);
	snapshot_free(base);
	base = snap;
	service_hand_over(snap);
	if (defer) {
		collect_pending = true;
		atomic_store(&start_unqueued, true);
	} else
		service_collect(snap);
}

/* A reload refused for the reason in err: counted, published, told; what
 * was served before stays. */
static void
service_refuse(const char *err)
{
	build_status.rejects++;
	service_copy_text(build_status.last_error, err);
	log_err("config", "%s", err);
	if (base != NULL) {
		log_warn("config", "configuration refused; still serving the "
				   "one loaded before");
		notify_config_rejected(build_ledger, service_opt->config, err,
				       build_status.rejects, service_today());
	}
	service_hand_over(NULL);
}

/* The configuration, read and evaluated; a refused one keeps the old.
 * The status is handed over whatever happens: it names the file. */
static void
service_build_all(bool defer)
{
	const char *path = service_opt->config;
	char err[CONFIG_ERRLEN];
	struct ll_model *model;
	struct entry *e = NULL;
	struct snapshot *snap;
	struct timespec t0, t1;
	int64_t last = 0;
	size_t n = 0;

	service_collect_pending();
	build_status.config_file = path;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	model = config_load(path, err, sizeof(err));
	if (model == NULL) {
		service_refuse(err);
		return;
	}
	if (service_read_entries(&e, &n, &last) < 0) {
		model_free(model);
		service_hand_over(NULL);
		return;
	}
	snap = snapshot_build(model, e, n, time(NULL), service_today());
	if (snap == NULL) {
		log_err("config", "out of memory building the snapshot");
		service_hand_over(NULL);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	base_entry_id = last;
	build_status.reloads++;
	build_status.last_error[0] = '\0';
	log_info("config",
		 "%s: %zu contracts, %zu circuits, %zu installments, loaded "
		 "and evaluated in %ld ms",
		 path, snap->model->n_contracts, snap->n_circuits,
		 snap->n_installments,
		 (long)((t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000));
	service_built(snap, defer);
}

/* Whether a newest entry of last calls for an evaluation: not when the
 * ledger told only of the others' contracts' entries (wake.h). */
static bool
service_told(int64_t last)
{
	bool others = last != base_entry_id && wake_ignore(&wake);

	wake_done(&wake);
	if (others)
		base_entry_id = last;
	return last != base_entry_id;
}

/* What the day and the ledger call for: within a second of a
 * `leaselinectl pay`, and at local midnight (UTC+08:00). */
static void
service_build_changes(void)
{
	struct entry *e;
	struct snapshot *snap;
	char buf[DAY_STRLEN];
	int64_t last;
	size_t n;
	ll_day today;

	service_poll_date_file();
	if (build_ledger == NULL)
		return;
	if (base == NULL) {
		/* Nothing built yet: the module's first build (in this
		 * thread) failed reading the ledger, busy or its server gone
		 * at snmpd's start.  Tried again when reach says, or the MIB
		 * would stay empty until a reload.  A refused configuration
		 * waits for one: reading it again changes nothing. */
		if (build_status.ledger_unreachable &&
		    reach_due(&reach, &build_status))
			service_build_all(false);
		return;
	}
	service_collect_pending();
	wake_collect(&wake, build_ledger, base->model);
	if (reach_due(&reach, &build_status) &&
	    wake_check(&wake, build_ledger) && service_last_entry(&last) == 0 &&
	    service_told(last) && service_read_entries(&e, &n, &last) == 0) {
		snap = snapshot_with_entries(base, e, n);
		if (snap == NULL) {
			log_err("ledger",
				"out of memory evaluating the ledger");
			return;
		}
		base_entry_id = last;
		log_info("ledger", "%zu entries: contracts evaluated again", n);
		service_built(snap, false);
	}
	today = service_today();
	if (base->today != today) {
		snap = snapshot_reevaluate(base, today);
		if (snap == NULL) {
			log_err("billing", "out of memory evaluating %s",
				day_format(today, buf));
			return;
		}
		log_info("billing", "evaluating on %s", day_format(today, buf));
		service_built(snap, false);
	}
}

static void service_free_options(struct service_options *o);
static bool service_same(const char *a, const char *b);

/* The building side: next (taken) becomes the options, but for a ledger
 * that cannot be opened, refused like a broken configuration (the old
 * ledger and configuration go on serving).  The old options are retired:
 * the status served names their file until the next hand-over is taken.
 * 0, or -1 when refused. */
static int
service_apply_options(struct service_options *next)
{
	struct service_retired *gone = calloc(1, sizeof(*gone));
	struct ledger *l = NULL, *s = NULL, *dropped = NULL;
	char err[LEDGER_ERRLEN], msg[CONFIG_ERRLEN];
	bool new_date_file;

	if (gone == NULL) {
		log_err("main", "out of memory");
		service_free_options(next);
		free(next);
		return -1;
	}
	if (!service_same(next->ledger, service_opt->ledger)) {
		l = service_ledger_open(next->ledger, next->config, err,
					sizeof(err));
		if (l != NULL)
			s = service_ledger_open(next->ledger, next->config, err,
						sizeof(err));
		if (s == NULL) {
			ledger_close(l);
			snprintf(msg, sizeof(msg),
				 "leaselineLedger: %s; expected a ledger "
				 "leaseline can write (still using %s)",
				 err, service_opt->ledger);
			service_refuse(msg);
			service_free_options(next);
			free(next);
			free(gone);
			return -1;
		}
	}
	new_date_file = !service_same(next->date_file, service_opt->date_file);
	gone->opt = service_optv;
	gone->next = retired;
	retired = gone;
	service_optv = *next;
	free(next);
	if (l != NULL) {
		ledger_close(build_ledger);
		build_ledger = l;
		base_entry_id = -1;
		service_first_day();
		pthread_mutex_lock(&service_lock);
		dropped = handover_ledger; /* never served */
		handover_ledger = s;
		atomic_store(&handover_pending, true);
		pthread_mutex_unlock(&service_lock);
		ledger_close(dropped);
	}
	if (new_date_file) {
		datefile_reset(&datefile);
		service_poll_date_file();
	}
	return 0;
}

static void *
service_thread(void *arg)
{
	struct snapshot *done[SERVICE_HANDBACK];
	struct service_options *opt;
	struct timespec until;
	bool reload, stop, freed, waited;

	(void)arg;
	/* The first build's notifications (service_open), while the
	 * serving side connects to the master and answers. */
	service_collect_pending();
	for (;;) {
		waited = false;
		pthread_mutex_lock(&service_lock);
		if (!reload_asked && !stop_asked) {
			/* On the ledger's socket when it tells (wake.h). */
			pthread_mutex_unlock(&service_lock);
			waited = build_ledger != NULL && base != NULL &&
				 wake_wait(&wake, build_ledger, base->model);
			pthread_mutex_lock(&service_lock);
		}
		if (!reload_asked && !stop_asked && !waited) {
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&service_wake, &service_lock,
					       &until);
		}
		reload = reload_asked;
		reload_asked = false;
		stop = stop_asked;
		opt = pending_opt;
		pending_opt = NULL;
		memcpy(done, handback, sizeof(done));
		memset(handback, 0, sizeof(handback));
		pthread_mutex_unlock(&service_lock);
		freed = false;
		for (size_t i = 0; i < SERVICE_HANDBACK; i++) {
			freed = freed || done[i] != NULL;
			snapshot_free(done[i]);
		}
		/* A snapshot no longer served is megabytes at carrier scale:
		 * give its pages back to the system, not only to malloc, or
		 * the resident size keeps the high-water mark of every
		 * evaluation that overlapped another. */
		if (freed)
			malloc_trim(0);
		if (stop) {
			if (opt != NULL)
				service_free_options(opt);
			free(opt);
			return NULL;
		}
		if (opt != NULL && service_apply_options(opt) < 0)
			reload = false;
		if (reload)
			service_build_all(false);
		service_build_changes();
	}
}

/* ---- the serving side ---- */

static void
service_free_retired(struct service_retired *r)
{
	struct service_retired *next;

	for (; r != NULL; r = next) {
		next = r->next;
		service_free_options(&r->opt);
		free(r);
	}
}

static void
service_take(void)
{
	struct snapshot *snap, *old = NULL;
	struct ledger *l, *dropped = NULL;
	struct service_retired *gone;
	bool status_new;

	/* Emptied first: a hand-over after this writes a byte again. */
	if (wake_pipe[0] >= 0 && atomic_load(&pipe_written)) {
		atomic_store(&pipe_written, false);
		selfpipe_drain(wake_pipe[0]);
	}
	if (!atomic_exchange(&handover_pending, false))
		return;
	pthread_mutex_lock(&service_lock);
	snap = handover;
	handover = NULL;
	status_new = handover_status_new;
	if (status_new)
		served_status = handover_status;
	handover_status_new = false;
	l = handover_ledger;
	handover_ledger = NULL;
	gone = handover_gone;
	handover_gone = NULL;
	if (l != NULL) {
		dropped = serve_next; /* never used */
		serve_next = l;
		atomic_store(&serve_next_pending, true);
	}
	pthread_mutex_unlock(&service_lock);
	ledger_close(dropped);
	if (snap != NULL) {
		old = served;
		served = snap;
	}
	if (snap != NULL || status_new)
		mib_publish(served, &served_status);
	if (old != NULL && threaded) {
		pthread_mutex_lock(&service_lock);
		for (size_t i = 0; old != NULL && i < SERVICE_HANDBACK; i++)
			if (handback[i] == NULL) {
				handback[i] = old;
				old = NULL;
			}
		pthread_mutex_unlock(&service_lock);
	}
	snapshot_free(old);
	/* The status published now names the newer options' file. */
	service_free_retired(gone);
}

static void
service_free_options(struct service_options *o)
{
	free((char *)o->config);
	free((char *)o->ledger);
	free((char *)o->date_file);
	memset(o, 0, sizeof(*o));
}

static int
service_copy_options(struct service_options *dst,
		     const struct service_options *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->fixed_day = src->fixed_day;
	dst->config = strdup(src->config);
	dst->ledger = strdup(src->ledger);
	if (src->date_file != NULL)
		dst->date_file = strdup(src->date_file);
	if (dst->config == NULL || dst->ledger == NULL ||
	    (src->date_file != NULL && dst->date_file == NULL)) {
		service_free_options(dst);
		log_err("main", "out of memory");
		return -1;
	}
	return 0;
}

static bool
service_same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* What both ways of opening do first: the options kept, the day read,
 * the ledger opened. */
static int
service_prepare(const struct service_options *opt)
{
	if (service_copy_options(&service_optv, opt) < 0)
		return -1;
	service_poll_date_file();
	if (service_resume_ledger() < 0) {
		service_close();
		return -1;
	}
	return 0;
}

int
service_open(const struct service_options *opt)
{
	if (service_prepare(opt) < 0)
		return -1;
	/* Served first: the notifications are queued by the thread when it
	 * starts (service_start_thread), or before anything else is built,
	 * so that a million circuits answer through the master without
	 * waiting for the outbox; they are sent once queued, as always. */
	service_build_all(true);
	if (base == NULL) {
		service_close();
		return -1;
	}
	service_take();
	return 0;
}

int
service_start_thread(void)
{
	int rc;

	/* The serving side sends notifications on a connection of its own;
	 * SQLite connections are not shared between threads here. */
	serve_ledger = service_open_ledger();
	if (serve_ledger == NULL) {
		serve_ledger = build_ledger;
		return -1;
	}
	if (selfpipe_open(wake_pipe) < 0) {
		log_err("main", "cannot create a pipe: %s", strerror(errno));
		ledger_close(serve_ledger);
		serve_ledger = build_ledger;
		return -1;
	}
	if (wake_open() < 0) /* then the thread polls each second */
		log_warn("main", "cannot create a pipe: %s", strerror(errno));
	rc = pthread_create(&build_thread, NULL, service_thread, NULL);
	if (rc != 0) {
		log_err("main", "cannot start the evaluation thread: %s",
			strerror(rc));
		selfpipe_close(wake_pipe);
		ledger_close(serve_ledger);
		serve_ledger = build_ledger;
		return -1;
	}
	threaded = true;
	return 0;
}

int
service_open_threaded(const struct service_options *opt)
{
	if (service_prepare(opt) < 0)
		return -1;
	/* The first build is the thread's: read before it waits. */
	reload_asked = true;
	if (service_start_thread() < 0) {
		service_close();
		return -1;
	}
	return 0;
}

bool
service_wait_first(int seconds)
{
	/* Only the serving side empties the pipe, and it has taken nothing
	 * yet: a byte there is the first hand-over. */
	return selfpipe_wait(wake_pipe[0], seconds * 1000) == 1;
}

int
service_wake_fd(void)
{
	return wake_pipe[0];
}

void
service_reload(void)
{
	if (!threaded) {
		service_build_all(false);
		service_take();
		return;
	}
	pthread_mutex_lock(&service_lock);
	reload_asked = true;
	pthread_cond_signal(&service_wake);
	wake_signal();
	pthread_mutex_unlock(&service_lock);
}

void
service_tick(void)
{
	if (!threaded)
		service_build_changes();
	service_take();
}

/* The options go to the building thread, which applies them (or refuses
 * the ledger) before it builds; one not yet applied is replaced. */
static int
service_reconfigure_threaded(const struct service_options *opt)
{
	struct service_options *next = malloc(sizeof(*next)), *dropped;

	if (next == NULL || service_copy_options(next, opt) < 0) {
		free(next);
		return -1;
	}
	pthread_mutex_lock(&service_lock);
	dropped = pending_opt;
	pending_opt = next;
	reload_asked = true;
	pthread_cond_signal(&service_wake);
	wake_signal();
	pthread_mutex_unlock(&service_lock);
	if (dropped != NULL)
		service_free_options(dropped);
	free(dropped);
	return 0;
}

int
service_reconfigure(const struct service_options *opt)
{
	struct service_options next, old;
	struct ledger *l = NULL;
	char err[LEDGER_ERRLEN], msg[CONFIG_ERRLEN];

	if (threaded)
		return service_reconfigure_threaded(opt);
	if (service_copy_options(&next, opt) < 0)
		return -1;
	/* The new ledger first: one that cannot be opened is refused like a
	 * broken configuration, and the one open stays. */
	if (!service_same(next.ledger, service_opt->ledger)) {
		l = service_ledger_open(next.ledger, next.config, err,
					sizeof(err));
		if (l == NULL) {
			snprintf(msg, sizeof(msg),
				 "leaselineLedger: %s; expected a ledger "
				 "leaseline can write (still using %s)",
				 err, service_opt->ledger);
			service_refuse(msg);
			service_take();
			service_free_options(&next);
			return -1;
		}
	}
	old = service_optv;
	service_optv = next;
	if (l != NULL) {
		service_suspend_ledger();
		build_ledger = serve_ledger = l;
		base_entry_id = -1;
		service_first_day();
	}
	if (!service_same(next.date_file, old.date_file)) {
		datefile_reset(&datefile);
		service_poll_date_file();
	}
	/* Synchronous without the thread: once this returns, the status
	 * served names the new file, and the old strings can go. */
	service_reload();
	service_free_options(&old);
	return 0;
}

bool
service_may_send(void)
{
	return !atomic_load(&start_unqueued);
}

struct ledger *
service_ledger(void)
{
	struct ledger *l;

	if (atomic_exchange(&serve_next_pending, false)) {
		pthread_mutex_lock(&service_lock);
		l = serve_next;
		serve_next = NULL;
		pthread_mutex_unlock(&service_lock);
		if (l != NULL) {
			ledger_close(serve_ledger);
			serve_ledger = l;
		}
	}
	return atomic_load(&ledger_down) ? NULL : serve_ledger;
}

void
service_close(void)
{
	if (threaded) {
		pthread_mutex_lock(&service_lock);
		stop_asked = true;
		pthread_cond_signal(&service_wake);
		wake_signal();
		pthread_mutex_unlock(&service_lock);
		pthread_join(build_thread, NULL);
		threaded = false;
	}
	/* The thread is gone: everything below is this thread's.  A first
	 * build whose thread never started still queues what it found. */
	service_collect_pending();
	selfpipe_close(wake_pipe);
	wake_close();
	memset(&wake, 0, sizeof(wake));
	mib_publish(NULL, NULL);
	snapshot_free(served);
	snapshot_free(handover);
	snapshot_free(base);
	served = handover = base = NULL;
	for (size_t i = 0; i < SERVICE_HANDBACK; i++) {
		snapshot_free(handback[i]);
		handback[i] = NULL;
	}
	ledger_close(handover_ledger);
	ledger_close(serve_next);
	handover_ledger = serve_next = NULL;
	atomic_store(&serve_next_pending, false);
	if (pending_opt != NULL)
		service_free_options(pending_opt);
	free(pending_opt);
	pending_opt = NULL;
	service_free_retired(handover_gone);
	service_free_retired(retired);
	handover_gone = retired = NULL;
	service_suspend_ledger();
	/* A module unloaded for good (not across one of snmpd's reloads) may
	 * be loaded again into the same process: start from nothing. */
	memset(&build_status, 0, sizeof(build_status));
	memset(&served_status, 0, sizeof(served_status));
	memset(&handover_status, 0, sizeof(handover_status));
	handover_status_new = reload_asked = stop_asked = false;
	collect_pending = false;
	memset(&reach, 0, sizeof(reach));
	atomic_store(&ledger_down, false);
	atomic_store(&start_unqueued, false);
	atomic_store(&handover_pending, false);
	atomic_store(&pipe_written, false);
	datefile_reset(&datefile);
	service_free_options(&service_optv);
}
