/*
 * service.c: see service.h.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "day.h"
#include "log.h"
#include "mib.h"
#include "notify.h"
#include "service.h"
#include "snapshot.h"

static const struct service_options *service_opt;
static struct snapshot *service_snap;
static struct mib_status service_status;
static struct ledger *service_ledger_db;
static int64_t service_ledger_version = -1; /* -1: read the entries again */
static ll_day service_file_day = LL_NO_DAY; /* from the date file */
static struct stat service_file_stat;
static ll_day service_notify_since; /* events before it are not told */

/* Copies src into dst, cut if need be on a UTF-8 character boundary: the
 * result is published as an SnmpAdminString. */
static void
service_copy_utf8(char *dst, size_t size, const char *src)
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
service_publish(struct snapshot *snap)
{
	struct snapshot *old = service_snap;

	service_snap = snap;
	mib_publish(service_snap, &service_status);
	if (old != snap)
		snapshot_free(old);
	if (service_ledger_db != NULL && service_snap != NULL)
		notify_collect(service_ledger_db, service_snap,
			       service_notify_since);
}

static ll_day
service_today(void)
{
	if (service_file_day != LL_NO_DAY)
		return service_file_day;
	if (service_opt->fixed_day != LL_NO_DAY)
		return service_opt->fixed_day;
	return day_of_time(time(NULL));
}

/* The date file: the day to evaluate on, read again whenever the file
 * changes, so that a demo or a test can move the day while it runs.  A
 * file that does not hold a date is reported and ignored. */
static void
service_poll_date_file(void)
{
	const char *path = service_opt->date_file;
	struct stat st;
	char buf[32] = "";
	FILE *f;
	ll_day day;

	if (path == NULL || stat(path, &st) < 0)
		return;
	if (st.st_mtim.tv_sec == service_file_stat.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == service_file_stat.st_mtim.tv_nsec &&
	    st.st_size == service_file_stat.st_size &&
	    st.st_ino == service_file_stat.st_ino)
		return;
	service_file_stat = st;
	f = fopen(path, "r");
	if (f == NULL)
		return;
	if (fgets(buf, sizeof(buf), f) != NULL)
		buf[strcspn(buf, "\r\n")] = '\0';
	fclose(f);
	if (!day_parse(buf, &day)) {
		log_warn("main",
			 "%s: \"%s\" is not a calendar date; expected "
			 "YYYY-MM-DD; the day stays as it was",
			 path, buf);
		return;
	}
	service_file_day = day;
}

/* The first day evaluated with this ledger: notifications tell what
 * happened from a little before it, not the years before. */
static int
service_first_day(void)
{
	char err[LEDGER_ERRLEN];
	int64_t first = service_today();
	bool found;

	if (ledger_meta_get(service_ledger_db, "first_day", &first, &found, err,
			    sizeof(err)) < 0 ||
	    (!found && ledger_meta_set(service_ledger_db, "first_day", first,
				       err, sizeof(err)) < 0)) {
		log_err("ledger", "%s", err);
		return -1;
	}
	service_notify_since = (ll_day)first - NOTIFY_BACKLOG_DAYS;
	return 0;
}

/* Read-write: the service creates the ledger on first start, and records
 * transitions and notifications in it. */
int
service_resume_ledger(void)
{
	char err[LEDGER_ERRLEN];

	service_ledger_db = ledger_open(service_opt->ledger, LEDGER_READ_WRITE,
					err, sizeof(err));
	if (service_ledger_db == NULL) {
		log_err("ledger", "%s", err);
		return -1;
	}
	service_ledger_version = -1;
	if (service_first_day() < 0) {
		ledger_close(service_ledger_db);
		service_ledger_db = NULL;
		return -1;
	}
	return 0;
}

void
service_suspend_ledger(void)
{
	ledger_close(service_ledger_db);
	service_ledger_db = NULL;
}

/* Every ledger entry, for a new snapshot; 0 or -1 (logged). */
static int
service_read_entries(struct ledger_entry **e, size_t *n)
{
	char err[LEDGER_ERRLEN];

	if (ledger_entries(service_ledger_db, NULL, e, n, err, sizeof(err)) <
	    0) {
		log_err("ledger", "%s", err);
		return -1;
	}
	return 0;
}

/* Within a second of a `leaselinectl pay`: the ledger changed, evaluate
 * the contracts again with its entries. */
static void
service_poll_ledger(void)
{
	struct ledger_entry *e;
	struct snapshot *snap;
	int64_t version;
	size_t n;

	if (service_ledger_db == NULL || service_snap == NULL ||
	    ledger_data_version(service_ledger_db, &version) < 0 ||
	    version == service_ledger_version)
		return;
	if (service_read_entries(&e, &n) < 0)
		return; /* keep serving what was evaluated before */
	snap = snapshot_with_entries(service_snap, e, n);
	if (snap == NULL) {
		log_err("ledger", "out of memory evaluating the ledger");
		return;
	}
	service_snap = NULL; /* freed by snapshot_with_entries */
	service_ledger_version = version;
	log_info("ledger", "%zu entries: contracts evaluated again", n);
	service_publish(snap);
}

/* At local midnight (UTC+08:00) the same model is evaluated on the new
 * day. */
static void
service_new_day(void)
{
	ll_day today = service_today();
	struct snapshot *snap;
	char buf[DAY_STRLEN];

	if (service_snap == NULL || service_snap->today == today)
		return;
	snap = snapshot_reevaluate(service_snap, today);
	if (snap == NULL) {
		log_err("billing", "out of memory evaluating %s",
			day_format(today, buf));
		return;
	}
	service_snap = NULL; /* freed by snapshot_reevaluate */
	log_info("billing", "evaluating on %s", day_format(today, buf));
	service_publish(snap);
}

int
service_reload(void)
{
		const char *path = service_opt->config;
	char err[CONFIG_ERRLEN];
	struct ll_model *model;
	struct ledger_entry *e = NULL;
	struct snapshot *snap;
	struct timespec t0, t1;
	size_t n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	model = config_load(path, err, sizeof(err));
	if (model == NULL) {
		service_status.rejects++;
		service_copy_utf8(service_status.last_error,
				  sizeof(service_status.last_error), err);
		log_err("config", "%s", err);
		if (service_snap != NULL) {
			log_warn("config", "configuration refused; still "
					   "serving the one loaded before");
			notify_config_rejected(service_ledger_db, path, err,
					       service_status.rejects,
					       service_today());
		}
		return -1;
	}
	if (service_read_entries(&e, &n) < 0) {
		model_free(model);
		return -1;
	}
	snap = snapshot_build(model, e, n, time(NULL), service_today());
	if (snap == NULL) {
		log_err("config", "out of memory building the snapshot");
		return -1;
	}
		/* libconfig's tree of a large file is freed by now: give its memory
	 * back to the system, not just to malloc. */
	malloc_trim(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	service_status.reloads++;
	service_status.last_error[0] = '\0';
	log_info("config",
		 "%s: %zu contracts, %zu circuits, %zu installments, loaded "
		 "and evaluated in %ld ms",
		 path, snap->model->n_contracts, snap->n_circuits,
		 snap->n_installments,
		 (long)((t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000));
	service_publish(snap);
	return 0;
}

int
service_open(const struct service_options *opt)
{
	service_opt = opt;
	service_status.config_file = opt->config;
	service_poll_date_file();
	if (service_resume_ledger() < 0)
		return -1;
	if (service_reload() < 0) {
		service_suspend_ledger();
		return -1;
	}
	return 0;
}

void
service_tick(void)
{
	service_poll_date_file();
	service_new_day();
	service_poll_ledger();
}

struct ledger *
service_ledger(void)
{
	return service_ledger_db;
}

void
service_close(void)
{
	mib_publish(NULL, NULL);
	snapshot_free(service_snap);
	service_snap = NULL;
	service_suspend_ledger();
}
