/*
 * ledger.c: the ledger of ledger.h, engine-independent: picks the engine
 * by the ledger setting, checks what every engine would have to check
 * (arguments, read-only ledgers, which entries and transitions may be
 * recorded, reversals) and calls the engine (engine.h).  The rules here
 * are the ledger's contract with its callers; an engine only keeps data.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The reasons a suspension or termination gives (enum billing_reason). */
#include "core/billing.h"
#include "store/engine.h"

/* The engines of this build, asked in order; a new engine is one line. */
static const struct ledger_engine *const ledger_engines[] = {
    &ledger_sqlite_engine,
    &ledger_pg_engine,
};

void
ledger_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The length of path's URI scheme (RFC 3986: a letter, then letters,
 * digits, "+", "-" or "."), when "://" follows it; 0 otherwise. */
static size_t
ledger_scheme_len(const char *path)
{
	size_t i = 0;

	if (!isalpha((unsigned char)path[0]))
		return 0;
	while (isalnum((unsigned char)path[i]) || path[i] == '+' ||
	       path[i] == '-' || path[i] == '.')
		i++;
	return strncmp(path + i, "://", 3) == 0 ? i : 0;
}

bool
ledger_path_is_uri(const char *path)
{
	return ledger_scheme_len(path) > 0;
}

/* The engine that keeps the ledger named by path, or NULL with why. */
static const struct ledger_engine *
ledger_engine_for(const char *path, char *err, size_t errlen)
{
	size_t n = sizeof(ledger_engines) / sizeof(ledger_engines[0]);

	for (size_t i = 0; i < n; i++)
		if (ledger_engines[i]->accepts(path))
			return ledger_engines[i];
	/* Only the scheme: the rest of a URI may hold a password. */
	ledger_seterr(
	    err, errlen,
	    "cannot open the ledger %.*s://...: no such ledger engine "
	    "in this build (it keeps the ledger in an SQLite file or in "
	    "PostgreSQL, named by a postgresql:// URI): "
	    "check the -l option or the ledger setting",
	    (int)ledger_scheme_len(path), path);
	return NULL;
}

const char *
ledger_display(const char *path, char *buf, size_t buflen)
{
	const struct ledger_engine *engine = ledger_engine_for(path, NULL, 0);

	if (engine != NULL && engine->redact != NULL)
		return engine->redact(path, buf, buflen);
	if (engine == NULL) /* only the scheme, as ledger_engine_for says */
		snprintf(buf, buflen, "%.*s://...",
			 (int)ledger_scheme_len(path), path);
	else
		snprintf(buf, buflen, "%s", path);
	return buf;
}

bool
ledger_holds_password(const char *path)
{
	const struct ledger_engine *engine = ledger_engine_for(path, NULL, 0);
	char shown[LEDGER_ERRLEN];

	if (engine == NULL || engine->redact == NULL)
		return false;
	return strcmp(engine->redact(path, shown, sizeof(shown)), path) != 0;
}

struct ledger *
ledger_open(const char *path, enum ledger_mode mode, char *err, size_t errlen)
{
	char shown[LEDGER_ERRLEN];

	const struct ledger_engine *engine;
	struct ledger *l;

	if (!path || !*path) {
		ledger_seterr(err, errlen, "no ledger file given");
		return NULL;
	}
	if (mode != LEDGER_READ_ONLY && mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen, "ledger %s: unknown open mode %d",
			      path, (int)mode);
		return NULL;
	}
	engine = ledger_engine_for(path, err, errlen);
	if (!engine)
		return NULL;
	if (ledger_holds_password(path)) {
		ledger_seterr(err, errlen,
			      "ledger %s: the URI holds a password, which "
			      "would show in ps, logs and llConfigFile: leave "
			      "it out, and put it in the passfile (~/.pgpass, "
			      "or the file PGPASSFILE names) or a service "
			      "file (PGSERVICEFILE)",
			      ledger_display(path, shown, sizeof(shown)));
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		ledger_seterr(err, errlen, "ledger %s: out of memory", path);
		return NULL;
	}
	l->engine = engine;
	l->mode = mode;
	l->path = strdup(path);
	if (!l->path) {
		ledger_seterr(err, errlen, "ledger %s: out of memory", path);
		goto free_ledger;
	}
	if (engine->open(l, err, errlen) < 0)
		goto free_ledger;
	return l;

free_ledger:
	free(l->path);
	free(l);
	return NULL;
}

void
ledger_close(struct ledger *l)
{
	if (!l)
		return;
	l->engine->close(l);
	free(l->agent);
	free(l->path);
	free(l);
}

int
ledger_verify(struct ledger *l, char *err, size_t errlen)
{
	return l->engine->verify(l, err, errlen);
}

/* A write on a ledger opened read-only: refused with what it was for. */
static bool
ledger_read_only(const struct ledger *l, const char *what, char *err,
		 size_t errlen)
{
	if (l->mode == LEDGER_READ_WRITE)
		return false;
	ledger_seterr(err, errlen, "ledger %s is open read-only: %s", l->path,
		      what);
	return true;
}

const char *
ledger_kind_name(int kind)
{
	switch (kind) {
	case ENTRY_PAYMENT: return "payment";
	case ENTRY_REVERSAL: return "reversal";
	case ENTRY_SUSPEND: return "suspension";
	case ENTRY_RESUME: return "resumption";
	case ENTRY_TERMINATE: return "termination";
	case ENTRY_NOTICE: return "non-renewal notice";
	case ENTRY_REMINDER: return "reminder";
	}
	return "entry";
}

/* What an entry must be to be recorded, whatever the engine (the SQLite
 * engine's CHECK constraints say the same again).  Only a suspension or a
 * termination gives a reason, one of enum billing_reason (up to
 * REASON_MISUSE, clause 6.3, since issue 13). */
static int
ledger_check_entry(const struct ledger *l, const struct entry *e, char *err,
		   size_t errlen)
{
	const char *name = ledger_kind_name(e->kind);

	if (e->kind < ENTRY_PAYMENT || e->kind > ENTRY_REMINDER) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing an entry of unknown kind %d",
			      l->path, (int)e->kind);
		return -1;
	}
	if (!e->contract || !*e->contract) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s without a contract "
			      "number",
			      l->path, name);
		return -1;
	}
	if (e->day == LL_NO_DAY) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s without "
			      "a day",
			      l->path, name, e->contract);
		return -1;
	}
	if (e->kind == ENTRY_PAYMENT && e->amount <= 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a payment of contract %s: "
			      "the amount must be positive, not %lld fen",
			      l->path, e->contract, (long long)e->amount);
		return -1;
	}
	if (e->kind != ENTRY_PAYMENT && e->amount != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s: only "
			      "a payment has an amount (got %lld fen)",
			      l->path, name, e->contract, (long long)e->amount);
		return -1;
	}
	if (e->kind == ENTRY_REVERSAL && e->reverses <= 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "it must name the payment it cancels",
			      l->path, e->contract);
		return -1;
	}
	if (e->kind != ENTRY_REVERSAL && e->reverses != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s: only a "
			      "reversal cancels another entry",
			      l->path, name, e->contract);
		return -1;
	}
	if ((e->kind == ENTRY_SUSPEND || e->kind == ENTRY_TERMINATE) &&
	    (e->reason < REASON_NONE || e->reason > REASON_MISUSE)) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s: the "
			      "reason must be from %d to %d, not %d",
			      l->path, name, e->contract, REASON_NONE,
			      REASON_MISUSE, e->reason);
		return -1;
	}
	if (e->kind != ENTRY_SUSPEND && e->kind != ENTRY_TERMINATE &&
	    e->reason != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s: only a "
			      "suspension or termination has a reason (got %d)",
			      l->path, name, e->contract, e->reason);
		return -1;
	}
	return 0;
}

int
ledger_reversal_target_ok(const struct ledger *l, const struct entry *e,
			  bool found, int kind, const char *owner, char *err,
			  size_t errlen)
{
	if (!found) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "entry %lld does not exist",
			      l->path, e->contract, (long long)e->reverses);
		return -1;
	}
	if (kind != ENTRY_PAYMENT) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "entry %lld is a %s, and only a payment can be "
			      "reversed",
			      l->path, e->contract, (long long)e->reverses,
			      ledger_kind_name(kind));
		return -1;
	}
	if (!owner || strcmp(owner, e->contract) != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "payment %lld belongs to contract %s",
			      l->path, e->contract, (long long)e->reverses,
			      owner ? owner : "(none)");
		return -1;
	}
	return 0;
}

int
ledger_reversal_once_ok(const struct ledger *l, const struct entry *e,
			int64_t reversed_by, char *err, size_t errlen)
{
	if (reversed_by == 0)
		return 0;
	ledger_seterr(err, errlen,
		      "ledger %s: refusing a reversal of contract %s: "
		      "payment %lld is already reversed by entry %lld",
		      l->path, e->contract, (long long)e->reverses,
		      (long long)reversed_by);
	return -1;
}

int
ledger_append(struct ledger *l, struct entry *e, char *err, size_t errlen)
{
	if (!l || !e) {
		ledger_seterr(err, errlen, "ledger: nothing to append");
		return -1;
	}
	if (ledger_read_only(l, "cannot append", err, errlen) ||
	    ledger_check_entry(l, e, err, errlen) < 0)
		return -1;
	return l->engine->append(l, e, err, errlen);
}

int
ledger_entries(struct ledger *l, const char *contract, struct entry **out,
	       size_t *n, char *err, size_t errlen)
{
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!l || !out || !n) {
		ledger_seterr(err, errlen, "ledger: nowhere to read entries");
		return -1;
	}
	return l->engine->entries(l, contract, out, n, err, errlen);
}

int
ledger_entry(struct ledger *l, int64_t id, struct entry *out, char *err,
	     size_t errlen)
{
	if (!l || !out) {
		ledger_seterr(err, errlen, "ledger: nowhere to read an entry");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	return l->engine->entry(l, id, out, err, errlen);
}

int
ledger_add_transition(struct ledger *l, struct ledger_transition *t, char *err,
		      size_t errlen)
{
	if (!l || !t) {
		ledger_seterr(err, errlen, "ledger: no transition to record");
		return -1;
	}
	if (ledger_read_only(l, "cannot record a transition", err, errlen))
		return -1;
	if (!t->contract || !*t->contract || !t->what || !*t->what ||
	    t->day == LL_NO_DAY) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a transition without a "
			      "contract, a day and what changed",
			      l->path);
		return -1;
	}
	return l->engine->add_transition(l, t, err, errlen);
}

int
ledger_transitions(struct ledger *l, const char *contract,
		   struct ledger_transition **out, size_t *n, char *err,
		   size_t errlen)
{
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!l || !out || !n) {
		ledger_seterr(err, errlen,
			      "ledger: nowhere to read transitions");
		return -1;
	}
	return l->engine->transitions(l, contract, out, n, err, errlen);
}

void
ledger_transitions_free(struct ledger_transition *t, size_t n)
{
	if (!t)
		return;
	for (size_t i = 0; i < n; i++) {
		free(t[i].contract);
		free(t[i].what);
		free(t[i].key);
	}
	free(t);
}

int
ledger_last_entry_id(struct ledger *l, int64_t *id)
{
	if (!l || !id)
		return -1;
	return l->engine->last_entry_id(l, id);
}

int
ledger_data_version(struct ledger *l, int64_t *version)
{
	if (!l || !version)
		return -1;
	return l->engine->data_version(l, version);
}

int
ledger_change_fd(struct ledger *l)
{
	if (!l || !l->engine->change_fd)
		return -1;
	return l->engine->change_fd(l);
}

int
ledger_changes(struct ledger *l, ledger_change_fn *fn, void *arg, bool *missed)
{
	if (!l || !fn || !missed)
		return -1;
	*missed = false;
	if (!l->engine->changes)
		return 0;
	return l->engine->changes(l, fn, arg, missed);
}

int
ledger_queue(struct ledger *l, const struct ledger_transition *t, size_t nt,
	     const struct ledger_notification *q, size_t nq, size_t *queued,
	     char *err, size_t errlen)
{
	if (queued)
		*queued = 0;
	if (!l || l->mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen,
			      "ledger %s is open read-only: cannot queue "
			      "notifications",
			      l ? l->path : "(none)");
		return -1;
	}
	if (nt == 0 && nq == 0)
		return 0;
	return l->engine->queue(l, t, nt, q, nq, queued, err, errlen);
}

int
ledger_batch_begin(struct ledger *l, char *err, size_t errlen)
{
	return l->engine->batch_begin(l, err, errlen);
}

int
ledger_batch_commit(struct ledger *l, char *err, size_t errlen)
{
	return l->engine->batch_commit(l, err, errlen);
}

void
ledger_batch_abort(struct ledger *l)
{
	l->engine->batch_abort(l);
}

void
ledger_notifications_free(struct ledger_notification *q, size_t n)
{
	if (!q)
		return;
	for (size_t i = 0; i < n; i++) {
		free(q[i].contract);
		free(q[i].name);
		free(q[i].key);
		free(q[i].payload);
	}
	free(q);
}

/* 64-bit FNV-1a of s: the configuration's path, short and fixed in
 * length inside a key. */
static uint64_t
ledger_agent_hash(const char *s)
{
	uint64_t h = LEDGER_FNV_OFFSET;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= LEDGER_FNV_PRIME;
	}
	return h;
}

int
ledger_set_agent(struct ledger *l, const char *config, char *err, size_t errlen)
{
	/* Linux's HOST_NAME_MAX is 64; a longer name is cut, the same way
	 * at every start. */
	char host[65], *abs, *id;
	size_t len;

	if (!l || !config || !*config) {
		ledger_seterr(
		    err, errlen,
		    "ledger: no configuration file to name the agent by");
		return -1;
	}
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	abs = realpath(config, NULL);
	len = sizeof(LEDGER_AGENT_PREFIX) + strlen(host) + 1 + 16 + 1;
	id = malloc(len);
	if (!id) {
		free(abs);
		ledger_seterr(err, errlen, "ledger %s: out of memory", l->path);
		return -1;
	}
	snprintf(id, len, LEDGER_AGENT_PREFIX "%s/%016" PRIx64 "/", host,
		 ledger_agent_hash(abs ? abs : config));
	free(abs);
	free(l->agent);
	l->agent = id;
	return 0;
}

const char *
ledger_agent(const struct ledger *l)
{
	return l ? l->agent : NULL;
}

int
ledger_outbox_pending(struct ledger *l, size_t max,
		      struct ledger_notification **out, size_t *n, char *err,
		      size_t errlen)
{
	*out = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	return l->engine->outbox_pending(l, max, out, n, err, errlen);
}

/* ledger.h's bound on a list of notification names. */
static bool
ledger_names_ok(size_t n, char *err, size_t errlen)
{
	if (n >= 1 && n <= 4)
		return true;
	ledger_seterr(err, errlen, "ledger: 1 to 4 names, not %zu", n);
	return false;
}

int
ledger_outbox_last(struct ledger *l, const char *contract,
		   const char *const *names, size_t n, int64_t *id, char **name,
		   char *err, size_t errlen)
{
	*id = 0;
	*name = NULL;
	if (!ledger_names_ok(n, err, errlen))
		return -1;
	return l->engine->outbox_last(l, contract, names, n, id, name, err,
				      errlen);
}

int
ledger_outbox_prune(struct ledger *l, ll_day before, const char *const *keep,
		    size_t n, size_t *deleted, char *err, size_t errlen)
{
	*deleted = 0;
	if (ledger_read_only(l, "cannot prune the outbox", err, errlen) ||
	    !ledger_names_ok(n, err, errlen))
		return -1;
	return l->engine->outbox_prune(l, before, keep, n, deleted, err,
				       errlen);
}

int
ledger_outbox_sent(struct ledger *l, int64_t id, char *err, size_t errlen)
{
	if (ledger_read_only(l, "cannot mark a notification sent", err, errlen))
		return -1;
	return l->engine->outbox_sent(l, id, err, errlen);
}

int
ledger_outbox_sent_many(struct ledger *l, const int64_t *ids, size_t n,
			bool wait, char *err, size_t errlen)
{
	if (n == 0)
		return 0;
	if (ledger_read_only(l, "cannot mark notifications sent", err, errlen))
		return -1;
	return l->engine->outbox_sent_many(l, ids, n, wait, err, errlen);
}

int
ledger_meta_get(struct ledger *l, const char *name, int64_t *value, bool *found,
		char *err, size_t errlen)
{
	*found = false;
	return l->engine->meta_get(l, name, value, found, err, errlen);
}

int
ledger_meta_set(struct ledger *l, const char *name, int64_t value, char *err,
		size_t errlen)
{
	if (ledger_read_only(l, "cannot record a setting", err, errlen))
		return -1;
	return l->engine->meta_set(l, name, value, err, errlen);
}
