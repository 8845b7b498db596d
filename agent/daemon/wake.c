/*
 * wake.c: when the building thread wakes for the ledger (see wake.h).
 */
#include <poll.h>
#include <time.h>

#include "daemon/wake.h"
#include "snmp/log.h"
#include "snmp/selfpipe.h"

static int wake_pipe[2] = {-1, -1};

int
wake_open(void)
{
	if (wake_pipe[0] >= 0)
		return 0;
	return selfpipe_open(wake_pipe);
}

void
wake_close(void)
{
	selfpipe_close(wake_pipe);
}

void
wake_signal(void)
{
	(void)selfpipe_poke(wake_pipe[1]);
}

struct wake_told {
	struct wake *w;
	const struct ll_model *model;
};

static void
wake_told(void *arg, const char *contract)
{
	struct wake_told *t = arg;

	if (t->model == NULL ||
	    model_contract_by_number(t->model, contract) != NULL) {
		t->w->due = true;
		return;
	}
	t->w->ignored++;
	log_debug("ledger", "an entry of contract %s: not served here, ignored",
		  contract);
}

void
wake_collect(struct wake *w, struct ledger *l, const struct ll_model *model)
{
	struct wake_told t = {w, model};
	bool missed;

	ledger_changes(l, wake_told, &t, &missed);
	w->missed = w->missed || missed;
}

static long
wake_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

bool
wake_check(struct wake *w, struct ledger *l)
{
	/* Not listening: each second, as ever. */
	if (ledger_change_fd(l) < 0 || w->missed || w->due || w->ignored > 0)
		return true;
	return wake_now() - w->polled >= WAKE_FALLBACK;
}

bool
wake_ignore(struct wake *w)
{
	if (w->due || w->missed || w->ignored == 0)
		return false;
	log_debug("ledger",
		  "%zu entries of contracts not served here: not evaluated "
		  "again",
		  w->ignored);
	return true;
}

void
wake_done(struct wake *w)
{
	w->due = w->missed = false;
	w->ignored = 0;
	w->polled = wake_now();
}

bool
wake_wait(struct wake *w, struct ledger *l, const struct ll_model *model)
{
	struct pollfd p[2];
	struct wake before = *w;

	p[0].fd = ledger_change_fd(l);
	if (p[0].fd < 0 || wake_pipe[0] < 0)
		return false;
	/* What arrived during the last statements waits in l, not on the
	 * socket: no wait then (but for what is still to be done from
	 * before: the ledger unreachable meanwhile). */
	wake_collect(w, l, model);
	if ((w->due && !before.due) || (w->missed && !before.missed) ||
	    w->ignored != before.ignored)
		return true;
	p[0].events = p[1].events = POLLIN;
	p[1].fd = wake_pipe[0];
	if (poll(p, 2, 1000) > 0 && (p[1].revents & POLLIN))
		selfpipe_drain(wake_pipe[0]);
	return true;
}
