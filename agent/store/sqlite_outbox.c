/*
 * sqlite_outbox.c: the SQLite engine's notification outbox (issue 4): the
 * daemon queues each event's notification once with the transition
 * behind it, marks it sent when the master agent acknowledged it, and
 * prunes what was sent long ago.  Only the daemon writes here; ledger.c
 * has refused a write on a read-only ledger before it gets here.  Two
 * agents on one host may share the file: an agent's own notification
 * (llConfigRejected, ledger.h's ledger_set_agent) is pending only for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store/sqlite.h"

/* Binds and runs one INSERT OR IGNORE of the queue; 1 when a row was
 * added, 0 when its key was there already, -1 on error. */
static int
ledger_sqlite_insert_transition(struct ledger *l, sqlite3_stmt *st,
				const struct ledger_transition *t, int64_t now)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (sqlite3_bind_text(st, 1, t->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, t->day) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, t->what, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, t->from) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, t->to) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, now) != SQLITE_OK ||
	    sqlite3_bind_text(st, 7, t->key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(l->db) > 0;
}

static int
ledger_sqlite_insert_notification(struct ledger *l, sqlite3_stmt *st,
				  const struct ledger_notification *q,
				  int64_t now)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (sqlite3_bind_text(st, 1, q->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_text(st, 2, q->name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, q->day) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, q->payload, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
	    sqlite3_bind_text(st, 6, q->key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(l->db) > 0;
}

/* The compatibility with keys cut to LEDGER_CUT_KEY_LEN octets
 * (engine.h), by UPDATE OR IGNORE: should the whole key be there
 * already, the row stays as it is. */
/* Gives the row of t recorded under its cut key its whole key; -1 on
 * error.  *st is prepared on the first long key. */
static int
ledger_sqlite_uncut_transition(struct ledger *l, sqlite3_stmt **st,
			       const struct ledger_transition *t)
{
	if (t->key == NULL || strlen(t->key) <= LEDGER_CUT_KEY_LEN)
		return 0;
	if (*st == NULL &&
	    sqlite3_prepare_v2(l->db,
			       "UPDATE OR IGNORE transitions SET key = ?1 "
			       "WHERE key = ?2 AND contract = ?3 AND day = ?4 "
			       "AND what = ?5 AND from_state = ?6 "
			       "AND to_state = ?7",
			       -1, st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	if (sqlite3_bind_text(*st, 1, t->key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 2, t->key, LEDGER_CUT_KEY_LEN,
			      SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 3, t->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(*st, 4, t->day) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 5, t->what, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int(*st, 6, t->from) != SQLITE_OK ||
	    sqlite3_bind_int(*st, 7, t->to) != SQLITE_OK ||
	    sqlite3_step(*st) != SQLITE_DONE)
		return -1;
	return 0;
}

/* The same for the notification q. */
static int
ledger_sqlite_uncut_notification(struct ledger *l, sqlite3_stmt **st,
				 const struct ledger_notification *q)
{
	if (strlen(q->key) <= LEDGER_CUT_KEY_LEN)
		return 0;
	if (*st == NULL &&
	    sqlite3_prepare_v2(l->db,
			       "UPDATE OR IGNORE outbox SET key = ?1 "
			       "WHERE key = ?2 AND contract = ?3 "
			       "AND notification = ?4 AND day = ?5 "
			       "AND payload = ?6",
			       -1, st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	if (sqlite3_bind_text(*st, 1, q->key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 2, q->key, LEDGER_CUT_KEY_LEN,
			      SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 3, q->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_text(*st, 4, q->name, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(*st, 5, q->day) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 6, q->payload, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_step(*st) != SQLITE_DONE)
		return -1;
	return 0;
}

int
ledger_sqlite_queue(struct ledger *l, const struct ledger_transition *t,
		    size_t nt, const struct ledger_notification *q, size_t nq,
		    size_t *queued, char *err, size_t errlen)
{
	sqlite3_stmt *ts = NULL, *qs = NULL, *tu = NULL, *qu = NULL;
	int64_t now = (int64_t)time(NULL);
	size_t added = 0;
	bool own;
	int rc;

	/* Inside a batch, the batch's transaction holds these rows too. */
	own = sqlite3_get_autocommit(l->db) != 0;
	if (own &&
	    ledger_sqlite_exec(l, "BEGIN IMMEDIATE",
			       "cannot queue notifications", err, errlen) < 0)
		return -1;
	if (ledger_sqlite_prepare(
		l,
		"INSERT OR IGNORE INTO transitions (contract, day, "
		"what, from_state, to_state, recorded_at, key) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		&ts, "cannot record transitions", err, errlen) < 0 ||
	    ledger_sqlite_prepare(
		l,
		"INSERT OR IGNORE INTO outbox (contract, "
		"notification, day, payload, created_at, key) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		&qs, "cannot queue notifications", err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < nt; i++)
		if (ledger_sqlite_uncut_transition(l, &tu, &t[i]) < 0 ||
		    ledger_sqlite_insert_transition(l, ts, &t[i], now) < 0) {
			ledger_sqlite_err(l, err, errlen,
					  "cannot record transitions");
			goto fail;
		}
	for (size_t i = 0; i < nq; i++) {
		rc = ledger_sqlite_uncut_notification(l, &qu, &q[i]);
		if (rc == 0)
			rc = ledger_sqlite_insert_notification(l, qs, &q[i],
							       now);
		if (rc < 0) {
			ledger_sqlite_err(l, err, errlen,
					  "cannot queue notifications");
			goto fail;
		}
		added += (size_t)rc;
	}
	sqlite3_finalize(ts);
	sqlite3_finalize(qs);
	sqlite3_finalize(tu);
	sqlite3_finalize(qu);
	ts = qs = tu = qu = NULL;
	if (own && ledger_sqlite_exec(l, "COMMIT", "cannot queue notifications",
				      err, errlen) < 0)
		goto fail;
	if (queued)
		*queued = added;
	return 0;
fail:
	sqlite3_finalize(ts);
	sqlite3_finalize(qs);
	sqlite3_finalize(tu);
	sqlite3_finalize(qu);
	ledger_sqlite_rollback(l);
	return -1;
}

int
ledger_sqlite_read_notification(sqlite3_stmt *st, struct ledger_notification *q)
{
	q->id = sqlite3_column_int64(st, 0);
	q->contract = ledger_sqlite_column_strdup(st, 1);
	q->name = ledger_sqlite_column_strdup(st, 2);
	q->day = (ll_day)sqlite3_column_int64(st, 3);
	q->key = ledger_sqlite_column_strdup(st, 4);
	q->payload = ledger_sqlite_column_strdup(st, 5);
	q->created_at = sqlite3_column_int64(st, 6);
	return q->contract && q->name && q->key && q->payload ? 0 : -1;
}

int
ledger_sqlite_outbox_pending(struct ledger *l, size_t max,
			     struct ledger_notification **out, size_t *n,
			     char *err, size_t errlen)
{
	struct ledger_notification *v = NULL, *q;
	sqlite3_stmt *st;
	size_t len = 0;
	int rc;

	v = calloc(max, sizeof(*v));
	if (!v) {
		ledger_seterr(err, errlen, "ledger %s: out of memory", l->path);
		return -1;
	}
	if (ledger_sqlite_prepare(
		l,
		"SELECT id, contract, notification, day, key, "
		"payload, created_at FROM outbox "
		"WHERE sent_at IS NULL AND (contract <> ?2 OR "
		"substr(key, 1, length(?3)) <> ?3 OR "
		"substr(key, 1, length(?4)) = ?4) ORDER BY id LIMIT ?1",
		&st, "cannot read the outbox", err, errlen) < 0) {
		free(v);
		return -1;
	}
	/* An agent's own row (ledger.h) only to its owner: ?4 is NULL
	 * without an identity, and then matches none. */
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	sqlite3_bind_text(st, 2, LEDGER_AGENT_CONTRACT, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, LEDGER_AGENT_PREFIX, -1, SQLITE_STATIC);
	if (l->agent)
		sqlite3_bind_text(st, 4, l->agent, -1, SQLITE_STATIC);
	while (len < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		q = &v[len++];
		if (ledger_sqlite_read_notification(st, q) < 0) {
			ledger_seterr(err, errlen,
				      "ledger %s: cannot read the outbox: out "
				      "of memory",
				      l->path);
			goto fail;
		}
	}
	if (len < max && rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot read the outbox");
		goto fail;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return 0;
fail:
	sqlite3_finalize(st);
	ledger_notifications_free(v, len);
	return -1;
}

int
ledger_sqlite_outbox_sent(struct ledger *l, int64_t id, char *err,
			  size_t errlen)
{
	return ledger_sqlite_update(
	    l,
	    "UPDATE outbox SET sent_at = ?2 WHERE id = ?1 "
	    "AND sent_at IS NULL",
	    NULL, id, (int64_t)time(NULL), "cannot mark a notification sent",
	    err, errlen);
}

int
ledger_sqlite_outbox_sent_many(struct ledger *l, const int64_t *ids, size_t n,
			       bool wait, char *err, size_t errlen)
{
	const char *what = "cannot mark notifications sent";
	sqlite3_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	/* One transaction: one sync of the WAL for the n of them.  Without
	 * waiting, a writer holding the ledger (the evaluation thread's
	 * notify_collect) makes it return 1 at once. */
	if (!wait)
		sqlite3_busy_timeout(l->db, 0);
	rc = sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (!wait)
		sqlite3_busy_timeout(l->db, LEDGER_SQLITE_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_BUSY && !wait)
		return 1;
	if (rc != SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen, what);
		return -1;
	}
	if (ledger_sqlite_prepare(
		l,
		"UPDATE outbox SET sent_at = ?2 WHERE id = ?1 "
		"AND sent_at IS NULL",
		&st, what, err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (sqlite3_bind_int64(st, 1, ids[i]) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, now) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_DONE) {
			ledger_sqlite_err(l, err, errlen, what);
			goto fail;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (ledger_sqlite_exec(l, "COMMIT", what, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_finalize(st);
	ledger_sqlite_rollback(l);
	return -1;
}

/*
 * head, "?FIRST, ?FIRST+1, ..." for names[0..n) (n <= 4), then tail:
 * prepared, with the names bound there.
 */
static int
ledger_sqlite_prepare_names(struct ledger *l, const char *head,
			    const char *tail, int first,
			    const char *const *names, size_t n,
			    sqlite3_stmt **st, const char *what, char *err,
			    size_t errlen)
{
	char in[32] = "", full[512];
	size_t off = 0;

	/* n is 1 to 4 (ledger.c): in[] holds "?2, ?3, ?4, ?5". */
	for (size_t i = 0; i < n && off < sizeof(in); i++)
		off += (size_t)snprintf(in + off, sizeof(in) - off, "%s?%d",
					i ? ", " : "", first + (int)i);
	snprintf(full, sizeof(full), "%s%s%s", head, in, tail);
	if (ledger_sqlite_prepare(l, full, st, what, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		sqlite3_bind_text(*st, first + (int)i, names[i], -1,
				  SQLITE_STATIC);
	return 0;
}

int
ledger_sqlite_outbox_last(struct ledger *l, const char *contract,
			  const char *const *names, size_t n, int64_t *id,
			  char **name, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (ledger_sqlite_prepare_names(
		l,
		"SELECT id, notification FROM outbox WHERE "
		"contract = ?1 AND notification IN (",
		") ORDER BY id DESC LIMIT 1", 2, names, n, &st,
		"cannot read the outbox", err, errlen) < 0)
		return -1;
	sqlite3_bind_text(st, 1, contract, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*name = ledger_sqlite_column_strdup(st, 1);
		rc = *name ? SQLITE_DONE : SQLITE_NOMEM;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot read the outbox");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int
ledger_sqlite_outbox_prune(struct ledger *l, ll_day before,
			   const char *const *keep, size_t n, size_t *deleted,
			   char *err, size_t errlen)
{
	const char *what = "cannot prune the outbox";
	sqlite3_stmt *st;
	int rc;

	if (ledger_sqlite_prepare_names(
		l,
		"DELETE FROM outbox WHERE sent_at IS NOT NULL AND day < ?1 "
		"AND id NOT IN (SELECT MAX(id) FROM outbox WHERE notification "
		"IN (",
		") GROUP BY contract)", 2, keep, n, &st, what, err, errlen) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, what);
		sqlite3_finalize(st);
		return -1;
	}
	*deleted = (size_t)sqlite3_changes(l->db);
	sqlite3_finalize(st);
	return 0;
}
