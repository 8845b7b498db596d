/*
 * sqlite_copy.c: the SQLite engine's part of `ledger copy` (store/copy.c,
 * issue 17 item 6): dump reads every transition and notification in id
 * order and the meta values by name; import writes a whole ledger into
 * an empty file in one transaction, every row with its id.
 *
 * Entries go in as INSERTs, one by one in id order: the append-only
 * triggers and CHECKs apply to them as to any append (a reversal finds
 * its payment inserted before it).  An INTEGER PRIMARY KEY given an id
 * keeps it, and the next append takes max(id) + 1, so appends after a
 * copy continue where FROM stopped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/sqlite.h"

/* Grows *v (elements of size sz) to hold one more than *len: 0, or -1
 * when out of memory. */
static int
ledger_sqlite_grow(void *v, size_t sz, size_t len, size_t *cap)
{
	void **p = v;
	void *grown;

	if (len < *cap)
		return 0;
	grown = realloc(*p, (*cap ? 2 * *cap : 16) * sz);
	if (!grown)
		return -1;
	*p = grown;
	*cap = *cap ? 2 * *cap : 16;
	return 0;
}

/* A text column that may be NULL, as NULL; *ok false when out of
 * memory. */
static char *
ledger_sqlite_nullable(sqlite3_stmt *st, int col, bool *ok)
{
	char *s;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	s = ledger_sqlite_column_strdup(st, col);
	if (!s)
		*ok = false;
	return s;
}

static int
ledger_sqlite_dump_transitions(struct ledger *l, struct ledger_dump *d,
			       char *err, size_t errlen)
{
	struct ledger_transition *t;
	size_t cap = 0;
	sqlite3_stmt *st;
	bool ok = true;
	int rc;

	if (ledger_sqlite_prepare(
		l,
		"SELECT id, contract, day, what, from_state, to_state, "
		"recorded_at, key FROM transitions ORDER BY id",
		&st, "cannot read transitions", err, errlen) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ledger_sqlite_grow(&d->transitions, sizeof(*t),
				       d->ntransitions, &cap) < 0)
			goto nomem;
		t = &d->transitions[d->ntransitions++];
		memset(t, 0, sizeof(*t));
		t->id = sqlite3_column_int64(st, 0);
		t->contract = ledger_sqlite_column_strdup(st, 1);
		t->day = (ll_day)sqlite3_column_int64(st, 2);
		t->what = ledger_sqlite_column_strdup(st, 3);
		t->from = sqlite3_column_int(st, 4);
		t->to = sqlite3_column_int(st, 5);
		t->recorded_at = sqlite3_column_int64(st, 6);
		t->key = ledger_sqlite_nullable(st, 7, &ok);
		if (!t->contract || !t->what || !ok)
			goto nomem;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot read transitions");
		goto fail;
	}
	sqlite3_finalize(st);
	return 0;
nomem:
	ledger_seterr(err, errlen, "ledger %s: out of memory", l->path);
fail:
	sqlite3_finalize(st);
	return -1;
}

static int
ledger_sqlite_dump_outbox(struct ledger *l, struct ledger_dump *d, char *err,
			  size_t errlen)
{
	struct ledger_notification *q;
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (ledger_sqlite_prepare(l,
				  "SELECT id, contract, notification, day, "
				  "key, payload, created_at, sent_at "
				  "FROM outbox ORDER BY id",
				  &st, "cannot read the outbox", err,
				  errlen) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ledger_sqlite_grow(&d->outbox, sizeof(*q), d->noutbox,
				       &cap) < 0)
			goto nomem;
		q = &d->outbox[d->noutbox++];
		memset(q, 0, sizeof(*q));
		if (ledger_sqlite_read_notification(st, q) < 0)
			goto nomem;
		q->sent_at = sqlite3_column_int64(st, 7); /* NULL: 0 */
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot read the outbox");
		goto fail;
	}
	sqlite3_finalize(st);
	return 0;
nomem:
	ledger_seterr(err, errlen, "ledger %s: out of memory", l->path);
fail:
	sqlite3_finalize(st);
	return -1;
}

static int
ledger_sqlite_dump_meta(struct ledger *l, struct ledger_dump *d, char *err,
			size_t errlen)
{
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (ledger_sqlite_prepare(
		l, "SELECT name, value FROM meta ORDER BY name", &st,
		"cannot read the settings", err, errlen) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ledger_sqlite_grow(&d->meta, sizeof(*d->meta), d->nmeta,
				       &cap) < 0)
			goto nomem;
		d->meta[d->nmeta].value = sqlite3_column_int64(st, 1);
		d->meta[d->nmeta].name = ledger_sqlite_column_strdup(st, 0);
		if (!d->meta[d->nmeta++].name)
			goto nomem;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot read the settings");
		goto fail;
	}
	sqlite3_finalize(st);
	return 0;
nomem:
	ledger_seterr(err, errlen, "ledger %s: out of memory", l->path);
fail:
	sqlite3_finalize(st);
	return -1;
}

int
ledger_sqlite_dump(struct ledger *l, struct ledger_dump *d, char *err,
		   size_t errlen)
{
	/* One read transaction: the three tables as of one moment. */
	if (ledger_sqlite_exec(l, "BEGIN", "cannot read the ledger", err,
			       errlen) < 0)
		return -1;
	if (ledger_sqlite_dump_transitions(l, d, err, errlen) < 0 ||
	    ledger_sqlite_dump_outbox(l, d, err, errlen) < 0 ||
	    ledger_sqlite_dump_meta(l, d, err, errlen) < 0) {
		ledger_sqlite_rollback(l);
		return -1;
	}
	ledger_sqlite_rollback(l);
	return 0;
}

/* Refuses a ledger holding any row, naming the first table that does. */
static int
ledger_sqlite_check_empty(struct ledger *l, char *err, size_t errlen)
{
	static const char *const sql[LEDGER_NTABLES] = {
	    [LEDGER_TABLE_ENTRIES] = "SELECT count(*) FROM entries",
	    [LEDGER_TABLE_TRANSITIONS] = "SELECT count(*) FROM transitions",
	    [LEDGER_TABLE_OUTBOX] = "SELECT count(*) FROM outbox",
	    [LEDGER_TABLE_META] = "SELECT count(*) FROM meta",
	};
	int64_t n;

	for (int t = 0; t < LEDGER_NTABLES; t++) {
		if (ledger_sqlite_query_int(l, sql[t], &n,
					    "cannot count the rows", err,
					    errlen) < 0)
			return -1;
		if (n > 0) {
			ledger_seterr(err, errlen,
				      "ledger %s is not empty: its %s table "
				      "holds %lld rows: nothing copied",
				      l->path, ledger_table_name(t),
				      (long long)n);
			return -1;
		}
	}
	return 0;
}

static int
ledger_sqlite_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
		 : sqlite3_bind_null(st, i);
}

static int
ledger_sqlite_opt(sqlite3_stmt *st, int i, int64_t v)
{
	return v ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

/* Binds row i of table t of d to st. */
static int
ledger_sqlite_bind_row(sqlite3_stmt *st, int t, const struct ledger_dump *d,
		       size_t i)
{
	const struct entry *e;
	const struct ledger_transition *tr;
	const struct ledger_notification *q;
	int rc = SQLITE_OK;

	switch (t) {
	case LEDGER_TABLE_ENTRIES:
		e = &d->entries[i];
		rc |= sqlite3_bind_int64(st, 1, e->id);
		rc |= sqlite3_bind_int(st, 2, (int)e->kind);
		rc |= ledger_sqlite_text(st, 3, e->contract);
		rc |= sqlite3_bind_int64(st, 4, e->day);
		rc |= sqlite3_bind_int64(st, 5, e->amount);
		rc |= ledger_sqlite_opt(st, 6, e->reverses);
		rc |= sqlite3_bind_int(st, 7, e->reason);
		rc |= ledger_sqlite_text(st, 8, e->note ? e->note : "");
		rc |= sqlite3_bind_int64(st, 9, e->recorded_at);
		break;
	case LEDGER_TABLE_TRANSITIONS:
		tr = &d->transitions[i];
		rc |= sqlite3_bind_int64(st, 1, tr->id);
		rc |= ledger_sqlite_text(st, 2, tr->contract);
		rc |= sqlite3_bind_int64(st, 3, tr->day);
		rc |= ledger_sqlite_text(st, 4, tr->what);
		rc |= sqlite3_bind_int(st, 5, tr->from);
		rc |= sqlite3_bind_int(st, 6, tr->to);
		rc |= sqlite3_bind_int64(st, 7, tr->recorded_at);
		rc |= ledger_sqlite_text(st, 8, tr->key);
		break;
	case LEDGER_TABLE_OUTBOX:
		q = &d->outbox[i];
		rc |= sqlite3_bind_int64(st, 1, q->id);
		rc |= ledger_sqlite_text(st, 2, q->contract);
		rc |= ledger_sqlite_text(st, 3, q->name);
		rc |= sqlite3_bind_int64(st, 4, q->day);
		rc |= ledger_sqlite_text(st, 5, q->key);
		rc |= ledger_sqlite_text(st, 6, q->payload);
		rc |= sqlite3_bind_int64(st, 7, q->created_at);
		rc |= ledger_sqlite_opt(st, 8, q->sent_at);
		break;
	default:
		rc |= ledger_sqlite_text(st, 1, d->meta[i].name);
		rc |= sqlite3_bind_int64(st, 2, d->meta[i].value);
		break;
	}
	return rc == SQLITE_OK ? 0 : -1;
}

static int
ledger_sqlite_import_table(struct ledger *l, int t, const struct ledger_dump *d,
			   char *err, size_t errlen)
{
	static const char *const sql[LEDGER_NTABLES] = {
	    [LEDGER_TABLE_ENTRIES] =
		"INSERT INTO entries (id, kind, contract, day, amount, "
		"reverses, reason, note, recorded_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	    [LEDGER_TABLE_TRANSITIONS] =
		"INSERT INTO transitions (id, contract, day, what, "
		"from_state, to_state, recorded_at, key) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    [LEDGER_TABLE_OUTBOX] =
		"INSERT INTO outbox (id, contract, notification, day, key, "
		"payload, created_at, sent_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    [LEDGER_TABLE_META] = "INSERT INTO meta (name, value) "
				  "VALUES (?1, ?2)",
	};
	const size_t n[LEDGER_NTABLES] = {d->nentries, d->ntransitions,
					  d->noutbox, d->nmeta};
	char what[64];
	sqlite3_stmt *st;

	snprintf(what, sizeof(what), "cannot copy into %s",
		 ledger_table_name(t));
	if (ledger_sqlite_prepare(l, sql[t], &st, what, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n[t]; i++) {
		if (ledger_sqlite_bind_row(st, t, d, i) < 0 ||
		    sqlite3_step(st) != SQLITE_DONE) {
			ledger_sqlite_err(l, err, errlen, what);
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	sqlite3_finalize(st);
	return 0;
}

int
ledger_sqlite_import(struct ledger *l, const struct ledger_dump *d, char *err,
		     size_t errlen)
{
	if (ledger_sqlite_exec(l, "BEGIN IMMEDIATE", "cannot start the copy",
			       err, errlen) < 0)
		return -1;
	if (ledger_sqlite_check_empty(l, err, errlen) < 0)
		goto fail;
	for (int t = 0; t < LEDGER_NTABLES; t++)
		if (ledger_sqlite_import_table(l, t, d, err, errlen) < 0)
			goto fail;
	if (ledger_sqlite_exec(l, "COMMIT", "cannot commit the copy", err,
			       errlen) < 0)
		goto fail;
	return 0;
fail:
	ledger_sqlite_rollback(l);
	return -1;
}
