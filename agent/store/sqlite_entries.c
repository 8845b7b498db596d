/*
 * sqlite_entries.c: the SQLite engine's entries (what people record) and
 * transitions (what the daemon computed), for `leaselinectl pay`,
 * `status`, `timeline` and `history` and the daemon's evaluation.  The
 * entries table is append-only (its triggers, sqlite.c); ledger.c has
 * checked an entry against the shared rules before it gets here.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store/sqlite.h"

#define ENTRY_COLUMNS                                                          \
	"id, kind, contract, day, amount, reverses, reason, note, recorded_at"
#define TRANSITION_COLUMNS                                                     \
	"id, contract, day, what, from_state, to_state, recorded_at"

/* Prepares sql, binds id to ?1 and steps once: SQLITE_ROW or SQLITE_DONE,
 * with *st to finalize; or -1 with what in err, nothing left to finalize. */
static int
ledger_sqlite_step_id(struct ledger *l, const char *sql, int64_t id,
		      sqlite3_stmt **st, const char *what, char *err,
		      size_t errlen)
{
	int rc;

	if (ledger_sqlite_prepare(l, sql, st, what, err, errlen) < 0)
		return -1;
	if (sqlite3_bind_int64(*st, 1, id) == SQLITE_OK) {
		rc = sqlite3_step(*st);
		if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			return rc;
	}
	ledger_sqlite_err(l, err, errlen, what);
	sqlite3_finalize(*st);
	return -1;
}

/* A reversal cancels one existing payment of its own contract, once (the
 * rules are ledger.c's).  Run inside the append's transaction, so nobody
 * reverses it in between. */
static int
ledger_sqlite_check_reversal(struct ledger *l, const struct entry *e, char *err,
			     size_t errlen)
{
	sqlite3_stmt *st;
	int rc, ok;

	rc = ledger_sqlite_step_id(
	    l, "SELECT kind, contract FROM entries WHERE id = ?1", e->reverses,
	    &st, "cannot look up the reversed entry", err, errlen);
	if (rc < 0)
		return -1;
	ok = ledger_reversal_target_ok(
	    l, e, rc == SQLITE_ROW,
	    rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0,
	    rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 1) : NULL,
	    err, errlen);
	sqlite3_finalize(st);
	if (ok < 0)
		return -1;

	rc = ledger_sqlite_step_id(
	    l, "SELECT id FROM entries WHERE reverses = ?1", e->reverses, &st,
	    "cannot look up earlier reversals", err, errlen);
	if (rc < 0)
		return -1;
	ok = ledger_reversal_once_ok(
	    l, e, rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0, err,
	    errlen);
	sqlite3_finalize(st);
	return ok < 0 ? -1 : 0;
}

int
ledger_sqlite_append(struct ledger *l, struct entry *e, char *err,
		     size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL), id;

	/* IMMEDIATE: take the write lock before the checks read, so a
	 * concurrent append cannot slip in between (and a busy lock waits
	 * for busy_timeout rather than failing at COMMIT). */
	if (ledger_sqlite_exec(l, "BEGIN IMMEDIATE", "cannot start the append",
			       err, errlen) < 0)
		return -1;
	if (e->kind == ENTRY_REVERSAL &&
	    ledger_sqlite_check_reversal(l, e, err, errlen) < 0)
		goto rollback;
	if (ledger_sqlite_prepare(
		l,
		"INSERT INTO entries (kind, contract, day, amount, "
		"reverses, reason, note, recorded_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		&st, "cannot append", err, errlen) < 0)
		goto rollback;
	if (sqlite3_bind_int(st, 1, e->kind) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, e->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, e->day) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, e->amount) != SQLITE_OK ||
	    (e->kind == ENTRY_REVERSAL
		 ? sqlite3_bind_int64(st, 5, e->reverses)
		 : sqlite3_bind_null(st, 5)) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, e->reason) != SQLITE_OK ||
	    sqlite3_bind_text(st, 7, e->note ? e->note : "", -1,
			      SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 8, now) != SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen, "cannot append");
		goto rollback;
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot append");
		goto rollback;
	}
	id = sqlite3_last_insert_rowid(l->db);
	sqlite3_finalize(st);
	st = NULL;
	if (ledger_sqlite_exec(l, "COMMIT", "cannot commit the append", err,
			       errlen) < 0)
		goto rollback;
	e->id = id;
	e->recorded_at = now;
	return 0;

rollback:
	sqlite3_finalize(st);
	ledger_sqlite_rollback(l);
	return -1;
}

/* Fills e from a row of ENTRY_COLUMNS; on failure e holds nothing. */
static int
ledger_sqlite_read_entry(sqlite3_stmt *st, struct entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->kind = (enum entry_kind)sqlite3_column_int(st, 1);
	e->day = (ll_day)sqlite3_column_int64(st, 3);
	e->amount = sqlite3_column_int64(st, 4);
	e->reverses = sqlite3_column_int64(st, 5); /* NULL reads as 0 */
	e->reason = sqlite3_column_int(st, 6);
	e->recorded_at = sqlite3_column_int64(st, 8);
	e->contract = ledger_sqlite_column_strdup(st, 2);
	e->note = ledger_sqlite_column_strdup(st, 7);
	if (!e->contract || !e->note) {
		entry_clear(e);
		return -1;
	}
	return 0;
}

int
ledger_sqlite_entries(struct ledger *l, const char *contract,
		      struct entry **out, size_t *n, char *err, size_t errlen)
{
	struct entry *v = NULL, *grown;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (ledger_sqlite_prepare(l,
				  contract ? "SELECT " ENTRY_COLUMNS
					     " FROM entries WHERE contract = ?1"
					     " ORDER BY contract, day, id"
					   : "SELECT " ENTRY_COLUMNS
					     " FROM entries"
					     " ORDER BY contract, day, id",
				  &st, "cannot read entries", err, errlen) < 0)
		return -1;
	if (contract && sqlite3_bind_text(st, 1, contract, -1, SQLITE_STATIC) !=
			    SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen, "cannot read entries");
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown)
				goto nomem;
			v = grown;
		}
		if (ledger_sqlite_read_entry(st, &v[len]) < 0)
			goto nomem;
		len++;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot read entries");
		goto fail;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return 0;

nomem:
	ledger_seterr(err, errlen,
		      "ledger %s: cannot read entries: out of "
		      "memory",
		      l->path);
fail:
	sqlite3_finalize(st);
	entry_array_free(v, len);
	return -1;
}

int
ledger_sqlite_entry(struct ledger *l, int64_t id, struct entry *out, char *err,
		    size_t errlen)
{
	sqlite3_stmt *st;
	int rc, ret = -1;

	if (ledger_sqlite_prepare(
		l, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?1", &st,
		"cannot read an entry", err, errlen) < 0)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen, "cannot read an entry");
		goto finalize;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ret = 1;
	} else if (rc != SQLITE_ROW) {
		ledger_sqlite_err(l, err, errlen, "cannot read an entry");
	} else if (ledger_sqlite_read_entry(st, out) < 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: cannot read entry %lld: out of "
			      "memory",
			      l->path, (long long)id);
	} else {
		ret = 0;
	}

finalize:
	sqlite3_finalize(st);
	return ret;
}

int
ledger_sqlite_add_transition(struct ledger *l, struct ledger_transition *t,
			     char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t now = (int64_t)time(NULL);

	/* One statement: autocommit makes it a durable transaction. */
	if (ledger_sqlite_prepare(
		l,
		"INSERT INTO transitions (contract, day, what, "
		"from_state, to_state, recorded_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		&st, "cannot record a transition", err, errlen) < 0)
		return -1;
	if (sqlite3_bind_text(st, 1, t->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, t->day) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, t->what, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, t->from) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, t->to) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot record a transition");
		sqlite3_finalize(st);
		return -1;
	}
	t->id = sqlite3_last_insert_rowid(l->db);
	t->recorded_at = now;
	sqlite3_finalize(st);
	return 0;
}

int
ledger_sqlite_transitions(struct ledger *l, const char *contract,
			  struct ledger_transition **out, size_t *n, char *err,
			  size_t errlen)
{
	struct ledger_transition *v = NULL, *grown, *t;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (ledger_sqlite_prepare(
		l,
		contract ? "SELECT " TRANSITION_COLUMNS
			   " FROM transitions WHERE contract = ?1"
			   " ORDER BY contract, day, id"
			 : "SELECT " TRANSITION_COLUMNS " FROM transitions"
			   " ORDER BY contract, day, id",
		&st, "cannot read transitions", err, errlen) < 0)
		return -1;
	if (contract && sqlite3_bind_text(st, 1, contract, -1, SQLITE_STATIC) !=
			    SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen, "cannot read transitions");
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown)
				goto nomem;
			v = grown;
		}
		t = &v[len];
		memset(t, 0, sizeof(*t));
		t->id = sqlite3_column_int64(st, 0);
		t->day = (ll_day)sqlite3_column_int64(st, 2);
		t->from = sqlite3_column_int(st, 4);
		t->to = sqlite3_column_int(st, 5);
		t->recorded_at = sqlite3_column_int64(st, 6);
		t->contract = ledger_sqlite_column_strdup(st, 1);
		t->what = ledger_sqlite_column_strdup(st, 3);
		if (!t->contract || !t->what) {
			len++; /* freed with the others */
			goto nomem;
		}
		len++;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot read transitions");
		goto fail;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return 0;

nomem:
	ledger_seterr(err, errlen,
		      "ledger %s: cannot read transitions: out of memory",
		      l->path);
fail:
	sqlite3_finalize(st);
	ledger_transitions_free(v, len);
	return -1;
}

int
ledger_sqlite_last_entry_id(struct ledger *l, int64_t *id)
{
	return ledger_sqlite_query_int(
	    l, "SELECT coalesce(max(id), 0) FROM entries", id,
	    "cannot read the newest entry", NULL, 0);
}
